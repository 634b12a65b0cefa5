"""Small helpers shared by the integration tests."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path
from collections.abc import Callable

from textual.pilot import Pilot

PODMAN = Path(__file__).resolve().parent.parent / "scripts" / "podman.sh"


def podman_cli(*args: str) -> str:
    """The podman CLI on the private Podman service's storage (pods, `healthcheck run`)."""
    out = subprocess.run([str(PODMAN), "cli", *args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


async def wait_until(pilot: Pilot, predicate: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await pilot.pause(0.05)
    await asyncio.sleep(0)


def plain(widget: object, width: int = 200) -> str:
    """A Static's content as plain text, whatever renderable it holds."""
    import io

    from rich.console import Console

    content = getattr(widget, "content", widget)
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(content)
    return console.file.getvalue()  # type: ignore[attr-defined]


async def wait_loaded(pilot: Pilot, timeout: float = 20.0) -> None:
    """Until the main screen shows the engine's data and the tree has placed its cursor."""
    from dockertui.ui.screens.main import MainScreen

    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        return isinstance(screen, MainScreen) and screen.table.row_count > 0 and screen.tree.cursor_node is not None

    await wait_until(pilot, ready, timeout, what="the dashboard to load")
    await pilot.pause(0.1)


def sockets() -> int:
    """The process's open sockets (/proc/self/fd → socket:[...]): the app's connections to the engine
    (and the docker SDK observer's, when a test uses it meanwhile)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            pass
    return count
