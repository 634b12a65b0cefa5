"""`E`: the engine's recent events, filterable, live; enter jumps to the container or image.
`!`: the current problems; enter jumps to the container, `x` acknowledges one."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input

from ...model.events import EngineEvent
from ...model.journal import EventJournal, ProblemTracker, describe, event_time, matches
from ...style import STATE_STYLE

if TYPE_CHECKING:
    from ..hostfeed import HostFeed

Jump = tuple[str, str] | None
ACTION_STYLE = {"die": "red", "oom": "bold red", "kill": "red", "destroy": "dim", "start": "green", "create": "cyan",
                "health_status": "yellow", "pause": STATE_STYLE.get("paused", "yellow")}


class EventsScreen(Screen[Jump]):
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="events-close"),
        Binding("slash", "filter", "Filter", id="events-filter", priority=True),
        Binding("enter", "jump", "Go to", id="events-jump"),
        Binding("j", "cursor_down", show=False, id="events-cursor-down"),
        Binding("k", "cursor_up", show=False, id="events-cursor-up"),
    ]

    def __init__(self, journal: EventJournal, host: HostFeed | None = None) -> None:
        super().__init__()
        self.journal = journal
        self.host = host
        self.query_text = ""
        self.shown: list[EngineEvent] = []
        self._keys: deque[str] = deque()
        self._seq = 0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: words, or type:container action:die name:web", id="events-filter")
        table: DataTable[Text | str] = DataTable(cursor_type="row", id="events-table")
        table.auto_links = False
        yield table
        yield Footer()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#events-table", DataTable)

    def on_mount(self) -> None:
        for label in ("Time", "Type", "Action", "Name", "Details"):
            self.table.add_column(label, key=label)
        self._fill()
        self.set_focus(self.table)
        if self.host is not None:
            self.host.events_arrived.subscribe(self, self.add_events)

    def _row(self, event: EngineEvent) -> tuple[Text | str, ...]:
        time, kind, action, name, details = describe(event)
        return (Text(time, style="dim"), Text(kind), Text(action, style=ACTION_STYLE.get(action, "")), Text(name, style="bold"), Text(details))

    def _add(self, event: EngineEvent) -> None:
        self._seq += 1
        key = str(self._seq)
        self.shown.append(event)
        self._keys.append(key)
        self.table.add_row(*self._row(event), key=key)

    def _fill(self) -> None:
        self.table.clear()
        self.shown, self._keys = [], deque()
        for event in self.journal.filtered(self.query_text):
            self._add(event)
        self._title()
        if self.shown:
            self.table.move_cursor(row=len(self.shown) - 1, animate=False)

    def _title(self) -> None:
        self.table.border_title = "Events"
        kept = f"{len(self.shown)} shown of the last {len(self.journal.events)}"
        self.table.border_subtitle = Text(f"{kept} · filter: {self.query_text}" if self.query_text else kept)

    def add_events(self, events: Iterable[EngineEvent]) -> None:
        """New events (one call per coalesced burst): appended, the oldest rows dropped beyond
        the journal's size, followed while the cursor is at the bottom."""
        if not self.table.columns:
            return  # not mounted yet: the first fill reads these from the journal
        at_bottom = self.table.cursor_row >= len(self.shown) - 1
        new = sorted((e for e in events if matches(e, self.query_text)), key=lambda e: e.time_nano)
        if new and self.shown and new[0].time_nano < self.shown[-1].time_nano:
            self._fill()  # a late event belongs among the rows already shown: time order, rebuilt
            return
        for event in new:
            self._add(event)
        limit = self.journal.events.maxlen or len(self.shown)
        while len(self.shown) > limit:
            self.shown.pop(0)
            self.table.remove_row(self._keys.popleft())
        self._title()
        if at_bottom and self.shown:
            self.table.move_cursor(row=len(self.shown) - 1, animate=False)

    def action_filter(self) -> None:
        box = self.query_one("#events-filter", Input)
        if box.has_focus:  # the key is a priority binding: in the box, it is just a "/"
            box.insert_text_at_cursor("/")
            return
        self.set_focus(box)  # at once: keys typed next go to it

    @on(Input.Changed, "#events-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self._fill()

    @on(Input.Submitted, "#events-filter")
    def _filter_done(self) -> None:
        self.set_focus(self.table)

    @on(DataTable.RowSelected, "#events-table")
    def _selected(self) -> None:
        self.action_jump()

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_jump(self) -> None:
        row = self.table.cursor_row
        if not self.shown or not 0 <= row < len(self.shown):
            return
        event = self.shown[row]
        if event.type == "container":
            self.dismiss(("container", event.actor_id))
        elif event.type == "image":
            self.dismiss(("image", event.actor_id))
        elif event.type == "network" and event.attributes.get("container"):
            self.dismiss(("container", event.attributes["container"]))
        else:
            key = {"volume": "V", "network": "N"}.get(event.type)
            where = f"esc, then {key} on the dashboard lists the {event.type}s" if key else "dockertui has no view of its own for them"
            self.notify(f"No {event.type} to go to from here: {where}.", severity="warning")

    def action_close(self) -> None:
        box = self.query_one("#events-filter", Input)
        if box.has_focus and box.value:
            box.value = ""
            self.set_focus(self.table)
            return
        self.dismiss(None)


class ProblemsScreen(Screen[Jump]):
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="problems-close"),
        Binding("enter", "jump", "Go to", id="problems-jump"),
        Binding("x", "acknowledge", "Acknowledge", id="problems-acknowledge"),
    ]

    def __init__(self, tracker: ProblemTracker, host: HostFeed | None = None, hosts: list[HostFeed] | None = None) -> None:
        """``hosts``: every engine of the session; with more than one, the list holds the problems
        of all of them, each line naming its engine."""
        super().__init__()
        self.tracker = tracker
        self.host = host
        self.hosts = [h for h in hosts or [] if h is not None] if hosts and len(hosts) > 1 else []
        self.shown = tracker.current()
        self.owners: list[HostFeed | None] = [host] * len(self.shown)

    def compose(self) -> ComposeResult:
        table: DataTable[Text | str] = DataTable(cursor_type="row", id="problems-table")
        table.auto_links = False
        yield table
        yield Footer()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#problems-table", DataTable)

    def on_mount(self) -> None:
        for label in (("Engine",) if self.hosts else ()) + ("When", "Container", "Problem", "Detail"):
            self.table.add_column(label, key=label)
        self.refill()
        self.set_focus(self.table)
        for host in self.hosts or ([self.host] if self.host is not None else []):
            host.changed.subscribe(self, lambda change: self.refill() if change.problems else None)

    def refill(self) -> None:
        if self.hosts:
            rows = sorted(((p, h) for h in self.hosts for p in h.state.problems.current()), key=lambda ph: ph[0].time_nano)
            self.shown, self.owners = [p for p, _ in rows], [h for _, h in rows]
        else:
            self.shown = self.tracker.current()
            self.owners = [self.host] * len(self.shown)
        row = self.table.cursor_row
        self.table.clear()
        for p, owner in zip(self.shown, self.owners, strict=True):
            when = event_time(EngineEvent("", "", "", p.time_nano)) or "at start"
            engine = (Text(owner.name if owner else "", style="bold cyan"),) if self.hosts else ()
            self.table.add_row(*engine, Text(when, style="dim"), Text(p.name, style="bold"), Text(p.title, style="red"), Text(p.detail))
        self.table.border_title = f"Problems ({len(self.shown)})"
        self.table.border_subtitle = "enter: go to the container · x: acknowledge"
        if self.shown:
            self.table.move_cursor(row=min(max(row, 0), len(self.shown) - 1), animate=False)

    @on(DataTable.RowSelected, "#problems-table")
    def _selected(self) -> None:
        self.action_jump()

    def _current(self):  # type: ignore[no-untyped-def]
        row = self.table.cursor_row
        return self.shown[row] if self.shown and 0 <= row < len(self.shown) else None

    def _owner(self) -> HostFeed | None:
        row = self.table.cursor_row
        return self.owners[row] if 0 <= row < len(self.owners) else None

    def action_jump(self) -> None:
        p = self._current()
        if p is None:
            return
        owner = self._owner()
        if owner is not None and owner is not self.host:
            self.dismiss(("engine-container", f"{owner.name}\0{p.container_id}"))  # on another engine
        else:
            self.dismiss(("container", p.container_id))

    def action_acknowledge(self) -> None:
        p = self._current()
        if p is not None:
            owner = self._owner()
            if owner is not None:
                owner.acknowledge(p.container_id, p.kind)  # the header's badge follows
            else:
                self.tracker.acknowledge(p.container_id, p.kind)
            self.refill()

    def action_close(self) -> None:
        self.dismiss(None)
