"""Compose projects as the engine shows them: containers grouped by the labels Compose puts on
them (project, service, container number, one-off), and the order a project's containers are
started, stopped or removed in. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .containers import Container

PROJECT = "com.docker.compose.project"
SERVICE = "com.docker.compose.service"
NUMBER = "com.docker.compose.container-number"
ONEOFF = "com.docker.compose.oneoff"
CONFIG_FILES = "com.docker.compose.project.config_files"
WORKING_DIR = "com.docker.compose.project.working_dir"
DEPENDS_ON = "com.docker.compose.depends_on"  # Compose v2: "db:service_started:false,cache:…"
VERBS = ("start", "stop", "restart", "pause", "unpause", "remove")


def number_of(c: Container) -> int:
    text = c.labels.get(NUMBER, "")
    return int(text) if text.isdigit() else 0


def is_oneoff(c: Container) -> bool:
    """A ``docker compose run`` container, not one of the service's replicas."""
    return c.labels.get(ONEOFF, "").lower() == "true"


@dataclass(frozen=True, slots=True)
class ComposeService:
    name: str
    containers: tuple[Container, ...]  # replicas by number, then one-off containers
    depends_on: tuple[str, ...] = ()

    @property
    def running(self) -> int:
        return sum(1 for c in self.containers if c.state == "running")

    @property
    def total(self) -> int:
        return len(self.containers)

    @property
    def oneoff(self) -> int:
        return sum(1 for c in self.containers if is_oneoff(c))


@dataclass(frozen=True, slots=True)
class Project:
    name: str
    services: tuple[ComposeService, ...]  # in start order
    config_files: tuple[str, ...] = ()
    working_dir: str = ""

    @property
    def containers(self) -> list[Container]:
        return [c for s in self.services for c in s.containers]

    @property
    def running(self) -> int:
        return sum(s.running for s in self.services)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.services)


def _depends(members: Iterable[Container]) -> tuple[str, ...]:
    out: list[str] = []
    for c in members:
        for item in c.labels.get(DEPENDS_ON, "").split(","):
            name = item.split(":", 1)[0].strip()
            if name and name not in out:
                out.append(name)
    return tuple(out)


def start_order(services: dict[str, tuple[str, ...]]) -> list[str]:
    """Service names with each after what it depends on (Compose v2 records it; v1 does not, then
    by name); a cycle or an unknown name does not stop the rest."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting or name not in services:
            return
        visiting.add(name)
        for dep in sorted(services[name]):
            visit(dep)
        visiting.discard(name)
        order.append(name)

    for name in sorted(services):
        visit(name)
    return order


def group_projects(containers: Iterable[Container]) -> list[Project]:
    by_project: dict[str, dict[str, list[Container]]] = {}
    for c in containers:
        project = c.labels.get(PROJECT, "")
        if project:
            by_project.setdefault(project, {}).setdefault(c.labels.get(SERVICE, "") or "?", []).append(c)
    projects = []
    for name, services in sorted(by_project.items()):
        deps = {svc: _depends(members) for svc, members in services.items()}
        built = tuple(
            ComposeService(svc, tuple(sorted(services[svc], key=lambda c: (is_oneoff(c), number_of(c), c.name))), deps[svc])
            for svc in start_order(deps)
        )
        every = [c for members in services.values() for c in members]
        newest = max(every, key=lambda c: c.created)  # the labels of the last `up` describe the project
        files = tuple(f for f in newest.labels.get(CONFIG_FILES, "").split(",") if f)
        projects.append(Project(name, built, files, newest.labels.get(WORKING_DIR, "")))
    return projects


def plan(project: Project, verb: str) -> list[Container]:
    """The containers a project action touches, in order: start and restart follow the start
    order (dependencies first), stop and remove the reverse; each verb only where it applies
    (start what is not running, stop what runs, pause what runs, unpause what is paused)."""
    if verb not in VERBS:
        raise ValueError(f"unknown project action {verb!r}")
    forward = [c for s in project.services for c in s.containers]
    backward = [c for s in reversed(project.services) for c in reversed(s.containers)]
    if verb == "start":
        return [c for c in forward if c.state in ("created", "exited", "dead") and not is_oneoff(c)]
    if verb == "restart":
        return [c for c in forward if not is_oneoff(c) or c.state == "running"]
    if verb == "stop":
        return [c for c in backward if c.state in ("running", "restarting", "paused")]
    if verb == "pause":
        return [c for c in forward if c.state == "running"]
    if verb == "unpause":
        return [c for c in forward if c.state == "paused"]
    return backward  # remove: everything, dependants first
