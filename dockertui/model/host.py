"""One engine's state, outside any screen: its images and containers, the forest built from them,
the actions in progress, the event journal and the problems. It takes a listing or the answer to
a refresh plan and says what changed; screens are views of it. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .containers import Container, RestartWatch, count_states
from .events import EngineEvent, Refresh
from .forest import Forest, build_forest
from .ids import known_names
from .images import Image
from .journal import EventJournal, ProblemTracker
from .status import StatusClock
from .system import SystemInfo

# how a host's connection stands, for the header and the engines overview
CONNECTING, CONNECTED, DISCONNECTED, FAILED = "connecting", "connected", "disconnected", "failed"


@dataclass(frozen=True, slots=True)
class Change:
    """What one listing or refresh changed."""

    images: bool = False  # the image set (so the forest) changed
    containers: frozenset[str] = frozenset()  # containers added, changed or removed
    first: bool = False  # the first listing since start
    problems: bool = False  # the problems list changed

    def __bool__(self) -> bool:
        return self.images or bool(self.containers) or self.first or self.problems


class HostState:
    """The state of one engine. Mutated only through its methods, each returning a :class:`Change`."""

    def __init__(self, events_keep: int = 1000) -> None:
        self.info: SystemInfo | None = None
        self.images: dict[str, Image] = {}
        self.containers: dict[str, Container] = {}
        self.show_intermediate = False
        self.forest: Forest = build_forest([])
        self.loaded = False
        self.doing: dict[str, str] = {}  # container ID -> the action in progress ("stopping…")
        self.inflight: set[str] = set()  # containers whose engine call has not returned yet
        self.journal = EventJournal(events_keep)
        self.problems = ProblemTracker()
        self.restarts = RestartWatch()  # restart loops: "restarting" rather than "running"
        self.clock = StatusClock()  # start and finish times behind the table's compact status

    def id_names(self) -> dict[str, str]:
        """Full hex ID → name, for every container and named image: what messages name them by."""
        return known_names(((c.id, c.name) for c in self.containers.values()), ((i.id, i.name) for i in self.images.values()))

    # -- listings and refreshes -----------------------------------------------------------------

    def load(self, info: SystemInfo, images: Iterable[Image], containers: Iterable[Container]) -> Change:
        """A full listing: the first one, a reconnect's or a reconciliation's."""
        self.info = info
        fresh_images = {i.id: i for i in images}
        fresh_containers = {c.id: c for c in containers}
        first = not self.loaded
        images_changed = first or fresh_images != self.images
        changed = {cid for cid, c in fresh_containers.items() if self.containers.get(cid) != c}
        changed |= self.containers.keys() - fresh_containers.keys()
        self.images, self.containers = fresh_images, fresh_containers
        self.clock.keep_only(fresh_containers)
        for cid in list(self.doing):
            if cid not in self.inflight:
                del self.doing[cid]  # whatever was in progress has ended one way or the other
        if images_changed:
            self._rebuild()
        problems = False
        if first:  # problems already visible in the first listing
            self.problems.seed((c.id, c.name, c.state, c.status) for c in self.containers.values())
            problems = len(self.problems) > 0
        self.loaded = True
        return Change(images=images_changed, containers=frozenset(changed), first=first, problems=problems)

    def apply(self, plan: Refresh, fresh: Iterable[Container], images: Mapping[str, Image | None]) -> Change:
        """The answer to a refresh plan: the named containers as listed now, the named images as
        inspected now (None: gone)."""
        fresh = list(fresh)
        seen = {c.id for c in fresh}
        changed: set[str] = set()
        for cid in plan.gone_containers | (plan.containers - seen):
            if self.containers.pop(cid, None) is not None:
                changed.add(cid)
            self.doing.pop(cid, None)
        for c in fresh:
            if self.containers.get(c.id) != c:
                changed.add(c.id)
            self.containers[c.id] = c
            if c.id not in self.inflight and self.doing.pop(c.id, None) is not None:
                changed.add(c.id)
        images_changed = False
        for image_id, image in images.items():
            if image is None:
                images_changed |= self.images.pop(image_id, None) is not None
            elif self.images.get(image.id) != image:
                self.images[image.id] = image
                images_changed = True
        if images_changed:
            self._rebuild()
        return Change(images=images_changed, containers=frozenset(changed))

    def set_intermediate(self, show: bool) -> None:
        self.show_intermediate = show

    def _rebuild(self) -> None:
        self.forest = build_forest(self.images.values(), show_intermediate=self.show_intermediate)

    # -- actions in progress ----------------------------------------------------------------------

    def begin(self, container_id: str, doing: str) -> None:
        self.doing[container_id] = doing
        self.inflight.add(container_id)

    def end(self, container_id: str, failed: bool) -> None:
        """The engine call returned. A failed one clears its note at once (nothing will change);
        a successful one keeps it until the container's re-read."""
        self.inflight.discard(container_id)
        if failed:
            self.doing.pop(container_id, None)

    def busy(self, container_id: str) -> str | None:
        """What is in progress on the container, if an engine call for it is still running."""
        return self.doing.get(container_id) if container_id in self.inflight else None

    def state_labels(self, containers: Iterable[Container], now: float) -> dict[str, str]:
        """The state cell of containers in a restart loop (``restarting``), by ID."""
        return {c.id: self.restarts.label(c, now) for c in containers if self.restarts.looping(c, now)}

    # -- events --------------------------------------------------------------------------------------

    def start_failures(self, inspects: Iterable[Mapping[str, Any]]) -> bool:
        """Containers still "created" whose start failed (``State.Error``): problems, since the
        engine reports no event for it. True when the problems changed."""
        changed = False
        for inspect in inspects:
            state = inspect.get("State") or {}
            error = str(state.get("Error") or "")
            cid = str(inspect.get("Id") or "")
            if error and state.get("Status") == "created" and cid in self.containers:
                changed |= self.problems.start_failed(cid, self.containers[cid].name, error)
        return changed

    def record(self, events: Iterable[EngineEvent]) -> bool:
        """Journal the events and feed the problem tracker; True when the problems changed."""
        events = list(events)
        self.clock.learn(events)
        for event in events:
            self.journal.add(event)
        return self.problems.feed(events)

    # -- figures ---------------------------------------------------------------------------------------

    @property
    def counts(self) -> tuple[int, int]:
        """Containers running, in all."""
        total = count_states(self.containers.values())
        return total.running, total.total
