"""The table's compact status, computed here rather than read from the engine's text: ``up 5m``,
``up 5m healthy``, ``exit 1 · 7m``, ``×4 · exit 1`` (restarting), ``created 3d``, ``paused``, ``dead``,
``removing``. Pure.

The engine's ``Status`` ("Up 5 minutes", "Exited (1) 7 minutes ago") is a rounded age at the time
of the listing. A start or finish time is taken exactly when known (a ``start``/``die`` event, an
inspect's ``StartedAt``), else estimated once from that text; the estimate stands while the text
is unchanged, so ages keep counting between listings (re-estimating from an old "Up 3 seconds"
froze the label). A newer text of the same kind moves the estimate only as far as it must to
agree with the new text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .containers import Container
from .events import EngineEvent
from .fmt import human_age

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0

_UNITS = {"second": 1.0, "minute": MINUTE, "hour": HOUR, "day": DAY, "week": 7 * DAY, "month": 30 * DAY, "year": 365 * DAY}
_AGE = re.compile(r"(Less than a second|About an? (?:minute|hour)|\d+ (?:second|minute|hour|day|week|month|year)s?)", re.I)
_EXIT = re.compile(r"\((-?\d+)\)")


def age_range(phrase: str) -> tuple[float, float] | None:
    """The ages (seconds, ``[low, high)``) that Docker's human duration could have come from
    (``go-units.HumanDuration``: hours are rounded, every other unit truncated)."""
    phrase = phrase.strip().lower()
    if phrase == "less than a second":
        return 0.0, 1.0
    if phrase == "about a minute":
        return MINUTE, 2 * MINUTE
    if phrase == "about an hour":
        return HOUR - 30 * MINUTE, HOUR + 30 * MINUTE
    number, _, unit = phrase.partition(" ")
    try:
        n = int(number)
    except ValueError:
        return None
    size = _UNITS.get(unit.rstrip("s"))
    if size is None:
        return None
    if size == HOUR:
        return (n - 0.5) * HOUR, (n + 0.5) * HOUR
    return n * size, (n + 1) * size


def split_status(status: str) -> tuple[str, tuple[float, float] | None]:
    """The status text without its age (its kind: ``"Up {} (healthy)"``) and the age's range."""
    match = _AGE.search(status)
    if match is None:
        return status, None
    return status[: match.start()] + "{}" + status[match.end() :], age_range(match.group(1))


def health_of(status: str) -> str:
    """``healthy``, ``unhealthy``, ``starting`` or "" from the status text."""
    lowered = status.lower()
    if "(unhealthy)" in lowered:
        return "unhealthy"
    if "(healthy)" in lowered:
        return "healthy"
    if "health: starting" in lowered:
        return "starting"
    return ""


def exit_code_of(status: str) -> str:
    match = _EXIT.search(status)
    return match.group(1) if match else ""


def compact(c: Container, since: float | None, now: float, restarts: int = 0) -> str:
    """The label for one container; ``since`` is its start (running) or finish (exited) time."""
    state = c.state
    if state == "running":
        label = f"up {human_age(since, now)}" if since is not None else "up"
        health = health_of(c.status)
        return f"{label} {health}" if health else label
    if state == "exited":
        code = exit_code_of(c.status)
        head = f"exit {code}" if code else "exited"
        return f"{head} · {human_age(since, now)}" if since is not None else head
    if state == "restarting":  # the State column says "restarting": this says how often, and why
        code = exit_code_of(c.status)
        parts = ([f"×{restarts}"] if restarts else []) + ([f"exit {code}"] if code else [])
        return " · ".join(parts) or "restarting"
    if state == "created":
        return f"created {human_age(c.created, now)}" if c.created else "created"
    return state or c.status.lower()


def in_seconds(c: Container, since: float | None, now: float) -> bool:
    """Whether the label counts seconds now (it will change within a second)."""
    if c.state in ("running", "exited"):
        return since is not None and now - since < MINUTE
    if c.state == "created":
        return bool(c.created) and now - c.created < MINUTE
    return False


@dataclass(slots=True)
class _Anchor:
    status: str  # the text it was estimated from
    kind: str  # that text without its age
    since: float | None


class StatusClock:
    """Start and finish times per container, for :func:`compact`: exact when an event or inspect
    said so, else estimated once per status text."""

    def __init__(self) -> None:
        self._anchors: dict[str, _Anchor] = {}
        self._started: dict[str, float] = {}
        self._finished: dict[str, float] = {}

    def started(self, container_id: str, when: float) -> None:
        if when > 0:
            self._started[container_id] = when

    def finished(self, container_id: str, when: float) -> None:
        if when > 0:
            self._finished[container_id] = when

    def learn(self, events: Iterable[EngineEvent]) -> None:
        """``start`` and ``die`` events of containers: exact times."""
        for event in events:
            if event.type != "container" or not event.actor_id:
                continue
            if event.action == "start":
                self.started(event.actor_id, event.time_nano / 1e9)
            elif event.action == "die":
                self.finished(event.actor_id, event.time_nano / 1e9)
            elif event.action == "destroy":
                self.forget(event.actor_id)

    def forget(self, container_id: str) -> None:
        self._anchors.pop(container_id, None)
        self._started.pop(container_id, None)
        self._finished.pop(container_id, None)

    def since(self, c: Container, now: float) -> float | None:
        """When the container's current state began (running: started, exited: finished)."""
        anchor = self._anchors.get(c.id)
        if anchor is not None and anchor.status == c.status:
            return anchor.since
        kind, ages = split_status(c.status)
        exact = (self._started if c.state == "running" else self._finished).get(c.id) if c.state in ("running", "exited") else None
        since: float | None = None
        if ages is not None:
            low, high = ages
            if exact is not None and low - 2 <= now - exact <= high + 2:
                since = exact
            elif anchor is not None and anchor.kind == kind and anchor.since is not None:
                # the same kind of text, newer: move the estimate only as far as the text requires
                since = now - min(max(now - anchor.since, low), high - 0.001)
            else:
                since = now - (low + min(high - low, 2 * HOUR) / 2)
        elif exact is not None:
            since = exact
        self._anchors[c.id] = _Anchor(c.status, kind, since)
        return since

    def label(self, c: Container, now: float, restarts: int = 0) -> str:
        return compact(c, self.since(c, now), now, restarts)

    def describe(self, c: Container, now: float, restarts: int = 0) -> tuple[str, bool]:
        """The label, and whether it counts seconds (it changes within a second)."""
        since = self.since(c, now)
        return compact(c, since, now, restarts), in_seconds(c, since, now)

    def ticking(self, c: Container, now: float) -> bool:
        """Whether the container's label is in seconds."""
        return in_seconds(c, self.since(c, now), now)

    def keep_only(self, container_ids: Iterable[str]) -> None:
        """Forget containers no longer listed."""
        keep = set(container_ids)
        for table in (self._anchors, self._started, self._finished):
            for cid in [cid for cid in table if cid not in keep]:
                del table[cid]


def tick_every(seconds_shown: bool) -> float:
    """How often the labels need a look: every second while one counts seconds, else every 20 s."""
    return 1.0 if seconds_shown else 20.0
