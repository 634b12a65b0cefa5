"""``F``: an image's layers, file by file, and where the space goes; or a container's changes.

The image is read from the engine as one stream (``engine/layers.py``): the layers table fills
in as each layer's tar ends, with progress; the selected layer's files show as a tree (added,
changed, deleted); ``m`` switches to the whole filesystem as it stands after that layer. The
waste panel shows dive's figures once the last layer is in. Escape closes the screen, which
cancels the read and closes the request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ...engine.client import Engine
from ...engine.errors import EngineError
from ...engine.layers import prepare, read_layers
from ...model.fmt import human_size, short_id
from ...model.layerreport import layer_owners
from ...model.layers import ImageLayers, Waste
from ...model.layerviews import LayerView, MergedView
from ...model.text import one_line
from ..safe import safe_text
from ..widgets.filetree import FileTree
from ..widgets.lists import ListTable

if TYPE_CHECKING:
    from ...model.forest import Forest

ASK_OVER_SSH = 20_000_000  # bytes: reading more than this over ssh:// asks first
REPAINT = 0.1  # progress repainted at most 10 times a second


def ssh_question(host: str, size: int) -> str | None:
    """The question to ask before reading ``size`` bytes from an ``ssh://`` engine, or None."""
    if host.startswith("ssh://") and size > ASK_OVER_SSH:
        return f"Reading the layers streams the whole image: about {human_size(size)} over ssh from {host}."
    return None


class LayersScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="layers-back"),
        Binding("m", "merged", "Whole filesystem", id="layers-merged"),
        Binding("slash", "filter", "Filter", id="layers-filter"),
        Binding("tab", "switch", "Layers/files", show=False, id="layers-switch"),
    ]

    def __init__(self, engine: Engine, forest: Forest, image_id: str) -> None:
        super().__init__()
        self.engine = engine
        self.image_id = image_id
        self.image_title = forest.images[image_id].title if image_id in forest.images else short_id(image_id)
        chain = [(forest.images[i].name, forest.images[i].layers) for i in forest.chain(image_id) if i in forest.images]
        self.owners = layer_owners(chain)
        self.image: ImageLayers | None = None
        self.waste: Waste | None = None
        self.current_layer = -1
        self.merged = False
        self.filter_text = ""
        self.status = "asking the engine…"
        self.bytes_read = self.total = 0
        self._last_paint = 0.0
        self._shown_ready = False

    def compose(self) -> ComposeResult:
        with Vertical(id="layers"):
            yield Static("", id="layers-head")
            with Horizontal(id="layers-panes"):
                table: DataTable[Text] = ListTable(id="layers-table", cursor_type="row")
                table.auto_links = False
                yield table
                with Vertical(id="layers-right"):
                    yield Input(placeholder="filter paths", id="layers-filter")
                    yield FileTree(id="layers-files")
            yield Static("", id="layers-waste")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#layers").border_title = f"Layers: {one_line(self.image_title, 80)}"
        table = self.query_one("#layers-table", DataTable)
        for key, label in (("n", "#"), ("size", "size"), ("files", "files"), ("from", "from"), ("cmd", "command")):
            table.add_column(label, key=key)
        table.focus()
        self._head()
        self.start()

    # -- reading ------------------------------------------------------------------------------

    @work(exclusive=True, group="layers-prepare")
    async def start(self) -> None:
        try:
            image, total = await prepare(self.engine, self.image_id)
        except EngineError as exc:
            self._failed(exc)
            return
        self.image, self.total = image, total
        table = self.query_one("#layers-table", DataTable)
        for info in image.layers:
            table.add_row(Text(str(info.index)), Text("…", style="dim"), Text(""), safe_text(self._owner(info.index), "dim"),
                          safe_text(one_line(info.created_by, 200)), key=str(info.index))
        question = ssh_question(self.engine.endpoint.host, total)
        if question is None:
            self.read()
            return
        from .confirm import ConfirmScreen

        def answered(chosen: frozenset[str] | None) -> None:
            if chosen is None:
                self.status = "not read (cancelled)"
                self._head()
            else:
                self.read()

        self.app.push_screen(ConfirmScreen("Read this image's layers?", [question, "Only tar headers are kept; nothing is written to disk."]), answered)

    @work(exclusive=True, group="layers-read")
    async def read(self) -> None:
        import time

        assert self.image is not None
        image = self.image
        self.status = "reading"
        try:
            async for step in read_layers(self.engine, self.image_id, image, self.total):
                self.bytes_read = step.bytes_read
                for k in step.placed:
                    self._layer_in(k)
                now = time.monotonic()
                if step.done or now - self._last_paint >= REPAINT:
                    self._last_paint = now
                    self._head()
        except EngineError as exc:
            self._failed(exc)
            return
        self.status = "done"
        table = self.query_one("#layers-table", DataTable)
        for info in image.layers:  # the archive's config names each layer's command exactly
            table.update_cell(str(info.index), "cmd", safe_text(one_line(info.created_by, 200)), update_width=True)
        self.waste = image.waste()
        self._head()
        self._show_waste()

    def _owner(self, k: int) -> str:
        return self.owners[k] if k < len(self.owners) else ""

    def _layer_in(self, k: int) -> None:
        assert self.image is not None
        info = self.image.layers[k]
        table = self.query_one("#layers-table", DataTable)
        table.update_cell(str(k), "size", Text(human_size(info.size)), update_width=True)
        table.update_cell(str(k), "files", Text(f"{info.files:,}"), update_width=True)
        if self.current_layer < 0 and self.image.ready(k):
            self._select(table.cursor_row if table.cursor_row >= 0 else 0)
        elif self.current_layer >= 0 and not self._shown_ready and self.image.ready(self.current_layer):
            self._select(self.current_layer)

    def _failed(self, exc: EngineError) -> None:
        self.status = f"failed: {exc.message}"
        self._head()
        self.notify(exc.message, severity="error", timeout=8)

    # -- what is shown ------------------------------------------------------------------------

    def _select(self, k: int) -> None:
        if self.image is None or not 0 <= k < len(self.image):
            return
        self.current_layer = k
        files = self.query_one(FileTree)
        if not self.image.ready(k):
            self._shown_ready = False
            files.show(None, f"layer {k} not read yet…")
            return
        self._shown_ready = True
        info = self.image.layers[k]
        if info.error:
            files.show(None, f"layer {k} could not be read: {info.error}")
            return
        if self.merged:
            files.show(MergedView(self.image, k), "empty filesystem")
        else:
            view = LayerView(self.image, k, self.filter_text)
            files.show(view, "no files match" if self.filter_text else "this layer changes no file")
            files.open_all()
        right = self.query_one("#layers-right")
        what = "whole filesystem after" if self.merged else "files of"
        right.border_title = f"{what} layer {k}" + (f"  filter: {self.filter_text}" if self.filter_text and not self.merged else "")
        deleted = self.image.deleted(k)
        right.border_subtitle = f"deletes {len(deleted)}" if deleted else ""

    @on(DataTable.RowHighlighted, "#layers-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row != self.current_layer:
            self._select(event.cursor_row)

    def _head(self) -> None:
        head = Text()
        head.append(one_line(self.image_title, 80), style="bold")
        head.append(f"  {short_id(self.image_id)}  ", style="dim")
        if self.image is not None:
            loaded = sum(1 for i in self.image.layers if i.loaded)
            head.append(f"{loaded}/{len(self.image)} layers read")
            if self.total:
                head.append(f"  {human_size(self.bytes_read)} read (image ~{human_size(self.total)})", style="dim")
            head.append(f"  {self.image.nodes:,} paths", style="dim")
        head.append(f"  {self.status}", style="red" if self.status.startswith("failed") else "dim")
        self.query_one("#layers-head", Static).update(head)

    def _show_waste(self) -> None:
        w = self.waste
        if w is None:
            return
        text = Text()
        text.append("efficiency ", style="bold")
        text.append(f"{w.efficiency * 100:.2f} %", style="green" if w.efficiency >= 0.95 else "yellow")
        text.append("   wasted ", style="bold")
        text.append(f"{human_size(w.wasted)}", style="red" if w.wasted else "")
        text.append(f" ({w.wasted:,} B, {w.wasted_user_percent * 100:.1f} % of what the layers above the base add)", style="dim")
        text.append("   hidden by later layers ", style="bold")
        text.append(human_size(w.hidden))
        for path, size, count in w.inefficiencies[:6]:
            text.append(f"\n  {human_size(size):>8}  in {count} layers  ", style="dim")
            text.append_text(safe_text(one_line(path, 200)))
        self.query_one("#layers-waste", Static).update(text)

    # -- keys ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        box = self.query_one("#layers-filter", Input)
        if box.has_focus or self.filter_text:
            box.value = ""
            box.remove_class("shown")
            self.filter_text = ""
            self._select(self.current_layer)
            self.query_one(FileTree).focus()
            return
        self.app.pop_screen()

    def action_merged(self) -> None:
        self.merged = not self.merged
        self._select(self.current_layer)

    def action_filter(self) -> None:
        box = self.query_one("#layers-filter", Input)
        box.add_class("shown")
        box.focus()

    @on(Input.Submitted, "#layers-filter")
    def _filtered(self, event: Input.Submitted) -> None:
        self.filter_text = event.value.strip()
        if self.merged and self.filter_text:
            self.merged = False
        self._select(self.current_layer)
        self.query_one(FileTree).focus()

    def action_switch(self) -> None:
        files = self.query_one(FileTree)
        if files.has_focus:
            self.query_one("#layers-table").focus()
        else:
            files.focus()
