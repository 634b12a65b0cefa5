"""`l`: logs of a container that floods them (bounded memory, responsive keys, stderr told apart,
search, save), and of one that has finished (exact tail). Verified against the SDK's logs."""

from __future__ import annotations

import asyncio
import resource
import time
from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.config import Settings
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.logview import LogsScreen

from ..helpers import wait_loaded, wait_until
from .test_actions import only_mine

pytestmark = pytest.mark.engine

FLOOD = 'i=0; while true; do i=$((i+1)); echo "line $i"; echo "err $i" >&2; done'


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for row in f:
            if row.startswith("VmRSS:"):
                return int(row.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def test_a_flood_of_logs_stays_bounded_and_keys_answer(
    demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    observer.containers.run("demo/base:latest", ["sh", "-c", FLOOD], detach=True, name=f"flood-{run_label}",
                            labels={"dockertui.test": run_label})
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await only_mine(pilot, run_label, 1)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LogsScreen), 5, "the logs screen")
        screen = app.screen
        assert isinstance(screen, LogsScreen)
        await wait_until(pilot, lambda: screen.ring.first > 0, 30, "the ring to overflow")
        start_rss = rss_mib()
        deadline = time.monotonic() + 5
        lags = []
        while time.monotonic() < deadline:  # keep flooding; keys must still be answered
            before = screen.view.show_timestamps
            t0 = time.monotonic()
            app.simulate_key("T")  # as the terminal delivers it (the pilot's waits need an idle app)
            while screen.view.show_timestamps == before and time.monotonic() - t0 < 5:
                await asyncio.sleep(0.005)
            lags.append(time.monotonic() - t0)
            await asyncio.sleep(0.1)
            assert len(screen.ring) <= screen.ring.max_lines
        grew = rss_mib() - start_rss
        assert grew < 40, f"memory grew {grew:.0f} MiB under the flood"
        # the flood and the engine's logging hold both cores here: every key must still come through
        # (how fast is the bench's to measure, not a timed assertion's)
        lags.sort()
        assert lags and lags[-1] < 5, f"a key was not answered under the flood (max {lags[-1]:.2f}s)"
        streams = {line.stream for line in screen.ring}
        assert streams == {"out", "err"}, "stdout and stderr told apart"
        assert all(line.text.startswith("err") for line in screen.ring if line.stream == "err")
        if screen.view.show_timestamps:
            await pilot.press("T")  # rows as plain lines again
        await pilot.press("space")  # pause following: the view holds still, the ring stays bounded
        assert not screen.following

        def on_screen() -> list[str]:
            return [screen.view.render_line(y).text.strip() for y in range(screen.view.size.height)]

        await pilot.pause(0.2)
        frozen, dropped = on_screen(), screen.ring.first
        assert any(row.startswith(("line ", "err ")) for row in frozen)
        await wait_until(pilot, lambda: screen.ring.first > dropped + screen.ring.max_lines, 30, "the ring to move on by a whole ring")
        assert on_screen() == frozen, "paused: the lines on screen do not change under the flood"
        assert "paused (+" in str(screen.view.border_subtitle)
        assert len(screen.ring) <= screen.ring.max_lines
        # search finds a line and keeps it while the ring moves on
        wanted = next(row for row in frozen if row.startswith(("line ", "err ")))
        await pilot.press("slash", *wanted, "enter")
        await wait_until(pilot, lambda: screen.current_line is not None, 5, "the search hit")
        hit = screen.current_line
        assert hit is not None and hit.text == wanted
        dropped = screen.ring.first
        await wait_until(pilot, lambda: screen.ring.first > dropped + screen.ring.max_lines, 30, "the ring to move on again")
        assert screen.current_line is hit and any(row == wanted for row in on_screen()), "the hit stays on screen"
        await pilot.press("space")  # follow again: the live ring, the newest lines
        await pilot.pause(0.3)
        assert screen.following and screen.view.ring is screen.ring and on_screen() != frozen
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, LogsScreen), 5, "back to the dashboard")


async def test_the_tail_of_a_finished_container_is_exact_and_searchable(
    demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    c = observer.containers.run("demo/base:latest", ["sh", "-c", 'i=0; while [ $i -lt 5000 ]; do i=$((i+1)); echo "line $i"; done'],
                                detach=True, name=f"tail-{run_label}", labels={"dockertui.test": run_label})
    c.wait(timeout=60)
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path, settings=Settings(log_tail=1000))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await only_mine(pilot, run_label, 1)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LogsScreen), 5, "the logs screen")
        screen = app.screen
        assert isinstance(screen, LogsScreen)
        await wait_until(pilot, lambda: bool(screen.ended), 10, "the end of the stream")
        texts = [line.text for line in screen.ring]
        expected = c.logs(tail=1000).decode().splitlines()
        assert texts == expected == [f"line {i}" for i in range(4001, 5001)]
        assert "not following" in screen.ended
        # search, then n/N, then save
        await pilot.press("slash", *"line 4500", "enter")
        await wait_until(pilot, lambda: screen.current_line is not None, 5, "a match")
        assert screen.current_line is not None and screen.current_line.text == "line 4500"
        await pilot.press("N")  # previous: none other contains it, so it wraps to itself
        assert screen.current_line.text == "line 4500"
        await pilot.press("slash", *"line 49", "enter")  # the most recent match first
        assert screen.current_line is not None and screen.current_line.text == "line 4999"
        status = screen.query_one("#log-status")
        assert "match 100 of 100" in str(status.render())  # where the hit is among all, oldest first
        await pilot.press("N")
        assert screen.current_line.text == "line 4998"
        assert "match 99 of 100" in str(status.render())
        await pilot.press("n", "n")
        assert screen.current_line.text == "line 4900"  # wrapped around to the first
        assert "match 1 of 100" in str(status.render())
        await pilot.press("S")
        await wait_until(pilot, lambda: bool(list(tmp_path.glob(f"tail-{run_label}-*.log"))), 5, "the saved file")
        saved = next(tmp_path.glob(f"tail-{run_label}-*.log")).read_text().splitlines()
        assert [row.split(" ", 1)[1] for row in saved] == expected
