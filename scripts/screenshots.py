"""Regenerate screenshots/*.svg from the real app on the seeded demo engine (``make screenshots``)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.screens.problem import ProblemScreen

SIZE = (140, 40)


async def settle(pilot: Pilot, predicate: Callable[[], bool], timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            break
        await pilot.pause(0.05)
    else:
        raise SystemExit("screenshots: the app did not reach the expected state")
    await pilot.pause(0.5)  # details are fetched after the cursor settles


ONLY: set[str] = set()  # names given after the folder: shoot only those


async def shoot(name: str, out: Path, host: str, steps: Callable[[DockerTUI, Pilot], Awaitable[None]],
                size: tuple[int, int] = SIZE) -> None:
    if ONLY and name not in ONLY:
        return
    with tempfile.TemporaryDirectory() as cache:
        app = DockerTUI(resolve_endpoint(host=host, env={}), cache_root=Path(cache))
        async with app.run_test(size=size) as pilot:
            await steps(app, pilot)
            app.save_screenshot(filename=f"{name}.svg", path=str(out))
    print(f"screenshots: {out / name}.svg")


def loaded(app: DockerTUI) -> bool:
    return isinstance(app.screen, MainScreen) and app.screen.table.row_count > 0


async def main_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))


async def family_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("shift+tab", "down", "down")  # the tree (the containers have focus at start)
    await settle(pilot, lambda: "demo/web" in str(app.screen.tree.cursor_node.label))  # type: ignore[attr-defined]


async def container_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("down", "down")
    await settle(pilot, lambda: app.screen.table.has_focus)  # type: ignore[attr-defined]


async def events_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("f5")  # a reload: the event stream has something to show
    await pilot.pause(1)
    await pilot.press("E")
    await settle(pilot, lambda: app.screen.__class__.__name__ == "EventsScreen")


async def prune_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("P")
    await settle(pilot, lambda: getattr(app.screen, "plan", None) is not None)


async def help_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("question_mark")
    await settle(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")


async def run_form_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("shift+tab", "down", "down")  # the tree (the containers have focus at start)
    await settle(pilot, lambda: "demo/web" in str(app.screen.tree.cursor_node.label))  # type: ignore[attr-defined]
    await pilot.press("R")
    await settle(pilot, lambda: app.screen.__class__.__name__ == "FormScreen")


async def engines_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("H")
    await settle(pilot, lambda: app.screen.__class__.__name__ == "EnginesScreen")


async def compose_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("C")
    await settle(pilot, lambda: app.screen.__class__.__name__ == "ComposeScreen")
    await pilot.pause(1)


def with_contexts(folder: Path) -> None:
    """A docker config folder with two contexts, so the engines overview lists them (never ~/.docker)."""
    import hashlib
    import json

    for name, host in (("staging", "ssh://deploy@staging.example"), ("lab", "tcp://lab.example:2376")):
        meta = folder / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
        meta.mkdir(parents=True, exist_ok=True)
        (meta / "meta.json").write_text(json.dumps({"Name": name, "Endpoints": {"docker": {"Host": host}}}))
    os.environ["DOCKER_CONFIG"] = str(folder)
async def layers_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("shift+tab", "down", "down")  # the tree (the containers have focus at start)
    await settle(pilot, lambda: "demo/web" in str(app.screen.tree.cursor_node.label))  # type: ignore[attr-defined]
    await pilot.press("F")
    await settle(pilot, lambda: getattr(app.screen, "waste", None) is not None, timeout=60)
    await pilot.press("down", "down", "tab")


async def changes_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: loaded(app))
    await pilot.press("slash", *"snapshot-source", "enter")
    await settle(pilot, lambda: app.screen.table.row_count == 1)  # type: ignore[attr-defined]
    await pilot.press("F")
    await settle(pilot, lambda: getattr(app.screen, "rw_size", None) is not None, timeout=60)


async def unreachable_view(app: DockerTUI, pilot: Pilot) -> None:
    await settle(pilot, lambda: isinstance(app.screen, ProblemScreen))


async def run(out: Path) -> None:
    host = os.environ.get("DOCKER_HOST", "")
    if not host:
        raise SystemExit("screenshots: set DOCKER_HOST to the demo engine (make screenshots does)")
    out.mkdir(parents=True, exist_ok=True)
    await shoot("main", out, host, main_view)
    await shoot("main-80x24", out, host, main_view, size=(80, 24))  # the dashboard in a small window
    await shoot("image-family", out, host, family_view)
    await shoot("container-details", out, host, container_view)
    await shoot("events", out, host, events_view)
    await shoot("prune-preview", out, host, prune_view)
    await shoot("help", out, host, help_view)
    await shoot("run-form", out, host, run_form_view)
    await shoot("compose-projects", out, host, compose_view)
    with tempfile.TemporaryDirectory() as config:
        with_contexts(Path(config))
        await shoot("engines", out, host, engines_view)
    await shoot("layers", out, host, layers_view)
    await shoot("container-changes", out, host, changes_view)
    await shoot("unreachable", out, "unix:///nonexistent.sock", unreachable_view)


if __name__ == "__main__":
    ONLY.update(sys.argv[2:])  # scripts/screenshots.py screenshots main-80x24: that one only
    asyncio.run(run(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
