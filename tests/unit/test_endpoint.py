"""Endpoint resolution follows the docker CLI: --context > -H > DOCKER_HOST > DOCKER_CONTEXT > currentContext."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dockertui.engine.endpoint import DEFAULT_HOST, EndpointError, resolve_endpoint


def make_context(cfg: Path, name: str, host: str, tls: bool = False, skip_verify: bool = False) -> None:
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = cfg / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(
        json.dumps({"Name": name, "Metadata": {}, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_verify}}})
    )
    if tls:
        tdir = cfg / "contexts" / "tls" / digest / "docker"
        tdir.mkdir(parents=True)
        for f in ("ca.pem", "cert.pem", "key.pem"):
            (tdir / f).write_text("x")


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    cfg = tmp_path / "home" / ".docker"
    cfg.mkdir(parents=True)
    make_context(cfg, "ctx-flag", "unix:///ctx/flag.sock")
    make_context(cfg, "ctx-env", "unix:///ctx/env.sock")
    make_context(cfg, "ctx-current", "tcp://current.example:2376", tls=True)
    (cfg / "config.json").write_text(json.dumps({"currentContext": "ctx-current"}))
    return {"HOME": str(tmp_path / "home")}


# (--context, -H, DOCKER_HOST, DOCKER_CONTEXT, expected host, expected source)
TABLE = [
    ("ctx-flag", None, "unix:///env/host.sock", "ctx-env", "unix:///ctx/flag.sock", "context 'ctx-flag'"),
    (None, "unix:///flag/host.sock", "unix:///env/host.sock", "ctx-env", "unix:///flag/host.sock", "--host"),
    (None, None, "unix:///env/host.sock", "ctx-env", "unix:///env/host.sock", "DOCKER_HOST"),
    (None, None, None, "ctx-env", "unix:///ctx/env.sock", "context 'ctx-env'"),
    (None, None, None, None, "tcp://current.example:2376", "context 'ctx-current'"),
    ("default", None, "unix:///env/host.sock", None, DEFAULT_HOST, "--context default"),
    (None, None, None, "default", DEFAULT_HOST, "DOCKER_CONTEXT=default"),
]


@pytest.mark.parametrize(("context", "host", "env_host", "env_context", "want", "source"), TABLE)
def test_resolution_order(home, context, host, env_host, env_context, want, source) -> None:
    env = dict(home)
    if env_host:
        env["DOCKER_HOST"] = env_host
    if env_context:
        env["DOCKER_CONTEXT"] = env_context
    ep = resolve_endpoint(context=context, host=host, env=env)
    assert (ep.host, ep.source) == (want, source)


def test_docker_config_overrides_home(tmp_path: Path, home) -> None:
    cfg = tmp_path / "elsewhere"
    cfg.mkdir()
    make_context(cfg, "other", "unix:///other.sock")
    (cfg / "config.json").write_text(json.dumps({"currentContext": "other"}))
    ep = resolve_endpoint(env={**home, "DOCKER_CONFIG": str(cfg)})
    assert ep.host == "unix:///other.sock" and ep.context == "other"


def test_no_config_means_default_socket(tmp_path: Path) -> None:
    ep = resolve_endpoint(env={"HOME": str(tmp_path)})
    assert ep.host == DEFAULT_HOST and ep.tls is None


def test_context_tls_material(home) -> None:
    ep = resolve_endpoint(env=home)
    assert ep.tls is not None and ep.tls.verify
    assert ep.tls.ca is not None and ep.tls.ca.name == "ca.pem"


def test_env_tls(tmp_path: Path) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    for f in ("ca.pem", "cert.pem", "key.pem"):
        (certs / f).write_text("x")
    env = {"HOME": str(tmp_path), "DOCKER_HOST": "tcp://10.0.0.9", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certs)}
    ep = resolve_endpoint(env=env)
    assert ep.host == "tcp://10.0.0.9:2376"
    assert ep.tls is not None and ep.tls.verify and ep.tls.cert == certs / "cert.pem"
    plain = resolve_endpoint(env={"HOME": str(tmp_path), "DOCKER_HOST": "tcp://10.0.0.9"})
    assert plain.host == "tcp://10.0.0.9:2375" and plain.tls is None


@pytest.mark.parametrize("host", ["npipe:////./pipe/docker_engine", "fd://"])
def test_unsupported_schemes_are_refused_clearly(tmp_path: Path, host: str) -> None:
    with pytest.raises(EndpointError, match="not supported"):
        resolve_endpoint(host=host, env={"HOME": str(tmp_path)})


@pytest.mark.parametrize(
    ("url", "user", "host", "port", "socket"),
    [
        ("ssh://box", None, "box", None, None),
        ("ssh://me@box.example.org:2222", "me", "box.example.org", 2222, None),
        ("ssh://root@127.0.0.1:22/run/podman/podman.sock", "root", "127.0.0.1", 22, "/run/podman/podman.sock"),
        ("ssh://[::1]:2200/", None, "[::1]", 2200, None),
        ("ssh://a.b@host/var/run/docker.sock", "a.b", "host", None, "/var/run/docker.sock"),
    ],
)
def test_ssh_urls_resolve(tmp_path: Path, url: str, user, host: str, port, socket) -> None:
    ep = resolve_endpoint(host=url, env={"HOME": str(tmp_path)})
    target = ep.ssh
    assert target is not None and (target.user, target.host, target.port, target.socket) == (user, host, port, socket)
    assert ep.tls is None or ep.host.startswith("ssh://")


def test_ssh_from_docker_host_and_context(home, tmp_path: Path) -> None:
    assert resolve_endpoint(env={**home, "DOCKER_HOST": "ssh://me@box"}).ssh.user == "me"
    make_context(Path(home["HOME"]) / ".docker", "remote", "ssh://ops@far:2022")
    env = {**home, "DOCKER_CONTEXT": "remote"}
    ep = resolve_endpoint(env=env)
    assert ep.ssh is not None and (ep.ssh.user, ep.ssh.host, ep.ssh.port) == ("ops", "far", 2022)
    assert ep.label == "remote (ssh://ops@far:2022)"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ssh://", "no usable host"),
        ("ssh://me:secret@box", "password"),
        ("ssh://box:99999", "bad port"),
        ("ssh://box:x", "bad port"),
        ("ssh://-oProxyCommand=evil", "no usable host"),
        ("ssh://box?x=1", "query"),
        ("ssh://@box", "empty user"),
    ],
)
def test_bad_ssh_urls_say_why(tmp_path: Path, url: str, why: str) -> None:
    with pytest.raises(EndpointError, match=why) as err:
        resolve_endpoint(host=url, env={"HOME": str(tmp_path)})
    assert "ssh://[user@]host" in err.value.fix or "password" in err.value.fix


def test_context_and_host_conflict(tmp_path: Path) -> None:
    with pytest.raises(EndpointError, match="conflicting"):
        resolve_endpoint(context="x", host="unix:///a", env={"HOME": str(tmp_path)})


def test_missing_context(home) -> None:
    with pytest.raises(EndpointError, match="context 'nope' does not exist") as err:
        resolve_endpoint(env={**home, "DOCKER_CONTEXT": "nope"})
    assert "docker context ls" in err.value.fix


def test_malformed_config_names_the_place(tmp_path: Path) -> None:
    cfg = tmp_path / ".docker"
    cfg.mkdir()
    (cfg / "config.json").write_text('{"currentContext": "x",\n oops}')
    with pytest.raises(EndpointError, match=r"not valid JSON \(line 2") as err:
        resolve_endpoint(env={"HOME": str(tmp_path)})
    assert str(cfg / "config.json") in err.value.fix


def test_malformed_context_meta(home) -> None:
    cfg = Path(home["HOME"]) / ".docker"
    digest = hashlib.sha256(b"ctx-env").hexdigest()
    (cfg / "contexts" / "meta" / digest / "meta.json").write_text("{")
    with pytest.raises(EndpointError, match="not valid JSON"):
        resolve_endpoint(env={**home, "DOCKER_CONTEXT": "ctx-env"})


def test_bare_path_and_bare_host() -> None:
    assert resolve_endpoint(host="/tmp/d.sock", env={}).host == "unix:///tmp/d.sock"
    assert resolve_endpoint(host="box:1234", env={}).host == "tcp://box:1234"


def test_contexts_are_listed_like_docker_context_ls(tmp_path) -> None:  # noqa: ANN001
    import hashlib
    import json

    from dockertui.engine.endpoint import list_contexts

    for name, host in (("prod", "ssh://admin@prod"), ("lab", "tcp://10.0.0.5:2376")):
        meta = tmp_path / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
        meta.mkdir(parents=True)
        (meta / "meta.json").write_text(json.dumps({"Name": name, "Endpoints": {"docker": {"Host": host}}}))
    assert list_contexts({"DOCKER_CONFIG": str(tmp_path)}) == [
        ("default", "unix:///var/run/docker.sock"), ("lab", "tcp://10.0.0.5:2376"), ("prod", "ssh://admin@prod")]


def test_short_names_for_the_engines_overview() -> None:
    from dockertui.engine.endpoint import resolve_endpoint

    assert resolve_endpoint(host="unix:///var/run/docker.sock", env={}).short_name == "local"
    assert resolve_endpoint(host="tcp://10.0.0.5:2376", env={}).short_name == "10.0.0.5:2376"
