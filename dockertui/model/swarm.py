"""Swarm: the engine's cluster role (``/info``), services, tasks, nodes and stacks, as typed
values; the rolling-update progress and what a service row says. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .fmt import iso_to_epoch
from .text import one_line

STACK_LABEL = "com.docker.stack.namespace"
SERVICE_NAME_LABEL = "com.docker.swarm.service.name"
TASK_NAME_LABEL = "com.docker.swarm.task.name"
# task states that are over: a task in one of these never runs again
TASK_ENDED = frozenset({"complete", "shutdown", "failed", "rejected", "orphaned", "remove"})


iso_epoch = iso_to_epoch  # Go's RFC 3339 time as epoch seconds (model/fmt.py)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _version(raw: Mapping[str, Any]) -> int:
    return int(_dict(raw.get("Version")).get("Index") or 0)


# -- the engine's place in a swarm ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SwarmRole:
    """``/info``'s ``Swarm``: ``state`` is inactive, pending, active, error or locked."""

    state: str = "inactive"
    manager: bool = False
    node_id: str = ""
    managers: tuple[str, ...] = ()  # addresses of the managers this node knows
    error: str = ""

    @property
    def usable(self) -> bool:
        """The cluster views can be shown: an active manager."""
        return self.state == "active" and self.manager

    def why_not(self) -> str:
        """Why the cluster views are not offered (empty when they are)."""
        if self.usable:
            return ""
        if self.state in ("", "inactive"):
            return "This engine is not part of a swarm: there is no cluster to show."
        if self.state == "locked":
            return "This swarm manager is locked: unlock it (docker swarm unlock) to see the cluster."
        if self.state == "active":
            where = ", ".join(self.managers) if self.managers else "the swarm's managers"
            return f"This engine is a swarm worker: the cluster views need a manager (connect to {where})."
        detail = f": {self.error}" if self.error else ""
        return f"This engine's swarm state is {self.state}{detail}."


def parse_swarm_role(info: Mapping[str, Any]) -> SwarmRole:
    swarm = _dict(info.get("Swarm"))
    managers = tuple(
        one_line(m.get("Addr"), 100) for m in swarm.get("RemoteManagers") or () if isinstance(m, dict) and m.get("Addr")
    )
    return SwarmRole(
        state=str(swarm.get("LocalNodeState") or "inactive"),
        manager=bool(swarm.get("ControlAvailable")),
        node_id=str(swarm.get("NodeID") or ""),
        managers=managers,
        error=one_line(swarm.get("Error") or "", 300),
    )


# -- services ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpdateStatus:
    state: str  # updating, paused, completed, rollback_started, rollback_paused, rollback_completed
    message: str
    started: float
    completed: float

    @property
    def in_progress(self) -> bool:
        return self.state in ("updating", "rollback_started")


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    version: int
    mode: str  # replicated, global, replicated-job, global-job
    replicas: int | None  # the spec's Replicas (replicated modes only)
    running: int
    desired: int
    image: str
    ports: tuple[str, ...]
    stack: str
    created: float
    updated: float
    update: UpdateStatus | None
    force_update: int
    labels: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    spec: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)  # as read, for an update
    previous: bool = False  # a previous spec exists: rollback is possible

    @property
    def replicas_text(self) -> str:
        return f"{self.running}/{self.desired}"

    @property
    def scalable(self) -> bool:
        return self.mode == "replicated"


def short_image(ref: str) -> str:
    """``busybox:latest@sha256:…`` → ``busybox:latest``."""
    return ref.split("@", 1)[0]


def _ports(endpoint: Mapping[str, Any]) -> tuple[str, ...]:
    out = []
    for p in _dict(endpoint).get("Ports") or _dict(_dict(endpoint).get("Spec")).get("Ports") or ():
        if not isinstance(p, dict):
            continue
        target, published = p.get("TargetPort"), p.get("PublishedPort")
        proto = p.get("Protocol") or "tcp"
        mode = "" if (p.get("PublishMode") or "ingress") == "ingress" else f" ({p.get('PublishMode')})"
        text = f"{published}->{target}/{proto}{mode}" if published else f"{target}/{proto}"
        if text not in out:
            out.append(text)
    return tuple(out)


