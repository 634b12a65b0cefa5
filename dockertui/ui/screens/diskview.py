"""`f`: disk usage as the engine counts it (``/system/df``), computed in the background; escape
cancels it (it can take a minute on a big host)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...engine.client import Engine
from ...engine.errors import EngineError
from ...engine.pruning import disk_usage
from ...model.fmt import human_size
from ...model.pruneplan import UsageRow, disk_summary


class DiskUsageScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "Back (cancels)", id="disk-usage-close"),
        Binding("r,f5", "reload", "Again", id="disk-usage-reload"),
        Binding("P", "prune", "Prune preview", id="disk-usage-prune"),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.rows: list[UsageRow] = []

    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable(cursor_type="none", id="df-table")
        yield table
        yield Static("", id="df-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#df-table", DataTable)
        for label in ("Type", "Total", "Active", "Size", "Reclaimable"):
            table.add_column(label, key=label)
        table.border_title = "Disk usage"
        self.action_reload()

    def action_reload(self) -> None:
        self.query_one("#df-table", DataTable).loading = True
        self.query_one("#df-status", Static).update("computing… (esc cancels and goes back)")
        self.measure()

    @work(exclusive=True, group="df")
    async def measure(self) -> None:
        table = self.query_one("#df-table", DataTable)
        try:
            df = await disk_usage(self.engine)
        except EngineError as exc:
            table.loading = False
            self.query_one("#df-status", Static).update(Text(exc.message, style="bold red"))
            return
        self.rows = disk_summary(df)
        table.loading = False
        table.clear()
        for row in self.rows:
            share = f" ({100 * row.reclaimable / row.size:.0f}%)" if row.size else ""
            table.add_row(row.kind, str(row.total), str(row.active), human_size(row.size), human_size(row.reclaimable) + share)
        self.query_one("#df-status", Static).update("P previews a prune of the reclaimable part.")

    def action_prune(self) -> None:
        """The hint says P previews a prune: so it does, from here too."""
        from .pruneview import PruneScreen

        self.app.push_screen(PruneScreen(self.engine))

    def action_close(self) -> None:
        self.workers.cancel_group(self, "df")
        self.app.pop_screen()
