"""``y``: copy something about the selected container or image to the local clipboard, with the
terminal's OSC 52 sequence (Textual's ``copy_to_clipboard``). It reaches the clipboard of the
machine the terminal runs on, through SSH, and through tmux when tmux lets it
(``set -g set-clipboard on``)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...engine.client import Engine
from ...engine.errors import EngineError
from ...engine.netinfo import addresses
from ...model.containers import Container
from ...model.images import Image
from ...model.text import one_line
from ..safe import safe_text


def copy_text(app: object, text: str, what: str) -> None:
    """Put ``text`` on the clipboard and say what was copied (shortened, made safe)."""
    app.copy_to_clipboard(text)  # type: ignore[attr-defined]
    shown = one_line(text)
    if cell_len(shown) > 40:
        shown = shown[:20] + "…" + shown[-12:]
    app.notify(f"Copied {what}: {shown}", timeout=3, markup=False)  # type: ignore[attr-defined]


class CopyMenu(ModalScreen[None]):
    """A small menu: the first entry (the ID, or the image's reference) is ready for enter."""

    BINDINGS = [Binding("escape,q", "dismiss_menu", "Close", id="copy-close")]

    def __init__(self, engine: Engine, *, container: Container | None = None, image: Image | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.container = container
        self.image = image

    def choices(self) -> list[tuple[str, str, str]]:
        """(key, label, value); the value "" is looked up when chosen (the IP)."""
        if self.container is not None:
            c = self.container
            return [("id", f"ID      {c.id[:12]}…", c.id), ("name", f"name    {one_line(c.name)}", c.name),
                    ("image", f"image   {one_line(c.image)}", c.image), ("ip", "IP address", "")]
        assert self.image is not None
        i = self.image
        out = [("ref", f"reference  {one_line(i.name)}", i.name)] if i.named else []
        out += [("id", f"ID         {i.id[7:19]}…", i.id)]
        out += [(f"tag{n}", f"tag        {one_line(t)}", t) for n, t in enumerate(i.tags[1:], 1)]
        out += [("digest", f"digest     {one_line(d)[:60]}", d) for d in i.digests[:1]]
        return out

    def compose(self) -> ComposeResult:
        subject = f"container {self.container.name}" if self.container else f"image {self.image.name if self.image else ''}"
        with Vertical(id="copy-menu"):
            yield Static(safe_text(f"Copy from {subject}", style="bold"), id="copy-title")
            yield OptionList(*(Option(safe_text(label), id=key) for key, label, _ in self.choices()), id="copy-options")
            yield Static(Text.from_markup("[b]enter[/b] copy   [b]esc[/b] close"), id="copy-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id or ""
        for k, label, value in self.choices():
            if k != key:
                continue
            if key == "ip":
                self._copy_ip()
                return
            copy_text(self.app, value, f"the {label.split()[0]} of {self._subject()}")
            self.dismiss(None)

    def _subject(self) -> str:
        return one_line(self.container.name if self.container else (self.image.name if self.image else ""))

    @work(exclusive=True, group="copy-ip")
    async def _copy_ip(self) -> None:
        assert self.container is not None
        try:
            found = await addresses(self.engine, self.container.id)
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        if not found:
            self.notify(f"{self._subject()} has no IP address (no network gave it one: host, none, or an engine without a bridge).",
                        severity="warning", timeout=5, markup=False)
            self.dismiss(None)
            return
        network, ip = found[0]
        copy_text(self.app, ip, f"the IP of {self._subject()} on {one_line(network)}")
        self.dismiss(None)

    def action_dismiss_menu(self) -> None:
        self.dismiss(None)
