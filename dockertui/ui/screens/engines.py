"""`H`: every engine of this session with its name, endpoint, version, containers running/total,
problems and connection; the docker contexts not open yet below them. Enter shows an engine (or
opens a context, without restarting)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...model.host import CONNECTED, DISCONNECTED, FAILED, Change
from ..safe import safe_text
from ..widgets.lists import ListTable

if TYPE_CHECKING:
    from ..hostfeed import HostFeed

CONNECTION_STYLE = {CONNECTED: "green", DISCONNECTED: "bold red", FAILED: "bold red"}
Choice = tuple[str, str] | None  # ("engine", index) or ("context", name)


class EnginesScreen(Screen[Choice]):
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="engines-back"),
        Binding("enter", "choose", "Show", id="engines-show"),
    ]

    def __init__(self, hosts: list[HostFeed], shown: int, contexts: list[tuple[str, str]]) -> None:
        """``contexts``: (name, endpoint) of the docker contexts not open yet."""
        super().__init__()
        self.hosts = hosts
        self.shown = shown
        self.contexts = contexts

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = ListTable(cursor_type="row", id="engines-table")
        table.auto_links = False
        yield table
        yield Static(Text("enter: show that engine · a context below opens it · esc: back", style="dim"), id="engines-hint")
        yield Footer()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#engines-table", DataTable)

    def on_mount(self) -> None:
        for label in ("", "Engine", "Endpoint", "Version", "Containers", "Problems", "Connection"):
            self.table.add_column(label, key=label or "shown")
        self.table.border_title = "Engines"
        self.fill()
        self.table.move_cursor(row=self.shown, animate=False)
        self.set_focus(self.table)
        for host in self.hosts:
            host.changed.subscribe(self, self._changed)
            host.connection_changed.subscribe(self, self._changed)

    def _changed(self, _: Change | str) -> None:
        row = self.table.cursor_row
        self.fill()
        self.table.move_cursor(row=row, animate=False)

    def fill(self) -> None:
        self.table.clear()
        for n, host in enumerate(self.hosts):
            info = host.state.info
            running, total = host.state.counts
            version = f"{info.product} {info.server_version}" if info else "-"
            connection = host.status or host.connection
            self.table.add_row(
                Text("▶" if n == self.shown else " ", style="bold"),
                safe_text(host.name, style="bold"),
                safe_text(host.label),
                safe_text(version),
                Text(f"{running}/{total}" if host.state.loaded else "-"),
                Text(str(len(host.state.problems)) if host.state.problems else "", style="bold red"),
                safe_text(connection + (" · read-only" if host.read_only else ""), style=CONNECTION_STYLE.get(host.connection, "italic")),
                key=f"engine-{n}",
            )
        for name, endpoint in self.contexts:
            self.table.add_row(Text(" "), safe_text(name, style="dim"), safe_text(endpoint, style="dim"), Text(""), Text(""), Text(""),
                               Text("context: enter opens it", style="dim italic"), key=f"context-{name}")

    def action_choose(self) -> None:
        row = self.table.cursor_row
        if row < len(self.hosts):
            self.dismiss(("engine", str(row)))
        elif row - len(self.hosts) < len(self.contexts):
            self.dismiss(("context", self.contexts[row - len(self.hosts)][0]))

    def on_data_table_row_selected(self) -> None:
        self.action_choose()

    def action_close(self) -> None:
        self.dismiss(None)
