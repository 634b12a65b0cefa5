"""Podman, as it answers: its private service (scripts/podman.sh), its own replies, what dockertui
makes of them. Observed through the docker SDK on the same socket and the podman CLI."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.engine.pruning import disk_usage, gather_plan
from dockertui.model.containers import pod_label
from dockertui.model.journal import ProblemTracker
from dockertui.model.pruneplan import disk_summary
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.screens.statsview import StatsScreen

from ..helpers import PODMAN, podman_cli, wait_loaded, wait_until
from .test_actions import only_mine

pytestmark = pytest.mark.engine


@pytest.fixture
def mark(podman: docker.DockerClient) -> Iterator[str]:
    """A name part unique to one test; its containers, pods and images are removed afterwards."""
    value = uuid.uuid4().hex[:8]
    yield value
    for pod in podman_cli("pod", "ps", "--format", "{{.Name}}").split():
        if value in pod:
            podman_cli("pod", "rm", "-f", pod)  # its infra container and members with it
    for c in podman.containers.list(all=True):
        if value in c.name:
            c.remove(force=True)
    for image in podman.images.list():
        if any(value in t for t in image.tags):
            for tag in image.tags:
                podman.images.remove(tag, force=True)


def engine_on(host: str, cache: Path | None = None) -> Engine:
    return Engine(resolve_endpoint(host=host, env={}), cache_root=cache, use_disk_cache=cache is not None)


async def test_stats_on_podman_containers_and_a_pods_infra_never_end_the_app(podman_host: str, podman: docker.DockerClient,
                                                                              mark: str, tmp_path: Path) -> None:
    podman.containers.run("pod/base:1", ["sleep", "600"], detach=True, name=f"plain-{mark}")
    podman_cli("pod", "create", "--name", f"pod-{mark}", "--infra-name", f"infra-{mark}")
    podman_cli("run", "-d", "--pod", f"pod-{mark}", "--name", f"member-{mark}", "pod/base:1", "sleep", "600")
    app = DockerTUI(resolve_endpoint(host=podman_host, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        for name in (f"plain-{mark}", f"infra-{mark}"):
            screen = app.screen
            assert isinstance(screen, MainScreen)
            screen.filter_text = ""
            await only_mine(pilot, name, 1)
            await pilot.press("t")
            await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), 5, "the stats screen")
            stats = app.screen
            assert isinstance(stats, StatsScreen)
            table = stats.query_one("#stats-top")
            await wait_until(pilot, lambda: str(table.border_title or "").startswith("Processes"), 15, "the processes")
            await wait_until(pilot, lambda: stats.samples > 0 or bool(stats.ended), 15, "a sample or a reason")
            if name.startswith("plain"):
                assert any("sleep 600" in " ".join(p) for p in stats.processes), stats.processes
            else:
                assert stats.processes == [] and table.border_title == "Processes (0)", "the infra container runs nothing"
            await pilot.pause(0.5)
            assert app.is_running and app.return_code is None, "the app is still there"
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), 5, "back")
            await pilot.press("escape")  # leave the filter box if it kept focus


async def test_pods_health_and_a_stable_cache_key(podman_host: str, podman: docker.DockerClient, mark: str, tmp_path: Path) -> None:
    podman_cli("pod", "create", "--name", f"pod-{mark}", "--infra-name", f"infra-{mark}")
    podman_cli("run", "-d", "--pod", f"pod-{mark}", "--name", f"member-{mark}", "pod/base:1", "sleep", "600")
    podman_cli("run", "-d", "--name", f"sick-{mark}", "--health-cmd", "false", "--health-retries", "1",
               "--health-interval", "1h", "pod/base:1", "sleep", "600")
    for _ in range(2):  # no systemd: the check runs only when asked; it exits 1 when it fails
        subprocess.run([str(PODMAN), "cli", "healthcheck", "run", f"sick-{mark}"], capture_output=True, timeout=60)
    assert podman.api.inspect_container(f"sick-{mark}")["State"]["Health"]["Status"] == "unhealthy"

    cache = tmp_path / "cache"
    first, second = engine_on(podman_host, cache), engine_on(podman_host, cache)
    try:
        info = await first.connect()
        assert info.product == "Podman"
        containers = {c.name: c for c in await first.containers()}
        await second.connect()
        assert second.info is not None and second.info.engine_id == info.engine_id, "one key for one Podman host"
        await first.images()
        await second.images()
    finally:
        await first.close()
        await second.close()
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 1, "one cache folder, however often dockertui starts"

    infra, member, sick = containers[f"infra-{mark}"], containers[f"member-{mark}"], containers[f"sick-{mark}"]
    assert (infra.pod, infra.infra) == (f"pod-{mark}", True) and pod_label(infra) == f"pod: pod-{mark} (infra)"
    assert (member.pod, member.infra) == (f"pod-{mark}", False) and pod_label(member) == f"pod: pod-{mark}"
    assert sick.pod == "" and pod_label(sick) == ""
    assert sick.status.endswith("(unhealthy)"), sick.status
    tracker = ProblemTracker()
    tracker.seed([(c.id, c.name, c.state, c.status) for c in containers.values()])
    assert (sick.id, "unhealthy") in tracker.problems


async def test_prune_preview_and_disk_usage_read_podmans_answer_right(podman_host: str, podman: docker.DockerClient, mark: str,
                                                                      tmp_path: Path) -> None:
    from seed import build_image

    tag = f"localhost/dang-{mark}:1"
    old = build_image(podman, "FROM pod/base:1\nRUN echo 1 > /v\n", tag, {})
    new = build_image(podman, "FROM pod/base:1\nRUN echo 2 > /v\n", tag, {})
    assert old != new and not podman.images.get(old).tags, "the first build is now dangling"
    engine = engine_on(podman_host)
    try:
        await engine.connect()
        plan = await gather_plan(engine)
        df = await disk_usage(engine)
    finally:
        await engine.close()
    by_id = {item.id: item for item in plan.items}
    assert by_id[old].category == "dangling", by_id[old]
    assert by_id[new].category == "images" and by_id[new].name == tag, by_id[new]
    assert not any(item.name in ("<none>", "1") for item in plan.items)
    images_row = next(row for row in disk_summary(df) if row.kind == "Images")
    biggest = max(int(i.attrs["Size"]) for i in podman.images.list(all=True))
    assert images_row.size >= biggest, "the images' total is at least the biggest image"
    podman.images.remove(old, force=True)
