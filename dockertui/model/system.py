"""What the header says about the engine (``/version`` + ``/info``)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SystemInfo:
    engine_id: str
    name: str
    server_version: str
    api_version: str
    os: str
    arch: str
    containers: int
    running: int
    images: int
    swarm: str = ""
    product: str = "Docker"


def parse_system(version: Mapping[str, Any], info: Mapping[str, Any]) -> SystemInfo:
    components = version.get("Components") or []
    product = "Docker"
    if any("podman" in str(c.get("Name", "")).lower() for c in components):
        product = "Podman"
    engine_id = str(info.get("ID") or info.get("Name") or "unknown")
    if product == "Podman":
        # Podman makes up a new ID on every /info: key by what stays, the host and its storage
        root = str(info.get("DockerRootDir") or "")
        digest = hashlib.sha256(root.encode()).hexdigest()[:12]
        engine_id = f"podman-{info.get('Name') or 'host'}-{digest}"
    return SystemInfo(
        engine_id=engine_id,
        name=str(info.get("Name") or ""),
        server_version=str(version.get("Version") or "?"),
        api_version=str(version.get("ApiVersion") or "?"),
        os=str(version.get("Os") or info.get("OSType") or "?"),
        arch=str(version.get("Arch") or info.get("Architecture") or "?"),
        containers=int(info.get("Containers") or 0),
        running=int(info.get("ContainersRunning") or 0),
        images=int(info.get("Images") or 0),
        swarm=str((info.get("Swarm") or {}).get("LocalNodeState") or ""),
        product=product,
    )
