"""Every action findable: the command palette lists the screen's commands with their keys (named
after the selection on the dashboard) and runs them as the keys do; `?` groups the keys in force,
the app's first and Textual's own last. Driven through Pilot against the real demo engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.command import Command, CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.config import Settings
from dockertui.ui.app import DockerTUI
from dockertui.ui.keys import TEXTUAL
from dockertui.ui.screens.help import HelpScreen
from dockertui.ui.screens.logview import LogsScreen
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.screens.pruneview import PruneScreen
from dockertui.ui.screens.resources import VolumesScreen
from textual.widgets import Input

from ..helpers import wait_loaded, wait_until

pytestmark = pytest.mark.engine


def app_for(engine: str, tmp_path: Path, settings: Settings | None = None) -> DockerTUI:
    return DockerTUI(resolve_endpoint(host=engine, env={}), cache_root=tmp_path, settings=settings)


def listed(app: DockerTUI) -> list[Command]:
    options = app.screen.query_one(CommandList)._options
    return [o for o in options if isinstance(o, Command)]


async def palette(pilot: Pilot, query: str, first: str) -> list[Command]:
    """Open the palette with `:`, type ``query``, wait until the best hit starts with ``first``."""
    app = pilot.app
    await pilot.press("colon")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
    if query:
        await pilot.press(*query)

    def found() -> bool:
        hits = listed(app)
        return bool(hits) and str(hits[0].hit.text).startswith(first)

    await wait_until(pilot, found, what=f"{first!r} first for {query!r}")
    await pilot.pause(0.3)  # the gathering ends: the list is complete
    return listed(app)


async def test_prune_vol_and_log_are_found_and_run_as_their_keys(demo_engine: str, tmp_path: Path) -> None:
    app = app_for(demo_engine, tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        hits = await palette(pilot, "prune", "Prune")
        assert hits[0].hit.text == "Prune…" and "Prune…  P" in hits[0].prompt.plain, "the name and its key"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PruneScreen), what="the prune preview")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="back on the dashboard")

        hits = await palette(pilot, "vol", "Volumes")
        assert "Volumes  V" in hits[0].prompt.plain
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VolumesScreen), what="the volumes view")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="back on the dashboard")

        screen = app.screen
        assert isinstance(screen, MainScreen)
        selected = screen.table.current
        assert selected is not None and screen.table.has_focus
        hits = await palette(pilot, "log", "Logs of")
        assert hits[0].hit.text == f"Logs of {selected.name}" and hits[0].prompt.plain.startswith(f"Logs of {selected.name}  l")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LogsScreen), what="the logs view")
        logs = app.screen
        assert isinstance(logs, LogsScreen) and logs.container.id == selected.id, "the logs of the container named"


async def test_the_image_tree_names_the_image_and_rebinding_shows(demo_engine: str, tmp_path: Path) -> None:
    app = app_for(demo_engine, tmp_path, Settings(keys={"only-this-image": "O"}))
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.table.has_focus, "the containers have focus at start"
        await pilot.press("shift+tab")
        assert screen.tree.has_focus
        assert screen.tree.select_image(next(i.id for i in screen.images.values() if "demo/web:latest" in i.tags))
        await pilot.pause(0.1)
        hits = await palette(pilot, "remove", "Remove image")
        assert hits[0].hit.text == "Remove image demo/web:latest"
        await pilot.press("escape")
        hits = await palette(pilot, "this image only", "This image only")
        assert hits[0].prompt.plain.startswith("This image only  O"), "the key of the config file, not o"


async def test_typing_nothing_lists_the_screens_commands_then_textuals(demo_engine: str, tmp_path: Path) -> None:
    app = app_for(demo_engine, tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.table.current is not None
        name = screen.table.current.name
        hits = await palette(pilot, "", "Prune…")  # Enter on the empty palette: a view opens, nothing stops
        texts = [str(h.hit.text) for h in hits]
        assert f"Start/stop {name}" in texts
        assert f"Shell in {name}" in texts and "Events" in texts and "Engines" in texts and "Switch theme" in texts
        textual = [n for n, h in enumerate(hits) if str(h.hit.help).startswith("Textual")]
        assert textual and min(textual) > texts.index("Switch theme"), "Textual's commands after the app's"
        assert "Theme" not in texts, "one theme command"


async def test_a_read_only_engine_lists_no_mutating_command(demo_engine: str, tmp_path: Path) -> None:
    app = app_for(demo_engine, tmp_path, Settings(read_only=True))
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.read_only
        mutating = {b.description for b in MainScreen.BINDINGS if b.action in MainScreen.MUTATING}  # type: ignore[union-attr]
        assert {"Start/stop", "Remove", "Shell", "Tag", "Pull"} <= mutating
        hits = await palette(pilot, "", "Prune…")
        helps = [str(h.hit.help) for h in hits]
        assert not [h for h in helps if h.partition(" · ")[2] in mutating], helps
        assert any(str(h.hit.text).startswith("Inspect ") for h in hits), "what only reads stays"


async def test_help_groups_the_apps_keys_first_and_textuals_last(demo_engine: str, tmp_path: Path) -> None:
    app = app_for(demo_engine, tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        groups = help_screen.groups
        assert groups[0] == "Container" and groups[-1] == TEXTUAL, groups
        assert {"Image", "Views", "Navigation", "General"} <= set(groups)
        nav = {row.description: row.keys for row in help_screen.rows if row.group == "Navigation"}
        assert "j" in nav["Down"] and "down" in nav["Down"] and "k" in nav["Up"], nav
        assert "g" in nav["First"] and "G" in nav["Last"] and nav["Focus Next"] == ["tab"] and nav["Filter"] == ["/"]
        textual = [row for row in help_screen.rows if row.group == TEXTUAL]
        assert textual and all(not row.binding_id for row in textual)
        assert help_screen.rows[-len(textual):] == textual, "Textual's keys last"
        box = help_screen.query_one("#help")
        await pilot.press("G")
        assert box.scroll_y == box.max_scroll_y > 0, "G: the end of the list"
        await pilot.press("k")
        assert box.scroll_y == box.max_scroll_y - 1
        await pilot.press("g")
        assert box.scroll_y == 0
        await pilot.press("escape")
        # another screen: its own keys, the same grouping
        await pilot.press("V")
        await wait_until(pilot, lambda: isinstance(app.screen, VolumesScreen), what="the volumes view")
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.groups[0] == "Volume or network" and help_screen.groups[-1] == TEXTUAL, help_screen.groups
        keys = {row.binding_id: row.keys for row in help_screen.rows}
        assert "j" in keys["list-down"] and "G" in keys["list-last"], "the keys every list shares"
        assert "Container" not in help_screen.groups, "only the keys in force"


async def test_keys_typed_right_after_the_colon_are_the_search(demo_engine: str, tmp_path: Path) -> None:
    """":log" typed in one go (as a terminal delivers it): the palette searches "log"; the dashboard
    gets none of the letters (l would open logs, o toggle "this image only")."""
    app = app_for(demo_engine, tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for key, character in (("colon", ":"), ("l", "l"), ("o", "o"), ("g", "g")):
            app.post_message(events.Key(key, character))  # no pause between them, as from the driver
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await wait_until(pilot, lambda: app.screen.query_one(CommandInput).value == "log", what="the search")
        assert screen.only_this is False and not any(isinstance(s, LogsScreen) for s in app.screen_stack)
        await pilot.press("colon")
        assert app.screen.query_one(CommandInput).value == "log:", "in the palette's own box, : is typed"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back on the dashboard")
        await pilot.press("slash", "a", "colon")  # a text box: : is a character there
        box = screen.query_one("#filter", Input)
        assert app.screen is screen and box.has_focus and box.value == "a:"


async def test_other_lists_name_their_selection_and_marks_count(demo_engine: str, tmp_path: Path, observer, run_label: str) -> None:  # noqa: ANN001
    from dockertui.ui.screens.compose import ComposeScreen

    volume = observer.volumes.create(f"findable-{run_label}", labels={"dockertui.test": run_label})
    app = app_for(demo_engine, tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.press("space", "j", "space")  # two containers marked: lifecycle keys act on both
        assert len(main.marks) == 2
        hits = await palette(pilot, "restart", "Restart")
        assert hits[0].hit.text == "Restart 2 marked containers"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main, what="back on the dashboard")
        await pilot.press("escape")  # marks cleared

        await pilot.press("V")
        await wait_until(pilot, lambda: isinstance(app.screen, VolumesScreen) and app.screen.current is not None, what="volumes")
        volumes = app.screen
        assert isinstance(volumes, VolumesScreen)
        for _ in range(len(volumes.rows)):
            if volumes.current.name == volume.name:
                break
            await pilot.press("j")
        assert volumes.current.name == volume.name
        hits = await palette(pilot, "remove", "Remove")
        assert hits[0].hit.text == f"Remove volume {volume.name}"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is volumes, what="back on the volumes")
        await pilot.press("escape")

        await wait_until(pilot, lambda: app.screen is main, what="back on the dashboard")
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen) and app.screen.selected() is not None,
                         what="the Compose projects")
        project = app.screen.selected()
        hits = await palette(pilot, "logs", "Logs of")
        assert hits[0].hit.text == f"Logs of {project.name}"
