"""Prune with an exact preview: what would go, by category, computed from the engine's lists;
and, just before each removal, whether the item is still what the preview showed. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .resources import PREDEFINED_NETWORKS

STOPPED_STATES = frozenset({"exited", "created", "dead"})
CATEGORIES = (
    ("containers", "Stopped containers", True),
    ("dangling", "Dangling images", True),
    ("images", "Unused images", False),
    ("networks", "Unused networks", True),
    ("volumes", "Unused volumes (their data is lost)", False),
    ("build-cache", "Build cache", True),
)
CATEGORY_TITLES = {key: title for key, title, _ in CATEGORIES}


@dataclass(frozen=True, slots=True)
class PruneItem:
    category: str
    id: str  # what the removal call names: container/image/network ID, volume name, cache ID
    name: str
    size: int  # bytes it frees (an estimate for images: what is not shared)
    detail: str = ""


@dataclass(frozen=True, slots=True)
class PrunePlan:
    items: tuple[PruneItem, ...]
    enabled: frozenset[str] = frozenset(key for key, _, on in CATEGORIES if on)
    excluded: frozenset[str] = frozenset()  # item IDs switched off one by one

    def chosen(self) -> list[PruneItem]:
        return [i for i in self.items if i.category in self.enabled and i.id not in self.excluded]

    def total(self) -> int:
        return sum(i.size for i in self.chosen())

    def toggle_category(self, category: str) -> PrunePlan:
        return replace(self, enabled=self.enabled ^ {category})

    def toggle_item(self, item_id: str) -> PrunePlan:
        return replace(self, excluded=self.excluded ^ {item_id})

    def in_category(self, category: str) -> list[PruneItem]:
        return [i for i in self.items if i.category == category]


def _name(c: Mapping[str, Any]) -> str:
    return str((c.get("Names") or [c.get("Id", "")[:12]])[0]).lstrip("/")


def _untagged(image: Mapping[str, Any]) -> bool:
    return not [t for t in image.get("RepoTags") or () if t != "<none>:<none>"]


def _labelled(obj: Mapping[str, Any], only_label: str | None) -> bool:
    if not only_label:
        return True
    key, _, value = only_label.partition("=")
    return (obj.get("Labels") or {}).get(key) == value


def _ancestors(images: list[Mapping[str, Any]]) -> set[str]:
    """Every image something is built on, through the ParentId chain (classic builds pass
    through untagged intermediates): removing one of them would fail or orphan a child."""
    parent_of = {i["Id"]: i.get("ParentId") or "" for i in images}
    out: set[str] = set()
    for image_id in parent_of:
        parent = parent_of[image_id]
        while parent and parent not in out:
            out.add(parent)
            parent = parent_of.get(parent, "")
    return out


def plan_prune(
    df: Mapping[str, Any],
    networks: Iterable[Mapping[str, Any]],
    only_label: str | None = None,
    all_images: Iterable[Mapping[str, Any]] = (),
) -> PrunePlan:
    """The preview from ``GET /system/df``, ``GET /networks`` and, for the parent chains through
    untagged build steps that df leaves out, ``GET /images/json?all=1``. Stopped containers go first (as
    the engine's own system prune does), so what only they use counts as unused. ``only_label``
    ("key=value") narrows every category to objects carrying that label."""
    containers = list(df.get("Containers") or ())
    images = list(df.get("Images") or ())
    stopped = [c for c in containers if c.get("State") in STOPPED_STATES and _labelled(c, only_label)]
    leaving = {c["Id"] for c in stopped}
    staying = [c for c in containers if c["Id"] not in leaving]
    used_images = {c.get("ImageID") for c in staying}
    users_of: dict[str, list[str]] = {}  # image -> the stopped containers (going first) that use it
    for c in stopped:
        users_of.setdefault(str(c.get("ImageID") or ""), []).append(_name(c))
    parents = _ancestors([*images, *all_images])
    items: list[PruneItem] = [
        PruneItem("containers", c["Id"], _name(c), int(c.get("SizeRw") or 0), f"{c.get('State')} · {c.get('Image', '')}")
        for c in stopped
    ]
    for image in images:
        if image["Id"] in used_images or image["Id"] in parents or not _labelled(image, only_label):
            continue
        size = int(image.get("Size") or 0)
        shared = int(image.get("SharedSize") or 0)
        unique = size - shared if shared > 0 else size
        if _untagged(image):
            items.append(PruneItem("dangling", image["Id"], image["Id"][7:19], unique, "untagged, unused"))
        else:
            tags = ", ".join(image.get("RepoTags") or ())
            users = users_of.get(image["Id"], [])
            why = f"used only by {', '.join(users[:2])}{'…' if len(users) > 2 else ''}, removed above" if users else "no container uses it"
            items.append(PruneItem("images", image["Id"], tags, unique, why))
    used_networks = {name for c in staying for name in ((c.get("NetworkSettings") or {}).get("Networks") or {})}
    for n in networks:
        if n.get("Name") in PREDEFINED_NETWORKS or n.get("Name") in used_networks or not _labelled(n, only_label):
            continue
        if n.get("Containers"):  # attached endpoints (filled by inspect)
            continue
        items.append(PruneItem("networks", n["Id"], n.get("Name", ""), 0, n.get("Driver", "")))
    for v in df.get("Volumes") or ():
        usage = v.get("UsageData") or {}
        if int(usage.get("RefCount", 1)) == 0 and _labelled(v, only_label):
            items.append(PruneItem("volumes", v["Name"], v["Name"], max(0, int(usage.get("Size") or 0)), v.get("Driver", "")))
    for cache in df.get("BuildCache") or ():
        if not cache.get("InUse") and not only_label:
            items.append(PruneItem("build-cache", cache["ID"], cache.get("Description") or cache["ID"][:12],
                                   int(cache.get("Size") or 0), cache.get("Type", "")))
    return PrunePlan(tuple(items))


@dataclass(frozen=True, slots=True)
class PruneReport:
    removed: tuple[PruneItem, ...] = ()
    skipped: tuple[tuple[PruneItem, str], ...] = ()
    failed: tuple[tuple[PruneItem, str], ...] = ()

    @property
    def reclaimed(self) -> int:
        return sum(i.size for i in self.removed)


@dataclass(slots=True)
class Now:
    """The engine's state just before removing: one container listing and what was removed so far."""

    containers: list[Mapping[str, Any]] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)

    def users_of_image(self, image_id: str) -> list[str]:
        return [_name(c) for c in self.containers if c.get("ImageID") == image_id and c["Id"] not in self.removed]


