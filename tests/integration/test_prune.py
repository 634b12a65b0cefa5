"""Prune removes exactly what the preview showed and is still unused: changes after the preview
are skipped with a reason, objects made after it are never touched, nothing else is touched.
The preview is narrowed to this test's label; the test also checks the demo objects survive."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.confirm import ConfirmScreen
from dockertui.ui.screens.diskview import DiskUsageScreen
from dockertui.ui.screens.pruneview import PruneScreen
from seed import build_image

from ..helpers import wait_loaded, wait_until

pytestmark = pytest.mark.engine


def exists(observer: docker.DockerClient, kind: str, ident: str) -> bool:
    try:
        getattr(observer, kind).get(ident)
        return True
    except docker.errors.NotFound:
        return False


def dangling_image(observer: docker.DockerClient, run_label: str, n: int) -> str:
    """Build a tag twice: the first build is left untagged and unused."""
    tag = f"dtt-{run_label}/prune:{n}"
    labels = {"dockertui.test": run_label}
    first = build_image(observer, f"FROM demo/base:latest\nRUN echo {run_label}-{n}-a > /data\n", tag, labels)
    build_image(observer, f"FROM demo/base:latest\nRUN echo {run_label}-{n}-b > /data\n", tag, labels)
    return first


def demo_objects(observer: docker.DockerClient) -> set[str]:
    """The demo's objects (children of demo images inherit its label: tests' objects excluded)."""
    flt = {"label": "dockertui.demo=1"}
    found = [*observer.containers.list(all=True, filters=flt), *observer.images.list(filters=flt), *observer.networks.list(filters=flt)]
    return {o.id for o in found if "dockertui.test" not in (o.attrs.get("Labels") or o.attrs.get("Config", {}).get("Labels") or {})}


async def test_prune_is_exact(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    labels = {"dockertui.test": run_label}
    # created, never started: stopped containers that stay up once started
    stopped = [observer.containers.create("demo/base:latest", ["sleep", "600"], name=f"pr{i}-{run_label}", labels=labels) for i in range(3)]
    dangling = [dangling_image(observer, run_label, n) for n in range(2)]
    network = observer.networks.create(f"dtt-{run_label}-net", labels=labels)
    demo_before = demo_objects(observer)
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await wait_loaded(pilot)
            screen = PruneScreen(app.engine, only_label=f"dockertui.test={run_label}")  # type: ignore[arg-type]
            app.push_screen(screen)
            await wait_until(pilot, lambda: screen.plan is not None, 30, "the preview")
            plan = screen.plan
            assert plan is not None
            chosen = {(i.category, i.id) for i in plan.chosen()}
            assert chosen == {*(("containers", c.id) for c in stopped), *(("dangling", d) for d in dangling), ("networks", network.id)}
            assert "unused images" in str(screen.table.get_row_at(screen._rows.index("cat:images"))[1]).lower()

            # after the preview: one previewed container runs again, and new unused things appear
            restarted = stopped[0]
            restarted.start()
            late_container = observer.containers.create("demo/base:latest", ["true"], name=f"late-{run_label}", labels=labels)
            late_image = dangling_image(observer, run_label, 9)
            # a previewed dangling image now used by a new container
            user = observer.containers.create(dangling[1], ["sleep", "600"], name=f"user-{run_label}", labels=labels)

            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the question")
            assert len(app.screen.items) == len(chosen)  # type: ignore[attr-defined]
            await pilot.press("y")
            await wait_until(pilot, lambda: screen.report is not None, 30, "the report")
            report = screen.report
            assert report is not None
            removed = {i.id for i in report.removed}
            skipped = {i.id: reason for i, reason in report.skipped}

            assert not exists(observer, "containers", stopped[1].id) and not exists(observer, "containers", stopped[2].id)
            assert not exists(observer, "images", dangling[0]) and not exists(observer, "networks", network.id)
            assert exists(observer, "containers", late_container.id), "made after the preview: untouched"
            assert exists(observer, "images", late_image), "made after the preview: untouched"
            assert exists(observer, "images", dangling[1]), "used since the preview: skipped"
            assert f"user-{run_label}" in skipped[dangling[1]]
            assert "running now" in skipped[restarted.id] and observer.containers.get(restarted.id).status == "running"
            assert removed >= {stopped[1].id, stopped[2].id, dangling[0], network.id}
            assert report.reclaimed > 0
            assert demo_objects(observer) == demo_before, "nothing of the demo was touched"
            assert exists(observer, "containers", user.id)
    finally:
        for n in observer.networks.list(filters={"label": f"dockertui.test={run_label}"}):
            n.remove()


async def test_disk_usage_matches_the_engine(demo_engine: str, observer: docker.DockerClient, tmp_path: Path) -> None:
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, DiskUsageScreen)
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.rows), 30, "the figures")
        df = observer.df()
        rows = {r.kind: r for r in screen.rows}
        assert rows["Images"].total == len(df["Images"]) and rows["Images"].size == df["LayersSize"]
        assert rows["Containers"].total == len(df["Containers"])
        assert rows["Local volumes"].total == len(df["Volumes"] or [])
        await pilot.press("P")  # the hint says P previews a prune: from here too
        await wait_until(pilot, lambda: isinstance(app.screen, PruneScreen), 5, "the prune preview")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DiskUsageScreen), 5, "back to disk usage")
        await pilot.press("escape")
        assert not isinstance(app.screen, DiskUsageScreen)