def parse_service(raw: Mapping[str, Any]) -> Service:
    spec = _dict(raw.get("Spec"))
    mode_raw = _dict(spec.get("Mode"))
    replicas: int | None = None
    if "Replicated" in mode_raw:
        mode = "replicated"
        replicas = int(_dict(mode_raw["Replicated"]).get("Replicas") or 0)
    elif "Global" in mode_raw:
        mode = "global"
    elif "ReplicatedJob" in mode_raw:
        mode = "replicated-job"
    elif "GlobalJob" in mode_raw:
        mode = "global-job"
    else:
        mode = "?"
    status = _dict(raw.get("ServiceStatus"))
    running = int(status.get("RunningTasks") or 0)
    desired = int(status.get("DesiredTasks") if status.get("DesiredTasks") is not None else (replicas or 0))
    update_raw = _dict(raw.get("UpdateStatus"))
    update = None
    if update_raw.get("State"):
        update = UpdateStatus(
            state=str(update_raw["State"]),
            message=one_line(update_raw.get("Message") or "", 300),
            started=iso_epoch(update_raw.get("StartedAt")),
            completed=iso_epoch(update_raw.get("CompletedAt")),
        )
    template = _dict(spec.get("TaskTemplate"))
    labels = {str(k): str(v) for k, v in _dict(spec.get("Labels")).items()}
    return Service(
        id=str(raw["ID"]),
        name=str(spec.get("Name") or raw["ID"]),
        version=_version(raw),
        mode=mode,
        replicas=replicas,
        running=running,
        desired=desired,
        image=short_image(str(_dict(template.get("ContainerSpec")).get("Image") or "")),
        ports=_ports(_dict(raw.get("Endpoint"))),
        stack=labels.get(STACK_LABEL, ""),
        created=iso_epoch(raw.get("CreatedAt")),
        updated=iso_epoch(raw.get("UpdatedAt")),
        update=update,
        force_update=int(template.get("ForceUpdate") or 0),
        labels=labels,
        spec=spec,
        previous=bool(raw.get("PreviousSpec")),
    )


def parse_services(raw: Any) -> list[Service]:
    return sorted((parse_service(s) for s in raw or ()), key=lambda s: (s.stack, s.name))


# -- tasks ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    service_id: str
    slot: int  # 0 for a global service's task (one per node)
    node_id: str
    state: str
    desired: str
    message: str
    error: str
    created: float
    timestamp: float  # when the task entered its state
    container_id: str
    image: str
    version: int

    @property
    def active(self) -> bool:
        """Meant to run (or to be running soon): the task the slot is about now."""
        return self.desired in ("running", "ready", "accepted") or self.state not in TASK_ENDED


def parse_task(raw: Mapping[str, Any]) -> Task:
    status = _dict(raw.get("Status"))
    spec = _dict(raw.get("Spec"))
    return Task(
        id=str(raw["ID"]),
        service_id=str(raw.get("ServiceID") or ""),
        slot=int(raw.get("Slot") or 0),
        node_id=str(raw.get("NodeID") or ""),
        state=str(status.get("State") or "?"),
        desired=str(raw.get("DesiredState") or "?"),
        message=one_line(status.get("Message") or "", 300),
        error=one_line(status.get("Err") or "", 300),
        created=iso_epoch(raw.get("CreatedAt")),
        timestamp=iso_epoch(status.get("Timestamp")),
        container_id=str(_dict(status.get("ContainerStatus")).get("ContainerID") or ""),
        image=short_image(str(_dict(spec.get("ContainerSpec")).get("Image") or "")),
        version=_version(raw),
    )


def parse_tasks(raw: Any) -> list[Task]:
    return [parse_task(t) for t in raw or ()]


def by_slot(tasks: Iterable[Task]) -> list[Task]:
    """Slot by slot (a global service's tasks by node), the newest task of a slot first, so the
    current one heads its history."""
    return sorted(tasks, key=lambda t: (t.slot, t.node_id if not t.slot else "", -t.created))


@dataclass(frozen=True, slots=True)
class Progress:
    """A rolling update as it goes: ``done`` of ``total`` tasks run the new spec."""

    done: int
    total: int


def update_progress(service: Service, tasks: Iterable[Task]) -> Progress:
    """Tasks replaced since the update started, and running, out of the tasks desired. A task is
    new when it was created after the update began (the engine keeps no other per-task mark)."""
    tasks = [t for t in tasks if t.service_id == service.id]
    started = service.update.started if service.update else 0.0
    done = sum(1 for t in tasks if t.desired == "running" and t.state == "running" and t.created >= started)
    return Progress(min(done, service.desired), service.desired)


