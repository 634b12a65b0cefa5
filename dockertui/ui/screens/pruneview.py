"""`P`: what a prune would remove, exactly, item by item with sizes; toggle categories and items;
confirm; then a report of what went, what was skipped (changed since the preview) and why."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...engine.client import Engine
from ...engine.errors import EngineError
from ...engine.pruning import execute, gather_plan
from ...model.fmt import human_size
from ...model.pruneplan import CATEGORIES, PruneItem, PrunePlan, PruneReport
from .confirm import ConfirmScreen
from ..readonly import ReadOnlyRule
from ..widgets.lists import ListTable


class PruneScreen(ReadOnlyRule, Screen[None]):
    """Read-only engines get the preview without the key that prunes."""

    MUTATING = frozenset({"confirm"})
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="prune-pop-screen"),
        Binding("space", "toggle", "Toggle", id="prune-toggle"),
        Binding("enter,y", "confirm", "Prune…", id="prune-confirm"),
        Binding("r,f5", "reload", "New preview", id="prune-reload"),
    ]

    def __init__(self, engine: Engine, only_label: str | None = None, read_only: bool | None = None) -> None:
        """``only_label`` ("key=value") narrows the preview to objects carrying that label;
        ``read_only``: the engine's (else the app's setting)."""
        super().__init__()
        self.fixed_read_only = read_only
        self.engine = engine
        self.only_label = only_label
        self.plan: PrunePlan | None = None
        self.report: PruneReport | None = None
        self.busy = False
        self._rows: list[str] = []  # row keys: "cat:<category>" or "item:<id>"

    def compose(self) -> ComposeResult:
        table: DataTable[Text | str] = ListTable(cursor_type="row", id="prune-table")
        table.auto_links = False
        yield table
        yield Static("", id="prune-summary")
        yield Footer()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#prune-table", DataTable)

    def on_mount(self) -> None:
        for label in ("", "What", "Size", "Detail"):
            self.table.add_column(label, key=label or "mark")
        self.table.border_title = "Prune: exactly these items (space toggles, enter prunes)"
        self.action_reload()

    def action_reload(self) -> None:
        if not self.busy:
            self.table.loading = True
            self.preview()

    @work(exclusive=True, group="preview")
    async def preview(self) -> None:
        try:
            plan = await gather_plan(self.engine, self.only_label)
        except EngineError as exc:
            self.table.loading = False
            self._summary(Text(exc.message, style="bold red"))
            return
        self.table.loading = False
        self.plan = plan
        self._fill()

    def _fill(self) -> None:
        plan = self.plan
        if plan is None:
            return
        keep = self._rows[self.table.cursor_row] if self._rows and 0 <= self.table.cursor_row < len(self._rows) else None
        self.table.clear()
        self._rows = []
        for key, title, _ in CATEGORIES:
            items = plan.in_category(key)
            on = key in plan.enabled
            size = sum(i.size for i in items if i.id not in plan.excluded)
            style = "bold red" if key == "volumes" and on else "bold"
            self.table.add_row(Text("[x]" if on else "[ ]", style=style), Text(f"{title} ({len(items)})", style=style),
                               human_size(size) if items else "", Text("off by default" if key in ("images", "volumes") else "", style="dim"),
                               key=f"cat:{key}")
            self._rows.append(f"cat:{key}")
            for item in items:
                chosen = on and item.id not in plan.excluded
                self.table.add_row(Text("  [x]" if chosen else "  [ ]", style="" if on else "dim"), Text(f"  {item.name}", style="" if on else "dim"),
                                   human_size(item.size), item.detail, key=f"item:{item.id}")
                self._rows.append(f"item:{item.id}")
        if keep in self._rows:
            self.table.move_cursor(row=self._rows.index(keep), animate=False)
        self._summary()

    def _summary(self, extra: Text | None = None) -> None:
        text = Text()
        if self.plan is not None:
            chosen = self.plan.chosen()
            text.append(f"Will remove {len(chosen)} item(s), reclaiming about {human_size(self.plan.total())}.", style="bold")
            if "volumes" in self.plan.enabled and self.plan.in_category("volumes"):
                text.append("\nVolumes are ON: the data in them will be lost.", style="bold red")
            if self.read_only:
                text.append("\nRead-only mode: this is a preview only.", style="yellow")
        if self.report is not None:
            r = self.report
            text.append(f"\nLast prune: removed {len(r.removed)}, reclaimed {human_size(r.reclaimed)}")
            text.append(f"; skipped {len(r.skipped)}; failed {len(r.failed)}.")
            for item, reason in (*r.skipped, *r.failed):
                text.append(f"\n  {item.name}: {reason}", style="yellow")
        if extra is not None:
            text.append("\n")
            text.append_text(extra)
        self.query_one("#prune-summary", Static).update(text)

    @on(DataTable.RowSelected, "#prune-table")
    def _enter(self) -> None:
        self.action_confirm()

    def action_toggle(self) -> None:
        if self.plan is None or not self._rows or self.busy:
            return
        key = self._rows[self.table.cursor_row]
        kind, _, value = key.partition(":")
        self.plan = self.plan.toggle_category(value) if kind == "cat" else self.plan.toggle_item(value)
        self._fill()

    def action_confirm(self) -> None:
        if self.plan is None or self.busy:
            return
        if self.read_only:
            self.notify("Read-only mode: prune is disabled (this is a preview).", severity="warning")
            return
        chosen = self.plan.chosen()
        if not chosen:
            self.notify("Nothing is chosen.", severity="warning")
            return
        lines = [f"{item.category}: {item.name}  {human_size(item.size)}" for item in chosen]
        title = f"Remove these {len(chosen)} item(s), about {human_size(self.plan.total())}? Anything that changed since the preview is skipped."

        def answered(ok: frozenset[str] | None) -> None:
            if ok is not None:
                self.prune(chosen)

        self.app.push_screen(ConfirmScreen(title, lines), answered)

    @work(exclusive=True, group="prune")
    async def prune(self, chosen: list[PruneItem]) -> None:
        self.busy = True

        def progress(n: int, total: int, item: PruneItem) -> None:
            self._summary(Text(f"removing {n}/{total}: {item.name}…", style="italic"))

        try:
            self.report = await execute(self.engine, chosen, progress)
        except EngineError as exc:
            self._summary(Text(exc.message, style="bold red"))
            return
        finally:
            self.busy = False
        r = self.report
        self.notify(f"Pruned {len(r.removed)} item(s), reclaimed {human_size(r.reclaimed)}"
                    + (f"; {len(r.skipped)} skipped" if r.skipped else "") + ".", timeout=6)
        self.action_reload()
