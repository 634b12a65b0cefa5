"""What happened on the engine: the last N events for the events view, and the problems they
reveal (OOM kills, restart loops, unhealthy containers, non-zero exits). Pure and bounded."""

from __future__ import annotations

import fnmatch
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from .events import EngineEvent

RESTART_LOOP_COUNT = 3
RESTART_LOOP_WINDOW = 5 * 60 * 10**9  # five minutes of event time, in nanoseconds
KEY_ATTRIBUTES = ("exitCode", "signal", "health_status", "image", "container", "driver", "type")


def event_time(event: EngineEvent) -> str:
    if not event.time_nano:
        return ""
    moment = datetime.fromtimestamp(event.time_nano / 1e9)
    return moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def actor_name(event: EngineEvent) -> str:
    return event.attributes.get("name") or event.actor_id[:12]


def details(event: EngineEvent) -> str:
    parts = []
    for key in KEY_ATTRIBUTES:
        value = event.attributes.get(key)
        if value and not (key == "image" and event.type == "image"):
            parts.append(f"{key}={value}")
    return " ".join(parts)


def describe(event: EngineEvent) -> tuple[str, str, str, str, str]:
    """The events view's columns: time, type, action, name, details."""
    return event_time(event), event.type, event.action, actor_name(event), details(event)


def _field_matches(value: str, wanted: str, whole: bool) -> bool:
    """``exec_*`` is a prefix (or any ``fnmatch`` pattern); otherwise the whole value for exact
    fields (action, type), a part of it for the others."""
    if any(ch in wanted for ch in "*?["):
        return fnmatch.fnmatchcase(value, wanted)
    return value == wanted if whole else wanted in value


def matches(event: EngineEvent, query: str) -> bool:
    """``type:container action:die web`` — field tokens and plain words, all must match.
    ``action:`` and ``type:`` match the whole word (``action:die`` is not ``exec_die``) unless
    the value has a wildcard (``action:exec_*``); ``name:`` and ``id:`` match a part."""
    fields = {
        "type": event.type.lower(),
        "action": event.action.lower(),
        "name": actor_name(event).lower(),
        "id": event.actor_id.lower(),
    }
    everything = " ".join([*fields.values(), details(event).lower()])
    for token in query.lower().split():
        key, sep, value = token.partition(":")
        if sep and key in fields:
            if not _field_matches(fields[key], value, whole=key in ("type", "action")):
                return False
        elif token not in everything:
            return False
    return True


STOP_CODES = frozenset({"0", "137", "143"})  # a clean exit, or the end of a stop


class EventJournal:
    """The last ``keep`` events, in the engine's time order (oldest first), however they arrived:
    events replayed after a reconnect or sent late land where their time puts them."""

    def __init__(self, keep: int = 1000) -> None:
        self.events: deque[EngineEvent] = deque(maxlen=max(1, keep))
        self.total = 0

    def add(self, event: EngineEvent) -> bool:
        """Keep ``event`` in time order; True when it went to the end (the usual case)."""
        self.total += 1
        events = self.events
        if not events or event.time_nano >= events[-1].time_nano:
            events.append(event)
            return True
        if len(events) == events.maxlen:
            if event.time_nano < events[0].time_nano:
                return False  # older than everything kept: it would be dropped at once
            events.popleft()
        # walk back from the end: a late event is usually only a little late
        index = len(events)
        while index > 0 and events[index - 1].time_nano > event.time_nano:
            index -= 1
        events.insert(index, event)
        return False

    def filtered(self, query: str) -> list[EngineEvent]:
        return [e for e in self.events if matches(e, query)] if query.strip() else list(self.events)


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # "oom" | "restart-loop" | "unhealthy" | "exit" | "start-failed"
    container_id: str
    name: str
    detail: str
    time_nano: int

    @property
    def title(self) -> str:
        return {"oom": "killed: out of memory", "restart-loop": "restart loop", "unhealthy": "unhealthy",
                "exit": "exited with an error", "start-failed": "could not start"}[self.kind]


