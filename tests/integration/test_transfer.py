"""Push to and pull from a real registry with progress; build from a folder; save and load a tar."""

from __future__ import annotations

import json
import tarfile
import urllib.request
from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.confirm import ConfirmScreen
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.screens.transferview import BuildScreen, LoadScreen, PullScreen, PushScreen, SaveScreen
from seed import build_image

from ..helpers import plain, wait_loaded, wait_until

pytestmark = pytest.mark.engine


def fill(screen: object, **values: str) -> None:
    for key, value in values.items():
        screen.query_one(f"#field-{key}").value = value  # type: ignore[attr-defined]


async def test_push_then_pull_with_progress(demo_engine: str, registry: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    repo = f"{registry}/dtt-{run_label}/blob"
    image_id = build_image(observer, "FROM demo/base:latest\nRUN dd if=/dev/urandom of=/blob bs=1024 count=2000\n", f"{repo}:1",
                           {"dockertui.test": run_label})
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_until(pilot, lambda: image_id in main.tree._node_of, 10, "the image in the tree")
        main.tree.focus()
        main.tree.move_cursor(main.tree._node_of[image_id])
        await wait_until(pilot, lambda: main.tree.selected == image_id, 5, "the image selected")
        await pilot.press("U")
        push = app.screen
        assert isinstance(push, PushScreen)
        assert push.values["ref"] == f"{repo}:1"
        assert f"goes to {repo}:1" in plain(push.query_one("#push-destination"))  # a registry of its own: as typed
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the question")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.title_text == f"Push {repo}:1 to {repo}:1?" and "PUBLIC" not in question.title_text
        assert f"destination {repo}:1" in question.items
        assert push.state == "ready"
        await pilot.press("y")
        await wait_until(pilot, lambda: push.state in ("done", "failed"), 60, "the push")
        assert push.state == "done", push.result
        assert push.progress.layers and all(layer.done for layer in push.progress.layers)
        assert any(layer.status == "Pushed" for layer in push.progress.layers)
        assert push.progress.digest.startswith("sha256:") and push.progress.events > 3
        tags = json.load(urllib.request.urlopen(f"http://{registry}/v2/dtt-{run_label}/blob/tags/list", timeout=10))
        assert tags["tags"] == ["1"]
        await pilot.press("escape")

        observer.images.remove(image_id, force=True)  # gone locally: the pull must download a layer
        await pilot.press("u")
        pull = app.screen
        assert isinstance(pull, PullScreen)
        fill(pull, ref=f"{repo}:1")
        await pilot.press("enter")
        await wait_until(pilot, lambda: pull.state in ("done", "failed"), 60, "the pull")
        assert pull.state == "done", pull.result
        statuses = {layer.status for layer in pull.progress.layers}
        assert "Pull complete" in statuses and pull.progress.fraction == 1.0
        assert observer.images.get(f"{repo}:1").id == image_id
        # a tag the registry does not have: one clear line
        fill(pull, ref=f"{repo}:nope")
        await pilot.press("enter")
        await wait_until(pilot, lambda: pull.state == "failed", 30, "the failure")
        assert "not found" in pull.result or "manifest unknown" in pull.result
        assert "Traceback" not in pull.result
        fill(pull, ref="Bad Ref")
        await pilot.press("enter")
        assert "not a valid repository" in str(pull.query_one("#error-ref").content)  # type: ignore[attr-defined]
    observer.images.remove(f"{repo}:1", force=True)


async def test_a_push_to_docker_hub_states_the_destination_and_waits_for_y(demo_engine: str, tmp_path: Path) -> None:
    """demo/base:latest has no registry in its name: the push would go to Docker Hub. The form
    and the question say docker.io/demo/base:latest and that it is public; enter, even pressed
    again, pushes nothing; escape comes back to the form, still ready. (Nothing is sent anywhere.)"""
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        base = next(i for i in main.forest.images.values() if "demo/base:latest" in i.tags)
        main.tree.focus()
        main.tree.move_cursor(main.tree._node_of[base.id])
        await wait_until(pilot, lambda: main.tree.selected == base.id, 5, "the image selected")
        await pilot.press("U")
        push = app.screen
        assert isinstance(push, PushScreen)
        await wait_until(pilot, lambda: "docker.io" in plain(push.query_one("#push-destination")), 5, "the destination line")
        line = plain(push.query_one("#push-destination"))
        assert "goes to docker.io/demo/base:latest" in line and "public" in line
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5, "the question")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.title_text == "PUBLIC REGISTRY: push demo/base:latest to docker.io/demo/base:latest?"
        assert "destination docker.io/demo/base:latest" in question.items
        assert any("anyone can pull this image" in item for item in question.items)
        assert "y push to docker.io" in plain(question.query_one("#confirm-keys"))
        await pilot.press("enter")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen is question and push.state == "ready"
        await pilot.press("escape")
        assert app.screen is push and push.state == "ready"
        fill(push, ref="team/other:2")  # not a tag of this image: said in the form, nothing asked
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.screen is push and "Tag it first" in plain(push.query_one("#error-ref"))


