"""Containers as the engine lists them (``GET /containers/json?all=1``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .swarm import task_display_name

COMPOSE_PROJECT = "com.docker.compose.project"


@dataclass(frozen=True, slots=True)
class Port:
    private: int
    proto: str
    public: int | None = None
    ip: str | None = None

    def __str__(self) -> str:
        if self.public is None:
            return f"{self.private}/{self.proto}"
        host = self.ip if self.ip and self.ip not in ("0.0.0.0", "::") else ""
        prefix = f"{host}:" if host else ""
        if ":" in host:
            prefix = f"[{host}]:"
        return f"{prefix}{self.public}->{self.private}/{self.proto}"


@dataclass(frozen=True, slots=True)
class Container:
    id: str
    name: str
    image_id: str
    image: str
    state: str
    status: str
    created: float
    command: str = ""
    ports: tuple[Port, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def compose_project(self) -> str:
        return self.labels.get(COMPOSE_PROJECT, "")

    @property
    def display_name(self) -> str:
        """The name the table shows: a swarm task's container as its service and slot
        (``web.2``, not ``web.2.r4nd0m1d``), any other container by its name."""
        return task_display_name(self.labels) or self.name

    @property
    def running(self) -> bool:
        return self.state in ("running", "paused", "restarting")

    @property
    def ports_text(self) -> str:
        return format_ports(self.ports)


def format_ports(ports: Iterable[Port]) -> str:
    """Published ports first, IPv4/IPv6 duplicates of one mapping shown once."""
    seen: list[str] = []
    for port in sorted(ports, key=lambda p: (p.public is None, p.private, p.proto, p.ip or "")):
        if port.public is not None and port.ip == "::":
            twin = Port(port.private, port.proto, port.public, "0.0.0.0")
            if str(twin) in seen:
                continue
        text = str(port)
        if text not in seen:
            seen.append(text)
    return ", ".join(seen)


def parse_container(raw: Mapping[str, Any]) -> Container:
    names = raw.get("Names") or []
    name = names[0].lstrip("/") if names else raw.get("Id", "")[:12]
    ports = tuple(
        Port(
            private=int(p.get("PrivatePort", 0)),
            proto=p.get("Type", "tcp"),
            public=p.get("PublicPort"),
            ip=p.get("IP"),
        )
        for p in raw.get("Ports") or ()
    )
    return Container(
        id=raw["Id"],
        name=name,
        image_id=raw.get("ImageID", ""),
        image=raw.get("Image", ""),
        state=(raw.get("State") or "").lower(),
        status=raw.get("Status") or "",
        created=float(raw.get("Created") or 0),
        command=raw.get("Command") or "",
        ports=ports,
        labels=dict(raw.get("Labels") or {}),
    )


@dataclass(frozen=True, slots=True)
class Counts:
    running: int
    total: int


def count_states(containers: Iterable[Container]) -> Counts:
    running = total = 0
    for c in containers:
        total += 1
        running += c.state == "running"
    return Counts(running, total)
