"""`W` on a one-node swarm (a private engine of the tests' own): a service shows 2/2, scaling to 3
through dockertui is seen by the SDK, a forced rolling restart completes and its progress is
shown, the service's logs carry lines of every task, a drained node loses its tasks; a version
conflict and a worker-style answer (503) are one plain sentence. Verified through the SDK."""

from __future__ import annotations

import time

import docker
import pytest

from dockertui.engine import swarm
from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.engine.errors import EngineError
from dockertui.model.config import Settings
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.forms import FormScreen
from dockertui.ui.screens.swarm import SwarmScreen
from dockertui.ui.screens.swarm_service import ServiceLogsScreen, ServiceScreen

from ..helpers import sockets, wait_loaded, wait_until
from ..swarmengine import SwarmEngine

pytestmark = pytest.mark.engine

def running_tasks(svc: docker.models.services.Service) -> list[dict]:
    return [t for t in svc.tasks() if t["Status"]["State"] == "running" and t["DesiredState"] == "running"]


def wait_sdk(predicate, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.3)


def row_of(screen: SwarmScreen, name: str) -> int:
    return next(i for i, s in enumerate(screen.services) if s.name == name)


async def test_services_scale_rolling_restart_and_logs(swarm_engine: SwarmEngine, web_service) -> None:  # noqa: ANN001
    service = web_service
    name = service.name
    wait_sdk(lambda: len(running_tasks(service)) == 2, 60, "2 running tasks")
    app = DockerTUI(resolve_endpoint(host=swarm_engine.host, env={}), use_disk_cache=False)
    async with app.run_test(size=(140, 35)) as pilot:
        await wait_loaded(pilot)
        # the main table names the task containers by service and slot
        main = app.screen
        await wait_until(pilot, lambda: {f"{name}.1", f"{name}.2"} <= {c.display_name for c in main.containers.values()}, 10,
                         "task containers named service.slot")
        await pilot.press("W")
        await wait_until(pilot, lambda: isinstance(app.screen, SwarmScreen) and app.screen.loaded, 30, "the cluster view")
        cluster = app.screen
        assert isinstance(cluster, SwarmScreen)
        await wait_until(pilot, lambda: any(s.name == name and s.replicas_text == "2/2" for s in cluster.services), 30, "2/2")
        table = cluster.table("services")
        assert str(table.get_row(cluster.services[row_of(cluster, name)].id)[3]) == "2/2"

        # scale to 3 through the form
        table.move_cursor(row=row_of(cluster, name))
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), 30, "the scale form")
        form = app.screen
        field = form.query_one("#field-replicas")
        field.value = "3"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is cluster, 30, "the form to close")
        service.reload()
        assert service.attrs["Spec"]["Mode"]["Replicated"]["Replicas"] == 3
        wait_sdk(lambda: len(running_tasks(service)) == 3, 60, "3 running tasks")
        await wait_until(pilot, lambda: any(s.name == name and s.replicas_text == "3/3" for s in cluster.services), 30, "3/3 shown")

        # a stale version is a conflict said plainly, and nothing changes
        stale = next(s for s in cluster.services if s.name == name)
        await swarm.scale(cluster.engine, stale, 3)  # moves the version on
        with pytest.raises(EngineError) as err:
            await swarm.scale(cluster.engine, stale, 1)
        assert err.value.kind == "conflict" and "Someone else changed" in err.value.message
        service.reload()
        assert service.attrs["Spec"]["Mode"]["Replicated"]["Replicas"] == 3

        # the service's view: tasks by slot; a forced rolling restart, watched as it goes
        await wait_until(pilot, lambda: next(s for s in cluster.services if s.name == name).version > stale.version, 30, "re-read")
        table.move_cursor(row=row_of(cluster, name))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ServiceScreen) and len(app.screen.tasks) >= 3, 30, "the tasks")
        view = app.screen
        assert isinstance(view, ServiceScreen)
        assert [t.slot for t in view.tasks if t.state == "running"] == [1, 2, 3]
        await pilot.press("G")  # the keys of every list (ui/widgets/lists.py)
        assert view.table.cursor_row == view.table.row_count - 1 >= 2
        await pilot.press("g", "j")
        assert view.table.cursor_row == 1
        await pilot.press("home")
        assert view.table.cursor_row == 0
        heads: list[str] = []
        await pilot.press("F")
        await pilot.press("y")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            heads.append(view.head().plain)
            if "update: completed" in heads[-1]:
                break
            await pilot.pause(0.2)
        service.reload()
        assert service.attrs["UpdateStatus"]["State"] == "completed"
        assert service.attrs["Spec"]["TaskTemplate"]["ForceUpdate"] == 1
        assert any("updating" in h and "/3" in h for h in heads), heads[-3:]
        assert "update: completed" in heads[-1]
        assert view._poll is None  # the progress poll stops with the update

        # logs: lines of every task, prefixed by task and node
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ServiceLogsScreen), 30, "the logs")
        logs = app.screen
        want = {f"{name}.{slot}" for slot in (1, 2, 3)}
        await wait_until(pilot, lambda: want <= {line.source.split("@")[0] for line in logs.ring}, 30, "lines of every task")
        assert all(line.text.startswith("tick ") for line in logs.ring if line.source)
        await pilot.press("escape")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is cluster, 30, "back to the cluster")


