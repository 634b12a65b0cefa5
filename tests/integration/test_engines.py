"""Several engines at once: two private engines, each followed live by its own host feed; H lists
them and switches; one engine stopped and started again while the other keeps working."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.host import CONNECTED, DISCONNECTED
from dockertui.ui.app import DockerTUI, EngineTarget
from dockertui.ui.screens.engines import EnginesScreen
from dockertui.ui.screens.main import MainScreen

from ..conftest import ROOT
from ..helpers import wait_loaded, wait_until

pytestmark = pytest.mark.engine


def engine_sh(command: str) -> None:
    env = {**os.environ, "DOCKERTUI_ENGINE_DIR": str(ROOT / ".engine-second")}
    subprocess.run([str(ROOT / "scripts" / "engine.sh"), command], check=True, capture_output=True, env=env, timeout=300)


async def test_two_engines_side_by_side(demo_engine: str, second_engine: str, observer: docker.DockerClient, run_label: str,
                                        tmp_path: Path) -> None:
    other = docker.DockerClient(base_url=second_engine, timeout=120)
    targets = [EngineTarget("one", resolve_endpoint(host=demo_engine, env={})),
               EngineTarget("two", resolve_endpoint(host=second_engine, env={}), read_only=True)]
    app = DockerTUI(targets[0].endpoint, cache_root=tmp_path, targets=targets)
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await wait_loaded(pilot)
            one, two = app.hosts
            await wait_until(pilot, lambda: two.connection == CONNECTED, 30, "the second engine")
            assert app.host is one and "one" in str(app.screen.bar.render())
            # an event on the engine not shown reaches its own state only
            c2 = other.containers.create("demo/base:latest", ["sleep", "300"], name=f"two-{run_label}",
                                         labels={"dockertui.test": run_label})
            await wait_until(pilot, lambda: c2.id in two.state.containers, 15, "the second engine's event")
            assert c2.id not in one.state.containers
            # a problem on engine two: the badge on engine one counts it, the list names its engine
            failing = other.containers.run("demo/base:latest", ["sh", "-c", "exit 3"], detach=True, name=f"fail-{run_label}",
                                           labels={"dockertui.test": run_label})
            await wait_until(pilot, lambda: len(two.state.problems) > 0, 20, "the problem on engine two")
            assert app.problem_count == len(one.state.problems) + len(two.state.problems)
            await wait_until(pilot, lambda: f"{app.problem_count} problem" in str(app.screen.bar.render()), 10, "the badge")
            await pilot.press("exclamation_mark")
            await wait_until(pilot, lambda: app.screen.__class__.__name__ == "ProblemsScreen", 5, "the problems list")
            problems = app.screen
            assert "Engine" in [str(c.label) for c in problems.table.columns.values()]
            assert any(o is two and p.container_id == failing.id for p, o in zip(problems.shown, problems.owners))
            await pilot.press("escape")
            # H lists both, enter switches
            await pilot.press("H")
            await wait_until(pilot, lambda: isinstance(app.screen, EnginesScreen), 5, "the engines overview")
            assert app.screen.table.row_count >= 2
            await pilot.press("j", "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.host is two, 5, "engine two shown")
            assert "two" in str(app.screen.bar.render()) and "READ-ONLY" in str(app.screen.bar.render())
            # engine two goes away and comes back; engine one keeps working meanwhile
            engine_sh("stop")
            await wait_until(pilot, lambda: two.connection == DISCONNECTED, 30, "engine two lost")
            c1 = observer.containers.create("demo/base:latest", ["sleep", "300"], name=f"one-{run_label}",
                                            labels={"dockertui.test": run_label})
            await wait_until(pilot, lambda: c1.id in one.state.containers, 15, "engine one still live")
            assert c2.id in two.state.containers, "the last known state is kept while away"
            engine_sh("start")
            await wait_until(pilot, lambda: two.connection == CONNECTED, 60, "engine two back")
            assert c2.id in two.state.containers
    finally:
        for c in other.containers.list(all=True, filters={"label": f"dockertui.test={run_label}"}):
            c.remove(force=True)
        other.close()
