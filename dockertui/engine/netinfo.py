"""A container's IP addresses, from its inspect (``NetworkSettings``): one per network that gave
it one. Engines without a bridge (the project's private one) or ``--network none`` give none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .client import Engine
from .errors import EngineError


def parse_addresses(inspect: Any) -> list[tuple[str, str]]:
    """(network, address) pairs, IPv4 before IPv6, in the engine's network order."""
    if not isinstance(inspect, Mapping):
        raise EngineError("The container's inspect is not a JSON object.", kind="api")
    settings = inspect.get("NetworkSettings") or {}
    if not isinstance(settings, Mapping):
        return []
    out: list[tuple[str, str]] = []
    networks = settings.get("Networks") or {}
    if isinstance(networks, Mapping):
        for name, net in networks.items():
            if isinstance(net, Mapping):
                for key in ("IPAddress", "GlobalIPv6Address"):
                    value = net.get(key)
                    if isinstance(value, str) and value:
                        out.append((str(name), value))
    top = settings.get("IPAddress")
    if isinstance(top, str) and top and all(ip != top for _, ip in out):
        out.append(("default", top))
    return out


async def addresses(engine: Engine, container_id: str) -> list[tuple[str, str]]:
    raw = await engine.inspect_container(container_id)
    return parse_addresses(raw)
