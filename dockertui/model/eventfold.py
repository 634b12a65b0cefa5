"""The events view's lines: health-check probes (``exec_*`` events of a container, every few
seconds each) folded into one line per container, which stays where its last probe puts it in
time; every other event is a line of its own. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import unicodedata

from .events import EngineEvent
from .journal import actor_name, event_time

ELLIPSIS = "…"


def is_probe(event: EngineEvent) -> bool:
    """An exec in a container: what a health check runs (``exec_create: CMD``, ``exec_start: CMD``,
    ``exec_die``)."""
    return event.type == "container" and event.action.startswith("exec_")


@dataclass(slots=True)
class ProbeFold:
    """The probes of one container: how many, the last one, and the last result (the exit code
    of the last ``exec_die``; ``None`` before any ended)."""

    container_id: str
    name: str
    count: int
    last: EngineEvent
    last_exit: str | None = None

    @property
    def time_nano(self) -> int:
        return self.last.time_nano

    @property
    def key(self) -> str:
        return f"probes:{self.container_id}"

    def result(self) -> str:
        if self.last_exit is None:
            return "running"
        return "ok" if self.last_exit == "0" else f"exit {self.last_exit}"

    def describe(self) -> tuple[str, str, str, str, str]:
        """The events view's columns: last time, type, action, name, details."""
        times = "probe" if self.count == 1 else "probes"
        return (event_time(self.last), "container", f"exec ×{self.count}", self.name,
                f"last {self.result()}, {self.count} {times}")


Line = EngineEvent | ProbeFold


class ProbeFolds:
    """The folds of the probes seen so far, by container."""

    def __init__(self) -> None:
        self.by_container: dict[str, ProbeFold] = {}

    def add(self, event: EngineEvent) -> ProbeFold:
        """Count one probe event into its container's fold (created at the first) and return it."""
        fold = self.by_container.get(event.actor_id)
        if fold is None:
            fold = self.by_container[event.actor_id] = ProbeFold(event.actor_id, actor_name(event), 0, event)
        fold.count += 1
        if event.time_nano >= fold.last.time_nano:
            fold.last = event
            fold.name = actor_name(event) or fold.name
        if event.action == "exec_die":
            fold.last_exit = event.attributes.get("exitCode", "?")
        return fold


def fold_lines(events: Iterable[EngineEvent], fold: bool = True) -> tuple[list[Line], ProbeFolds]:
    """The lines for ``events`` (in time order): with ``fold``, each container's probes become one
    line at the place of its last probe; without, every event is its own line."""
    events = list(events)
    folds = ProbeFolds()
    if not fold:
        return list(events), folds
    for event in events:
        if is_probe(event):
            folds.add(event)
    lines: list[Line] = []
    for event in events:
        if not is_probe(event):
            lines.append(event)
            continue
        folded = folds.by_container[event.actor_id]
        if folded.last is event:
            lines.append(folded)
    return lines, folds


def _cells(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """The cells ``text`` takes on a terminal (wide characters two, combining marks none)."""
    return sum(_cells(c) for c in text)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, an ellipsis at the end when it was longer."""
    if cell_width(text) <= width:
        return text
    if width <= 0:
        return ""
    out, used = [], 0
    for char in text:
        w = _cells(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + ELLIPSIS
