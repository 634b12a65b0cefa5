"""`e`: a real shell inside a container, through a real pseudo-terminal, verified by the SDK."""

from __future__ import annotations

import asyncio
import os
import pty
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.engine.tty import pick_shell, run_tty
from seed import build_image

from ..ptyapp import PtyApp

pytestmark = pytest.mark.engine


@pytest.fixture
def shell_image(observer: docker.DockerClient, run_label: str) -> str:
    """demo/base with a /tmp, as a shell user expects."""
    return build_image(observer, "FROM demo/base:latest\nRUN mkdir -p /tmp\n", f"dtt-{run_label}/shell:1", {"dockertui.test": run_label})


@pytest.fixture
def app_in_pty(demo_engine: str, tmp_path: Path) -> Iterator[PtyApp]:
    app = PtyApp(["-H", demo_engine], {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache")})
    yield app
    app.close()


def test_exec_opens_a_real_shell_and_comes_back(app_in_pty: PtyApp, observer: docker.DockerClient, run_label: str, shell_image: str) -> None:
    c = observer.containers.run(shell_image, ["sleep", "600"], detach=True, name=f"aaa-exec-{run_label}",
                                labels={"dockertui.test": run_label})
    app = app_in_pty
    app.wait_for(f"aaa-exec-{run_label}")
    app.type("/", *f"aaa-exec-{run_label}", "enter")  # the filter leaves it alone, under the cursor
    mark = app.mark()
    app.type("e")
    app.wait_for("/ # ", since=mark)
    assert f"/bin/sh in aaa-exec-{run_label}" in app.text_since(mark), repr(app.text_since(mark)[-3000:])
    app.type("touch /tmp/proof; exit\r")
    app.wait_for("exited with code 0", since=mark)
    app.wait_for("Start/stop", since=mark)  # the dashboard is back
    assert c.exec_run("test -f /tmp/proof").exit_code == 0
    mark = app.mark()
    app.type("q")
    assert app.wait_exit() == 0
    assert "\x1b[?1049l" in bytes(app.output[mark:]).decode("utf-8", "replace"), "the terminal left the alternate screen"


def test_exec_on_a_paused_container_says_why(app_in_pty: PtyApp, observer: docker.DockerClient, run_label: str) -> None:
    c = observer.containers.run("demo/base:latest", ["sleep", "600"], detach=True, name=f"aaa-paused-{run_label}",
                                labels={"dockertui.test": run_label})
    c.pause()
    app = app_in_pty
    app.wait_for("demo-web")
    app.type("/", *f"aaa-paused-{run_label}", "enter")
    mark = app.mark()
    app.type("e")
    app.wait_for("No shell in", since=mark)
    app.type("q")
    assert app.wait_exit() == 0


async def test_the_bridge_carries_keys_output_and_exit_code(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    bash = build_image(observer, "FROM demo/base:latest\nRUN ln -s /bin/busybox /bin/bash\n", f"dtt-{run_label}/bash:1",
                       {"dockertui.test": run_label})
    with_bash = observer.containers.run(bash, ["sleep", "600"], detach=True, labels={"dockertui.test": run_label})
    plain = observer.containers.run("demo/base:latest", ["sleep", "600"], detach=True, labels={"dockertui.test": run_label})
    engine = Engine(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        assert await pick_shell(engine, with_bash.id) == ["/bin/bash"]
        assert await pick_shell(engine, plain.id) == ["/bin/sh"]
        assert await pick_shell(engine, plain.id, ("/bin/sh", "-l")) == ["/bin/sh", "-l"]
        master, slave = pty.openpty()
        os.write(master, b"echo hi-$((1+1))\rexit 3\r")
        code = await asyncio.wait_for(run_tty(engine, plain.id, ["/bin/sh"], slave, slave), 15)
        assert code == 3
        seen = os.read(master, 65536)
        assert b"hi-2" in seen
        os.close(master)
        os.close(slave)
    finally:
        await engine.close()
