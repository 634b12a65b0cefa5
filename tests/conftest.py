"""Shared fixtures. Integration tests drive the project's private engine, started here if needed
(``scripts/engine.sh start``); they never touch another engine on the machine."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


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


@pytest.fixture(scope="session")
def registry(engine_host: str) -> str:
    """Debian's docker-registry on loopback (``scripts/registry.sh``): host:port for image refs."""
    subprocess.run([str(ROOT / "scripts" / "registry.sh"), "start"], check=True, capture_output=True, timeout=300)
    out = subprocess.run([str(ROOT / "scripts" / "registry.sh"), "host"], check=True, capture_output=True, text=True)
    return out.stdout.strip()


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
