"""A one-node Swarm on a private engine of the tests' own (``.engine-swarm/``, a second dockerd
started by ``scripts/engine.sh``): free ports for the cluster and data paths, the busybox base
image built into it as ``scripts/seed.py`` does. At the end the swarm is left and that engine
stopped by its pidfile. The fixtures are registered in tests/conftest.py."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".engine-swarm"
IMAGE = "swarmtest/busybox:latest"


def free_port(kind: int = socket.SOCK_STREAM, low: int = 20000, high: int = 32000) -> int:
    """A port nobody uses now, in the range the swarm accepts (its data path port must be below
    49152), picked at random so that concurrent checkouts do not collide."""
    for _ in range(200):
        port = random.randint(low, high)
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found")


def _engine(*args: str) -> str:
    env = {**os.environ, "DOCKERTUI_ENGINE_DIR": str(STATE)}
    out = subprocess.run([str(ROOT / "scripts" / "engine.sh"), *args], check=True, capture_output=True, text=True, env=env, timeout=180)
    return out.stdout.strip()


class SwarmEngine:
    def __init__(self, host: str, client: docker.DockerClient) -> None:
        self.host = host
        self.client = client


@pytest.fixture(scope="session")
def swarm_engine() -> Iterator[SwarmEngine]:
    from seed import base_image

    _engine("start")
    host = _engine("host")
    client = docker.DockerClient(base_url=host, timeout=120)
    try:
        if client.info().get("Swarm", {}).get("LocalNodeState") != "active":
            port = free_port()
            client.swarm.init(advertise_addr=f"127.0.0.1:{port}", listen_addr=f"127.0.0.1:{port}",
                              data_path_port=free_port(socket.SOCK_DGRAM))
        try:
            client.images.get(IMAGE)
        except docker.errors.ImageNotFound:
            base_image(client, IMAGE, {"dockertui.test": "swarm"})
        yield SwarmEngine(host, client)
    finally:
        try:
            for svc in client.services.list():
                svc.remove()
            client.swarm.leave(force=True)
        except Exception:  # noqa: BLE001 - the engine may be gone already; stopping it is what matters
            pass
        client.close()
        _engine("stop")


# sh as PID 1 ignores SIGTERM: trap it so a rolling restart replaces tasks at once
LOOP = 'trap "exit 0" TERM; i=0; while true; do i=$((i+1)); echo "tick $i from $(hostname)"; sleep 1 & wait; done'


@pytest.fixture
def web_service(swarm_engine: SwarmEngine) -> Iterator[docker.models.services.Service]:
    """A replicated service of 2 busybox tasks that log a line a second; removed afterwards."""
    from docker.types import ServiceMode

    name = f"web-{uuid.uuid4().hex[:6]}"
    svc = swarm_engine.client.services.create(
        IMAGE, ["sh", "-c", LOOP], name=name, mode=ServiceMode("replicated", replicas=2),
        labels={"dockertui.test": name}, stop_grace_period=1_000_000_000,
    )
    yield svc
    try:
        svc.remove()
    except docker.errors.NotFound:
        pass
