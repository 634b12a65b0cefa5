"""An interactive shell inside a container, through the Engine API: exec with a TTY, bridged to
a local terminal in raw mode. Works over any transport and needs no docker CLI."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import termios
import tty
from collections.abc import Iterator, Sequence

import aiodocker

from .client import Engine
from .errors import EngineError

SHELLS = ("/bin/bash", "/bin/sh")


async def has_file(engine: Engine, container_id: str, path: str) -> bool:
    """Whether ``path`` exists in the container (``HEAD /containers/{id}/archive``: no exec)."""
    if engine.info is None:
        await engine.connect()  # the API version goes into the URL
    docker = engine.docker
    url = docker._canonicalize_url(f"containers/{container_id}/archive")
    with engine.translated(f"container {container_id[:12]}"):
        # aiodocker's own query would try to read an error body, and HEAD answers have none
        async with docker.session.head(url, params={"path": path}) as response:
            if response.status == 404:
                return False
            if response.status >= 400:
                raise EngineError(f"Cannot look into container {container_id[:12]} ({response.status}).", status=response.status)
            return True


async def pick_shell(engine: Engine, container_id: str, configured: Sequence[str] = ()) -> list[str]:
    """The configured command, else ``/bin/bash`` when the container has it, else ``/bin/sh``."""
    if configured:
        return list(configured)
    for shell in SHELLS[:-1]:
        if await has_file(engine, container_id, shell):
            return [shell]
    return [SHELLS[-1]]


def terminal_size(fd: int) -> tuple[int, int]:
    try:
        size = os.get_terminal_size(fd)
        return size.lines, size.columns
    except OSError:
        return 24, 80


@contextlib.contextmanager
def raw_mode(fd: int) -> Iterator[None]:
    """The local terminal in raw mode (keys go straight to the container), always restored."""
    if not os.isatty(fd):
        yield
        return
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd, termios.TCSANOW)  # keep keys typed ahead
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


async def run_tty(engine: Engine, container_id: str, command: Sequence[str], in_fd: int, out_fd: int) -> int:
    """Run ``command`` in the container on a TTY bridged to ``in_fd``/``out_fd``; its exit code.
    Window size changes (SIGWINCH) are forwarded. Never leaves the terminal in raw mode."""
    loop = asyncio.get_running_loop()
    what = f"container {container_id[:12]}"
    term = os.environ.get("TERM", "xterm-256color")
    with engine.translated(what):
        container = engine.docker.containers.container(container_id)
        execution = await container.exec(list(command), stdin=True, tty=True, environment={"TERM": term})
        stream = execution.start(detach=False)
        keys: asyncio.Queue[bytes] = asyncio.Queue()

        def readable() -> None:
            try:
                keys.put_nowait(os.read(in_fd, 4096))
            except OSError:
                keys.put_nowait(b"")

        async def resize() -> None:
            rows, cols = terminal_size(out_fd)
            with contextlib.suppress(aiodocker.DockerError, OSError):
                await execution.resize(h=rows, w=cols)

        async def pump_keys() -> None:
            while data := await keys.get():
                await stream.write_in(data)

        async with stream:
            await resize()
            with raw_mode(in_fd):
                loop.add_reader(in_fd, readable)
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(signal.SIGWINCH, lambda: loop.create_task(resize()))
                typing = loop.create_task(pump_keys())
                try:
                    while (message := await stream.read_out()) is not None:
                        _write_all(out_fd, message.data)
                finally:
                    loop.remove_reader(in_fd)
                    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                        loop.remove_signal_handler(signal.SIGWINCH)
                    typing.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await typing
        # The exit code lands a moment after the stream ends.
        for _ in range(20):
            info = await execution.inspect()
            if not info.get("Running") and info.get("ExitCode") is not None:
                return int(info["ExitCode"])
            await asyncio.sleep(0.05)
    raise EngineError(f"The shell in {what} ended without an exit code.", kind="api")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            continue
        view = view[written:]
