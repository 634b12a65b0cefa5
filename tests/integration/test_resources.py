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

from ..helpers import plain, wait_loaded, wait_until

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


async def test_remove_a_volume_in_use_names_its_users_and_offers_nothing_that_fails(
    demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path,
) -> None:
    """d on a volume a running container uses: the dialog names the containers (running or not)
    and y does nothing; once all are stopped, the one choice is "remove the containers and the
    volume", listing them, and it does exactly that."""
    labels = {"dockertui.test": run_label}
    vol = observer.volumes.create(f"dtt-{run_label}-inuse", labels=labels)
    mount = {vol.name: {"bind": "/data", "mode": "rw"}}
    runner = observer.containers.run("demo/base:latest", ["sleep", "300"], name=f"volrun-{run_label}", labels=labels,
                                     volumes=mount, detach=True)
    idle = observer.containers.create("demo/base:latest", ["true"], name=f"volidle-{run_label}", labels=labels, volumes=mount)
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await wait_loaded(pilot)
            screen = VolumesScreen(app.engine, only_label=f"dockertui.test={run_label}")  # type: ignore[arg-type]
            app.push_screen(screen)
            await wait_until(pilot, lambda: len(screen.rows) == 1, 10, "the volume")
            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the dialog")
            dialog = app.screen
            assert isinstance(dialog, ConfirmScreen)
            assert dialog.items == [f"container {idle.name} (created)", f"container {runner.name} (running)"]  # by name
            assert "in use" in dialog.title_text and "first" in dialog.title_text
            keys = plain(dialog.query_one("#confirm-keys"))
            assert "esc close" in keys and "y " not in keys
            await pilot.press("y")  # offered nothing: y does nothing
            await pilot.pause(0.3)
            assert app.screen is dialog
            await pilot.press("escape")
            assert app.screen is screen
            assert vol.name in volume_names(observer)

            runner.stop(timeout=1)  # no volume event: d reads the users again
            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the dialog")
            dialog = app.screen
            assert isinstance(dialog, ConfirmScreen)
            assert dialog.items == [f"container {idle.name} (created): removed", f"container {runner.name} (exited): removed",
                                    f"volume {vol.name}: removed"]
            assert "remove the 2 container(s) and the volume" in plain(dialog.query_one("#confirm-keys"))
            await pilot.press("y")
            await wait_until(pilot, lambda: vol.name not in volume_names(observer), 15, "the volume removed")
            assert not observer.containers.list(all=True, filters={"label": f"dockertui.test={run_label}"})
    finally:
        for c in observer.containers.list(all=True, filters={"label": f"dockertui.test={run_label}"}):
            c.remove(force=True)
        for v in observer.volumes.list(filters={"label": f"dockertui.test={run_label}"}):
            v.remove(force=True)


async def test_remove_a_network_in_use_names_its_users_and_offers_nothing_that_fails(
    demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path,
) -> None:
    """A running container attached: named, nothing offered. Only stopped ones: the network can go
    (the engine allows it), and they are named, since they could not start without it."""
    net = observer.networks.create(f"dtt-{run_label}-busy", driver="bridge", labels={"dockertui.test": run_label})
    runner = observer.containers.run("demo/base:latest", ["sleep", "300"], name=f"netrun-{run_label}",
                                     labels={"dockertui.test": run_label}, network=net.name, detach=True)
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await wait_loaded(pilot)
            screen = NetworksScreen(app.engine, only_label=f"dockertui.test={run_label}")  # type: ignore[arg-type]
            app.push_screen(screen)
            await wait_until(pilot, lambda: len(screen.rows) == 1, 10, "the network")
            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the dialog")
            dialog = app.screen
            assert isinstance(dialog, ConfirmScreen)
            assert dialog.items == [f"container {runner.name} (running)"] and dialog.yes is None
            await pilot.press("y")
            await pilot.pause(0.3)
            assert app.screen is dialog
            await pilot.press("escape")

            runner.stop(timeout=1)
            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the dialog")
            dialog = app.screen
            assert isinstance(dialog, ConfirmScreen)
            assert dialog.items == [f"network {net.name}", f"container {runner.name} (exited)"]
            assert "could not start without it" in dialog.title_text
            await pilot.press("y")  # the network only: the engine allows it
            await wait_until(pilot, lambda: not observer.networks.list(names=[net.name]), 10, "the network removed")
            assert observer.containers.get(runner.id).status == "exited"
    finally:
        for c in observer.containers.list(all=True, filters={"label": f"dockertui.test={run_label}"}):
            c.remove(force=True)
        for n in observer.networks.list(filters={"label": f"dockertui.test={run_label}"}):
            n.remove()


async def test_read_only_hides_and_refuses_create_remove_and_prune(demo_engine: str, tmp_path: Path) -> None:
    """On a read-only engine the footer offers no key that would be refused; pressing one says so."""
    from dockertui.model.config import Settings

    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path, settings=Settings(read_only=True))
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        await pilot.press("V")
        await wait_until(pilot, lambda: isinstance(app.screen, VolumesScreen), 5, "the volumes view")
        shown = {b.binding.action for b in app.active_bindings.values()}  # what the footer may show
        assert "reload" in shown and not {"create", "remove", "prune"} & shown
        await pilot.press("d")
        await wait_until(pilot, lambda: any("Read-only mode" in n.message for n in app._notifications), 5, "the refusal")
        assert isinstance(app.screen, VolumesScreen)
        # the prune preview and the registry logins: the preview and the list, not the keys that change
        from dockertui.ui.screens.pruneview import PruneScreen
        from dockertui.ui.screens.registries import RegistriesScreen

        await pilot.press("escape", "P")
        await wait_until(pilot, lambda: isinstance(app.screen, PruneScreen), 5, "the prune preview")
        offered = {b.binding.action for b in app.active_bindings.values()}
        assert "reload" in offered and "confirm" not in offered
        await pilot.press("escape", "Y")
        await wait_until(pilot, lambda: isinstance(app.screen, RegistriesScreen), 5, "the logins")
        offered = {b.binding.action for b in app.active_bindings.values()}
        assert "close" in offered and not {"login", "logout"} & offered
        assert "read-only" in plain(app.screen.query_one("#registries-keys"))
