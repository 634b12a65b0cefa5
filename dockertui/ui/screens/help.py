"""`?`: the keys in force on the screen below (after the config file's rebindings)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Close", id="help-pop-screen")]

    def __init__(self, rows: list[tuple[str, str, str]], config_path: str) -> None:
        """``rows``: (keys, what it does, binding id) in the order the screen declares them."""
        super().__init__()
        self.rows = rows
        self.config_path = config_path

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column("keys", style="bold yellow", no_wrap=True)
        table.add_column("what it does")
        table.add_column("id (for \\[keys])", style="dim")
        for keys, description, binding_id in self.rows:
            table.add_row(keys, description, binding_id)
        with VerticalScroll(id="help"):
            yield Static(Text("Keys in force", style="bold"))
            yield Static(table)
            yield Static(Text(f"\nRebind them in {self.config_path}, e.g.\n[keys]\nlogs = \"l,L\"", style="dim"))


def display_key(key: str) -> str:
    names = {"question_mark": "?", "exclamation_mark": "!", "percent_sign": "%", "slash": "/", "colon": ":", "space": "space"}
    return names.get(key, key)


def binding_rows(active: dict[str, object]) -> list[tuple[str, str, str]]:
    """Group the active bindings by action: one row per action with all its keys."""
    by_action: dict[tuple[str, str], list[str]] = {}
    ids: dict[tuple[str, str], str] = {}
    for key, active_binding in active.items():
        binding = getattr(active_binding, "binding")
        if not binding.description or binding.system:
            continue
        slot = (binding.action, binding.description)
        by_action.setdefault(slot, []).append(display_key(key))
        ids[slot] = binding.id or ""
    return [(", ".join(keys), description, ids[(action, description)]) for (action, description), keys in by_action.items()]
