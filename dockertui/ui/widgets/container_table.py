"""Containers of the selected image: keyed rows, each rendered once and kept until it changes.

Textual's DataTable re-renders every visible cell on any update (its caches are keyed by an
update counter), which cost about 60 ms and 15 KB of terminal output per engine event. Here a
row is a cached strip: an event re-renders and repaints only the rows it changed (all rows below
a row that moved, when the sort order changes), and the status clock repaints only the status
cells whose label changed. Which columns show and how wide is ``container_rows``'s business;
this module draws."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence, Set as AbstractSet

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from ...model.containers import Container
from ...model.status import tick_every
from .container_rows import (  # noqa: F401 - cell, row_cells, state_text: their old home
    COLUMNS, HEADER, INDEX, KEYS, MARK, Cell, Layout, cell, fit, gap_after, layout, natural_widths, row_cells,
    state_text, status_style, urgent, widths_of,
)

# running and restarting share a group: a container in a restart loop flips between the two every
# few seconds, and its row (and the cursor's neighbours) must stay put
STATE_ORDER = {"running": 0, "restarting": 0, "paused": 1, "created": 2, "exited": 3, "dead": 4, "removing": 5}
HEADER_STYLE = Style(bold=True)
CURSOR_STYLE = Style(reverse=True)
CURSOR_BLURRED = Style(bgcolor="grey30")
NARROW_AFTER = 4.0  # seconds a column keeps room its cells no longer need (no jumping back and forth)
StatusSource = Callable[[Container, float], tuple[str, bool]]  # compact status, and whether in seconds
RowInputs = tuple[Container, bool, "str | None", str, "str | None"]  # what one row's cells are made of


def sort_key(c: Container) -> tuple[int, str]:
    return (STATE_ORDER.get(c.state, 99), c.name)


class ContainerTable(ScrollView, can_focus=True):
    """A header line and one line per container, sorted running first, then by name. The columns
    fit the width: no horizontal scrolling."""

    DEFAULT_CSS = """
    ContainerTable {
        overflow-x: hidden;
    }
    """

    BINDINGS = [
        Binding("up,k", "cursor_up", show=False, id="container-table-cursor-up"),
        Binding("down,j", "cursor_down", show=False, id="container-table-cursor-down"),
        Binding("pageup", "page_up", show=False, id="container-table-page-up"),
        Binding("pagedown", "page_down", show=False, id="container-table-page-down"),
        Binding("home,g", "scroll_top", show=False, id="container-table-scroll-top"),
        Binding("end,G", "scroll_bottom", show=False, id="container-table-scroll-bottom"),
        Binding("enter", "select_cursor", show=False, id="container-table-select-cursor"),
    ]

    class RowHighlighted(Message):
        """The cursor moved to another container."""

        def __init__(self, table: ContainerTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> ContainerTable:
            return self.table

    class RowSelected(RowHighlighted):
        """Enter (or a double click) on a row."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._order: list[str] = []
        self._cells: dict[str, tuple[Cell, ...]] = {}
        self._inputs: dict[str, RowInputs] = {}  # what each row was made of (cells reused while the same)
        self._cell_widths: dict[str, tuple[int, ...]] = {}
        self._strips: dict[str, Strip] = {}  # rendered rows, without the cursor
        self._layout: Layout = ()
        self._narrowing: Timer | None = None
        self._ticking: set[str] = set()  # rows whose status counts seconds
        self._tick: Timer | None = None
        self._tick_due = 0.0
        self._full_pass = 0.0
        self._titles: tuple[str, str] | None = None
        self.containers: dict[str, Container] = {}
        self.usage: dict[str, str] = {}  # container ID -> "12% · 30MB", while the usage column is on
        self.usage_column = False
        self.status_source: StatusSource | None = None  # the compact status; the engine's text without it
        self.cursor_row = 0

    # -- data ------------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def current(self) -> Container | None:
        if not self._order or not 0 <= self.cursor_row < len(self._order):
            return None
        return self.containers.get(self._order[self.cursor_row])

    def get_cell(self, container_id: str, column: str) -> Cell:
        return self._cells[container_id][INDEX[column]]

    @property
    def columns(self) -> list[str]:
        """The keys of the columns shown, left to right."""
        return [KEYS[i] for i, _, _ in self._layout]

    def reset(self) -> None:
        """Lay the columns out again from the rows shown now, and render every row afresh."""
        self._strips.clear()
        self._relayout(force=True)
        self.refresh()

    def set_titles(self, title: str, subtitle: str) -> None:
        """The border's title and subtitle; set only when they change (setting one repaints the
        whole widget, which an engine event must not cost)."""
        if (title, subtitle) != self._titles:
            self._titles = (title, subtitle)
            self.border_title = title
            self.border_subtitle = Text(subtitle)

    def _status(self, c: Container, now: float) -> str | None:
        if self.status_source is None:
            return None
        label, seconds = self.status_source(c, now)
        if seconds:
            self._ticking.add(c.id)
        else:
            self._ticking.discard(c.id)
        return label

    def show(self, containers: Sequence[Container], marks: AbstractSet[str] = frozenset(), doing: Mapping[str, str] | None = None) -> None:
        """Show exactly these containers; rows that did not change are neither rendered nor
        repainted."""
        doing = doing or {}
        now = time.time()
        ordered = sorted(containers, key=sort_key)
        order = [c.id for c in ordered]
        keep = self.current.id if self.current else None
        self.containers = {c.id: c for c in ordered}
        self._ticking &= self.containers.keys()
        # a row is rendered again only when what it is made of changed: the host state replaces only
        # the containers it re-read, so an unchanged container is the same object (checked with `is`)
        cells: dict[str, tuple[Cell, ...]] = {}
        inputs: dict[str, RowInputs] = {}
        changed: set[str] = set()
        for c in ordered:
            made_of = (c, c.id in marks, doing.get(c.id), self.usage.get(c.id, ""), self._status(c, now))
            inputs[c.id] = made_of
            before = self._inputs.get(c.id)
            if before is not None and before[0] is c and before[1:] == made_of[1:]:
                cells[c.id] = self._cells[c.id]
                continue
            cells[c.id] = row = row_cells(*made_of)
            if self._cells.get(c.id) != row:
                changed.add(c.id)
        self._inputs = inputs
        old_order, self._order, self._cells = self._order, order, cells
        for gone in set(self._strips) - set(cells):
            del self._strips[gone]
        for gone in set(self._cell_widths) - set(cells):
            del self._cell_widths[gone]
        for cid in changed:
            self._strips.pop(cid, None)
            self._cell_widths[cid] = widths_of(cells[cid])
        if keep in self.containers:
            self.cursor_row = order.index(keep)
        self.cursor_row = min(self.cursor_row, max(0, len(order) - 1))
        self._fit()
        if not self._relayout():
            if order != old_order:
                first = next((i for i, (a, b) in enumerate(zip(order, old_order)) if a != b), min(len(order), len(old_order)))
                self._repaint_from(first)
            else:
                self._repaint(order.index(cid) for cid in changed)
        self._schedule_tick()
        if keep != (self.current.id if self.current else None):
            self.post_message(self.RowHighlighted(self))

    def _set_cell(self, cid: str, column: str, value: Cell) -> bool:
        index = INDEX[column]
        old = self._cells[cid]
        if old[index] == value:
            return False
        self._cells[cid] = (*old[:index], value, *old[index + 1 :])
        self._cell_widths[cid] = widths_of(self._cells[cid])
        self._strips.pop(cid, None)
        return True

    def set_usage(self, usage: dict[str, str]) -> None:
        """Fill the usage column; only changed cells repaint."""
        if not self.usage_column:
            return
        self.usage = usage
        changed = [i for i, cid in enumerate(self._order)
                   if self._set_cell(cid, "usage", usage.get(cid, "") if self.containers[cid].state == "running" else "")]
        if not self._relayout():
            self._repaint_cells(changed, "usage")

    def show_usage_column(self, on: bool) -> None:
        """Add the CPU · memory column (after Status), or take it away, header and all."""
        self.usage_column = on
        if not on:
            self.usage = {}
            for cid in self._order:
                self._set_cell(cid, "usage", "")
        self._relayout(force=True)

    def visible_ids(self) -> list[str]:
        """The containers whose rows are on screen now."""
        top = int(self.scroll_y)
        return self._order[top : top + max(1, self._view.height - 1)]

    def select(self, container_id: str) -> bool:
        """Put the cursor on this container's row, if it is shown."""
        if container_id not in self.containers:
            return False
        self.move_cursor(row=self._order.index(container_id))
        return True

    # -- the status clock: labels age without asking the engine ---------------------------------

    def _schedule_tick(self) -> None:
        if self.status_source is None or not self._order:
            return
        delay = tick_every(bool(self._ticking))
        due = time.monotonic() + delay
        if self._tick is not None:
            if self._tick_due <= due:
                return
            self._tick.stop()
        self._tick_due = due
        self._tick = self.set_timer(delay, self._on_tick)

    def _on_tick(self) -> None:
        self._tick = None
        self.tick()
        self._schedule_tick()

    def tick(self) -> None:
        """Compute the labels again (those in seconds; all of them every 20 s) and repaint only the
        status cells whose label changed."""
        now, clock = time.time(), time.monotonic()
        full = clock - self._full_pass >= tick_every(False) - 0.5
        if full:
            self._full_pass = clock
        ids = self._order if full else [cid for cid in self._order if cid in self._ticking]
        changed = []
        for cid in ids:
            c = self.containers[cid]
            label = self._status(c, now)
            if label is not None and self._set_cell(cid, "status", cell(label, 40, status_style(c, label))):
                changed.append(cid)
        if changed and not self._relayout():
            index = {cid: i for i, cid in enumerate(self._order)}
            self._repaint_cells((index[cid] for cid in changed), "status")

    # -- geometry and painting ---------------------------------------------------------------------

    @property
    def _view(self) -> Size:
        """The part of the widget rows are drawn in (without its scrollbar)."""
        return self.scrollable_content_region.size

    def _relayout(self, force: bool = False) -> bool:
        """Lay the columns out for the rows shown; True when that changed anything (then the whole
        table repaints). Room a column no longer needs is given back after :data:`NARROW_AFTER`."""
        natural = natural_widths(self._cell_widths.values())
        new = layout(natural, self._view.width, self.usage_column)
        if new == self._layout:
            if self._narrowing is not None:
                self._narrowing.stop()
                self._narrowing = None
            return False
        if not (force or urgent(new, self._layout, natural)):
            if self._narrowing is None:
                self._narrowing = self.set_timer(NARROW_AFTER, self._narrow)
            return False
        if self._narrowing is not None:
            self._narrowing.stop()
            self._narrowing = None
        self._layout = new
        self._strips.clear()
        self.refresh()
        return True

    def _narrow(self) -> None:
        self._narrowing = None
        self._relayout(force=True)

    def _fit(self) -> None:
        self.virtual_size = Size(0, len(self._order) + 1)

    def _line_of(self, index: int) -> int:
        return index - int(self.scroll_y) + 1

    def _repaint(self, indexes: object) -> None:
        width = self.size.width
        for index in indexes:  # type: ignore[attr-defined]
            y = self._line_of(index)
            if 1 <= y < self._view.height:
                self.refresh(Region(0, y, width, 1))

    def _repaint_cells(self, indexes: object, column: str) -> None:
        """Repaint one column's cell in these rows, nothing else of them."""
        place = next(((x, w) for i, x, w in self._layout if KEYS[i] == column), None)
        if place is None:
            return
        x, w = place
        for index in indexes:  # type: ignore[attr-defined]
            y = self._line_of(index)
            if 1 <= y < self._view.height:
                self.refresh(Region(x, y, w, 1))

    def _repaint_from(self, index: int) -> None:
        y = max(1, self._line_of(index))
        if y < self.size.height:
            self.refresh(Region(0, y, self.size.width, self.size.height - y))

    def _render_row(self, cells: Sequence[Cell], style: Style | None = None) -> Strip:
        text = Text(no_wrap=True, end="", style=style or "")
        for n, (i, _x, width) in enumerate(self._layout):
            if n:
                text.append(" " * gap_after(KEYS[self._layout[n - 1][0]]))
            piece = fit(cells[i], width)
            text.append_text(piece)
            text.append(" " * (width - piece.cell_len))
        return Strip(text.render(self.app.console))

    def render_line(self, y: int) -> Strip:
        scroll_y = int(self.scroll_y)
        width = self.size.width
        if y == 0:
            strip = self._render_row(HEADER, HEADER_STYLE)
        else:
            index = scroll_y + y - 1
            if index >= len(self._order):
                return Strip.blank(width, self.rich_style)
            cid = self._order[index]
            strip = self._strips.get(cid)
            if strip is None:
                strip = self._strips[cid] = self._render_row(self._cells[cid])
            if index == self.cursor_row:
                strip = strip.extend_cell_length(self._view.width).apply_style(CURSOR_STYLE if self.has_focus else CURSOR_BLURRED)
        return strip.crop(0, width).extend_cell_length(width).apply_style(self.rich_style)

    # -- the cursor --------------------------------------------------------------------------------

    def move_cursor(self, row: int, animate: bool = False) -> None:
        if not self._order:
            return
        row = max(0, min(row, len(self._order) - 1))
        if row == self.cursor_row:
            return
        old, self.cursor_row = self.cursor_row, row
        self._repaint((old, row))
        visible = self._view.height - 1
        if row < self.scroll_y:
            self.scroll_to(y=row, animate=False, immediate=True)
            self.refresh()
        elif visible > 0 and row >= self.scroll_y + visible:
            self.scroll_to(y=row - visible + 1, animate=False, immediate=True)
            self.refresh()
        self.post_message(self.RowHighlighted(self))

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - max(1, self._view.height - 2))

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + max(1, self._view.height - 2))

    def action_scroll_top(self) -> None:
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(len(self._order) - 1)

    def action_select_cursor(self) -> None:
        if self.current is not None:
            self.post_message(self.RowSelected(self))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self._order):
            self.move_cursor(index)
            if event.chain > 1:
                self.action_select_cursor()

    def on_focus(self) -> None:
        self._repaint((self.cursor_row,))

    def on_blur(self) -> None:
        self._repaint((self.cursor_row,))

    def on_resize(self) -> None:
        self._relayout(force=True)
        self.refresh()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """The scrollbar came or went (rows added, or the pane below took height): the columns are
        laid out again in the width left, so the scrollbar never sits on a cell."""
        self.call_after_refresh(self._relayout, True)
