"""Registries as people use them: a real password-protected registry on loopback (htpasswd,
bcrypt), credentials from ``auths`` and from a real credential-helper program, login and logout
through the app's form, the tags a registry has, and the sentences for what goes wrong. Every
test has its own DOCKER_CONFIG folder: ~/.docker is never read or written."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import docker
import pytest

from dockertui.engine import credentials as cr
from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.engine.errors import EngineError
from dockertui.engine.login import login
from dockertui.engine.transfer import pull, push
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.screens.registries import LoginScreen, RegistriesScreen
from dockertui.ui.screens.transferview import PullScreen
from seed import build_image

from ..conftest import AuthRegistry
from ..credhelper import install_helper, on_path, stored
from ..helpers import wait_loaded, wait_until

pytestmark = pytest.mark.engine


def auths(folder: Path, registry: str, user: str, password: str) -> None:
    entry = base64.b64encode(f"{user}:{password}".encode()).decode()
    (folder / "config.json").write_text(json.dumps({"auths": {registry: {"auth": entry}}}))


async def drain(stream: object) -> list[dict]:
    return [m async for m in stream]  # type: ignore[attr-defined]


def error_of(messages: list[dict]) -> str:
    return next((m["error"] for m in messages if m.get("error")), "")


@pytest.fixture
async def engine(engine_host: str) -> Engine:
    e = Engine(resolve_endpoint(host=engine_host, env={}), use_disk_cache=False)
    await e.connect()
    yield e
    await e.close()


@pytest.fixture
def pushed_image(observer: docker.DockerClient, auth_registry: AuthRegistry, run_label: str) -> tuple[str, str]:
    """A local image tagged for the protected registry: (repository, image ID)."""
    repo = f"{auth_registry.host}/dtt-{run_label}/app"
    image_id = build_image(observer, f"FROM demo/base:latest\nRUN echo {run_label} > /made\n", f"{repo}:1", {"dockertui.test": run_label})
    return repo, image_id


async def test_pull_and_push_with_credentials_from_auths_and_a_helper(
    demo_engine: str, engine: Engine, auth_registry: AuthRegistry, pushed_image: tuple[str, str], docker_config: Path,
    observer: docker.DockerClient, run_label: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, image_id = pushed_image
    host, user = auth_registry.host, auth_registry.user

    # nothing stored: the registry's refusal is one sentence that says what to do
    messages = await drain(push(engine, f"{repo}:1"))
    assert error_of(messages) == f"{host} wants a login and none is stored for it: log in with Y (or docker login {host})."

    # auths in $DOCKER_CONFIG/config.json (the key in a legacy URL spelling, as old CLIs wrote it)
    auths(docker_config, f"http://{host}/v1/", user, auth_registry.password)
    messages = await drain(push(engine, f"{repo}:1"))
    assert error_of(messages) == "" and any(m.get("aux", {}).get("Digest") for m in messages)
    observer.images.remove(f"{repo}:1", force=True)
    assert error_of(await drain(pull(engine, f"{repo}:1"))) == ""
    assert observer.images.get(f"{repo}:1").id == image_id

    # a wrong (or expired) password: one sentence naming the user
    auths(docker_config, host, user, "not-the-password")
    observer.images.remove(f"{repo}:1", force=True)
    with pytest.raises(EngineError) as refused:
        await drain(pull(engine, f"{repo}:1"))
    assert refused.value.message == f"{host} refused the stored credentials for {user} (wrong or expired): log in again with Y."
    assert "not-the-password" not in refused.value.message

    # an identity token the registry no longer takes (expired)
    (docker_config / "config.json").write_text(json.dumps({"auths": {host: {"identitytoken": "expired-token"}}}))
    with pytest.raises(EngineError) as expired:
        await drain(pull(engine, f"{repo}:1"))
    assert expired.value.message == f"{host} refused the stored credentials (wrong or expired): log in again with Y."

    # a credential helper named for this registry (credHelpers), a real program on PATH
    secrets = tmp_path / "helper-secrets"
    install_helper(tmp_path / "bin", "dtt", secrets)
    monkeypatch.setenv("PATH", on_path(tmp_path / "bin"))
    (docker_config / "config.json").write_text(json.dumps({"credHelpers": {host: "dtt"}}))
    cr.store(host, user, auth_registry.password)
    assert stored(secrets)[host]["Username"] == user
    assert auth_registry.password not in (docker_config / "config.json").read_text()
    assert error_of(await drain(pull(engine, f"{repo}:1"))) == ""
    assert observer.images.get(f"{repo}:1").id == image_id
    assert "get" in (secrets / "calls.log").read_text().split()

    # the helper missing: one sentence, nothing sent
    (docker_config / "config.json").write_text(json.dumps({"credHelpers": {host: "gone"}}))
    with pytest.raises(EngineError) as missing:
        await drain(pull(engine, f"{repo}:1"))
    assert missing.value.message.startswith(f"The credential helper docker-credential-gone named for {host} is not installed")

    # a login to a registry the engine cannot reach: one sentence, nothing stored
    with pytest.raises(EngineError) as unreachable:
        await login(engine, "127.0.0.1:1", user, "whatever-pw")
    assert unreachable.value.message == "The engine cannot reach 127.0.0.1:1 (connection refused, no route or no DNS); nothing was stored."
    assert "127.0.0.1:1" not in (docker_config / "config.json").read_text()

    # run from an image that is not here: pulled first with the stored credentials, as `docker run` does
    (docker_config / "config.json").write_text(json.dumps({"credsStore": "dtt"}))
    observer.images.remove(f"{repo}:1", force=True)
    cid = await engine.run_container("", {"Image": f"{repo}:1", "Cmd": ["true"], "Labels": {"dockertui.test": run_label}})
    assert observer.containers.get(cid).image.id == image_id


async def test_login_form_stores_a_working_login_then_logout_removes_it(
    demo_engine: str, auth_registry: AuthRegistry, pushed_image: tuple[str, str], docker_config: Path,
    observer: docker.DockerClient, tmp_path: Path,
) -> None:
    repo, image_id = pushed_image
    host, user, password = auth_registry.host, auth_registry.user, auth_registry.password
    observer.images.get(image_id).tag(repo, "2")
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("Y")
        screen = app.screen
        assert isinstance(screen, RegistriesScreen)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, LoginScreen)
        form.query_one("#field-registry").value = host
        form.query_one("#field-user").value = user
        form.query_one("#field-password").focus()
        await pilot.press(*"nope", "enter")
        await wait_until(pilot, lambda: "refused" in form.error, 30, "the refusal")
        assert form.error == f"{host} refused the login for {user}: wrong user name, password or token."
        assert form.query_one("#field-password").value == "" and not (docker_config / "config.json").exists()

        await pilot.press(*password, "enter")
        assert all(password not in repr(w) and password not in w.description for w in app.workers)
        await wait_until(pilot, lambda: app.screen is screen, 30, "the login")
        path = docker_config / "config.json"
        assert json.loads(path.read_text())["auths"][host]["auth"] == base64.b64encode(f"{user}:{password}".encode()).decode()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        await wait_until(pilot, lambda: [e.server for e in screen.entries] == [host], 10, "the login listed")
        assert password not in "".join(str(n.message) for n in app._notifications)
        await pilot.press("escape")

        # push both tags with the stored login, then pull one of them: the form lists the tags
        main = app.screen
        assert isinstance(main, MainScreen)
        for tag in ("1", "2"):
            assert not error_of([m async for m in push(main.engine, f"{repo}:{tag}")])
        observer.images.remove(image_id, force=True)
        await pilot.press("u")
        pull_screen = app.screen
        assert isinstance(pull_screen, PullScreen)
        pull_screen.query_one("#field-ref").value = repo
        await wait_until(pilot, lambda: pull_screen.tags_state == "listed", 20, "the tags")
        assert pull_screen.tags == ["1", "2"]
        pull_screen.query_one("#pull-tags").focus()
        await pilot.press("down", "enter")
        assert pull_screen.query_one("#field-ref").value == f"{repo}:2"
        await pilot.press("enter")
        await wait_until(pilot, lambda: pull_screen.state in ("done", "failed"), 60, "the pull")
        assert pull_screen.state == "done", pull_screen.result
        assert observer.images.get(f"{repo}:2").id == image_id
        await pilot.press("escape")

        # log out: asked first, then the entry is gone and a pull says a login is needed
        await pilot.press("Y")
        screen = app.screen
        assert isinstance(screen, RegistriesScreen)
        await wait_until(pilot, lambda: bool(screen.entries), 10, "the list")
        await pilot.press("x", "y")
        await wait_until(pilot, lambda: not screen.entries, 10, "the logout")
        assert json.loads(path.read_text())["auths"] == {}
        with pytest.raises(EngineError) as refused:
            [m async for m in pull(main.engine, f"{repo}:1")]
        assert "wants a login and none is stored" in refused.value.message


async def test_tags_say_plainly_when_the_registry_cannot_be_reached_or_refuses(
    demo_engine: str, auth_registry: AuthRegistry, docker_config: Path, tmp_path: Path,
) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("u")
        screen = app.screen
        assert isinstance(screen, PullScreen)
        screen.query_one("#field-ref").value = f"127.0.0.1:{closed}/team/app:1"
        await wait_until(pilot, lambda: screen.tags_state == "failed" and screen.tags_for.endswith("team/app"), 20, "the failure")
        status = str(screen.query_one("#pull-tags-status").content)
        assert status.startswith(f"Cannot reach the registry 127.0.0.1:{closed} (") and "type the tag yourself" in status
        screen.query_one("#field-ref").value = f"{auth_registry.host}/team/app"
        await wait_until(pilot, lambda: screen.tags_state == "failed" and screen.tags_for.startswith(auth_registry.host), 20, "the refusal")
        assert str(screen.query_one("#pull-tags-status").content) == (
            f"{auth_registry.host} wants a login to list tags and none is stored for it: log in with Y.")


def test_docker_config_option_names_the_folder_for_contexts_and_logins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess
    import sys

    from dockertui.cli import use_docker_config

    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"currentContext": "nowhere", "auths": {"127.0.0.1:5999": {"auth": "dTpwdw=="}}}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")} | {"HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "dockertui", "--docker-config", str(folder), "--check"],
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 2 and "context 'nowhere' does not exist" in out.stderr, out.stderr
    monkeypatch.delenv("DOCKER_CONFIG", raising=False)
    use_docker_config(str(folder))  # what the option does before anything is resolved
    assert cr.folder_of() == folder
    found = cr.find("127.0.0.1:5999")
    assert found is not None and (found.user, found.password) == ("u", "pw")
