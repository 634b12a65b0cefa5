"""`t`: live stats and processes of a busy container; the stream ends with the screen."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest
from textual.widgets import Static

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.engine.metrics import Sampler
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.screens.statsview import ScaledSpark, StatsScreen

from ..helpers import wait_loaded, wait_until
from .test_actions import only_mine

pytestmark = pytest.mark.engine


async def test_stats_of_a_busy_container(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    c = observer.containers.run("demo/base:latest", ["sh", "-c", "while true; do :; done"], detach=True, name=f"busy-{run_label}",
                                mem_limit="64m", nano_cpus=500_000_000, labels={"dockertui.test": run_label})
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        await only_mine(pilot, run_label, 1)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), 5, "the stats screen")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await wait_until(pilot, lambda: screen.latest is not None and screen.latest.cpu_percent > 10, 15, "a busy CPU figure")
        assert screen.latest is not None
        limit = observer.containers.get(c.id).stats(stream=False)["memory_stats"]["limit"]
        assert screen.latest.mem_limit == limit == 64 * 1024 * 1024
        assert 0 < screen.latest.mem_used < limit
        # the sparklines on fixed scales: the container's own limits, labelled
        assert str(screen.query_one("#label-cpu", Static).render()) == "CPU 0–50 % (limit 0.5 cores)"
        assert str(screen.query_one("#label-mem", Static).render()) == "Mem 0–64 MiB"
        assert screen.query_one("#spark-cpu", ScaledSpark).top == 50 and screen.query_one("#spark-mem", ScaledSpark).top == limit
        await wait_until(pilot, lambda: any("while true" in " ".join(p) for p in screen.processes), 10, "the sh process in top")
        workers = [w for w in screen.workers if w.group in ("stats", "top")]
        assert workers
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.pause(0.3)
        assert all(w.is_finished for w in workers), "the stats stream ends with the screen"


async def test_one_shot_sampler_gives_cpu_from_the_second_sample(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    import asyncio

    busy = observer.containers.run("demo/base:latest", ["sh", "-c", "while true; do :; done"], detach=True, labels={"dockertui.test": run_label})
    idle = observer.containers.run("demo/base:latest", ["sleep", "600"], detach=True, labels={"dockertui.test": run_label})
    engine = Engine(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        await engine.connect()
        sampler = Sampler(engine)
        first = await sampler.sample([busy.id, idle.id, "0" * 64])
        assert set(first) == {busy.id, idle.id}, "a missing container has no figure, and no error"
        await asyncio.sleep(1)
        second = await sampler.sample([busy.id, idle.id])
        assert second[busy.id].cpu_percent > 30 and second[idle.id].cpu_percent < 10
    finally:
        await engine.close()


async def test_the_usage_column_samples_visible_running_rows_only_while_on(
    demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path
) -> None:
    from dockertui.model.config import Settings

    c = observer.containers.run("demo/base:latest", ["sh", "-c", "while true; do :; done"], detach=True, name=f"col-{run_label}",
                                labels={"dockertui.test": run_label})
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path, settings=Settings(usage_every=0.5))
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_loaded(pilot)
        screen = await only_mine(pilot, run_label, 1)
        assert not screen.table.usage
        await pilot.press("percent_sign")
        await wait_until(pilot, lambda: c.id in screen.table.usage and not screen.table.usage[c.id].startswith("0%"), 10, "a CPU figure")
        assert "%" in str(screen.table.get_cell(c.id, "usage"))
        await pilot.press("percent_sign")
        await pilot.pause(0.2)
        assert screen.table.get_cell(c.id, "usage") == "" and not screen.table.usage
