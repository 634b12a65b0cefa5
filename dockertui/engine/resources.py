"""Volumes and networks: listed with the containers that use them, created, removed. Replies are
parsed here, under the error translation."""

from __future__ import annotations

import asyncio
from typing import Any

from ..model.resources import Network, Volume, parse_networks, parse_volumes
from .client import Engine
from .errors import EngineError


async def _containers(engine: Engine) -> list[dict[str, Any]]:
    raw = await engine.call("GET", "containers/json", "the container list", params={"all": "1"})
    return [c for c in raw if isinstance(c, dict)] if isinstance(raw, list) else []


async def volumes(engine: Engine) -> list[Volume]:
    raw, containers = await asyncio.gather(engine.call("GET", "volumes", "the volume list"), _containers(engine))
    try:
        return parse_volumes(raw, containers)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise EngineError(f"The volume list came back in a shape dockertui does not know ({exc}).", kind="not-docker") from None


async def networks(engine: Engine) -> list[Network]:
    raw, containers = await asyncio.gather(engine.call("GET", "networks", "the network list"), _containers(engine))
    try:
        return parse_networks(raw, containers)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise EngineError(f"The network list came back in a shape dockertui does not know ({exc}).", kind="not-docker") from None


async def remove_volume(engine: Engine, name: str) -> None:
    await engine.call("DELETE", f"volumes/{name}", f"volume {name}")


async def create_volume(engine: Engine, name: str, labels: dict[str, str]) -> str:
    made = await engine.call("POST", "volumes/create", f"volume {name}", body={"Name": name, "Labels": labels})
    return str(made.get("Name", name)) if isinstance(made, dict) else name


async def remove_network(engine: Engine, network_id: str, name: str) -> None:
    await engine.call("DELETE", f"networks/{network_id}", f"network {name}")


async def create_network(engine: Engine, name: str, driver: str, labels: dict[str, str], internal: bool) -> None:
    body: dict[str, Any] = {"Name": name, "Driver": driver or "bridge", "Labels": labels, "CheckDuplicate": True}
    if internal:
        body["Internal"] = True
    await engine.call("POST", "networks/create", f"network {name}", body=body)
