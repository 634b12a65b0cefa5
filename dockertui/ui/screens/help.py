"""`?`: the keys in force on the screen below (after the config file's rebindings), grouped by what
they act on (``ui/keys.py``); the app's groups first, Textual's own keys last."""

from __future__ import annotations

from itertools import groupby

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import TEXTUAL, KeyRow


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "app.pop_screen", "Close", id="help-pop-screen"),
        Binding("j", "move('down')", show=False, id="help-down"),
        Binding("k", "move('up')", show=False, id="help-up"),
        Binding("g", "move('home')", show=False, id="help-first"),
        Binding("G", "move('end')", show=False, id="help-last"),
    ]

    def __init__(self, rows: list[KeyRow], config_path: str) -> None:
        """``rows``: the screen's active keys (``keys.key_rows``), already in group order."""
        super().__init__()
        self.rows = rows
        self.config_path = config_path

    @property
    def groups(self) -> list[str]:
        """The groups shown, in order."""
        return list(dict.fromkeys(row.group for row in self.rows))

    def action_move(self, where: str) -> None:
        """j/k/g/G scroll the list, as the arrows and home/end do."""
        box = self.query_one("#help", VerticalScroll)
        {"down": box.scroll_down, "up": box.scroll_up, "home": box.scroll_home, "end": box.scroll_end}[where](animate=False)

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column("keys", style="bold yellow", no_wrap=True)
        table.add_column("what it does")
        table.add_column("id (for \\[keys])", style="dim")
        for n, (group, rows) in enumerate(groupby(self.rows, key=lambda r: r.group)):
            title = "Textual (built in)" if group == TEXTUAL else group
            table.add_row(Text(("\n" if n else "") + title, style="bold underline"), "", "")
            for row in rows:
                # descriptions are the app's own words, never engine text: still plain Text, no markup
                table.add_row(Text(row.key_text), Text(row.description), Text(row.binding_id))
        with VerticalScroll(id="help"):
            yield Static(Text("Keys in force", style="bold"))
            yield Static(table)
            yield Static(Text(f"\nRebind them in {self.config_path}, e.g.\n[keys]\nlogs = \"l,L\"", style="dim"))
