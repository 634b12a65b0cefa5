"""Hand the terminal to a shell inside a container, and take it back exactly as it was."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from textual.app import App, SuspendNotSupported

from ..engine.client import Engine
from ..engine.errors import EngineError
from ..engine.tty import pick_shell, run_tty
from ..model.containers import Container


async def open_shell(app: App[object], engine: Engine, container: Container, command: Sequence[str] = ()) -> None:
    """``e``: a shell in a running container, on the real terminal, inside ``App.suspend()``."""
    if container.state != "running":
        why = "paused: unpause it first (p)" if container.state == "paused" else f"{container.state}: start it first (s)"
        app.notify(f"No shell in {container.name}: it is {why}.", severity="warning")
        return
    try:
        argv = await pick_shell(engine, container.id, command)
    except EngineError as exc:
        app.notify(exc.message, severity="error")
        return
    app.shell_active = True  # type: ignore[attr-defined]
    try:
        with app.suspend():
            out = sys.__stdout__
            in_fd, out_fd = sys.__stdin__.fileno(), out.fileno()  # type: ignore[union-attr]
            out.write(f"dockertui: {' '.join(argv)} in {container.name} (exit to come back)\r\n")  # type: ignore[union-attr]
            out.flush()  # type: ignore[union-attr]
            code = await run_tty(engine, container.id, argv, in_fd, out_fd)
    except SuspendNotSupported:
        app.notify("A shell needs a real terminal.", severity="warning")
        return
    except EngineError as exc:
        app.notify(f"Shell in {container.name}: {exc.message}", severity="error")
        return
    finally:
        app.shell_active = False  # type: ignore[attr-defined]
    app.notify(f"Shell in {container.name} exited with code {code}.", severity="warning" if code else "information")
