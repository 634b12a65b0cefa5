"""Containers of the selected image: keyed rows, updated in place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set as AbstractSet

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from ...model.containers import Container
from ...style import STATE_STYLE

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


def state_text(c: Container) -> Text:
    style = STATE_STYLE.get(c.state, "")
    if c.state == "exited" and c.status.startswith("Exited (0)"):
        style = "dim"
    return Text(c.state, style=style)


MARK = Text("✔", style="bold yellow")


def row_cells(c: Container, marked: bool = False, doing: str | None = None, usage: str = "") -> tuple[Text | str, ...]:
    """One row; ``doing`` (an action in progress, "stopping…") replaces the state until it ends."""
    command = c.command if len(c.command) <= 40 else c.command[:39] + "…"
    state = Text(doing, style="italic yellow") if doing else state_text(c)
    return (MARK if marked else "", Text(c.name, style="bold"), state, c.status, c.ports_text, c.compose_project, c.image, command,
            usage if c.state == "running" else "")


def sort_key(c: Container) -> tuple[int, str]:
    return (STATE_ORDER.get(c.state, 99), c.name)


class ContainerTable(DataTable[Text | str]):
    BINDINGS = [
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
        Binding("g", "scroll_top", show=False),
        Binding("G", "scroll_bottom", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.auto_links = False
        self._order: list[str] = []
        self._cells: dict[str, tuple[Text | str, ...]] = {}
        self.containers: dict[str, Container] = {}
        self.usage: dict[str, str] = {}  # container ID -> "12% · 30MB", while the usage column is on

    def on_mount(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget rows and column widths (widths only ever grow while rows come and go)."""
        self.clear(columns=True)
        for key, label in COLUMNS:
            self.add_column(label, key=key)
        self._order = []
        self._cells = {}

    @property
    def current(self) -> Container | None:
        if not self._order or self.cursor_row < 0 or self.cursor_row >= len(self._order):
            return None
        return self.containers.get(self._order[self.cursor_row])

    def show(
        self,
        containers: Sequence[Container],
        marks: AbstractSet[str] = frozenset(),
        doing: Mapping[str, str] | None = None,
    ) -> None:
        """Show exactly these containers; rows that did not change are not touched."""
        doing = doing or {}
        ordered = sorted(containers, key=sort_key)
        order = [c.id for c in ordered]
        self.containers = {c.id: c for c in ordered}
        cells = {c.id: row_cells(c, c.id in marks, doing.get(c.id), self.usage.get(c.id, "")) for c in ordered}
        if order != self._order:
            current = self.current
            keep = current.id if current else None
            self.clear()
            for cid in order:
                self.add_row(*cells[cid], key=cid)
            self._order = order
            if keep in self.containers:
                self.move_cursor(row=order.index(keep), animate=False)
        else:
            for cid in order:
                old = self._cells.get(cid)
                for (col, _), new_value, old_value in zip(COLUMNS, cells[cid], old or (), strict=False):
                    if new_value != old_value:
                        self.update_cell(cid, col, new_value)
        self._cells = cells

    def visible_ids(self) -> list[str]:
        """The containers whose rows are on screen now."""
        top = int(self.scroll_y)
        return self._order[top : top + max(1, self.size.height)]

    def set_usage(self, usage: dict[str, str]) -> None:
        """Fill (or, with an empty dict, clear) the usage column; only changed cells are touched."""
        self.usage = usage
        for cid in self._order:
            old = self._cells.get(cid)
            if old is None:
                continue
            new = usage.get(cid, "") if self.containers[cid].state == "running" else ""
            if old[-1] != new:
                self.update_cell(cid, "usage", new)
                self._cells[cid] = (*old[:-1], new)

    def select(self, container_id: str) -> bool:
        """Put the cursor on this container's row, if it is shown."""
        if container_id not in self.containers:
            return False
        self.move_cursor(row=self._order.index(container_id), animate=False)
        return True
