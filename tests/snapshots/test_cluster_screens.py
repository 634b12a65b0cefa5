"""SVG snapshots of the swarm services and tasks views (filled from a real one-node swarm) and of
the Compose projects view (the demo engine's project). What differs from one run or machine to
the next (IDs, names with a random part, times, host names) is pinned before the shot."""

from __future__ import annotations

import dataclasses

import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.compose import group_projects
from dockertui.model.swarm import UpdateStatus
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.compose import ComposeScreen
from dockertui.ui.screens.swarm import SwarmScreen
from dockertui.ui.screens.swarm_service import ServiceScreen

from ..helpers import wait_loaded, wait_until
from ..swarmengine import SwarmEngine

NOW = 1_800_000_000.0
pytestmark = pytest.mark.engine


async def _still(pilot, screen) -> None:  # noqa: ANN001
    """Hold the view still: no live re-read may replace the pinned values."""
    pilot.app.workers.cancel_group(screen, "events")
    pilot.app.workers.cancel_group(screen, "load")
    if screen._poll is not None:
        screen._poll.stop()
        screen._poll = None
    await pilot.pause(0.2)


def _pin_swarm(screen):  # noqa: ANN001, ANN202
    node = dataclasses.replace(screen.nodes[0], id="node1", hostname="node-1", engine_version="20.10.24")
    real = [s for s in screen.services if s.name.startswith("web-")][0]
    web = dataclasses.replace(real, id="svc-web", name="shop_web", stack="shop", created=NOW - 7200, updated=NOW - 60,
                              update=UpdateStatus("updating", "update in progress", NOW - 30, 0.0), version=20)
    db = dataclasses.replace(real, id="svc-db", name="shop_db", stack="shop", replicas=1, running=1, desired=1, image="demo/db:1",
                             update=UpdateStatus("paused", "update paused due to failure or early termination of task x", NOW - 900, 0.0))
    tasks = sorted((t for t in screen.tasks if t.service_id == real.id and t.desired == "running"), key=lambda t: t.slot)[:2]
    pinned = []
    for k, t in enumerate(tasks):
        # slot 1 already replaced by the update, slot 2 still the old one, plus its shut-down predecessor
        created = NOW - 20 if k == 0 else NOW - 3600
        pinned.append(dataclasses.replace(t, id=f"task{k + 1}aaaaaaaaaaaaaaaaaaaa", service_id="svc-web", node_id="node1",
                                          created=created, timestamp=created + 2, slot=k + 1))
    old = dataclasses.replace(pinned[0], id="task0aaaaaaaaaaaaaaaaaaaa", state="shutdown", desired="shutdown", created=NOW - 3600,
                              timestamp=NOW - 25, message="shutdown")
    return node, web, db, [*pinned, old], real


async def _services(pilot):  # noqa: ANN001, ANN202
    await wait_loaded(pilot)
    await pilot.press("W")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, SwarmScreen) and app.screen.loaded
                     and any(s.running == 2 for s in app.screen.services), 30, "the cluster view")
    screen = app.screen
    await _still(pilot, screen)
    node, web, db, tasks, real = _pin_swarm(screen)
    screen.show([db, web], [node], tasks)
    await pilot.pause(0.2)
    return node, web, tasks, real


async def _tasks(pilot) -> None:  # noqa: ANN001
    node, web, tasks, real = await _services(pilot)
    cluster = pilot.app.screen
    pilot.app.push_screen(ServiceScreen(cluster.engine, real))
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ServiceScreen) and pilot.app.screen.reloads > 0, 10, "the tasks")
    view = pilot.app.screen
    await _still(pilot, view)
    view.show(web, tasks, [node])
    await pilot.pause(0.2)


def test_swarm_services_view(swarm_engine: SwarmEngine, web_service, snap_compare, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("dockertui.ui.screens.swarm.now", lambda: NOW)
    app = DockerTUI(resolve_endpoint(host=swarm_engine.host, env={}), use_disk_cache=False)
    assert snap_compare(app, terminal_size=(130, 16), run_before=_services)


def test_swarm_tasks_view(swarm_engine: SwarmEngine, web_service, snap_compare, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("dockertui.ui.screens.swarm.now", lambda: NOW)
    app = DockerTUI(resolve_endpoint(host=swarm_engine.host, env={}), use_disk_cache=False)
    assert snap_compare(app, terminal_size=(130, 16), run_before=_tasks)


async def _projects(pilot) -> None:  # noqa: ANN001
    await wait_loaded(pilot)
    await pilot.press("C")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen) and app.screen.loaded, 10, "the projects view")
    screen = app.screen
    await wait_until(pilot, lambda: not [w for w in screen.workers if w.group == "tool" and w.is_running], 10, "the tool lookup")
    await _still(pilot, screen)
    demo = [c for p in screen.projects for c in p.containers if c.labels.get("dockertui.demo") == "1"]
    demo = [dataclasses.replace(c, id=c.name * 4, created=NOW - 3600) for c in demo]
    screen.tool = ["docker-compose"]
    screen.show(group_projects(demo))
    await pilot.pause(0.2)


def test_compose_projects_view(demo_engine: str, snap_compare) -> None:  # noqa: ANN001
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), use_disk_cache=False)
    assert snap_compare(app, terminal_size=(130, 14), run_before=_projects)

