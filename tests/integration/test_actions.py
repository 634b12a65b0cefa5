"""Lifecycle keys on the private engine: act through the app, verify through the docker SDK."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest
from docker.models.containers import Container as SdkContainer

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.config import Settings
from dockertui.model.actions import REMOVE
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.confirm import ConfirmScreen
from dockertui.ui.screens.main import MainScreen

from ..helpers import plain, wait_loaded, wait_until

pytestmark = pytest.mark.engine


def make(observer: docker.DockerClient, run_label: str, name: str) -> SdkContainer:
    return observer.containers.run(
        "demo/worker:latest", ["sleep", "3600"], detach=True, name=f"{name}-{run_label}",
        labels={"dockertui.test": run_label}, stop_signal="SIGKILL",
    )


def status(observer: docker.DockerClient, cid: str) -> str | None:
    try:
        return observer.containers.get(cid).status
    except docker.errors.NotFound:
        return None


async def only_mine(pilot, run_label: str, count: int) -> MainScreen:  # type: ignore[no-untyped-def]
    """Filter the table down to this test's containers and focus it."""
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    await pilot.press("slash", *run_label, "enter")
    await wait_until(pilot, lambda: screen.table.row_count == count and len(screen.table.containers) == count, 10, "the filtered rows")
    assert screen.table.has_focus
    return screen


async def test_each_lifecycle_key_acts_on_the_engine(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    c = make(observer, run_label, "act")
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = await only_mine(pilot, run_label, 1)

        async def press_until(key: str, want: str | None, what: str) -> None:
            await wait_until(pilot, lambda: not screen.doing, 10, "the previous action to finish")
            await pilot.press(key)
            await wait_until(pilot, lambda: status(observer, c.id) == want, 15, what)
            # and the app shows the engine's state, not the "…ing" placeholder
            await wait_until(pilot, lambda: want is None or (screen.containers[c.id].state == want and c.id not in screen.doing), 5, f"the row: {want}")

        await press_until("s", "exited", "stop")
        await press_until("s", "running", "start")
        await press_until("p", "paused", "pause")
        await press_until("p", "running", "unpause")
        started = observer.containers.get(c.id).attrs["State"]["StartedAt"]
        await press_until("r", "running", "restart")
        await wait_until(pilot, lambda: observer.containers.get(c.id).attrs["State"]["StartedAt"] != started, 10, "a new start time")
        await press_until("K", "exited", "kill")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the confirmation")
        assert f"act-{run_label}" in "\n".join(app.screen.items)  # type: ignore[attr-defined]
        await pilot.press("n")  # no: nothing happens
        await pilot.pause(0.3)
        assert status(observer, c.id) == "exited"
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the confirmation")
        await pilot.press("y")
        await wait_until(pilot, lambda: status(observer, c.id) is None, 10, "removal")
        await wait_until(pilot, lambda: c.id not in screen.containers, 5, "the row to go")


async def test_bulk_stop_of_five_marked_containers(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    made = [make(observer, run_label, f"bulk{i}") for i in range(5)]
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = await only_mine(pilot, run_label, 5)
        await pilot.press(*["space"] * 5)
        assert screen.marks == {c.id for c in made}
        assert "5 marked" in str(screen.table.border_subtitle)
        await pilot.press("s")
        await wait_until(pilot, lambda: all(status(observer, c.id) == "exited" for c in made), 20, "all five stopped")
        assert not screen.marks, "marks are spent by the action"
        others = observer.containers.list(filters={"label": "dockertui.demo=1", "status": "running"})
        assert others, "the demo's running containers were not touched"


async def test_conflict_and_vanished_container_are_one_sentence(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    c = make(observer, run_label, "conflict")
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        screen = await only_mine(pilot, run_label, 1)
        await pilot.press("d")  # running: only what can succeed is offered (stop-and-remove), never a bare remove
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the confirmation")
        assert "Stop (kill) and remove 1 container(s)? 1 running." == app.screen.title_text  # type: ignore[attr-defined]
        await pilot.press("n")
        assert status(observer, c.id) == "running"

        def said(text: str) -> bool:
            return any(text in n.message for n in app._notifications)

        # the container vanishes behind the app's back, between list and action
        observer.api.remove_container(c.id, force=True)
        await pilot.press("s")
        await wait_until(pilot, lambda: said("no longer exists") or c.id not in screen.containers, 10, "vanished")


async def test_read_only_refuses_every_action(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    c = make(observer, run_label, "ro")
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path, settings=Settings(read_only=True))
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        screen = await only_mine(pilot, run_label, 1)
        assert "READ-ONLY" in str(screen.bar.render())
        before = observer.containers.get(c.id).attrs["State"]
        for key in ("s", "r", "p", "K", "d", "D", "e"):
            app._notifications.clear()
            await pilot.press(key)
            await pilot.pause(0.2)
            assert isinstance(app.screen, MainScreen), key
            assert any("Read-only mode" in n.message for n in app._notifications), key
        assert not screen.doing
        after = observer.containers.get(c.id).attrs["State"]
        assert (after["Status"], after["StartedAt"], after["Pid"]) == (before["Status"], before["StartedAt"], before["Pid"])


async def test_bulk_start_stop_has_one_meaning_and_details_follow(demo_engine: str, observer: docker.DockerClient, run_label: str,
                                                                  tmp_path: Path) -> None:
    """Two running and one exited marked: s stops the running ones and leaves the exited one alone
    (no toggle); the details of the selected container follow its new state without a cursor move."""
    running = [make(observer, run_label, f"mix{i}") for i in range(2)]
    stopped = make(observer, run_label, "mix9")
    stopped.stop(timeout=1)
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        screen = await only_mine(pilot, run_label, 3)
        await pilot.press("asterisk")  # mark every shown row
        assert screen.marks == {c.id for c in [*running, stopped]}
        await pilot.press("s")
        await wait_until(pilot, lambda: all(status(observer, c.id) == "exited" for c in running), 20, "the running ones stopped")
        await pilot.pause(1.0)
        assert status(observer, stopped.id) == "exited", "the exited one was not started"
        # details follow an action on the selected container
        screen.table.select(running[0].id)
        await pilot.pause(0.5)
        await pilot.press("s")  # start it again
        await wait_until(pilot, lambda: status(observer, running[0].id) == "running", 20, "started")
        details = screen.query_one("#details")
        await wait_until(pilot, lambda: "running" in plain(details), 10, "the details to say running")


async def test_a_failed_call_frees_the_row_for_a_retry(demo_engine: str, observer: docker.DockerClient, run_label: str,
                                                       tmp_path: Path) -> None:
    """A removal the engine refused leaves no "removing…" behind: the same key can be pressed again."""
    c = make(observer, run_label, "retry")
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        screen = await only_mine(pilot, run_label, 1)
        observer.api.remove_container(c.id, force=True)  # gone behind the app's back: the call fails
        screen.host.run_steps([(screen.table.current, REMOVE)])
        await wait_until(pilot, lambda: not screen.host.state.busy(c.id), 10, "the failed call to end")
        assert c.id not in screen.host.state.inflight
        assert screen.host.state.busy(c.id) is None
