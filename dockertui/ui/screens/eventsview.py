"""`E`: the engine's recent events, filterable, live; enter jumps to the container or image.
`!`: the current problems; enter jumps to the container, `x` acknowledges one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input

from ...model.eventfold import Line, ProbeFold, ProbeFolds, cut, fold_lines, is_probe
from ...model.events import EngineEvent
from ...model.journal import EventJournal, ProblemTracker, describe, event_time, matches
from ...style import STATE_STYLE
from ..widgets.lists import ListTable

if TYPE_CHECKING:
    from ..hostfeed import HostFeed

Jump = tuple[str, str] | None
ACTION_STYLE = {"die": "red", "oom": "bold red", "kill": "red", "destroy": "dim", "start": "green", "create": "cyan",
                "health_status": "yellow", "pause": STATE_STYLE.get("paused", "yellow")}


NAME_WIDTH, ACTION_WIDTH, DETAILS_WIDTH = 20, 14, 120  # at 80 columns, every column starts on screen


class EventsScreen(Screen[Jump]):
    """Type to filter: every printable key typed here goes to the filter box (the app's `:` and `?`
    are off on this screen, ``TYPE_TO_FILTER``; help is in ctrl+p). Each container's health-check
    probes are one line until ctrl+e shows every probe."""

    TYPE_TO_FILTER = True
    BINDINGS = [
        Binding("escape", "close", "Back", id="events-close"),
        Binding("slash", "filter", "Filter", id="events-filter", priority=True),
        Binding("enter", "jump", "Go to", id="events-jump"),
        Binding("ctrl+e", "probes", "Every probe", id="events-probes"),
        Binding("down", "cursor_down", show=False, id="events-cursor-down"),
        Binding("up", "cursor_up", show=False, id="events-cursor-up"),
    ]

    def __init__(self, journal: EventJournal, host: HostFeed | None = None) -> None:
        super().__init__()
        self.journal = journal
        self.host = host
        self.query_text = ""
        self.fold = True  # health-check probes: one line per container
        self.shown: list[Line] = []
        self._keys: list[str] = []
        self._folds = ProbeFolds()
        self._seq = 0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="type to filter: words, or type:container action:die name:web", id="events-filter",
                    select_on_focus=False)  # the first key typed on the list is in it: not selected
        table: DataTable[Text | str] = DataTable(cursor_type="row", id="events-table")
        table.auto_links = False
        yield table
        yield Footer()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#events-table", DataTable)

    @property
    def box(self) -> Input:
        return self.query_one("#events-filter", Input)

    def on_mount(self) -> None:
        for label in ("Time", "Type", "Action", "Name", "Details"):
            self.table.add_column(label, key=label)
        self._fill()
        self.set_focus(self.table)
        if self.host is not None:
            self.host.events_arrived.subscribe(self, self.add_events)

    def _row(self, line: Line) -> tuple[Text | str, ...]:
        time, kind, action, name, details = line.describe() if isinstance(line, ProbeFold) else describe(line)
        style = "dim" if isinstance(line, ProbeFold) else ACTION_STYLE.get(action, "")
        return (Text(time, style="dim"), Text(kind), Text(cut(action, ACTION_WIDTH), style=style),
                Text(cut(name, NAME_WIDTH), style="bold"), Text(cut(details, DETAILS_WIDTH)))

    def _add(self, line: Line) -> None:
        if isinstance(line, ProbeFold):
            key = line.key
            if key in self._keys:  # the container's probe line moves to its newest probe
                index = self._keys.index(key)
                del self._keys[index], self.shown[index]
                self.table.remove_row(key)
        else:
            self._seq += 1
            key = str(self._seq)
        self.shown.append(line)
        self._keys.append(key)
        self.table.add_row(*self._row(line), key=key)

    def _fill(self) -> None:
        self.table.clear()
        self.shown, self._keys = [], []
        lines, self._folds = fold_lines(self.journal.filtered(self.query_text), self.fold)
        for line in lines:
            self._add(line)
        self._title()
        if self.shown:
            self.table.move_cursor(row=len(self.shown) - 1, animate=False)

    def _title(self) -> None:
        self.table.border_title = "Events"
        lines, events = len(self.shown), len(self.journal.events)
        kept = f"{lines} line{'' if lines == 1 else 's'} of the last {events} event{'' if events == 1 else 's'}"
        probes = "probes folded (ctrl+e: every probe)" if self.fold else "every probe (ctrl+e: fold)"
        self.table.border_subtitle = Text(f"{kept} · {probes}" + (f" · filter: {self.query_text}" if self.query_text else ""))

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
            self._add(self._folds.add(event) if self.fold and is_probe(event) else event)
        limit = self.journal.events.maxlen or len(self.shown)
        while len(self.shown) > limit:
            line = self.shown.pop(0)
            if isinstance(line, ProbeFold):
                self._folds.by_container.pop(line.container_id, None)
            self.table.remove_row(self._keys.pop(0))
        self._title()
        if at_bottom and self.shown:
            self.table.move_cursor(row=len(self.shown) - 1, animate=False)

    def on_key(self, event: events.Key) -> None:
        """Type to filter: a printable key typed on the list goes to the filter box."""
        box = self.box
        if box.has_focus or not event.is_printable or not event.character:
            return
        event.stop()
        event.prevent_default()
        self.set_focus(box)
        box.insert_text_at_cursor(event.character)

    def action_filter(self) -> None:
        box = self.box
        if box.has_focus:  # the key is a priority binding: in the box, it is just a "/"
            box.insert_text_at_cursor("/")
            return
        self.set_focus(box)  # at once: keys typed next go to it

    def action_probes(self) -> None:
        self.fold = not self.fold
        self._fill()

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
        line = self.shown[row]
        event = line.last if isinstance(line, ProbeFold) else line
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
        box = self.box
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
        table: DataTable[Text | str] = ListTable(cursor_type="row", id="problems-table")
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
