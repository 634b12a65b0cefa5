"""`i`: a container's inspect JSON as a tree; env values hidden until `v`; search jumps."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.inspectview import InspectScreen
from dockertui.ui.screens.main import MainScreen

from ..helpers import wait_loaded, wait_until
from .test_actions import only_mine

pytestmark = pytest.mark.engine


def shown(screen: InspectScreen) -> str:
    return "\n".join(n.label for n in screen.nodes)


async def test_inspect_a_container_and_an_image(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    c = observer.containers.create("demo/base:latest", ["true"], name=f"insp-{run_label}", environment={"SECRET_TOKEN": "hunter2"},
                                   labels={"dockertui.test": run_label}, restart_policy={"Name": "on-failure", "MaximumRetryCount": 2})
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        await only_mine(pilot, run_label, 1)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InspectScreen), 10, "the inspect screen")
        screen = app.screen
        assert isinstance(screen, InspectScreen)
        assert f"Id: {c.id}" in shown(screen)
        assert "hunter2" not in shown(screen) and "SECRET_TOKEN=••••••" in shown(screen)
        await pilot.press("v")
        assert "SECRET_TOKEN=hunter2" in shown(screen)
        await pilot.press("v")
        assert "hunter2" not in shown(screen)
        await pilot.press("slash", *"maximumretry", "enter")
        await wait_until(pilot, lambda: screen.current_path == ("HostConfig", "RestartPolicy", "MaximumRetryCount"), 5, "the match")
        # `v` after a search keeps the place: Env stays open, the cursor on the same line, the matches kept
        await pilot.press("slash", *"secret_token", "enter")
        await wait_until(pilot, lambda: (screen.current_path or ())[:2] == ("Config", "Env"), 5, "the env match")
        found, line = screen.current_path, screen.tree.cursor_line
        await pilot.press("v")
        await wait_until(pilot, lambda: screen.current_path == found, 5, "the cursor where it was")
        assert screen.tree.cursor_line == line and screen.tree.cursor_node is not None
        assert "hunter2" in str(screen.tree.cursor_node.label)
        assert screen.matches and screen.tree.root.is_expanded
        await pilot.press("v")
        await wait_until(pilot, lambda: screen.current_path == found and "hunter2" not in str(screen.tree.cursor_node.label), 5, "hidden again in place")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        # an image, from the tree
        main = app.screen
        base = observer.images.get("demo/base:latest")
        main.tree.focus()
        main.tree.move_cursor(main.tree._node_of[base.id])
        await wait_until(pilot, lambda: main.tree.selected == base.id, 5, "the image selected")
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InspectScreen), 10, "the image's inspect screen")
        assert f"Id: {base.id}" in shown(app.screen)  # type: ignore[arg-type]
        assert any(label.startswith("Layers [") for label in shown(app.screen).splitlines())  # type: ignore[arg-type]
