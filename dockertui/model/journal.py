"""What happened on the engine: the last N events for the events view, and the problems they
reveal (OOM kills, restart loops, unhealthy containers, non-zero exits). Pure and bounded."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
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


def matches(event: EngineEvent, query: str) -> bool:
    """``type:container action:die web`` — field tokens and plain words, all must match."""
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
            if value not in fields[key]:
                return False
        elif token not in everything:
            return False
    return True


class EventJournal:
    """The last ``keep`` events, oldest first."""

    def __init__(self, keep: int = 1000) -> None:
        self.events: deque[EngineEvent] = deque(maxlen=max(1, keep))
        self.total = 0

    def add(self, event: EngineEvent) -> None:
        self.events.append(event)
        self.total += 1

    def filtered(self, query: str) -> list[EngineEvent]:
        return [e for e in self.events if matches(e, query)] if query.strip() else list(self.events)


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # "oom" | "restart-loop" | "unhealthy" | "exit"
    container_id: str
    name: str
    detail: str
    time_nano: int

    @property
    def title(self) -> str:
        return {"oom": "killed: out of memory", "restart-loop": "restart loop", "unhealthy": "unhealthy",
                "exit": "exited with an error"}[self.kind]


class ProblemTracker:
    """The current problems, at most one per (container, kind). A problem clears when its cause
    does: healthy again clears unhealthy; a container's removal clears all of its problems;
    acknowledging clears one by hand. Exits and OOM kills stay until acknowledged or removed."""

    def __init__(self) -> None:
        self.problems: dict[tuple[str, str], Problem] = {}
        self._starts: dict[str, deque[int]] = {}

    def __len__(self) -> int:
        return len(self.problems)

    def current(self) -> list[Problem]:
        return sorted(self.problems.values(), key=lambda p: p.time_nano, reverse=True)

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
        if action == "destroy":
            for key in [k for k in self.problems if k[0] == cid]:
                del self.problems[key]
            self._starts.pop(cid, None)
        elif action == "oom":
            self._raise(event, "oom", "the kernel killed it for using more memory than allowed")
        elif action == "die":
            code = event.attributes.get("exitCode", "")
            if code not in ("", "0"):
                self._raise(event, "exit", f"exit code {code}" + (" (137: killed)" if code == "137" else ""))
        elif action == "health_status":
            status = event.attributes.get("health_status", "")
            if status == "unhealthy":
                self._raise(event, "unhealthy", "its health check fails")
            elif status == "healthy":
                self.problems.pop((cid, "unhealthy"), None)
        if action in ("start", "restart"):
            starts = self._starts.setdefault(cid, deque(maxlen=RESTART_LOOP_COUNT))
            starts.append(event.time_nano)
            if len(starts) == RESTART_LOOP_COUNT and starts[-1] - starts[0] <= RESTART_LOOP_WINDOW:
                self._raise(event, "restart-loop", f"{RESTART_LOOP_COUNT} starts within {(starts[-1] - starts[0]) / 1e9:.0f} s")

    def seed(self, containers: Iterable[tuple[str, str, str, str]]) -> None:
        """Problems visible in a listing at start: (id, name, state, status) of each container.
        An exit code and health show in the status text; OOM kills need events."""
        for cid, name, state, status in containers:
            if state == "exited" and status.startswith("Exited (") and not status.startswith("Exited (0)"):
                code = status[len("Exited ("):].split(")", 1)[0]
                self.problems[(cid, "exit")] = Problem("exit", cid, name, f"exit code {code}", 0)
            if "(unhealthy)" in status:
                self.problems[(cid, "unhealthy")] = Problem("unhealthy", cid, name, "its health check fails", 0)
            if state == "restarting":
                self.problems[(cid, "restart-loop")] = Problem("restart-loop", cid, name, "restarting", 0)

    def acknowledge(self, container_id: str, kind: str) -> None:
        self.problems.pop((container_id, kind), None)
