"""Containers of the selected image: keyed rows, updated in place."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from ...model.containers import Container
from ...style import STATE_STYLE

STATE_ORDER = {s: i for i, s in enumerate(("running", "restarting", "paused", "created", "exited", "dead", "removing"))}
COLUMNS = (
    ("name", "Name"),
    ("state", "State"),
    ("status", "Status"),
    ("ports", "Ports"),
    ("project", "Project"),
    ("image", "Image"),
    ("command", "Command"),
)


def state_text(c: Container) -> Text:
    style = STATE_STYLE.get(c.state, "")
    if c.state == "exited" and c.status.startswith("Exited (0)"):
        style = "dim"
    return Text(c.state, style=style)


def row_cells(c: Container) -> tuple[Text | str, ...]:
    command = c.command if len(c.command) <= 40 else c.command[:39] + "…"
    return (Text(c.name, style="bold"), state_text(c), c.status, c.ports_text, c.compose_project, c.image, command)


def sort_key(c: Container) -> tuple[int, str]:
    return (STATE_ORDER.get(c.state, 99), c.name)


class ContainerTable(DataTable[Text | str]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.auto_links = False
        self._order: list[str] = []
        self._cells: dict[str, tuple[Text | str, ...]] = {}
        self.containers: dict[str, Container] = {}

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

    def show(self, containers: Sequence[Container]) -> None:
        """Show exactly these containers; rows that did not change are not touched."""
        ordered = sorted(containers, key=sort_key)
        order = [c.id for c in ordered]
        self.containers = {c.id: c for c in ordered}
        cells = {c.id: row_cells(c) for c in ordered}
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
