"""`y`: copy to the local clipboard with OSC 52, checked in the bytes the real app writes to a real
pseudo-terminal (what travels over SSH and through tmux), and the menu's other entries."""

from __future__ import annotations

import base64
from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.copymenu import CopyMenu
from dockertui.ui.screens.main import MainScreen

from ..helpers import wait_loaded, wait_until
from ..ptyapp import PtyApp

pytestmark = pytest.mark.engine


def osc52(text: str) -> bytes:
    return b"\x1b]52;c;" + base64.b64encode(text.encode()) + b"\x07"


def test_y_copies_the_container_id_with_osc52_on_a_real_pty(demo_engine: str, observer: docker.DockerClient, run_label: str,
                                                            tmp_path: Path) -> None:
    name = f"aaa-copy-{run_label}"
    c = observer.containers.run("demo/base:latest", ["sleep", "600"], detach=True, name=name, labels={"dockertui.test": run_label})
    app = PtyApp(["-H", demo_engine], {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache"), "DOCKER_CONFIG": str(tmp_path / "cfg")})
    try:
        app.wait_for(name, timeout=60)  # a cold start on a busy 2-core machine
        mark = app.mark()
        app.type("/")
        app.wait_for("filter containers", since=mark, timeout=30)  # typed before the box has the focus, letters would be keys
        app.type(*name, "enter")
        mark = app.mark()
        app.type("y")
        app.wait_for(f"Copy from container {name}", since=mark, timeout=30)
        app.type("enter")
        app.wait_for(f"Copied the ID of {name}", since=mark, timeout=30)
        assert osc52(c.id) in bytes(app.output[mark:])
        mark = app.mark()
        app.type("y", "down", "enter")  # the second entry: the name
        app.wait_for(f"Copied the name of {name}", since=mark, timeout=30)
        assert osc52(name) in bytes(app.output[mark:])
        app.type("q")
        assert app.wait_exit() == 0
    finally:
        app.close()


async def test_copy_menu_image_reference_and_a_container_without_ip(demo_engine: str, observer: docker.DockerClient, run_label: str,
                                                                     tmp_path: Path) -> None:
    c = observer.containers.run("demo/base:latest", ["sleep", "600"], detach=True, name=f"aaa-noip-{run_label}",
                                network_mode="none", labels={"dockertui.test": run_label})
    base = observer.images.get("demo/base:latest")
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        main.tree.focus()
        main.tree.move_cursor(main.tree._node_of[base.id])
        await wait_until(pilot, lambda: main.tree.selected == base.id, 5, "the image selected")
        await pilot.press("y")
        assert isinstance(app.screen, CopyMenu)
        await pilot.press("enter")
        assert app.clipboard == "demo/base:latest"
        await pilot.press("y", "down", "enter")
        assert app.clipboard == base.id

        main.table.focus()
        await wait_until(pilot, lambda: main.table.select(c.id), 10, "the container in the table")
        await wait_until(pilot, lambda: main.table.current is not None and main.table.current.id == c.id, 10, "the container selected")
        await pilot.press("y")
        menu = app.screen
        assert isinstance(menu, CopyMenu)
        await pilot.press("down", "down", "down", "enter")  # IP address
        await wait_until(pilot, lambda: app.screen is main, 10, "the menu closed")
        said = [str(n.message) for n in app._notifications]
        assert any(m.startswith(f"aaa-noip-{run_label} has no IP address") for m in said), said
        assert app.clipboard == base.id  # nothing copied


@pytest.fixture
def tmux(run_label: str, tmp_path: Path):  # noqa: ANN201
    """A tmux server of the test's own (its own socket name, its own config with
    ``set -g set-clipboard on``, as the README says); killed at the end."""
    import shutil
    import subprocess

    if not shutil.which("tmux"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "tmux"], check=True, capture_output=True,
                       timeout=300, env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    conf = tmp_path / "tmux.conf"
    conf.write_text("set -g set-clipboard on\n")
    socket = f"dtt-{run_label}"

    def run(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, "-f", str(conf), *args], capture_output=True, text=True, timeout=30).stdout

    yield run
    run("kill-server")


def test_inside_tmux_with_set_clipboard_on_the_id_lands_in_the_tmux_buffer(tmux, demo_engine: str, observer: docker.DockerClient,  # noqa: ANN001
                                                                           run_label: str, tmp_path: Path) -> None:
    import shlex
    import sys
    import time

    name = f"aaa-tmux-{run_label}"
    c = observer.containers.run("demo/base:latest", ["sleep", "600"], detach=True, name=name, labels={"dockertui.test": run_label})
    command = shlex.join([sys.executable, "-m", "dockertui", "-H", demo_engine])
    env = f"DOCKERTUI_CACHE_DIR={shlex.quote(str(tmp_path / 'cache'))} DOCKER_CONFIG={shlex.quote(str(tmp_path / 'cfg'))} TERM=xterm-256color"
    tmux("new-session", "-d", "-x", "150", "-y", "40", f"env {env} {command}")

    def wait_screen(text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in tmux("capture-pane", "-p"):
            assert time.monotonic() < deadline, f"no {text!r} on the tmux pane:\n{tmux('capture-pane', '-p')}"
            time.sleep(0.2)

    wait_screen(name)
    tmux("send-keys", "/")
    wait_screen("filter containers", 30)  # the filter box has the focus before the name arrives
    tmux("send-keys", "-l", name)
    time.sleep(0.5)
    tmux("send-keys", "Enter")
    time.sleep(1)
    tmux("send-keys", "y")
    wait_screen(f"Copy from container {name}", 30)
    tmux("send-keys", "Enter")
    wait_screen("Copied the ID", 30)
    deadline = time.monotonic() + 10
    while tmux("show-buffer") != c.id:
        assert time.monotonic() < deadline, f"the tmux buffer holds {tmux('show-buffer')!r}"
        time.sleep(0.1)
    tmux("send-keys", "q")
