"""Every list of the views moves with the same keys (ui/widgets/lists.py): j/k, g/G, home/end."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Tree

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.keys import key_rows
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.widgets.lists import ListOptions, ListTable, ListTree

from ..helpers import wait_loaded, wait_until

pytestmark = pytest.mark.engine


def position(widget: Widget) -> tuple[int, int]:
    """(cursor, last index) of a list of any kind."""
    if isinstance(widget, DataTable):
        return widget.cursor_row, widget.row_count - 1
    if isinstance(widget, Tree):
        return widget.cursor_line, widget.last_line
    assert isinstance(widget, OptionList)
    return widget.highlighted if widget.highlighted is not None else -1, widget.option_count - 1


# the key on the dashboard, and the least rows the demo engine gives that list
VIEWS = [("exclamation_mark", 1), ("V", 0), ("N", 3), ("C", 3), ("H", 1), ("Y", 0), ("P", 5), ("i", 10)]


async def test_every_list_moves_with_the_same_keys(demo_engine: str, tmp_path: Path) -> None:
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        main.table.focus()
        moved = 0
        for key, least in VIEWS:
            await pilot.press(key)
            await wait_until(pilot, lambda: app.screen is not main and isinstance(app.focused, (ListTable, ListTree, ListOptions)), 10, f"the list of {key}")
            view, widget = app.screen, app.focused
            assert widget is not None
            await wait_until(pilot, lambda: position(widget)[1] + 1 >= least, 10, f"the rows of {key}")
            rows = {r.binding_id: (set(r.keys), r.group) for r in key_rows(app.active_bindings)}
            assert rows["list-down"] == ({"j", "down"}, "Navigation") and {"g", "home"} <= rows["list-first"][0], f"? shows them for {key}"
            assert {"G", "end"} <= rows["list-last"][0] and "k" in rows["list-up"][0], key
            last = position(widget)[1]
            if last >= 1:
                await pilot.press("G")
                assert position(widget)[0] == last, key
                await pilot.press("k")
                assert position(widget)[0] == last - 1, key
                await pilot.press("g")
                assert position(widget)[0] == 0, key
                await pilot.press("j")
                assert position(widget)[0] == 1, key
                await pilot.press("end")
                assert position(widget)[0] == last, key
                await pilot.press("home")
                assert position(widget)[0] == 0, key
                moved += 1
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, 5, f"back from {key}")
            assert view is not main
        assert moved >= 3, "the demo engine gives several lists of more than one row"
