"""When the engine can't be reached or the configuration is wrong: what, where, and the fix."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static


class ProblemScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "retry", "Retry", id="problem-retry"),
        Binding("q", "app.quit_with_error", "Quit", id="problem-quit-with-error"),
    ]

    def __init__(self, title: str, where: str, cause: str, fix: str, can_retry: bool = True) -> None:
        super().__init__()
        self._title, self._where, self._cause, self._fix = title, where, cause, fix
        self._can_retry = can_retry

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(f"{self._title}\n\n", style="bold red")
        text.append("Endpoint  ", style="bold")
        text.append(f"{self._where}\n\n")
        text.append("Cause     ", style="bold")
        text.append(f"{self._cause}\n\n")
        text.append("Fix       ", style="bold")
        text.append(f"{self._fix}\n\n")
        text.append("r retry · q quit" if self._can_retry else "q quit", style="dim")
        with Middle(), Center():
            yield Static(text, id="problem")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self._can_retry
        return True

    def action_retry(self) -> None:
        self.dismiss(None)
