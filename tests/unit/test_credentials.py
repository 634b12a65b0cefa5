"""Credentials found and stored as the docker CLI does (docker.auth underneath), with a real
credential-helper program on PATH; never the user's ~/.docker."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest

from dockertui.engine import credentials as cr
from dockertui.engine.errors import EngineError
from dockertui.engine.login import normalise_registry, refusal

from ..credhelper import install_helper, on_path, stored


def b64(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def write_config(folder: Path, data: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(data))


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # a HOME with its own ~/.docker holding a login: it must never be read when DOCKER_CONFIG is set
    home = tmp_path / "home"
    write_config(home / ".docker", {"auths": {"127.0.0.1:5999": {"auth": b64("home", "nope")}}})
    monkeypatch.setenv("HOME", str(home))
    folder = tmp_path / "cfg"
    folder.mkdir()
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    return folder


def test_registry_names_normalised_as_the_cli_does() -> None:
    assert cr.registry_of("busybox") == "docker.io"
    assert cr.registry_of("index.docker.io/library/busybox:1") == "docker.io"
    assert cr.registry_of("team/app") == "docker.io"
    assert cr.registry_of("localhost/app") == "localhost"
    assert cr.registry_of("127.0.0.1:5000/team/app:1") == "127.0.0.1:5000"
    assert cr.server_key("docker.io") == cr.server_key("index.docker.io") == "https://index.docker.io/v1/"
    assert cr.server_key("https://127.0.0.1:5000/v1/") == "127.0.0.1:5000"
    assert normalise_registry("") == "docker.io"
    assert normalise_registry("https://index.docker.io/v1/") == "docker.io"
    assert normalise_registry("http://127.0.0.1:5000/") == "127.0.0.1:5000"
    with pytest.raises(EngineError):
        normalise_registry("not a host")


def test_auths_entries_found_whatever_their_spelling(cfg: Path) -> None:
    write_config(cfg, {"auths": {"https://index.docker.io/v1/": {"auth": b64("hub", "s1")},
                                 "http://127.0.0.1:5000/v2/": {"auth": b64("loop", "s2")}}})
    hub = cr.find(cr.registry_of("busybox"))
    assert hub is not None and (hub.user, hub.password) == ("hub", "s1")
    loop = cr.find("127.0.0.1:5000")
    assert loop is not None and loop.user == "loop" and "auths" in loop.source
    assert "s2" not in repr(loop)
    header, found = cr.header_for("127.0.0.1:5000/team/app:1")
    assert json.loads(base64.urlsafe_b64decode(header))["password"] == "s2" and found is not None
    header, found = cr.header_for("127.0.0.1:5001/team/app:1")
    assert found is None and json.loads(base64.urlsafe_b64decode(header)) == {}


def test_an_empty_config_folder_never_falls_back_to_home(cfg: Path) -> None:
    assert cr.find("127.0.0.1:5999") is None  # HOME's ~/.docker has it; DOCKER_CONFIG's folder does not
    write_config(cfg, {})
    assert cr.find("127.0.0.1:5999") is None


def test_store_and_erase_in_auths_keep_other_settings_and_mode_0600(cfg: Path) -> None:
    write_config(cfg, {"currentContext": "default", "auths": {"http://127.0.0.1:5000/v1/": {"auth": b64("old", "x")}},
                       "psFormat": "table {{.ID}}"})
    (cfg / "config.json").chmod(0o644)
    where = cr.store("127.0.0.1:5000", "alice", "s3cret")
    path = cfg / "config.json"
    assert where == str(path)
    data = json.loads(path.read_text())
    assert data["currentContext"] == "default" and data["psFormat"] == "table {{.ID}}"
    assert data["auths"] == {"127.0.0.1:5000": {"auth": b64("alice", "s3cret")}}  # the old spelling replaced
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    found = cr.find("127.0.0.1:5000")
    assert found is not None and found.password == "s3cret"
    assert cr.erase("127.0.0.1:5000") == str(path)
    assert json.loads(path.read_text())["auths"] == {} and cr.find("127.0.0.1:5000") is None
    assert cr.erase("127.0.0.1:5000") is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_new_config_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fresh" / "docker"
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    cr.store("docker.io", "bob", "tok")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert list(json.loads((folder / "config.json").read_text())["auths"]) == ["https://index.docker.io/v1/"]
    assert cr.find("index.docker.io") is not None


@pytest.mark.parametrize("key", ["credsStore", "credHelpers"])
def test_a_credential_helper_stores_finds_and_erases(cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    secrets = tmp_path / "helper-store"
    install_helper(tmp_path / "bin", "dtt", secrets)
    monkeypatch.setenv("PATH", on_path(tmp_path / "bin"))
    write_config(cfg, {"credsStore": "dtt"} if key == "credsStore" else {"credHelpers": {"127.0.0.1:5000": "dtt"}})
    assert cr.find("127.0.0.1:5000") is None
    where = cr.store("127.0.0.1:5000", "carol", "pw-in-helper")
    assert where == "docker-credential-dtt"
    assert stored(secrets)["127.0.0.1:5000"]["Secret"] == "pw-in-helper"
    text = (cfg / "config.json").read_text()
    assert "pw-in-helper" not in text and json.loads(text)["auths"] == {"127.0.0.1:5000": {}}
    found = cr.find("127.0.0.1:5000")
    assert found is not None and (found.user, found.password, found.source) == ("carol", "pw-in-helper", "docker-credential-dtt")
    assert [k.where for k in cr.known()] == ["docker-credential-dtt"]
    assert cr.erase("127.0.0.1:5000") == "docker-credential-dtt"
    assert stored(secrets) == {} and cr.find("127.0.0.1:5000") is None


def test_a_missing_or_failing_helper_is_one_sentence_without_the_secret(cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                        capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", on_path(tmp_path / "bin"))
    write_config(cfg, {"credHelpers": {"127.0.0.1:5000": "absent"}})
    with pytest.raises(EngineError) as missing:
        cr.find("127.0.0.1:5000")
    assert missing.value.message == ("The credential helper docker-credential-absent named for 127.0.0.1:5000 is not installed "
                                     "(not on PATH).")
    with pytest.raises(EngineError):
        cr.store("127.0.0.1:5000", "dave", "hunter2")
    assert "hunter2" not in (cfg / "config.json").read_text()
    capfd.readouterr()
    install_helper(tmp_path / "bin", "broken", tmp_path / "s", fail="keyring locked")
    write_config(cfg, {"credsStore": "broken"})
    with pytest.raises(EngineError) as failing:
        cr.store("127.0.0.1:5000", "dave", "hunter2")
    assert "docker-credential-broken failed for 127.0.0.1:5000" in failing.value.message
    assert "keyring locked" in failing.value.message and "hunter2" not in failing.value.message
    assert "hunter2" not in (cfg / "config.json").read_text()
    with pytest.raises(EngineError):
        cr.find("127.0.0.1:5000")
    assert capfd.readouterr().err == ""  # the helper's stderr never reaches the terminal the dashboard draws on


def test_a_broken_config_file_is_one_sentence(cfg: Path) -> None:
    (cfg / "config.json").write_text("{not json")
    with pytest.raises(EngineError) as bad:
        cr.find("docker.io")
    assert "is not valid JSON" in bad.value.message
    write_config(cfg, {"auths": {"127.0.0.1:5000": {"auth": "!!!notbase64"}}})
    with pytest.raises(EngineError) as bad_entry:
        cr.find("127.0.0.1:5000")
    assert "unreadable credentials" in bad_entry.value.message


def test_refusals_are_one_sentence() -> None:
    none = refusal('Head "http://r:5000/v2/x/manifests/1": no basic auth credentials', "r:5000", had_credentials=False)
    assert none == "r:5000 wants a login and none is stored for it: log in with Y (or docker login r:5000)."
    expired = refusal("unauthorized: authentication required", "r:5000", had_credentials=True, user="alice")
    assert expired == "r:5000 refused the stored credentials for alice (wrong or expired): log in again with Y."
    tls = refusal("x509: certificate signed by unknown authority", "r:443", had_credentials=True)
    assert tls is not None and "certificate" in tls and "self-signed" in tls
    assert refusal("manifest unknown", "r:5000", had_credentials=False) is None