USER_ENDED_WINDOW = 10 * 60 * 10**9  # a die this long after a kill/stop is the container's own
EXPECT_TTL = 10 * 60.0  # seconds an expectation from dockertui waits for its events
EXPECTED_EVENTS = {  # what each of dockertui's own actions makes the engine report
    "start": {"start"},
    "restart": {"kill", "die", "stop", "start", "restart"},
    "stop": {"kill", "die", "stop"},
    "kill": {"kill", "die"},
    "remove": {"kill", "die", "destroy"},
    "force-remove": {"kill", "die", "destroy"},
    "pause": {"pause"},
    "unpause": {"unpause"},
}
FINAL_EVENT = {"start": "start", "restart": "restart", "stop": "stop", "kill": "die", "remove": "destroy",
               "force-remove": "destroy", "pause": "pause", "unpause": "unpause"}


class ProblemTracker:
    """The current problems, at most one per (container, kind). A problem clears when its cause
    does: healthy again clears unhealthy; a container's removal clears all of its problems;
    acknowledging clears one by hand. Exits and OOM kills stay until acknowledged or removed.

    What the user did is not a problem: a ``die`` that follows a ``kill`` or comes with a ``stop``
    (the engine reports both when someone stops or kills a container, from dockertui or the CLI)
    is no error exit, and only starts that follow a die of the container's own (a restart policy
    at work) count towards a restart loop: a start after a stop, or a ``restart`` the engine
    reports for a user's restart, does not. :meth:`expect` tells the tracker about an action
    dockertui itself is about to take, for engines that report less."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.problems: dict[tuple[str, str], Problem] = {}
        self._starts: dict[str, deque[int]] = {}
        self._clock = clock
        self._ended_by_user: dict[str, int] = {}  # container -> time of the kill/stop event
        self._own_die: set[str] = set()  # containers whose last die was their own doing
        self._expected: dict[str, tuple[str, float, set[str]]] = {}  # id -> (action, deadline, events left)

    def __len__(self) -> int:
        return len(self.problems)

    def current(self) -> list[Problem]:
        return sorted(self.problems.values(), key=lambda p: p.time_nano, reverse=True)

    def expect(self, container_id: str, action: str) -> None:
        """dockertui is about to ``action`` (start, restart, stop, kill, remove, force-remove,
        pause, unpause) this container: the events it causes are the user's doing, not problems.
        Call it just before sending the request; it lapses after :data:`EXPECT_TTL` seconds or
        once those events have arrived. An action that fails changes nothing: call
        :meth:`forget` then."""
        events = EXPECTED_EVENTS.get(action)
        if events is None:
            raise ValueError(f"unknown action {action!r}")
        self._expected[container_id] = (action, self._clock() + EXPECT_TTL, set(events))

    def forget(self, container_id: str) -> None:
        """The action announced with :meth:`expect` failed: expect nothing for this container."""
        self._expected.pop(container_id, None)

    def _was_expected(self, cid: str, action: str) -> bool:
        entry = self._expected.get(cid)
        if entry is None:
            return False
        name, deadline, left = entry
        if self._clock() > deadline or action not in left:
            if self._clock() > deadline or action in ("start", "destroy"):
                del self._expected[cid]  # lapsed, or something else happened to the container
            return False
        left.discard(action)
        if action == FINAL_EVENT[name] or not left:
            del self._expected[cid]
        return True

    def feed(self, events: Iterable[EngineEvent]) -> bool:
        """Apply events; True when the problem list changed."""
        before = dict(self.problems)
        for event in events:
            if event.type == "container":
                self._container(event)
        return before != self.problems

    def _raise(self, event: EngineEvent, kind: str, detail: str) -> None:
        self.problems[(event.actor_id, kind)] = Problem(kind, event.actor_id, actor_name(event), detail, event.time_nano)

    def _container(self, event: EngineEvent) -> None:
        cid, action = event.actor_id, event.action
        expected = self._was_expected(cid, action)
        if action == "destroy":
            for key in [k for k in self.problems if k[0] == cid]:
                del self.problems[key]
            for table in (self._starts, self._ended_by_user, self._expected):
                table.pop(cid, None)
            self._own_die.discard(cid)
        elif action in ("kill", "stop"):
            self._ended_by_user[cid] = event.time_nano
            if action == "stop":
                # the engine reports the stop after the die it caused: that exit was asked for
                problem = self.problems.get((cid, "exit"))
                if problem is not None and event.time_nano - problem.time_nano <= USER_ENDED_WINDOW:
                    del self.problems[(cid, "exit")]
                self._own_die.discard(cid)
        elif action == "oom":
            self._raise(event, "oom", "the kernel killed it for using more memory than allowed")
        elif action == "die":
            ended = self._ended_by_user.pop(cid, None)
            by_user = expected or (ended is not None and 0 <= event.time_nano - ended <= USER_ENDED_WINDOW)
            if by_user:
                self._own_die.discard(cid)
            else:
                self._own_die.add(cid)
                code = event.attributes.get("exitCode", "")
                if code not in ("", "0"):
                    self._raise(event, "exit", f"exit code {code}" + (" (137: killed)" if code == "137" else ""))
        elif action == "health_status":
            status = event.attributes.get("health_status", "")
            if status == "unhealthy":
                self._raise(event, "unhealthy", "its health check fails")
            elif status == "healthy":
                self.problems.pop((cid, "unhealthy"), None)
        if action == "start":
            self.problems.pop((cid, "start-failed"), None)  # it started after all
            self._ended_by_user.pop(cid, None)
            automatic = cid in self._own_die and not expected
            self._own_die.discard(cid)
            if automatic:
                self._count_start(event)
        elif action == "restart":
            # a restart someone asked for (the engine's restart policy reports no "restart"):
            # the start just before it was theirs
            starts = self._starts.get(cid)
            if starts and starts[-1] <= event.time_nano and event.time_nano - starts[-1] <= USER_ENDED_WINDOW:
                starts.pop()
                loop = self.problems.get((cid, "restart-loop"))
                if loop is not None and len(starts) < RESTART_LOOP_COUNT and loop.time_nano >= event.time_nano - USER_ENDED_WINDOW:
                    del self.problems[(cid, "restart-loop")]

    def _count_start(self, event: EngineEvent) -> None:
        starts = self._starts.setdefault(event.actor_id, deque(maxlen=RESTART_LOOP_COUNT))
        starts.append(event.time_nano)
        if len(starts) == RESTART_LOOP_COUNT and starts[-1] - starts[0] <= RESTART_LOOP_WINDOW:
            self._raise(event, "restart-loop", f"{RESTART_LOOP_COUNT} restarts within {(starts[-1] - starts[0]) / 1e9:.0f} s")

    def seed(self, containers: Iterable[tuple[str, str, str, str]]) -> None:
        """Problems visible in a listing at start: (id, name, state, status) of each container.
        An exit code and health show in the status text; OOM kills need events."""
        for cid, name, state, status in containers:
            if state == "exited" and status.startswith("Exited ("):
                code = status[len("Exited ("):].split(")", 1)[0]
                # 137 and 143 are what `docker stop` leaves (SIGKILL after the timeout, SIGTERM):
                # a listing cannot tell a stop from a crash, so they are not raised at start
                if code not in STOP_CODES:
                    self.problems[(cid, "exit")] = Problem("exit", cid, name, f"exit code {code}", 0)
            if "(unhealthy)" in status:
                self.problems[(cid, "unhealthy")] = Problem("unhealthy", cid, name, "its health check fails", 0)
            if state == "restarting":
                self.problems[(cid, "restart-loop")] = Problem("restart-loop", cid, name, "restarting", 0)

    def start_failed(self, container_id: str, name: str, error: str) -> bool:
        """The engine could not start the container (its command missing, a mount refused...): it
        stays "created" and the engine reports no event beyond its ``create``; ``error`` is its
        ``State.Error``. True when that is news."""
        key = (container_id, "start-failed")
        known = self.problems.get(key)
        if known is not None and known.detail == error:
            return False
        self.problems[key] = Problem("start-failed", container_id, name, error, int(time.time() * 1e9))
        return True

    def acknowledge(self, container_id: str, kind: str) -> None:
        self.problems.pop((container_id, kind), None)
