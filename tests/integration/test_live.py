"""The screen follows the engine's event stream: changes made outside the app appear in it,
and the app heals itself when the engine restarts. Acts through the SDK, checks the app."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.main import MainScreen
from seed import build_image, seed_demo

from ..conftest import ROOT
from ..helpers import wait_loaded, wait_until

pytestmark = pytest.mark.engine


def main_screen(app: DockerTUI) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def test_container_lifecycle_appears_live(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = main_screen(app)
        c = observer.containers.run("demo/worker:latest", detach=True, name=f"live-{run_label}", labels={"dockertui.test": run_label})

        def state() -> str | None:
            got = screen.containers.get(c.id)
            return got.state if got else None

        await wait_until(pilot, lambda: state() == "running", 5, "the new container, running")
        assert c.id in screen.table.containers, "the root is selected: the table lists it too"
        c.kill()
        await wait_until(pilot, lambda: state() == "exited", 5, "the container, exited")
        c.remove()
        await wait_until(pilot, lambda: state() is None, 5, "the container, gone")
        assert c.id not in screen.table.containers


async def test_images_built_and_removed_outside_appear_and_vanish(
    demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path
) -> None:
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = main_screen(app)
        base = observer.images.get("demo/base:latest").id
        tag = f"dtt-{run_label}/live:1"
        new = build_image(observer, f"FROM demo/base:latest\nRUN echo {run_label} > /live\n", tag, {"dockertui.test": run_label})
        # a build emits no image event in the classic builder; the tag does
        await wait_until(pilot, lambda: new in screen.forest.images, 5, "the new image in the tree")
        assert screen.forest.parent[new] == base
        assert tag in screen.forest.images[new].tags
        observer.images.remove(new, force=True)
        await wait_until(pilot, lambda: new not in screen.forest.images, 5, "the image gone from the tree")


async def test_reconnects_after_engine_restart(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    engine_sh = str(ROOT / "scripts" / "engine.sh")
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await wait_loaded(pilot)
            screen = main_screen(app)
            subprocess.run([engine_sh, "stop"], check=True, capture_output=True, timeout=60)
            await wait_until(pilot, lambda: "disconnected" in str(screen.bar.render()), 10, "the disconnected state")
            subprocess.run([engine_sh, "start"], check=True, capture_output=True, timeout=90)
            # changed while the app was away: a new container
            c = observer.containers.create("demo/base:latest", command=["true"], name=f"back-{run_label}", labels={"dockertui.test": run_label})
            await wait_until(pilot, lambda: c.id in screen.containers, 60, "the app to reconnect and see the new container")
            await wait_until(pilot, lambda: "disconnected" not in str(screen.bar.render()), 10, "the header to recover")
            running = {x.id for x in observer.containers.list()}
            assert {x.id for x in screen.containers.values() if x.state == "running"} == running
    finally:
        seed_demo(observer)  # the restart stopped the demo's running containers


async def test_a_container_event_relabels_only_its_image(
    demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets._tree import TreeNode

    relabelled: list[object] = []
    original = TreeNode.set_label

    def spy(self: TreeNode, label: object) -> None:  # type: ignore[type-arg]
        relabelled.append(self.data)
        original(self, label)

    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = main_screen(app)
        base = observer.images.get("demo/base:latest").id
        monkeypatch.setattr(TreeNode, "set_label", spy)
        c = observer.containers.run("demo/base:latest", ["sleep", "60"], detach=True, labels={"dockertui.test": run_label})
        await wait_until(pilot, lambda: c.id in screen.containers, 5, "the new container")
        await pilot.pause(0.2)
        assert set(relabelled) == {"@all", base}, relabelled
