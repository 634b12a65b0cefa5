"""Commit, tag, run and remove images from the dashboard; the docker SDK checks the engine."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.confirm import ConfirmScreen
from dockertui.ui.screens.forms import FormScreen
from dockertui.ui.screens.main import MainScreen

from ..helpers import wait_loaded, wait_until
from .test_actions import only_mine

pytestmark = pytest.mark.engine


def fill(form: FormScreen, **values: str) -> None:
    for key, value in values.items():
        form.query_one(f"#field-{key}").value = value  # type: ignore[attr-defined]


async def select_image(pilot, screen: MainScreen, image_id: str) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: image_id in screen.tree._node_of, 10, "the image node")
    screen.tree.focus()
    screen.tree.move_cursor(screen.tree._node_of[image_id])
    await wait_until(pilot, lambda: screen.tree.selected == image_id, 5, "the cursor on the image")


async def test_commit_tag_and_remove_an_image(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    c = observer.containers.run("demo/worker:latest", ["sh", "-c", "echo hi > /proof; sleep 600"], detach=True,
                                name=f"commit-{run_label}", labels={"dockertui.test": run_label})
    repo = f"dtt-{run_label}/snap"
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        screen = await only_mine(pilot, run_label, 1)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), 5, "the commit form")
        form = app.screen
        assert isinstance(form, FormScreen)
        fill(form, ref="Not A Ref")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "not a valid repository" in form.error_of("ref"), 5, "the field's error")
        assert not observer.images.list(name=repo)
        fill(form, ref=f"{repo}:1", message="with proof", author="Tester <t@example.org>")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(observer.images.list(name=repo)), 10, "the committed image")
        image = observer.images.get(f"{repo}:1")
        assert image.attrs["Comment"] == "with proof" and image.attrs["Author"] == "Tester <t@example.org>"
        # a child of the container's image, in the tree
        await wait_until(pilot, lambda: image.id in screen.forest.images, 5, "the image in the tree")
        assert screen.forest.parent[image.id] == c.image.id

        await select_image(pilot, screen, image.id)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), 5, "the tag form")
        fill(app.screen, ref=f"{repo}:2")  # type: ignore[arg-type]
        await pilot.press("enter")
        await wait_until(pilot, lambda: f"{repo}:2" in observer.images.get(image.id).tags, 10, "the new tag")

        # remove: a stopped container uses it, so the question names it and says the removal is
        # forced (a plain one would be refused); c would remove the container too
        user = observer.containers.create(image.id, ["sleep", "300"], name=f"user-{run_label}", labels={"dockertui.test": run_label})
        await wait_until(pilot, lambda: user.id in screen.containers, 5, "the user container")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the question")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert f"container user-{run_label} (created)" in question.items
        assert question.title_text.startswith(f"Force-remove image {repo}:1?") and "1 stopped container(s) use it" in question.title_text
        assert [key for key, _, _ in question.options] == ["c"] and question.yes == "force-remove"
        # it starts meanwhile: the engine refuses ("cannot be forced"), and the refusal names the
        # container and the image as the dashboard knows them, not by their IDs
        user.start()
        await wait_until(pilot, lambda: screen.containers[user.id].state == "running", 10, "the start seen")
        await pilot.press("y")
        await wait_until(pilot, lambda: any("cannot be forced" in n.message for n in app._notifications), 10, "the refusal")
        refusal = next(n.message for n in app._notifications if "cannot be forced" in n.message)
        assert f"running container user-{run_label}" in refusal and user.id[:12] not in refusal, refusal
        assert f"delete {repo}:" in refusal and image.id[7:19] not in refusal, refusal
        assert observer.images.get(image.id)
        # running now: nothing is offered
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the question")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.yes is None and "even forced" in question.title_text
        assert f"container user-{run_label} (running)" in question.items
        await pilot.press("escape")
        user.stop(timeout=1)
        await wait_until(pilot, lambda: screen.containers[user.id].state == "exited", 10, "the stop seen")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen.yes is not None, 5, "the question")
        await pilot.press("c", "y")  # the stopped container first, then the image
        await wait_until(pilot, lambda: not observer.images.list(name=repo), 10, "the image removed")
        assert not observer.containers.list(all=True, filters={"id": user.id})
        await wait_until(pilot, lambda: image.id not in screen.forest.images, 5, "the tree without it")


async def test_run_form_publishes_a_port_and_refuses_bad_input(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    web = observer.images.get("demo/web:latest")
    mine = {"label": f"dockertui.test={run_label}"}
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await select_image(pilot, screen, web.id)
        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), 5, "the run form")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values["ports"] == "8080", "defaults from the image's config"
        fill(form, name=f"run-{run_label}", ports="127.0.0.1:80:", labels=f"dockertui.test={run_label}")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "not a port" in form.error_of("ports"), 5, "the port error")
        assert not observer.containers.list(all=True, filters=mine), "nothing created half-way"
        fill(form, ports="127.0.0.1::8080", env="MODE=test", network="demo-net")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), 15, "the form to close")
        made = observer.containers.get(f"run-{run_label}")
        assert made.status == "running"
        bound = made.attrs["NetworkSettings"]["Ports"]["8080/tcp"]
        assert bound[0]["HostIp"] == "127.0.0.1" and int(bound[0]["HostPort"]) > 0
        assert "MODE=test" in made.attrs["Config"]["Env"]
        # the same name again: an error on the name field, nothing created
        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), 5, "the run form again")
        form = app.screen
        assert isinstance(form, FormScreen)
        fill(form, name=f"run-{run_label}", labels=f"dockertui.test={run_label}")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "already in use" in form.error_of("name"), 10, "the name error")
        assert len(observer.containers.list(all=True, filters=mine)) == 1
