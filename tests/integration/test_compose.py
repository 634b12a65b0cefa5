"""`C`: Compose projects made by the real docker-compose (Debian's 1.29, installed by the set-up
when missing) and, independently, containers labelled through the SDK: grouping, project stop,
start and remove verified through the SDK, merged logs of both services, `down` through the tool,
and the tool not offered where the project's files are not here."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docker
import pytest

from dockertui.engine import compose as engine_compose
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.compose import ComposeScreen, ProjectLogsScreen
from dockertui.ui.screens.confirm import ConfirmScreen

from ..helpers import wait_loaded, wait_until

pytestmark = pytest.mark.engine

LOOP = "trap 'exit 0' TERM; while true; do echo \"$$0 says hi\"; sleep 1 & wait; done"
COMPOSE_FILE = """\
version: "2.4"
services:
  db:
    image: demo/base:latest
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do echo db says hi; sleep 1 & wait; done"]
    network_mode: none
    labels: {{dockertui.test: "{run}", dockertui.demo: "0"}}
  web:
    image: demo/base:latest
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do echo web says hi; sleep 1 & wait; done"]
    network_mode: none
    depends_on: [db]
    labels: {{dockertui.test: "{run}", dockertui.demo: "0"}}
"""


@pytest.fixture(scope="session")
def docker_compose() -> str:
    """Debian's docker-compose, installed when missing (as scripts/engine.sh installs dockerd)."""
    found = shutil.which("docker-compose")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True, env=env, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "docker-compose"], check=True,
                       capture_output=True, env=env, timeout=900)
        found = shutil.which("docker-compose")
    assert found, "docker-compose is needed: apt-get install docker-compose"
    return found


def mine(observer: docker.DockerClient, project: str) -> list:
    """The project's containers as the SDK sees them (its list inspects each one: a container
    removed in between, as `down` does, is simply gone, so the list is read again)."""
    for _ in range(5):
        try:
            return observer.containers.list(all=True, filters={"label": f"com.docker.compose.project={project}"})
        except docker.errors.NotFound:
            continue
    return observer.containers.list(all=True, filters={"label": f"com.docker.compose.project={project}"})


async def test_projects_grouped_stopped_started_logs_and_removed(
    demo_engine: str, observer: docker.DockerClient, run_label: str, docker_compose: str, tmp_path: Path
) -> None:
    project = f"cp{run_label}"
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / "docker-compose.yml").write_text(COMPOSE_FILE.format(run=run_label))
    env = {**os.environ, "DOCKER_HOST": demo_engine}
    subprocess.run([docker_compose, "-p", project, "up", "-d"], cwd=folder, env=env, check=True, capture_output=True, timeout=180)
    # an independent project: containers labelled through the SDK (no files anywhere), one one-off
    sdk = f"sdk{run_label}"
    for number, oneoff in (("1", "False"), ("2", "False"), ("1", "True")):
        observer.containers.run("demo/base:latest", ["sh", "-c", LOOP], detach=True, network_mode="none", labels={
            "dockertui.test": run_label, "dockertui.demo": "0", "com.docker.compose.project": sdk,
            "com.docker.compose.service": "api", "com.docker.compose.container-number": number,
            "com.docker.compose.oneoff": oneoff})

    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), use_disk_cache=False)
    async with app.run_test(size=(140, 35)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen) and app.screen.loaded and app.screen.tool is not None,
                         30, "the projects view")
        view = app.screen
        assert isinstance(view, ComposeScreen)
        await wait_until(pilot, lambda: {project, sdk} <= {p.name for p in view.projects}, 30, "both projects")
        cp = next(p for p in view.projects if p.name == project)
        api = next(p for p in view.projects if p.name == sdk)
        assert [s.name for s in cp.services] == ["db", "web"]
        assert (cp.running, cp.total) == (2, 2)
        assert [(s.name, s.total, s.oneoff) for s in api.services] == [("api", 3, 1)]
        # the tool is offered where the files are, and said not to be where they are not
        assert engine_compose.tool_offer(cp, view.tool) == ""
        assert "do not name its compose files" in engine_compose.tool_offer(api, view.tool)
        keys = [str(k.value) for k in view.table.rows]
        assert keys.index(f"s:{project}/db") == keys.index(f"p:{project}") + 1

        # stop the project as one, then start it again
        view.table.move_cursor(row=keys.index(f"p:{project}"))
        await pilot.press("x")
        await wait_until(pilot, lambda: all(c.status == "exited" for c in mine(observer, project)), 60, "the project stopped")
        await wait_until(pilot, lambda: next(p for p in view.projects if p.name == project).running == 0, 30, "0/2 shown")
        await pilot.press("s")
        await wait_until(pilot, lambda: all(c.status == "running" for c in mine(observer, project)), 60, "the project started")
        await wait_until(pilot, lambda: next(p for p in view.projects if p.name == project).running == 2, 30, "2/2 shown")

        # merged logs: lines of both services, prefixed by service
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectLogsScreen), 30, "the logs")
        logs = app.screen
        await wait_until(pilot, lambda: {"db", "web"} <= {line.source for line in logs.ring}, 30, "lines of both services")
        assert all(line.text == f"{line.source} says hi" for line in logs.ring if line.source in ("db", "web"))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is view, 30, "back")

        # remove the SDK project: asks, lists exactly its containers, removes them
        keys = [str(k.value) for k in view.table.rows]
        view.table.move_cursor(row=keys.index(f"p:{sdk}"))
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 30, "the question")
        assert sum("container " in item for item in app.screen.items) == 3
        await pilot.press("y")
        await wait_until(pilot, lambda: not mine(observer, sdk), 60, "the SDK project removed")
        await wait_until(pilot, lambda: sdk not in {p.name for p in view.projects}, 30, "the project gone from the view")

        # down through the Compose tool (the files are here)
        keys = [str(k.value) for k in view.table.rows]
        view.table.move_cursor(row=keys.index(f"p:{project}"))
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 30, "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: not mine(observer, project), 120, "docker-compose down")
        await wait_until(pilot, lambda: project not in {p.name for p in view.projects}, 30, "the project gone")


async def test_read_only_refuses_project_actions(demo_engine: str, observer: docker.DockerClient, run_label: str) -> None:
    from dockertui.model.config import Settings

    observer.containers.run("demo/base:latest", ["sh", "-c", LOOP], detach=True, network_mode="none", labels={
        "dockertui.test": run_label, "dockertui.demo": "0", "com.docker.compose.project": f"ro{run_label}",
        "com.docker.compose.service": "one"})
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), use_disk_cache=False, settings=Settings(read_only=True))
    async with app.run_test(size=(140, 35)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen) and app.screen.loaded, 30, "the projects view")
        view = app.screen
        keys = [str(k.value) for k in view.table.rows]
        view.table.move_cursor(row=keys.index(f"p:ro{run_label}"))
        offered = {b.binding.action for b in app.active_bindings.values()}  # what the footer may show
        assert "logs" in offered and not [a for a in offered if a.startswith(("project", "pause", "tool"))], offered
        await pilot.press("x")
        await pilot.press("d")
        await pilot.pause(0.5)
        assert app.screen is view
        assert all(c.status == "running" for c in mine(observer, f"ro{run_label}"))
