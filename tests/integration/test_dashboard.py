"""The app on the private engine: it connects, says which engine, and lists the demo containers."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.screens.problem import ProblemScreen

from ..helpers import plain, wait_loaded, wait_until

pytestmark = pytest.mark.engine


def demo_names(observer: docker.DockerClient) -> set[str]:
    return {c.name for c in observer.containers.list(all=True, filters={"label": "dockertui.demo=1"})}


async def test_dashboard_shows_the_demo_containers(demo_engine: str, observer: docker.DockerClient, cache_dir: Path) -> None:
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=cache_dir)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        shown = {c.name for c in screen.table.containers.values()}
        expected = demo_names(observer)
        assert len(expected) >= 9
        assert expected <= shown
        # the header names the engine as the observer sees it
        bar = str(screen.bar.render())
        version = observer.version()
        assert demo_engine in bar
        assert version["Version"] in bar and version["ApiVersion"] in bar
        assert f"{version['Os']}/{version['Arch']}" in bar
        running = len(observer.containers.list(filters={"status": "running"}))
        assert f"● {running}/{len(observer.containers.list(all=True))} containers" in bar
        # the demo family is a tree: web:v2 under web under base
        forest = screen.forest
        by_tag = {t: i for i, im in forest.images.items() for t in im.tags}
        assert forest.parent[by_tag["demo/web:v2"]] == by_tag["demo/web:latest"]
        assert forest.parent[by_tag["demo/web:latest"]] == by_tag["demo/base:latest"]
        assert forest.parent[by_tag["demo/worker:snapshot"]] == by_tag["demo/worker:latest"]
        assert forest.parent[by_tag["demo/worker:debug"]] == by_tag["demo/base:latest"]
        assert forest.dangling, "the seed's dangling image is grouped apart"


async def test_selecting_an_image_lists_its_family_containers(demo_engine: str, cache_dir: Path) -> None:
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=cache_dir)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        by_tag = {t: i for i, im in screen.forest.images.items() for t in im.tags}
        # move the cursor with keys, as a person would: to the tree, down from the root to demo/web:latest
        await pilot.press("shift+tab", "down", "down")
        await wait_until(pilot, lambda: screen.tree.selected == by_tag["demo/web:latest"], what="cursor on demo/web")
        names = {c.name for c in screen.table.containers.values()}
        assert {"demo-web", "shop-api-1"} <= names  # shop-api-1 runs demo/web:v2, a child
        assert "shop-worker-1" not in names
        await pilot.press("o")  # this image only
        await wait_until(pilot, lambda: "shop-api-1" not in {c.name for c in screen.table.containers.values()}, what="only-this")
        assert {c.name for c in screen.table.containers.values()} >= {"demo-web"}
        # details show the image's history with the layers it adds marked
        await wait_until(pilot, lambda: "demo/web:latest" in plain(screen.query_one("#details")), what="details")


async def test_unreachable_engine_screen_and_retry(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent.sock"
    app = DockerTUI(resolve_endpoint(host=f"unix://{missing}", env={}), use_disk_cache=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemScreen), what="problem screen")
        text = plain(app.screen.query_one("#problem"))
        assert "Cannot reach the Docker engine" in text
        assert str(missing) in text and "does not exist" in text
        assert "Start the engine" in text
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemScreen), what="problem screen again")
        await pilot.press("q")
    assert app.return_code == 1


async def test_bad_config_screen(tmp_path: Path) -> None:
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text("{not json")
    from dockertui.engine.endpoint import EndpointError

    with pytest.raises(EndpointError) as err:
        resolve_endpoint(env={"HOME": str(tmp_path)})
    app = DockerTUI(err.value, use_disk_cache=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemScreen), what="problem screen")
        text = plain(app.screen.query_one("#problem"))
        assert "not valid JSON" in text and "config.json" in text


async def test_a_small_window_keeps_what_matters(demo_engine: str, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80 columns: the table has focus, shows Name, State and the compact status with no
    horizontal scrolling, `G` shows the last row whole, `%` adds its column after Status and takes
    it away again; the header keeps the counts, the footer starts with ? and q."""
    import time

    from textual.widgets._footer import FooterKey

    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=cache_dir)
    async with app.run_test(size=(80, 12)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        table = screen.table
        assert table.has_focus
        assert table.columns[:4] == ["mark", "name", "state", "status"] and "image" not in table.columns
        assert not table.show_horizontal_scrollbar
        assert "containers" in str(screen.bar.render()) and "images" in str(screen.bar.render())
        await wait_until(pilot, lambda: bool(screen.query(FooterKey)), 5, "the footer's keys")
        keys = [key.key for key in screen.query(FooterKey)]
        assert keys[:2] == ["question_mark", "q"] and "s" in keys

        assert table.row_count > len(table.visible_ids()), "more rows than the window shows"
        await pilot.press("G")
        assert table.visible_ids()[-1] == table.current.id  # type: ignore[union-attr]

        await pilot.press("percent_sign")
        await wait_until(pilot, lambda: "usage" in table.columns, 5, "the usage column")
        assert table.columns[table.columns.index("status") + 1] == "usage"
        await pilot.press("percent_sign")
        await wait_until(pilot, lambda: "usage" not in table.columns, 5, "no usage column")

        # the labels age on their own: two hours later, without a listing
        running = next(c for c in table.containers.values() if c.state == "running")
        before = str(table.get_cell(running.id, "status"))
        assert before.startswith("up ")
        later = time.time() + 2 * 3600
        monkeypatch.setattr(time, "time", lambda: later)
        table.tick()
        after = str(table.get_cell(running.id, "status"))
        monkeypatch.undo()
        assert after != before and after.startswith("up ") and after[3:].split()[0].endswith("h"), after

        await pilot.press("shift+tab")
        assert screen.tree.has_focus
        await wait_until(pilot, lambda: "R" in [key.key for key in screen.query(FooterKey)], 5, "the tree's keys in the footer")
        keys = [key.key for key in screen.query(FooterKey)]
        assert keys[:2] == ["question_mark", "q"] and "R" in keys and "s" not in keys, "the tree's keys"
