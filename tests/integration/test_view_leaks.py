"""A view releases what it holds: opening and closing the logs (`l`) and stats (`t`) views 20 times
leaves the app's engine sockets and memory where they were (DOCKERTUI_LEAK_CYCLES for more)."""

from __future__ import annotations

import gc
import os
import time
import weakref
from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.config import Settings
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.logview import LogsScreen
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.screens.statsview import StatsScreen

from ..helpers import sockets, wait_loaded, wait_until
from .test_actions import only_mine

pytestmark = pytest.mark.engine
CYCLES = int(os.environ.get("DOCKERTUI_LEAK_CYCLES", "20"))
RECENT = 3
SETTLE = 45.0  # seconds for the closed screens' last timers to come due
STUCK = 3  # a couple of closed screens stay referenced inside Textual (not found yet); never more


def rss() -> int:
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.parametrize(("key", "screen_type"), [("l", LogsScreen), ("t", StatsScreen)])
async def test_fifty_view_cycles_stay_flat(key: str, screen_type: type, demo_engine: str, observer: docker.DockerClient,
                                           run_label: str, tmp_path: Path) -> None:
    # a chatty container: each logs view fills its ring with the tail
    observer.containers.run("demo/base:latest", ["sh", "-c", "i=0; while true; do i=$((i+1)); echo line $i of some log text; sleep 0.01; done"],
                            detach=True, name=f"leak-{run_label}", labels={"dockertui.test": run_label})
    # a short tail: the cycles measure what a view keeps, not how fast 1,000 lines render
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path, settings=Settings(log_tail=200))
    closed: list[weakref.ref[object]] = []
    started = time.monotonic()
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        await only_mine(pilot, run_label, 1)

        async def cycle() -> None:
            await pilot.press(key)
            await wait_until(pilot, lambda: isinstance(app.screen, screen_type), 5, "the view")
            view = app.screen
            if isinstance(view, LogsScreen):
                await wait_until(pilot, lambda: len(view.ring) > 50, 10, "lines in the view")
            else:
                await wait_until(pilot, lambda: view.samples > 0, 10, "a sample")
            closed.append(weakref.ref(view))
            del view
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), 5, "back on the main screen")

        for _ in range(3):  # warm up: caches, the first connections of the pool
            await cycle()
        await pilot.pause(0.5)
        sockets_before, memory_before = sockets(), rss()
        objects_before = len(gc.get_objects())
        for _ in range(CYCLES):
            await cycle()
        # Closed screens are released, but not at once: a timer handle asyncio (or aiohttp's
        # keep-alive, 15 s) scheduled inside a screen's worker carries that worker's context, which
        # names the screen, until it is due. Their buffers are emptied on unmount already.
        settle = time.monotonic() + SETTLE
        while True:
            await pilot.pause(1.0)
            gc.collect()
            old = sum(ref() is not None for ref in closed[:-RECENT])
            if old <= STUCK or time.monotonic() > settle:
                break
        sockets_after, memory_after = sockets(), rss()
        objects_after = len(gc.get_objects())
        kept = sum(ref() is not None for ref in closed)
    grown = memory_after - memory_before
    print(f"{key}: sockets {sockets_before} -> {sockets_after}, RSS {memory_before / 2**20:.1f} -> {memory_after / 2**20:.1f} MiB, "
          f"objects {objects_before} -> {objects_after}, {kept} of {len(closed)} closed views still in memory, "
          f"{time.monotonic() - started:.0f} s")
    assert sockets_after <= sockets_before + 1, f"{sockets_after - sockets_before} sockets left by {CYCLES} closed views"
    assert old <= STUCK, f"{old} closed views are still in memory {SETTLE:.0f} s later: they pile up"
    # Python objects: the last few screens Textual still holds at most (before: +170k for 50 logs views;
    # now about +37k for logs, +72k for stats, mostly those recent screens)
    assert objects_after - objects_before < 120_000, f"{objects_after - objects_before} more objects after {CYCLES} closed views"
    # RSS rarely shrinks (the allocator keeps freed arenas): it must not grow by a view's worth each
    # time (it was about 1 MiB per logs view, 1.5 MiB per stats view)
    assert grown < (12 + 0.6 * CYCLES) * 2**20, f"{grown / 2**20:.1f} MiB more after {CYCLES} closed views"
