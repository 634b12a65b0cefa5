"""``F`` on a container: what it changed in its writable layer (``docker diff``) as a tree, the
layer's size, a filter, and ``c`` to commit the container from here. One request for the
changes and one sized inspect: cheap enough for any container."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ...engine.client import Engine
from ...engine.errors import EngineError
from ...engine.layers import container_changes, writable_size
from ...model.containers import Container
from ...model.fmt import human_size, short_id
from ...model.forms import parse_ref
from ...model.layerviews import ChangesView
from ...model.text import one_line
from ..readonly import ReadOnlyRule
from ..widgets.filetree import FileTree


class ChangesScreen(ReadOnlyRule, Screen[None]):
    MUTATING = frozenset({"commit"})
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="changes-back"),
        Binding("slash", "filter", "Filter", id="changes-filter"),
        Binding("c", "commit", "Commit", id="changes-commit"),
        Binding("r", "reload", "Reload", id="changes-reload"),
    ]

    def __init__(self, engine: Engine, container: Container, image_ref: str, read_only: bool = False) -> None:
        super().__init__()
        self.engine = engine
        self.container = container
        self.image_ref = image_ref
        self.fixed_read_only = read_only
        self.changes: list[tuple[str, int]] | None = None
        self.rw_size: int | None = None
        self.filter_text = ""
        self.view: ChangesView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="changes"):
            yield Static("reading the changes…", id="changes-head")
            yield Input(placeholder="filter paths", id="changes-filter")
            yield FileTree(id="changes-files")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#changes").border_title = f"Changes: {one_line(self.container.name, 60)}"
        self.query_one(FileTree).focus()
        self.load()

    @work(exclusive=True, group="changes")
    async def load(self) -> None:
        try:
            self.changes = await container_changes(self.engine, self.container.id, self.container.name)
        except EngineError as exc:
            self.query_one("#changes-head", Static).update(Text(exc.message, style="red"))
            return
        self._show()
        try:
            self.rw_size = await writable_size(self.engine, self.container.id)
        except EngineError:
            self.rw_size = None
        self._head()

    def _show(self) -> None:
        self.view = ChangesView(self.changes or [], self.filter_text)
        files = self.query_one(FileTree)
        files.show(self.view, "no path matches" if self.filter_text else "the container changed nothing")
        files.open_all()
        self._head()

    def _head(self) -> None:
        c = self.container
        text = Text()
        text.append(one_line(c.name, 60), style="bold")
        text.append(f"  {short_id(c.id)}  on {one_line(self.image_ref, 60)}\n", style="dim")
        if self.view is not None:
            counts = self.view.counts
            text.append(f"+{counts['added']} added", style="green")
            text.append(f"  ~{counts['changed']} changed", style="yellow")
            text.append(f"  -{counts['deleted']} deleted", style="red")
        text.append("   writable layer: ", style="bold")
        text.append("measuring…" if self.rw_size is None else human_size(self.rw_size))
        if self.filter_text:
            text.append(f"   filter: {one_line(self.filter_text, 40)}", style="dim")
        self.query_one("#changes-head", Static).update(text)

    def action_back(self) -> None:
        box = self.query_one("#changes-filter", Input)
        if box.has_focus or self.filter_text:
            box.value = ""
            box.remove_class("shown")
            self.filter_text = ""
            self._show()
            self.query_one(FileTree).focus()
            return
        self.app.pop_screen()

    def action_filter(self) -> None:
        box = self.query_one("#changes-filter", Input)
        box.add_class("shown")
        box.focus()

    @on(Input.Submitted, "#changes-filter")
    def _filtered(self, event: Input.Submitted) -> None:
        self.filter_text = event.value.strip()
        self._show()
        self.query_one(FileTree).focus()

    def action_reload(self) -> None:
        self.rw_size = None
        self.load()

    def action_commit(self) -> None:
        if self.read_only:
            self.notify("Read-only mode: commit is disabled.", severity="warning")
            return
        from .forms import Field, FormScreen

        c = self.container
        repo = self.image_ref.rsplit(":", 1)[0] if self.image_ref and not self.image_ref.startswith("sha256:") else c.name.lower()

        async def submit(values: dict[str, str]) -> str:
            repo_, tag = parse_ref(values["ref"], "ref")
            image_id = await self.engine.commit(c.id, repo_, tag, comment=values["message"], author=values["author"])
            return f"Committed {c.name} as {repo_}:{tag} ({image_id[7:19]})."

        fields = [
            Field("ref", "New image (repository:tag)", f"{repo}:{c.name.lower()}-snapshot"),
            Field("message", "Message", placeholder="what changed"),
            Field("author", "Author", placeholder="Name <email>"),
        ]

        def said(message: str | None) -> None:
            if message:
                self.notify(message)

        self.app.push_screen(FormScreen(f"Commit container {c.name} into a new image", fields, submit, verb="commit"), said)