def update_text(service: Service, tasks: Iterable[Task] | None = None) -> str:
    """What the Update column says: ``updating 2/5``, ``paused: task failed``, ``rollback
    completed``; empty when the service was never updated."""
    up = service.update
    if up is None:
        return ""
    words = up.state.replace("_", " ")
    if up.in_progress:
        if tasks is not None:
            p = update_progress(service, tasks)
            words = f"{words} {p.done}/{p.total}"
        return words
    if up.state in ("paused", "rollback_paused") and up.message:
        return f"{words}: {_reason(up.message)}"
    return words


def _reason(message: str) -> str:
    """The engine's ``update paused due to failure or early termination of task xyz`` said shortly."""
    low = message.lower()
    if "failure" in low or "failed" in low:
        return "task failed"
    return message


# -- nodes ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    hostname: str
    role: str
    leader: bool
    availability: str  # active, pause, drain
    state: str  # ready, down, unknown, disconnected
    engine_version: str
    addr: str
    version: int
    spec: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


def parse_node(raw: Mapping[str, Any]) -> Node:
    spec = _dict(raw.get("Spec"))
    desc = _dict(raw.get("Description"))
    status = _dict(raw.get("Status"))
    manager = _dict(raw.get("ManagerStatus"))
    return Node(
        id=str(raw["ID"]),
        hostname=one_line(desc.get("Hostname") or raw["ID"], 100),
        role=str(spec.get("Role") or "?"),
        leader=bool(manager.get("Leader")),
        availability=str(spec.get("Availability") or "?"),
        state=str(status.get("State") or "?"),
        engine_version=one_line(_dict(desc.get("Engine")).get("EngineVersion") or "", 60),
        addr=one_line(status.get("Addr") or "", 60),
        version=_version(raw),
        spec=spec,
    )


def parse_nodes(raw: Any) -> list[Node]:
    return sorted((parse_node(n) for n in raw or ()), key=lambda n: (n.role != "manager", n.hostname))


def running_per_node(tasks: Iterable[Task]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in tasks:
        if t.state == "running":
            out[t.node_id] = out.get(t.node_id, 0) + 1
    return out


# -- stacks --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stack:
    name: str  # "" for services outside any stack
    services: tuple[str, ...]
    running: int
    desired: int


def group_stacks(services: Iterable[Service]) -> list[Stack]:
    groups: dict[str, list[Service]] = {}
    for s in services:
        groups.setdefault(s.stack, []).append(s)
    return [
        Stack(name, tuple(sorted(s.name for s in members)), sum(s.running for s in members), sum(s.desired for s in members))
        for name, members in sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]


# -- specs for updates (the engine wants the whole spec back, with the version it was read at) ------


def scaled_spec(service: Service, replicas: int) -> dict[str, Any]:
    if not service.scalable:
        raise ValueError(f"{service.name} is a {service.mode} service: it has no replica count")
    if replicas < 0:
        raise ValueError("replicas cannot be negative")
    spec = dict(service.spec)
    spec["Mode"] = {"Replicated": {"Replicas": replicas}}
    return spec


def forced_spec(service: Service) -> dict[str, Any]:
    spec = dict(service.spec)
    template = dict(_dict(spec.get("TaskTemplate")))
    template["ForceUpdate"] = int(template.get("ForceUpdate") or 0) + 1
    spec["TaskTemplate"] = template
    return spec


def availability_spec(node: Node, availability: str) -> dict[str, Any]:
    if availability not in ("active", "pause", "drain"):
        raise ValueError(f"unknown availability {availability!r}")
    spec = dict(node.spec)
    spec["Availability"] = availability
    return spec


# -- the main table: a swarm task's container named by its service and slot ------------------------


def task_display_name(labels: Mapping[str, str]) -> str:
    """``web.2`` for a container of task slot 2 of service web (``web.<node>`` for a global
    service's); empty when the container is not a swarm task's."""
    service = labels.get(SERVICE_NAME_LABEL, "")
    if not service:
        return ""
    task = labels.get(TASK_NAME_LABEL, "")
    rest = task[len(service) + 1 :] if task.startswith(service + ".") else ""
    slot = rest.split(".", 1)[0] if rest.count(".") >= 1 else ""
    if slot.isdigit():
        return f"{service}.{slot}"
    if slot:  # a global service: the node's ID
        return f"{service}.{slot[:12]}"
    return service
