"""The lists of the views, one set of keys for all: `j`/`k` down/up, `g`/`home` first,
`G`/`end` last, beside the arrows and page keys Textual gives each. The binding ids are shared
(`list-down`...), so one line of the config file's [keys] rebinds them in every list, and `?`
shows them under Navigation."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable, OptionList, Tree


def list_keys(first: str, last: str) -> list[BindingType]:
    """The shared keys, bound to the widget's own actions for first and last."""
    return [
        Binding("j", "cursor_down", show=False, id="list-down"),
        Binding("k", "cursor_up", show=False, id="list-up"),
        Binding("g,home", first, show=False, id="list-first"),
        Binding("G,end", last, show=False, id="list-last"),
    ]


class ListTable(DataTable[Any]):
    """A DataTable of rows: `home`/`end` go to the first/last row (not the first/last column)."""

    BINDINGS: ClassVar[list[BindingType]] = list_keys("scroll_top", "scroll_bottom")


class ListTree(Tree[Any]):
    BINDINGS: ClassVar[list[BindingType]] = list_keys("first", "last")

    def action_first(self) -> None:
        self.cursor_line = 0

    def action_last(self) -> None:
        self.cursor_line = self.last_line


class ListOptions(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = list_keys("first", "last")
