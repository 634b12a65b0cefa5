"""Containers of the selected image: keyed rows, each rendered once and kept until it changes.

Textual's DataTable re-renders every visible cell on any update (its caches are keyed by an
update counter), which cost about 60 ms and 15 KB of terminal output per engine event. Here a
row is a cached strip: an event re-renders and repaints only the rows it changed (all rows below
a row that moved, when the sort order changes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set as AbstractSet

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...model.containers import Container, pod_label
from ...style import STATE_STYLE
from ..safe import safe_text

STATE_ORDER = {s: i for i, s in enumerate(("running", "restarting", "paused", "created", "exited", "dead", "removing"))}
COLUMNS = (
    ("mark", " "),
    ("name", "Name"),
    ("state", "State"),
    ("status", "Status"),
    ("ports", "Ports"),
    ("project", "Project"),
    ("image", "Image"),
    ("command", "Command"),
    ("usage", "CPU · Mem"),
)
KEYS = [key for key, _ in COLUMNS]
GAP = 2
MARK = Text("✔", style="bold yellow")
HEADER_STYLE = Style(bold=True)
CURSOR_STYLE = Style(reverse=True)
CURSOR_BLURRED = Style(bgcolor="grey30")


def state_text(c: Container) -> Text:
    style = STATE_STYLE.get(c.state, "")
    if c.state == "exited" and c.status.startswith("Exited (0)"):
        style = "dim"
    return Text(c.state, style=style)


Cell = Text | str


def cell(value: object, width: int = 60, style: str = "") -> Text:
    """One cell of engine text: controls shown as dimmed marks, at most ``width`` terminal cells."""
    text = safe_text(value, style=style, limit=4 * width)
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    return text


def row_cells(c: Container, marked: bool = False, doing: str | None = None, usage: str = "") -> tuple[Cell, ...]:
    """One row; ``doing`` (an action in progress, "stopping…") replaces the state until it ends."""
    state = Text(doing, style="italic yellow") if doing else state_text(c)
    return (MARK if marked else "", cell(c.display_name, 40, "bold"), state, cell(c.status, 40), cell(c.ports_text, 40),
            cell(c.compose_project or pod_label(c), 30), cell(c.image, 50), cell(c.command, 40), usage if c.state == "running" else "")


def sort_key(c: Container) -> tuple[int, str]:
    return (STATE_ORDER.get(c.state, 99), c.name)


def _len(cell: Cell) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)


class ContainerTable(ScrollView, can_focus=True):
    """A header line and one line per container, sorted running first, then by name."""

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
        self._strips: dict[str, Strip] = {}  # rendered rows, without the cursor
        self._widths = [_len(label) for _, label in COLUMNS]
        self.containers: dict[str, Container] = {}
        self.usage: dict[str, str] = {}  # container ID -> "12% · 30MB", while the usage column is on
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
        return self._cells[container_id][KEYS.index(column)]

    def reset(self) -> None:
        """Forget column widths (they only grow while rows come and go) and rendered rows."""
        self._widths = [_len(label) for _, label in COLUMNS]
        self._strips.clear()
        self._fit()
        self.refresh()

    def show(self, containers: Sequence[Container], marks: AbstractSet[str] = frozenset(), doing: Mapping[str, str] | None = None) -> None:
        """Show exactly these containers; rows that did not change are neither rendered nor
        repainted."""
        doing = doing or {}
        ordered = sorted(containers, key=sort_key)
        order = [c.id for c in ordered]
        keep = self.current.id if self.current else None
        self.containers = {c.id: c for c in ordered}
        cells = {c.id: row_cells(c, c.id in marks, doing.get(c.id), self.usage.get(c.id, "")) for c in ordered}
        changed = {cid for cid, row in cells.items() if self._cells.get(cid) != row}
        old_order, self._order, self._cells = self._order, order, cells
        for cid in set(self._strips) - set(cells):
            del self._strips[cid]
        for cid in changed:
            self._strips.pop(cid, None)
        widened = self._grow(cells[cid] for cid in changed)
        if keep in self.containers:
            self.cursor_row = order.index(keep)
        self.cursor_row = min(self.cursor_row, max(0, len(order) - 1))
        self._fit()
        if widened or order != old_order:
            first = next((i for i, (a, b) in enumerate(zip(order, old_order)) if a != b), min(len(order), len(old_order)))
            self._repaint_from(first)
        else:
            self._repaint(order.index(cid) for cid in changed)
        if keep != (self.current.id if self.current else None):
            self.post_message(self.RowHighlighted(self))

    def set_usage(self, usage: dict[str, str]) -> None:
        """Fill (or, with an empty dict, clear) the usage column; only changed rows repaint."""
        self.usage = usage
        changed = []
        for i, cid in enumerate(self._order):
            old = self._cells[cid]
            new = usage.get(cid, "") if self.containers[cid].state == "running" else ""
            if old[-1] != new:
                self._cells[cid] = (*old[:-1], new)
                self._strips.pop(cid, None)
                changed.append(i)
        if self._grow(self._cells[self._order[i]] for i in changed):
            self._repaint_from(0)
        else:
            self._repaint(changed)

    def visible_ids(self) -> list[str]:
        """The containers whose rows are on screen now."""
        top = int(self.scroll_y)
        return self._order[top : top + max(1, self.size.height - 1)]

    def select(self, container_id: str) -> bool:
        """Put the cursor on this container's row, if it is shown."""
        if container_id not in self.containers:
            return False
        self.move_cursor(row=self._order.index(container_id))
        return True

    # -- geometry and painting ---------------------------------------------------------------------

    def _grow(self, rows: object) -> bool:
        widened = False
        for row in rows:  # type: ignore[attr-defined]
            for i, cell in enumerate(row):
                width = _len(cell)
                if width > self._widths[i]:
                    self._widths[i] = width
                    widened = True
        if widened:
            self._strips.clear()
        return widened

    def _fit(self) -> None:
        width = sum(self._widths) + GAP * len(self._widths)
        self.virtual_size = Size(width, len(self._order) + 1)

    def _line_of(self, index: int) -> int:
        return index - int(self.scroll_y) + 1

    def _repaint(self, indexes: object) -> None:
        width = self.size.width
        for index in indexes:  # type: ignore[attr-defined]
            y = self._line_of(index)
            if 1 <= y < self.size.height:
                self.refresh(Region(0, y, width, 1))

    def _repaint_from(self, index: int) -> None:
        y = max(1, self._line_of(index))
        if y < self.size.height:
            self.refresh(Region(0, y, self.size.width, self.size.height - y))

    def _render_row(self, cells: tuple[Cell, ...], style: Style | None = None) -> Strip:
        text = Text(no_wrap=True, end="", style=style or "")
        for i, cell in enumerate(cells):
            piece = cell if isinstance(cell, Text) else Text(cell)
            text.append_text(piece)
            text.append(" " * (self._widths[i] - piece.cell_len + GAP))
        return Strip(text.render(self.app.console))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if y == 0:
            strip = self._render_row(tuple(label for _, label in COLUMNS), HEADER_STYLE)
        else:
            index = scroll_y + y - 1
            if index >= len(self._order):
                return Strip.blank(width, self.rich_style)
            cid = self._order[index]
            strip = self._strips.get(cid)
            if strip is None:
                strip = self._strips[cid] = self._render_row(self._cells[cid])
            if index == self.cursor_row:
                strip = strip.extend_cell_length(self.virtual_size.width).apply_style(CURSOR_STYLE if self.has_focus else CURSOR_BLURRED)
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width).apply_style(self.rich_style)

    # -- the cursor --------------------------------------------------------------------------------

    def move_cursor(self, row: int, animate: bool = False) -> None:
        if not self._order:
            return
        row = max(0, min(row, len(self._order) - 1))
        if row == self.cursor_row:
            return
        old, self.cursor_row = self.cursor_row, row
        self._repaint((old, row))
        visible = self.size.height - 1
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
        self.move_cursor(self.cursor_row - max(1, self.size.height - 2))

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + max(1, self.size.height - 2))

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
        self.refresh()
