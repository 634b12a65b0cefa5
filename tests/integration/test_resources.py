"""Volumes and networks views on the private engine: who uses what, create, remove, and a prune
that removes exactly the listed objects. The views are narrowed to this test's label, and the
test checks that nothing else changed."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.confirm import ConfirmScreen
from dockertui.ui.screens.forms import FormScreen
from dockertui.ui.screens.resources import NetworksScreen, VolumesScreen

from ..helpers import wait_loaded, wait_until

pytestmark = pytest.mark.engine


def volume_names(observer: docker.DockerClient) -> set[str]:
    return {v.name for v in observer.volumes.list()}


async def test_volumes_view_create_users_and_exact_prune(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    labels = {"dockertui.test": run_label}
    spare = [observer.volumes.create(f"dtt-{run_label}-spare{i}", labels=labels) for i in range(2)]
    used = observer.volumes.create(f"dtt-{run_label}-used", labels=labels)
    user = observer.containers.create("demo/base:latest", ["true"], name=f"voluser-{run_label}", labels=labels,
                                      volumes={used.name: {"bind": "/data", "mode": "rw"}})
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await wait_loaded(pilot)
            screen = VolumesScreen(app.engine, only_label=f"dockertui.test={run_label}")  # type: ignore[arg-type]
            app.push_screen(screen)
            await wait_until(pilot, lambda: len(screen.rows) == 3, 10, "the three volumes")
            by_name = {v.name: v for v in screen.rows}
            assert by_name[used.name].users == (f"voluser-{run_label}",)
            assert not by_name[spare[0].name].users

            # create one through the form
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), 5, "the form")
            app.screen.query_one("#field-name").value = f"dtt-{run_label}-made"  # type: ignore[attr-defined]
            app.screen.query_one("#field-labels").value = f"dockertui.test={run_label}"  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: f"dtt-{run_label}-made" in volume_names(observer), 10, "the new volume")
            await wait_until(pilot, lambda: len(screen.rows) == 4, 10, "four rows")

            before = volume_names(observer)
            await pilot.press("P")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the prune question")
            question = app.screen
            assert isinstance(question, ConfirmScreen)
            assert "DATA LOSS" in question.title_text
            listed = sorted(question.items)
            assert listed == sorted([f"dtt-{run_label}-made", spare[0].name, spare[1].name])
            late = observer.volumes.create(f"dtt-{run_label}-late", labels=labels)  # made after the question
            await pilot.press("y")
            await wait_until(pilot, lambda: not ({spare[0].name, spare[1].name} & volume_names(observer)), 10, "the pruned volumes gone")
            after = volume_names(observer)
            assert after == before - set(listed) | {late.name}, "exactly the listed volumes went"
            assert used.name in after
    finally:
        user.remove(force=True)
        for v in observer.volumes.list(filters={"label": f"dockertui.test={run_label}"}):
            v.remove(force=True)


async def test_networks_view_shows_users_and_refuses_builtins(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path, )
    net = observer.networks.create(f"dtt-{run_label}-net", driver="bridge", labels={"dockertui.test": run_label})
    try:
        async with app.run_test(size=(150, 40), notifications=True) as pilot:
            await wait_loaded(pilot)
            screen = NetworksScreen(app.engine)  # type: ignore[arg-type]
            app.push_screen(screen)
            await wait_until(pilot, lambda: bool(screen.rows), 10, "the networks")
            names = [n.name for n in screen.rows]
            assert "demo-net" in names and net.name in names and "none" in names
            demo_net = next(n for n in screen.rows if n.name == "demo-net")
            assert "demo-web" in demo_net.users
            screen.table.move_cursor(row=names.index("none"))
            await pilot.press("d")
            await wait_until(pilot, lambda: any("built in" in n.message for n in app._notifications), 5, "the refusal")
            screen.table.move_cursor(row=names.index(net.name))
            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the question")
            await pilot.press("y")
            await wait_until(pilot, lambda: not observer.networks.list(names=[net.name]), 10, "the network removed")
    finally:
        for n in observer.networks.list(filters={"label": f"dockertui.test={run_label}"}):
            n.remove()