def still_prunable(item: PruneItem, now: Now, inspect: Mapping[str, Any] | None) -> str | None:
    """Why ``item`` must be skipped now, or None. ``inspect`` is the object's fresh inspect
    (None: it is gone)."""
    if inspect is None:
        return "gone already"
    if item.category == "containers":
        state = (inspect.get("State") or {}).get("Status", "")
        if state not in STOPPED_STATES:
            return f"it is {state} now"
    elif item.category in ("dangling", "images"):
        users = now.users_of_image(item.id)
        if users:
            return f"now used by container {', '.join(users[:3])}"
        if item.category == "dangling" and not _untagged(inspect):
            return f"tagged since: {', '.join(inspect.get('RepoTags') or ())}"
    elif item.category == "networks":
        if inspect.get("Containers"):
            return "containers joined it since"
    return None


@dataclass(frozen=True, slots=True)
class UsageRow:
    kind: str
    total: int
    active: int
    size: int
    reclaimable: int


def disk_summary(df: Mapping[str, Any]) -> list[UsageRow]:
    """``docker system df``'s table from ``GET /system/df``."""
    images = list(df.get("Images") or ())
    containers = list(df.get("Containers") or ())
    volumes = list(df.get("Volumes") or ())
    cache = list(df.get("BuildCache") or ())

    def unique(image: Mapping[str, Any]) -> int:
        size, shared = int(image.get("Size") or 0), int(image.get("SharedSize") or 0)
        return size - shared if shared > 0 else size

    image_size = int(df.get("LayersSize") or sum(unique(i) for i in images))
    idle_images = sum(unique(i) for i in images if not int(i.get("Containers") or 0) > 0)
    vol_size = [max(0, int((v.get("UsageData") or {}).get("Size") or 0)) for v in volumes]
    vol_used = [int((v.get("UsageData") or {}).get("RefCount") or 0) > 0 for v in volumes]
    return [
        UsageRow("Images", len(images), sum(1 for i in images if int(i.get("Containers") or 0) > 0), image_size, idle_images),
        UsageRow("Containers", len(containers), sum(1 for c in containers if c.get("State") == "running"),
                 sum(int(c.get("SizeRw") or 0) for c in containers),
                 sum(int(c.get("SizeRw") or 0) for c in containers if c.get("State") != "running")),
        UsageRow("Local volumes", len(volumes), sum(vol_used), sum(vol_size), sum(s for s, u in zip(vol_size, vol_used) if not u)),
        UsageRow("Build cache", len(cache), sum(1 for c in cache if c.get("InUse")), sum(int(c.get("Size") or 0) for c in cache),
                 sum(int(c.get("Size") or 0) for c in cache if not c.get("InUse"))),
    ]