async def test_build_save_and_load(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(f"FROM demo/base:latest\nLABEL dockertui.test={run_label}\nCOPY . /ctx/\nRUN test ! -e /ctx/secret.env && cat /ctx/hello\n")
    (context / "hello").write_text("hello from the context\n")
    (context / "secret.env").write_text("no\n")
    (context / ".dockerignore").write_text("secret.env\n")
    tag = f"dtt-{run_label}/built:1"
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("B")
        screen = app.screen
        assert isinstance(screen, BuildScreen)
        fill(screen, folder=str(context), tag=tag)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.state in ("done", "failed"), 60, "the build")
        assert screen.state == "done", screen.result
        assert any(line.startswith("Step 3/4 : COPY . /ctx/") for line in screen.progress.lines)
        assert "hello from the context" in "\n".join(screen.progress.lines)
        built = observer.images.get(tag)
        assert built.labels["dockertui.test"] == run_label
        await pilot.press("escape")

        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_until(pilot, lambda: built.id in main.tree._node_of, 10, "the built image in the tree")
        main.tree.focus()
        main.tree.move_cursor(main.tree._node_of[built.id])
        await wait_until(pilot, lambda: main.tree.selected == built.id, 5, "selected")
        await pilot.press("S")
        saver = app.screen
        assert isinstance(saver, SaveScreen)
        target = tmp_path / "built.tar"
        fill(saver, path=str(target))
        await pilot.press("enter")
        await wait_until(pilot, lambda: saver.state in ("done", "failed"), 60, "the save")
        assert saver.state == "done", saver.result
        with tarfile.open(target) as tar:
            assert "manifest.json" in tar.getnames()
        await pilot.press("escape")

        observer.images.remove(tag, force=True)
        await pilot.press("L")
        loader = app.screen
        assert isinstance(loader, LoadScreen)
        fill(loader, path=str(target))
        await pilot.press("enter")
        await wait_until(pilot, lambda: loader.state in ("done", "failed"), 60, "the load")
        assert loader.state == "done", loader.result
        assert f"Loaded image: {tag}" in loader.result
        assert observer.images.get(tag).id == built.id


async def test_build_context_follows_the_docker_cli_dockerignore_rules(demo_engine: str, observer: docker.DockerClient,
                                                                        run_label: str, tmp_path: Path) -> None:
    """`**`, `!` exceptions and root-anchored patterns, as the docker CLI reads them; built through
    the app's own build code, checked in the image through the SDK."""
    from dockertui.engine.client import Engine
    from dockertui.engine.transfer import build

    context = tmp_path / "ctx"
    files = {".env": "SECRET=1", "sub/deep/x.env": "SECRET=2", "keep/important.env": "kept", "secret-root": "no",
             "sub/secret-root": "yes", "hello": "hi", "logs/a.log": "no", "logs/keep.log": "yes"}
    for rel, text in files.items():
        (context / rel).parent.mkdir(parents=True, exist_ok=True)
        (context / rel).write_text(text)
    (context / "Dockerfile").write_text(f"FROM demo/base:latest\nLABEL dockertui.test={run_label}\nCOPY . /ctx/\n")
    (context / ".dockerignore").write_text("# comment\n**/*.env\n!keep/important.env\n/secret-root\nlogs\n!logs/keep.log\n")
    tag = f"dtt-{run_label}/ignore:1"
    engine = Engine(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path / "cache")
    try:
        await engine.connect()
        messages = [m async for m in build(engine, context, tag)]
    finally:
        await engine.close()
    assert not any("error" in m for m in messages), messages
    listing = observer.containers.run(tag, ["find", "/ctx", "-type", "f"], remove=True).decode().split()
    present = {p.removeprefix("/ctx/") for p in listing}
    assert present == {"keep/important.env", "sub/secret-root", "hello", "logs/keep.log", "Dockerfile", ".dockerignore"}, present
