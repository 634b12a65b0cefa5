"""Volumes and networks, and which containers use each. Pure: raw engine lists in, rows out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PREDEFINED_NETWORKS = frozenset({"bridge", "host", "none"})
ACTIVE = frozenset({"running", "paused", "restarting"})  # a container in these states holds its network


@dataclass(frozen=True, slots=True)
class Holder:
    """A container that uses a volume or network: its ID, name and state."""

    id: str
    name: str
    state: str

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


@dataclass(frozen=True, slots=True)
class Volume:
    name: str
    driver: str
    mountpoint: str
    created: str
    users: tuple[str, ...]  # container names
    labels: Mapping[str, str]
    holders: tuple[Holder, ...] = ()  # the same containers, with their IDs and states

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
    holders: tuple[Holder, ...] = ()

    @property
    def predefined(self) -> bool:
        return self.name in PREDEFINED_NETWORKS


def _name(container: Mapping[str, Any]) -> str:
    names = container.get("Names") or [container.get("Id", "")[:12]]
    return str(names[0]).lstrip("/")


def _holder(container: Mapping[str, Any]) -> Holder:
    return Holder(str(container.get("Id", "")), _name(container), str(container.get("State", "")))


def volume_users(containers: Iterable[Mapping[str, Any]]) -> dict[str, list[Holder]]:
    users: dict[str, list[Holder]] = {}
    for c in containers:
        for m in c.get("Mounts") or ():
            if m.get("Type") == "volume" and m.get("Name"):
                users.setdefault(m["Name"], []).append(_holder(c))
    return users


def network_users(containers: Iterable[Mapping[str, Any]]) -> dict[str, list[Holder]]:
    """Network ID and name → the containers attached. The list API gives each attachment's
    NetworkID only while the container runs; the network's name (the key) is there in every state."""
    users: dict[str, list[Holder]] = {}
    for c in containers:
        for net_name, net in ((c.get("NetworkSettings") or {}).get("Networks") or {}).items():
            for key in {net_name, (net or {}).get("NetworkID") or net_name}:
                users.setdefault(key, []).append(_holder(c))
    return users


def _sorted(holders: Iterable[Holder]) -> tuple[Holder, ...]:
    return tuple(sorted(set(holders), key=lambda h: (h.name, h.id)))


def parse_volumes(raw: Mapping[str, Any], containers: list[Mapping[str, Any]]) -> list[Volume]:
    users = volume_users(containers)
    out = []
    for v in raw.get("Volumes") or ():
        holders = _sorted(users.get(v["Name"], ()))
        out.append(Volume(
            name=v["Name"], driver=v.get("Driver", ""), mountpoint=v.get("Mountpoint", ""), created=v.get("CreatedAt", ""),
            users=tuple(h.name for h in holders), labels=dict(v.get("Labels") or {}), holders=holders,
        ))
    return sorted(out, key=lambda v: (v.anonymous, v.name))


def parse_networks(raw: list[Mapping[str, Any]], containers: list[Mapping[str, Any]]) -> list[Network]:
    users = network_users(containers)
    out = []
    for n in raw:
        configs = (n.get("IPAM") or {}).get("Config") or []
        subnet = ", ".join(str(c.get("Subnet")) for c in configs if c.get("Subnet"))
        holders = _sorted([*users.get(n["Id"], ()), *users.get(n.get("Name", ""), ())])
        out.append(Network(
            id=n["Id"], name=n.get("Name", ""), driver=n.get("Driver", ""), scope=n.get("Scope", ""),
            internal=bool(n.get("Internal")), subnet=subnet, users=tuple(h.name for h in holders),
            labels=dict(n.get("Labels") or {}), holders=holders,
        ))
    return sorted(out, key=lambda n: (not n.predefined, n.name))


def unused_volumes(volumes: Iterable[Volume]) -> list[Volume]:
    return [v for v in volumes if not v.users]


def unused_networks(networks: Iterable[Network]) -> list[Network]:
    return [n for n in networks if not n.users and not n.predefined]

