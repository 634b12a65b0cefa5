"""Shared fixtures. Integration tests drive the project's private engine, started here if needed
(``scripts/engine.sh start``); they never touch another engine on the machine."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

# the one-node swarm of the tests' own (.engine-swarm/): registered here once, so one session
# fixture serves every module that uses it
from .swarmengine import swarm_engine, web_service  # noqa: E402, F401


def _engine_host() -> str:
    subprocess.run([str(ROOT / "scripts" / "engine.sh"), "start"], check=True, capture_output=True)
    out = subprocess.run([str(ROOT / "scripts" / "engine.sh"), "host"], check=True, capture_output=True, text=True)
    return out.stdout.strip()


@pytest.fixture(scope="session")
def engine_host() -> str:
    """The private engine's URL. Tests never fall back to the user's engine."""
    host = _engine_host()
    state = Path(os.environ.get("DOCKERTUI_ENGINE_DIR") or ROOT / ".engine").resolve()
    assert host == f"unix://{state}/docker.sock", host
    return host


@pytest.fixture(scope="session")
def observer(engine_host: str) -> Iterator[docker.DockerClient]:
    """The docker SDK: the independent observer of what dockertui did."""
    client = docker.DockerClient(base_url=engine_host, timeout=120)
    yield client
    client.close()


@pytest.fixture(scope="session")
def demo_engine(engine_host: str, observer: docker.DockerClient) -> str:
    """The private engine with the demo seed in place (idempotent)."""
    from seed import seed_demo

    seed_demo(observer)
    return engine_host


@pytest.fixture
def run_label(observer: docker.DockerClient) -> Iterator[str]:
    """A label value unique to one test; everything the test creates carries ``dockertui.test=<it>``
    and is removed afterwards, by that label only."""
    value = uuid.uuid4().hex[:10]
    yield value
    flt = {"label": f"dockertui.test={value}"}
    for c in observer.containers.list(all=True, filters=flt):
        c.remove(force=True)
    for n in observer.networks.list(filters=flt):
        n.remove()
    for v in observer.volumes.list(filters=flt):
        v.remove(force=True)
    # Children first; an image with a same-layers child (a LABEL-only build) may need a second pass.
    for _ in range(5):
        left = observer.images.list(filters=flt)
        if not left:
            break
        for img in sorted(left, key=lambda i: (len(i.attrs["RootFS"]["Layers"]), i.attrs["Created"]), reverse=True):
            try:
                observer.images.remove(img.id, force=True)
            except docker.errors.APIError:
                pass  # NotFound: gone with a tag; 409: a child is still there, next pass
    assert not observer.images.list(filters=flt), "test images left behind"


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """A fresh on-disk image cache for one test (pass it as ``cache_root``)."""
    return tmp_path / "cache"


def _registry(flavour: str) -> str:
    script = str(ROOT / "scripts" / "registry.sh")
    subprocess.run([script, "start", flavour], check=True, capture_output=True, timeout=300)
    out = subprocess.run([script, "host", flavour], check=True, capture_output=True, text=True)
    return out.stdout.strip()


@pytest.fixture(scope="session")
def second_engine(engine_host: str) -> Iterator[str]:
    """A second private engine beside the first (its own dockerd under .engine-second/), with the
    demo base image; stopped at the end of the session."""
    state = ROOT / ".engine-second"
    env = {**os.environ, "DOCKERTUI_ENGINE_DIR": str(state)}
    script = str(ROOT / "scripts" / "engine.sh")
    subprocess.run([script, "start"], check=True, capture_output=True, env=env, timeout=300)
    host = subprocess.run([script, "host"], check=True, capture_output=True, text=True, env=env).stdout.strip()
    from seed import base_image

    client = docker.DockerClient(base_url=host, timeout=120)
    base_image(client, "demo/base:latest", {"dockertui.demo": "1"})
    client.close()
    yield host
    subprocess.run([script, "stop"], capture_output=True, env=env, timeout=120)


class Sshd:
    """The private test sshd (``scripts/sshd.sh``) on loopback: its port and folder (keys, known_hosts)."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port = port
        self.dir = folder

    def url(self, engine_host: str, user: str = "root") -> str:
        """ssh:// URL of the private engine through this sshd (the URL path names the engine's socket)."""
        return f"ssh://{user}@127.0.0.1:{self.port}{engine_host.removeprefix('unix://')}"

    def client_config(self, where: Path, key: str = "id_test", known_hosts: str | None = "known_hosts", batch: bool = True) -> Path:
        """An ssh client config in ``where`` (a test's temp folder) for --ssh-config: only the test's key,
        known_hosts copied there (None: an empty one), no agent, never ~/.ssh."""
        where.mkdir(parents=True, exist_ok=True)
        known = where / "known_hosts"
        known.write_text((self.dir / known_hosts).read_text() if known_hosts else "")
        config = where / "ssh_config"
        config.write_text(
            "Host *\n"
            f"    IdentityFile {self.dir / key}\n"
            "    IdentitiesOnly yes\n"
            "    IdentityAgent none\n"
            f"    UserKnownHostsFile {known}\n"
            "    GlobalKnownHostsFile /dev/null\n"
            "    UpdateHostKeys no\n"
            "    PasswordAuthentication no\n"
            "    KbdInteractiveAuthentication no\n"
            + ("    BatchMode yes\n    StrictHostKeyChecking yes\n" if batch else "    StrictHostKeyChecking ask\n")
        )
        return config


