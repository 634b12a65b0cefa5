"""Containers as the engine lists them (``GET /containers/json?all=1``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .fmt import iso_to_epoch
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
    pod: str = ""  # Podman: the name of the pod it belongs to
    infra: bool = False  # Podman: its pod's infra container (holds the namespaces, runs nothing)

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


def with_podman(c: Container, libpod: Mapping[str, Any] | None) -> Container:
    """A list entry completed from Podman's own list (``/libpod/containers/json``): its pod, whether
    it is the pod's infra container, and its health in the status text (the compatible list leaves
    the health out; the libpod list has it as ``Status``)."""
    if not libpod:
        return c
    from dataclasses import replace

    health = str(libpod.get("Status") or "").lower()
    return replace(
        c,
        pod=str(libpod.get("PodName") or (str(libpod.get("Pod") or "")[:12])),
        infra=bool(libpod.get("IsInfra")),
        status=with_health(c.status, health) if health in ("healthy", "unhealthy", "starting") else c.status,
    )


def pod_label(c: Container) -> str:
    """What the table shows for a pod's member: ``pod: web`` (``pod: web (infra)`` for the infra
    container); empty for a container in no pod."""
    if not c.pod:
        return ""
    return f"pod: {c.pod} (infra)" if c.infra else f"pod: {c.pod}"


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


# -- what inspect adds to a list entry (restart loops, health, pods, the image's name) ------------

RESTART_RECENT = 5 * 60.0  # seconds: a restart count that grew this recently is a loop in progress


@dataclass(frozen=True, slots=True)
class Extra:
    """What a container's inspect says beyond its list entry."""

    restart_count: int = 0
    restart_policy: str = ""  # "", "no", "always", "unless-stopped", "on-failure"
    health: str = ""  # "", "starting", "healthy", "unhealthy"
    config_image: str = ""  # the reference it was created from (Config.Image)
    pod: str = ""  # Podman: the pod's name (or ID) this container belongs to
    infra: bool = False  # Podman: the pod's infra container (it holds the namespaces, runs nothing)
    started_at: float = 0.0  # epoch seconds of its last start (State.StartedAt)


def parse_extra(inspect: Mapping[str, Any]) -> Extra:
    """The fields of ``GET /containers/{id}/json`` the table and the problems need. Docker and
    Podman both answer; Podman adds ``Pod`` and ``IsInfra`` and keeps health under ``State.Health``
    (older versions ``State.Healthcheck``)."""
    state = inspect.get("State") or {}
    health = state.get("Health") or state.get("Healthcheck") or {}
    policy = ((inspect.get("HostConfig") or {}).get("RestartPolicy") or {}).get("Name") or ""
    return Extra(
        restart_count=int(inspect.get("RestartCount") or 0),
        restart_policy=str(policy),
        health=str(health.get("Status") or "").lower() if isinstance(health, Mapping) else "",
        config_image=str((inspect.get("Config") or {}).get("Image") or ""),
        pod=str(inspect.get("Pod") or ""),
        infra=bool(inspect.get("IsInfra")),
        started_at=_epoch(state.get("StartedAt")),
    )


_epoch = iso_to_epoch  # Go's RFC 3339 time as epoch seconds (model/fmt.py)


class RestartWatch:
    """Which containers are in a restart loop, for the table: a container with a restart policy
    whose ``RestartCount`` grew in the last :data:`RESTART_RECENT` seconds, or that the engine lists
    as ``restarting``, shows ``restarting`` instead of "running" (between two crashes a
    looping container is briefly running, and would read as healthy); the Status column counts
    the restarts (``×N · exit 1``, :func:`dockertui.model.status.compact`)."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, float]] = {}  # id -> (count, when it last grew)

    def see(self, container_id: str, extra: Extra, now: float) -> None:
        count = extra.restart_count
        if extra.restart_policy in ("", "no"):
            self._seen.pop(container_id, None)
            return
        before = self._seen.get(container_id)
        if before is None:
            # first sight: a count above 0 grew when the container last started
            self._seen[container_id] = (count, extra.started_at if count and extra.started_at else float("-inf"))
        elif count > before[0]:
            self._seen[container_id] = (count, now)
        elif count < before[0]:  # recreated or reset
            self._seen[container_id] = (count, float("-inf"))

    def forget(self, container_id: str) -> None:
        self._seen.pop(container_id, None)

    def knows(self, container_id: str) -> bool:
        """Whether the container has a restart policy seen here (worth a look when it changes)."""
        return container_id in self._seen

    def count(self, container_id: str) -> int:
        return self._seen.get(container_id, (0, 0.0))[0]

    def looping(self, c: Container, now: float) -> bool:
        count, grew = self._seen.get(c.id, (0, float("-inf")))
        return c.state == "restarting" or (c.state == "running" and count > 0 and now - grew <= RESTART_RECENT)

    def label(self, c: Container, now: float) -> str:
        """The state cell: ``restarting`` for a loop, else the container's own state."""
        return "restarting" if self.looping(c, now) else c.state


def with_health(status: str, health: str) -> str:
    """The status text with its health, as Docker writes it (``Up 5 minutes (unhealthy)``):
    Podman's list leaves the health out, inspect has it."""
    if not health or health == "none" or f"({health})" in status or "(health:" in status:
        return status
    if not status.startswith("Up"):
        return status
    shown = "health: starting" if health == "starting" else health
    return f"{status} ({shown})"


def _norm_ref(ref: str) -> str:
    ref = ref.strip()
    for prefix in ("docker.io/library/", "docker.io/", "localhost/"):
        if ref.startswith(prefix):
            ref = ref[len(prefix):]
            break
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last and "@" not in ref:
        ref += ":latest"
    return ref


def image_name_for(tags: Iterable[str], created_from: str, fallback: str) -> str:
    """The name a container's image goes by in its chain: the reference the container was created
    from (``Config.Image``, or the list's ``Image``) when that is still one of the image's tags,
    else ``fallback`` (the image's own first name). ``redis`` matches ``redis:latest`` and
    ``docker.io/library/redis:latest``; Podman's ``localhost/x:1`` matches ``x:1``."""
    wanted = _norm_ref(created_from) if created_from else ""
    if wanted:
        for tag in tags:
            if _norm_ref(tag) == wanted:
                return tag
    return fallback