async def test_drain_moves_the_tasks_and_read_only_refuses(swarm_engine: SwarmEngine, web_service) -> None:  # noqa: ANN001
    service = web_service
    wait_sdk(lambda: len(running_tasks(service)) == 2, 60, "2 running tasks")
    client = swarm_engine.client
    app = DockerTUI(resolve_endpoint(host=swarm_engine.host, env={}), use_disk_cache=False)
    try:
        async with app.run_test(size=(140, 35)) as pilot:
            await wait_loaded(pilot)
            app.push_screen(SwarmScreen(app.screen.engine))
            await wait_until(pilot, lambda: isinstance(app.screen, SwarmScreen) and app.screen.loaded, 30, "the cluster view")
            cluster = app.screen
            await pilot.press("2")
            await pilot.press("D")
            await pilot.press("y")
            node = client.nodes.list()[0]
            wait_sdk(lambda: (node.reload() or node.attrs["Spec"]["Availability"]) == "drain", 20, "the node drained")
            wait_sdk(lambda: not running_tasks(service), 60, "the tasks to leave the drained node")
            await wait_until(pilot, lambda: str(cluster.table("nodes").get_row(node.id)[3]) == "drain", 30, "drain shown")
            await pilot.press("a")
            wait_sdk(lambda: (node.reload() or node.attrs["Spec"]["Availability"]) == "active", 20, "the node active again")
            wait_sdk(lambda: len(running_tasks(service)) == 2, 60, "the tasks back")
    finally:
        node = client.nodes.list()[0]
        if node.attrs["Spec"]["Availability"] != "active":
            node.update({**node.attrs["Spec"], "Availability": "active"})

    app = DockerTUI(resolve_endpoint(host=swarm_engine.host, env={}), use_disk_cache=False, settings=Settings(read_only=True))
    async with app.run_test(size=(140, 35)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("W")
        await wait_until(pilot, lambda: isinstance(app.screen, SwarmScreen) and app.screen.loaded, 30, "the cluster view")
        version = service.reload() or service.version
        await pilot.press("d")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SwarmScreen)  # nothing asked: refused
        service.reload()
        assert service.version == version


async def test_not_a_manager_is_said_plainly(engine_host: str) -> None:
    """The project's main private engine is not in a swarm: the engine answers 503."""
    engine = Engine(resolve_endpoint(host=engine_host, env={}), use_disk_cache=False)
    try:
        with pytest.raises(EngineError) as err:
            await swarm.services(engine)
        assert err.value.status == 503
        assert err.value.kind == "not-manager"
        assert "not a swarm manager" in err.value.message and err.value.fix
        role = await swarm.role(engine)
        assert not role.usable and "not part of a swarm" in role.why_not()
    finally:
        await engine.close()
    app = DockerTUI(resolve_endpoint(host=engine_host, env={}), use_disk_cache=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("W")
        await wait_until(pilot, lambda: any("not part of a swarm" in str(n.message) for n in app._notifications), 30, "the notice")
        assert not isinstance(app.screen, SwarmScreen)


async def test_views_opened_and_closed_many_times_keep_no_socket(swarm_engine: SwarmEngine, web_service) -> None:  # noqa: ANN001
    """Each view owns its event stream and workers: closing it closes them (the stream's socket too)."""
    from dockertui.ui.screens.compose import ComposeScreen

    app = DockerTUI(resolve_endpoint(host=swarm_engine.host, env={}), use_disk_cache=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(pilot)
        engine = app.screen.engine
        main = app.screen

        async def cycle(make) -> None:  # noqa: ANN001
            screen = make()
            app.push_screen(screen)
            await wait_until(pilot, lambda: screen.loaded and any(w.group == "events" and w.is_running for w in screen.workers), 30, "open")
            await pilot.pause(0.05)
            app.pop_screen()
            await wait_until(pilot, lambda: app.screen is main and not screen.is_attached, 30, "closed")

        await cycle(lambda: SwarmScreen(engine))
        await cycle(lambda: ComposeScreen(engine))
        before = sockets()
        for _ in range(6):
            await cycle(lambda: SwarmScreen(engine))
            await cycle(lambda: ComposeScreen(engine))
        await pilot.pause(0.5)
        assert sockets() <= before + 1, (before, sockets())
