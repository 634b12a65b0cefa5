"""Volumes and networks, and which containers use each. Pure: raw engine lists in, rows out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PREDEFINED_NETWORKS = frozenset({"bridge", "host", "none"})


@dataclass(frozen=True, slots=True)
class Volume:
    name: str
    driver: str
    mountpoint: str
    created: str
    users: tuple[str, ...]  # container names
    labels: Mapping[str, str]

    @property
    def anonymous(self) -> bool:
        return len(self.name) == 64 and all(ch in "0123456789abcdef" for ch in self.name)


@dataclass(frozen=True, slots=True)
class Network:
    id: str
    name: str
    driver: str
    scope: str
    internal: bool
    subnet: str
    users: tuple[str, ...]
    labels: Mapping[str, str]

    @property
    def predefined(self) -> bool:
        return self.name in PREDEFINED_NETWORKS


def _name(container: Mapping[str, Any]) -> str:
    names = container.get("Names") or [container.get("Id", "")[:12]]
    return str(names[0]).lstrip("/")


def volume_users(containers: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    users: dict[str, list[str]] = {}
    for c in containers:
        for m in c.get("Mounts") or ():
            if m.get("Type") == "volume" and m.get("Name"):
                users.setdefault(m["Name"], []).append(_name(c))
    return users


def network_users(containers: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Network ID and name → container names. The list API gives each attachment's NetworkID only
    while the container runs; the network's name (the key) is there in every state."""
    users: dict[str, list[str]] = {}
    for c in containers:
        for net_name, net in ((c.get("NetworkSettings") or {}).get("Networks") or {}).items():
            for key in {net_name, (net or {}).get("NetworkID") or net_name}:
                users.setdefault(key, []).append(_name(c))
    return users


def parse_volumes(raw: Mapping[str, Any], containers: list[Mapping[str, Any]]) -> list[Volume]:
    users = volume_users(containers)
    out = [
        Volume(
            name=v["Name"], driver=v.get("Driver", ""), mountpoint=v.get("Mountpoint", ""), created=v.get("CreatedAt", ""),
            users=tuple(sorted(users.get(v["Name"], ()))), labels=dict(v.get("Labels") or {}),
        )
        for v in raw.get("Volumes") or ()
    ]
    return sorted(out, key=lambda v: (v.anonymous, v.name))


def parse_networks(raw: list[Mapping[str, Any]], containers: list[Mapping[str, Any]]) -> list[Network]:
    users = network_users(containers)
    out = []
    for n in raw:
        configs = (n.get("IPAM") or {}).get("Config") or []
        subnet = ", ".join(str(c.get("Subnet")) for c in configs if c.get("Subnet"))
        out.append(Network(
            id=n["Id"], name=n.get("Name", ""), driver=n.get("Driver", ""), scope=n.get("Scope", ""),
            internal=bool(n.get("Internal")), subnet=subnet,
            users=tuple(sorted(set(users.get(n["Id"], ())) | set(users.get(n.get("Name", ""), ())))),
            labels=dict(n.get("Labels") or {}),
        ))
    return sorted(out, key=lambda n: (not n.predefined, n.name))


def unused_volumes(volumes: Iterable[Volume]) -> list[Volume]:
    return [v for v in volumes if not v.users]


def unused_networks(networks: Iterable[Network]) -> list[Network]:
    return [n for n in networks if not n.users and not n.predefined]
