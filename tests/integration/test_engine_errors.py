"""Each way the engine can be unreachable gives its own clear message, through real sockets."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.engine.errors import EngineError

pytestmark = pytest.mark.engine


async def connect_error(host: str) -> EngineError:
    engine = Engine(resolve_endpoint(host=host, env={}), use_disk_cache=False, connect_timeout=2)
    try:
        with pytest.raises(EngineError) as err:
            await engine.connect()
    finally:
        await engine.close()
    return err.value


async def test_missing_socket(tmp_path: Path) -> None:
    err = await connect_error(f"unix://{tmp_path}/none.sock")
    assert err.kind == "unreachable" and "does not exist" in err.message


async def test_nobody_listening(tmp_path: Path) -> None:
    path = tmp_path / "dead.sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))  # bound, never listening: connect() is refused
    try:
        err = await connect_error(f"unix://{path}")
    finally:
        s.close()
    assert err.kind == "unreachable" and "connection refused" in err.message


async def test_http_server_that_is_not_docker(tmp_path: Path) -> None:
    path = tmp_path / "web.sock"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        body = b"<html>hello</html>"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    server = await asyncio.start_unix_server(handle, path=str(path))
    async with server:
        err = await connect_error(f"unix://{path}")
    assert err.kind == "not-docker" and "not a Docker Engine API" in err.message


async def test_garbage_speaking_socket(tmp_path: Path) -> None:
    path = tmp_path / "junk.sock"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"SSH-2.0-OpenSSH_9.2\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_unix_server(handle, path=str(path))
    async with server:
        err = await connect_error(f"unix://{path}")
    assert err.kind == "not-docker"


def test_permission_denied_as_an_unprivileged_user(engine_host: str, tmp_path: Path) -> None:
    """A real permission error: the private engine's socket (root only) and a child process that
    drops to 'nobody' before connecting."""
    sock = engine_host.removeprefix("unix://")
    assert os.stat(sock).st_mode & 0o007 == 0, "the private engine's socket must not be world-writable"
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: drop privileges, try, report
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            try:
                err = asyncio.run(connect_error(engine_host))
                msg = f"{err.kind}|{err.message}|{err.fix}"
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails
                msg = f"child|{exc!r}|"
            os.write(write, msg.encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as f:
        report = f.read()
    kind, message, fix = report.split("|")
    assert kind == "permission", report
    assert sock in message and "docker' group" in fix


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["-H", "unix:///nonexistent.sock", "--check"], 1, "does not exist"),
        (["-H", "npipe:////./pipe/docker_engine", "--check"], 2, "not supported"),
        (["-H", "ssh://someone:secret@box", "--check"], 2, "password"),
    ],
)
def test_check_exits_nonzero_with_one_line(args: list[str], code: int, needle: str) -> None:
    out = subprocess.run([sys.executable, "-m", "dockertui", *args], capture_output=True, text=True, timeout=30)
    assert out.returncode == code
    assert needle in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_the_unreachable_screen_of_an_installed_package_names_the_service_not_make_demo(tmp_path: Path) -> None:
    """The package copied into a site-packages-like folder (no Makefile beside it), run on a pty
    against a socket that does not exist: the screen says how to start the engine or point at
    one, and nothing about a checkout's `make demo`; from the checkout, --check offers it."""
    from dockertui.installed import PACKAGE

    from ..ptyapp import PtyApp

    site = tmp_path / "site-packages"
    shutil.copytree(PACKAGE, site / "dockertui", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONPATH": str(site), "DOCKERTUI_CACHE_DIR": str(tmp_path / "cache"), "DOCKERTUI_CONFIG": str(tmp_path / "none.toml")}
    app = PtyApp(["-H", f"unix://{tmp_path}/none.sock"], env, cols=200, rows=40,
                 program=[sys.executable, "-P", "-m", "dockertui"])  # -P: the checkout (the cwd) is not on the path
    try:
        app.wait_for("Cannot reach the Docker engine", timeout=30)
        app.wait_for("DOCKER_HOST", timeout=10)
        screen = " ".join(app.text_since(0).replace("┃", " ").split())
        assert "does not exist" in screen
        for needed in ("sudo systemctl start docker", "podman.socket", "--context", "DOCKER_HOST"):
            assert needed in screen, needed
        assert "make demo" not in screen
        app.type("q")
        assert app.wait_exit() == 1
    finally:
        app.close()
    out = subprocess.run([sys.executable, "-m", "dockertui", "-H", f"unix://{tmp_path}/none.sock", "--check"],
                         capture_output=True, text=True, timeout=30)
    assert "'make demo'" in out.stderr and out.returncode == 1
