"""Engine events (``GET /events``) as typed values, and what each one asks the app to re-read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Container actions after which the container is gone; the rest change it.
CONTAINER_GONE = frozenset({"destroy"})
CONTAINER_CHANGES = frozenset({
    "create", "start", "restart", "die", "stop", "kill", "oom", "pause", "unpause", "rename", "update",
    "health_status", "destroy",
})
NETWORK_CHANGES_CONTAINER = frozenset({"connect", "disconnect"})
# What the subscription asks for: these types feed the screen and the events view.
EVENT_TYPES = ("container", "image", "volume", "network")
IMAGE_CHANGES = frozenset({"pull", "tag", "untag", "delete", "load", "import", "commit", "push", "save"})


@dataclass(frozen=True, slots=True)
class EngineEvent:
    type: str
    action: str
    actor_id: str
    time_nano: int
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def since(self) -> str:
        """This event's time as the ``since=`` of a resubscription."""
        return f"{self.time_nano // 10**9}.{self.time_nano % 10**9:09d}"


def parse_event(raw: Mapping[str, Any]) -> EngineEvent:
    actor = raw.get("Actor") or {}
    action = str(raw.get("Action") or raw.get("status") or "")
    attributes = dict(actor.get("Attributes") or {})
    # health_status arrives as "health_status: healthy"; exec_* actions carry the command too.
    action, _, detail = action.partition(":")
    action = action.strip()
    if action == "health_status" and detail.strip():
        attributes["health_status"] = detail.strip()
    time_nano = int(raw.get("timeNano") or int(raw.get("time") or 0) * 10**9)
    return EngineEvent(
        type=str(raw.get("Type") or ""),
        action=action,
        actor_id=str(actor.get("ID") or raw.get("id") or ""),
        time_nano=time_nano,
        attributes=attributes,
    )


@dataclass(frozen=True, slots=True)
class Refresh:
    """What a batch of events asks for: containers to re-read or drop, images to re-read."""

    containers: frozenset[str] = frozenset()
    gone_containers: frozenset[str] = frozenset()
    images: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.containers or self.gone_containers or self.images)


def plan_refresh(events: list[EngineEvent]) -> Refresh:
    """Coalesce a burst: each object is read once, however many events named it."""
    containers: set[str] = set()
    gone: set[str] = set()
    images: set[str] = set()
    for ev in events:
        if ev.type == "container" and ev.action in CONTAINER_CHANGES:
            if ev.action in CONTAINER_GONE:
                gone.add(ev.actor_id)
                containers.discard(ev.actor_id)
            else:
                containers.add(ev.actor_id)
                gone.discard(ev.actor_id)
        elif ev.type == "image" and ev.action in IMAGE_CHANGES:
            images.add(ev.actor_id)
        elif ev.type == "network" and ev.action in NETWORK_CHANGES_CONTAINER:
            # a container joined or left a network: its row's networks changed
            cid = ev.attributes.get("container", "")
            if cid and cid not in gone:
                containers.add(cid)
    return Refresh(frozenset(containers), frozenset(gone), frozenset(images))
