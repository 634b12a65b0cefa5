"""Ask before anything destructive, and show exactly what it will touch."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.footer import Footer


class ConfirmScreen(ModalScreen[frozenset[str] | None]):
    """``y`` confirms (the result is the set of options switched on), ``n``/escape cancels (None).
    Options are ``(key, label, default)``; their key toggles them. ``yes`` says what ``y`` does;
    ``yes=None`` when nothing can be done (the title says why): only escape, which closes."""

    BINDINGS = [
        Binding("y", "confirm", "Yes", id="confirm-confirm"),
        Binding("n,escape", "cancel", "No", id="confirm-cancel"),
    ]

    def __init__(self, title: str, items: list[str], options: tuple[tuple[str, str, bool], ...] = (),
                 yes: str | None = "yes") -> None:
        super().__init__()
        self.yes = yes
        self.title_text = title
        self.items = items
        self.options = options
        self.enabled = {key for key, _, default in options if default}

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.title_text, style="bold"), id="confirm-title")
            with VerticalScroll(id="confirm-items"):
                yield Static(Text("\n".join(f"  • {item}" for item in self.items)))
            yield Static(self._options_text(), id="confirm-options")
            keys = Text()
            if self.yes is None:
                keys.append("esc", style="bold").append(" close")
            else:
                keys.append("y", style="bold").append(f" {self.yes}   ").append("n", style="bold").append(" / ")
                keys.append("esc", style="bold").append(" no")
            yield Static(keys, id="confirm-keys")
        yield Footer()  # the answers stay on screen however long the list (it scrolls)

    def _options_text(self) -> Text:
        text = Text()
        for key, label, _ in self.options:
            mark = "[x]" if key in self.enabled else "[ ]"
            text.append(f"{mark} {label} ({key})\n")
        return text

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        if any(key == k for k, _, _ in self.options):
            self.enabled ^= {key}
            self.query_one("#confirm-options", Static).update(self._options_text())
            getattr(event, "stop")()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.yes is not None if action == "confirm" else True

    def action_confirm(self) -> None:
        if self.yes is not None:
            self.dismiss(frozenset(self.enabled))

    def action_cancel(self) -> None:
        self.dismiss(None)
