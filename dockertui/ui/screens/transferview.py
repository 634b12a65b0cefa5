"""Pull (u), push (U), build (B), save (S), load (L): a form, then the engine's progress, one bar
per layer, repainted at most 10 times a second; escape cancels a running transfer."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.events import Mount
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from ...engine.client import Engine
from ...engine.errors import EngineError
from ...engine.registry import list_tags
from ...engine.transfer import build, load, pull, push, save
from ...model.fmt import human_size
from ...model.forms import FormError, parse_ref
from ...model.images import Image
from ...model.progress import Progress, apply
from ...model.refs import destination
from ..safe import safe_text
from .confirm import ConfirmScreen

REPAINT = 0.1
BAR = 30


def bar(fraction: float, width: int = BAR) -> str:
    filled = int(round(fraction * width))
    return "█" * filled + "░" * (width - filled)


class TransferScreen(Screen[None]):
    """The frame: fields, a start on enter, progress, a status line."""

    TITLE_TEXT = ""
    FIELDS: tuple[tuple[str, str], ...] = ()  # (key, label)
    READY = "enter / ctrl+s: start"  # what the keys do before the start (the status line)
    BINDINGS = [Binding("escape", "close", "Cancel / back", id="transfer-close"), Binding("ctrl+s", "start", "Start", id="transfer-start")]

    def __init__(self, engine: Engine, defaults: dict[str, str] | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.defaults = defaults or {}
        self.progress = Progress()
        self.state = "ready"  # ready | running | done | failed | cancelled
        self.result = ""
        self._dirty = False
        self._last = 0.0
        self._worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer"):
            for key, label in self.FIELDS:
                yield Label(label)
                yield Input(self.defaults.get(key, ""), id=f"field-{key}")
                yield Label("", id=f"error-{key}", classes="form-error")
            yield Static("", id="transfer-layers")
            with VerticalScroll(id="transfer-log-scroll"):
                yield Static("", id="transfer-log")
            yield Static(f"{self.READY} · esc: back", id="transfer-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#transfer").border_title = self.TITLE_TEXT
        if self.FIELDS:
            self.query_one(f"#field-{self.FIELDS[0][0]}", Input).focus()

    @property
    def values(self) -> dict[str, str]:
        return {k: self.query_one(f"#field-{k}", Input).value.strip() for k, _ in self.FIELDS}

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        if event.input.id == f"field-{self.FIELDS[-1][0]}":
            self.action_start()
        else:
            self.focus_next()

    def action_start(self) -> None:
        if self.state == "running":
            return
        for key, _ in self.FIELDS:
            self.query_one(f"#error-{key}", Label).update("")
        try:
            stream = self.stream(self.values)
        except FormError as exc:
            self.query_one(f"#error-{exc.field}", Label).update(exc.message)
            return
        self.progress, self.state, self.result = Progress(), "running", ""
        self._worker = self.follow(stream)

    def stream(self, values: dict[str, str]) -> AsyncIterator[Any]:
        raise NotImplementedError

    def on_message_seen(self, message: Any) -> None:
        self.progress = apply(self.progress, message)

    def finished(self) -> str:
        return "done"

    @work(exclusive=True, group="transfer")
    async def follow(self, stream: AsyncIterator[Any]) -> None:
        try:
            async for message in stream:
                self.on_message_seen(message)
                self._schedule()
        except EngineError as exc:
            self.state, self.result = "failed", exc.message
        else:
            if self.progress.error:
                self.state, self.result = "failed", self.progress.error
            else:
                self.state, self.result = "done", self.finished()
        self._paint()

    def _schedule(self) -> None:
        if not self._dirty:
            self._dirty = True
            self.set_timer(max(0.001, REPAINT - (time.monotonic() - self._last)), self._paint)

    def _paint(self) -> None:
        self._dirty = False
        self._last = time.monotonic()
        if not self.is_attached:
            return
        p = self.progress
        layers = Text()
        for layer in p.layers:
            size = f"{human_size(layer.current)}/{human_size(layer.total)}" if layer.total and not layer.done else ""
            layers.append(f"{layer.id}  ")
            layers.append(bar(layer.fraction, 20), style="green" if layer.done else "cyan")
            layers.append(f"  {layer.status} {size}\n")
        if p.layers:
            layers.append(f"overall {bar(p.fraction)} {p.fraction * 100:.0f}%", style="bold")
        self.query_one("#transfer-layers", Static).update(layers)
        self.query_one("#transfer-log", Static).update("\n".join(p.lines[-200:]))
        style = {"failed": "bold red", "done": "bold green", "cancelled": "yellow"}.get(self.state, "italic")
        status = {"running": "working… (esc cancels)", "ready": self.READY}.get(self.state, f"{self.state}: {self.result}")
        self.query_one("#transfer-status", Static).update(Text(status, style=style))

    def action_close(self) -> None:
        if self.state == "running" and self._worker is not None:
            self._worker.cancel()
            self.state, self.result = "cancelled", "stopped by you"
            self._paint()
            return
        self.app.pop_screen()


class PullScreen(TransferScreen):
    """The form also offers the tags the registry has for the repository typed (asked half a
    second after typing stops, with the stored credentials); enter on a tag fills the field."""

    TITLE_TEXT = "Pull an image"
    FIELDS = (("ref", "Image (repository:tag), e.g. 127.0.0.1:5000/team/app:1"),)
    TAGS_DELAY = 0.5

    def __init__(self, engine: Engine, default_ref: str = "") -> None:
        super().__init__(engine, {"ref": default_ref})
        self.tags: list[str] = []
        self.tags_for = ""  # the repository the list (or its error) is about
        self.tags_state = "idle"  # idle | asking | listed | failed
        self._tags_timer: Timer | None = None

    @on(Mount)
    def _add_tags_panel(self) -> None:
        self.query_one("#transfer").mount(Static("", id="pull-tags-status"), OptionList(id="pull-tags"), after="#error-ref")
        if self.defaults.get("ref"):
            self._schedule_tags()

    @on(Input.Changed, "#field-ref")
    def _ref_changed(self) -> None:
        self._schedule_tags()

    def _schedule_tags(self) -> None:
        if self._tags_timer is not None:
            self._tags_timer.stop()
        self._tags_timer = self.set_timer(self.TAGS_DELAY, self._look_up_tags)

    def _look_up_tags(self) -> None:
        try:
            repo, _ = parse_ref(self.query_one("#field-ref", Input).value, "ref")
        except FormError:
            return
        if repo != self.tags_for:
            self.tags_for = repo
            self.fetch_tags(repo)

    @work(exclusive=True, group="tags")
    async def fetch_tags(self, repo: str) -> None:
        status = self.query_one("#pull-tags-status", Static)
        options = self.query_one("#pull-tags", OptionList)
        self.tags_state = "asking"
        status.update(safe_text(f"asking the registry for the tags of {repo}…"))
        try:
            registry, repository, tags = await list_tags(repo, engine=self.engine)
        except EngineError as exc:
            self.tags, self.tags_state = [], "failed"
            options.clear_options()
            status.update(safe_text(exc.message))
            return
        self.tags, self.tags_state = tags, "listed"
        options.clear_options()
        options.add_options([Option(safe_text(tag), id=tag) for tag in tags])
        if tags:
            options.highlighted = 0
        status.update(safe_text(f"{len(tags)} tag(s) at {registry}/{repository}" + (": tab, then enter on one fills the field" if tags else "")))

    @on(OptionList.OptionSelected, "#pull-tags")
    def _tag_chosen(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one("#field-ref", Input)
        field.value = f"{self.tags_for}:{event.option.id}"
        field.focus()

    def stream(self, values: dict[str, str]) -> AsyncIterator[Any]:
        repo, tag = parse_ref(values["ref"], "ref")
        self.ref = f"{repo}:{tag}"
        return pull(self.engine, self.ref)

    def finished(self) -> str:
        return f"pulled {self.ref} {self.progress.digest}".strip()


class PushScreen(TransferScreen):
    """The full destination is shown as the tag is typed (``app:1`` goes to
    ``docker.io/library/app:1``), and the push starts only after a question that states it again;
    Docker Hub, public, is said loudly. Enter alone never pushes."""

    TITLE_TEXT = "Push an image"
    FIELDS = (("ref", "Tag to push (repository:tag)"),)
    READY = "enter / ctrl+s: asks, naming the destination, then pushes"

    def __init__(self, engine: Engine, image: Image) -> None:
        super().__init__(engine, {"ref": image.tags[0] if image.tags else ""})
        self.image = image

    @on(Mount)
    def _add_destination(self) -> None:
        self.query_one("#transfer").mount(Static("", id="push-destination"), after="#error-ref")
        self._show_destination()

    @on(Input.Changed, "#field-ref")
    def _show_destination(self) -> None:
        line = self.query_one("#push-destination", Static)
        try:
            where = destination(self.checked_ref(self.values))
        except FormError:
            line.update("")
            return
        text = Text("goes to ").append(where.full, style="bold")
        if where.public:
            text.append("  (Docker Hub: a public registry)", style="bold red")
        line.update(text)

    def checked_ref(self, values: dict[str, str]) -> str:
        repo, tag = parse_ref(values["ref"], "ref")
        ref = f"{repo}:{tag}"
        if self.image.tags and ref not in self.image.tags:
            raise FormError("ref", f"Not a tag of this image; its tags: {', '.join(self.image.tags)}. Tag it first (esc, then T on the tree).")
        return ref

    def action_start(self) -> None:
        """Ask first, stating the destination; the push starts on y."""
        if self.state == "running":
            return
        self.query_one("#error-ref", Label).update("")
        try:
            ref = self.checked_ref(self.values)
        except FormError as exc:
            self.query_one(f"#error-{exc.field}", Label).update(exc.message)
            return
        where = destination(ref)
        items = [f"image {self.image.title}  {self.image.id[7:19]}", f"destination {where.full}"]
        if where.public:
            title = f"PUBLIC REGISTRY: push {ref} to {where.full}?"
            items.append("docker.io is Docker Hub: unless the repository is private there, anyone can pull this image "
                         "and read every file in its layers, secrets included.")
        else:
            title = f"Push {ref} to {where.full}?"

        def confirmed(chosen: frozenset[str] | None) -> None:
            if chosen is not None:
                TransferScreen.action_start(self)

        self.app.push_screen(ConfirmScreen(title, items, yes=f"push to {where.registry}"), confirmed)

    def stream(self, values: dict[str, str]) -> AsyncIterator[Any]:
        self.ref = self.checked_ref(values)
        return push(self.engine, self.ref)

    def finished(self) -> str:
        return f"pushed {self.ref} {self.progress.digest}".strip()


class BuildScreen(TransferScreen):
    TITLE_TEXT = "Build an image from a folder with a Dockerfile (classic builder)"
    FIELDS = (("folder", "Folder"), ("tag", "Tag (repository:tag)"))
    READY = "enter on the tag / ctrl+s: start"

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, {"folder": str(Path.cwd())})

    def stream(self, values: dict[str, str]) -> AsyncIterator[Any]:
        folder = Path(values["folder"]).expanduser()
        if not (folder / "Dockerfile").is_file():
            raise FormError("folder", f"{folder} has no Dockerfile.")
        repo, tag = parse_ref(values["tag"], "tag")
        self.tag = f"{repo}:{tag}"
        return build(self.engine, folder, self.tag)

    def finished(self) -> str:
        return f"built {self.tag} ({self.progress.image_id})"


class SaveScreen(TransferScreen):
    TITLE_TEXT = "Save an image to a tar file"
    FIELDS = (("path", "File"),)

    def __init__(self, engine: Engine, image: Image) -> None:
        name = (image.tags[0] if image.tags else image.id[7:19]).replace("/", "_").replace(":", "_")
        super().__init__(engine, {"path": str(Path.cwd() / f"{name}.tar")})
        self.image = image
        self.bytes = 0

    def stream(self, values: dict[str, str]) -> AsyncIterator[Any]:
        path = Path(values["path"]).expanduser()
        if not path.parent.is_dir():
            raise FormError("path", f"{path.parent} is not a folder.")
        self.path = path
        return save(self.engine, self.image.tags[0] if self.image.tags else self.image.id, path)

    def on_message_seen(self, message: Any) -> None:
        self.bytes = int(message)
        self.progress = Progress(lines=(f"{human_size(self.bytes)} written to {self.path}",))

    def finished(self) -> str:
        return f"saved {human_size(self.bytes)} to {self.path} at {datetime.now():%H:%M:%S}"


class LoadScreen(TransferScreen):
    TITLE_TEXT = "Load images from a tar file"
    FIELDS = (("path", "File"),)

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)

    def stream(self, values: dict[str, str]) -> AsyncIterator[Any]:
        path = Path(values["path"]).expanduser()
        if not path.is_file():
            raise FormError("path", f"{path} is not a file.")
        return load(self.engine, path)

    def finished(self) -> str:
        loaded = [line for line in self.progress.lines if line.startswith("Loaded image")]
        return "; ".join(loaded) or "loaded"