@pytest.fixture(scope="session")
def sshd(engine_host: str) -> Iterator[Sshd]:
    """A real sshd on a free loopback port, started here and stopped at the session's end."""
    script = str(ROOT / "scripts" / "sshd.sh")
    subprocess.run([script, "start"], check=True, capture_output=True, timeout=600)
    port = int(subprocess.run([script, "port"], check=True, capture_output=True, text=True).stdout)
    folder = Path(subprocess.run([script, "dir"], check=True, capture_output=True, text=True).stdout.strip())
    yield Sshd(port, folder)
    subprocess.run([script, "stop"], capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def registry(engine_host: str) -> Iterator[str]:
    """Debian's docker-registry on loopback (``scripts/registry.sh``), open to all, on a free port of
    this checkout's own: host:port for image refs. Stopped at the end of the session."""
    yield _registry("open")
    subprocess.run([str(ROOT / "scripts" / "registry.sh"), "stop", "open"], capture_output=True, timeout=30)


@dataclass(frozen=True)
class AuthRegistry:
    host: str  # 127.0.0.1:PORT
    user: str
    password: str


@pytest.fixture(scope="session")
def auth_registry(engine_host: str) -> Iterator[AuthRegistry]:
    """A second loopback registry that wants a login (htpasswd, bcrypt): host, user and password.
    Stopped at the end of the session."""
    host = _registry("auth")
    out = subprocess.run([str(ROOT / "scripts" / "registry.sh"), "credentials", "auth"], check=True, capture_output=True, text=True)
    user, password = out.stdout.split()
    yield AuthRegistry(host, user, password)
    subprocess.run([str(ROOT / "scripts" / "registry.sh"), "stop", "auth"], capture_output=True, timeout=30)


@pytest.fixture
def docker_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty docker config folder of the test's own, in DOCKER_CONFIG: tests never read or write
    ~/.docker."""
    folder = tmp_path / "docker-config"
    folder.mkdir()
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    return folder


@pytest.fixture(scope="session")
def podman_host() -> Iterator[str]:
    """A private Podman service (``scripts/podman.sh``: its own socket, storage and
    containers.conf under .podman/), started for the session and stopped at its end."""
    PODMAN = ROOT / "scripts" / "podman.sh"
    subprocess.run([str(PODMAN), "start"], check=True, capture_output=True, timeout=600)
    out = subprocess.run([str(PODMAN), "host"], check=True, capture_output=True, text=True)
    yield out.stdout.strip()
    subprocess.run([str(PODMAN), "stop"], capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def podman(podman_host: str) -> Iterator[docker.DockerClient]:
    """The docker SDK on the Podman service, with ``pod/base:1`` (the static busybox, built
    through the API as the seed does): the observer for the Podman tests."""
    from seed import base_image

    client = docker.DockerClient(base_url=podman_host, timeout=300)
    try:
        client.images.get("pod/base:1")
    except docker.errors.ImageNotFound:
        base_image(client, "pod/base:1", {"dockertui.podman": "1"})
    yield client
    client.close()
