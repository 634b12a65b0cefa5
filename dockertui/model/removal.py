"""What a removal may offer, so that nothing offered fails: for volumes, networks and images, the
engine's refusals known in advance (a volume any container refers to; a network with running
containers; an image a running container uses, even forced; an image stopped containers use, or
tagged in several repositories, unless forced). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .resources import Holder, Network, Volume

@dataclass(frozen=True, slots=True)
class Removal:
    """What ``d`` on a volume or network may offer, so that nothing offered fails.

    ``blocked``: the engine would refuse (the message says why and what to do first; nothing to
    confirm). Otherwise ``title`` is the question, ``items`` list exactly what is touched and
    ``remove_holders`` names the containers removed before the object itself."""

    title: str
    items: tuple[str, ...]
    blocked: bool = False
    remove_holders: tuple[Holder, ...] = ()
    option: str = ""  # an optional extra a key switches on: removing stopped containers too
    force: bool = False  # images: the removal is forced (the question says why)


def _holder_line(h: Holder) -> str:
    return f"container {h.name} ({h.state or 'unknown state'})"


def plan_volume_removal(volume: Volume, label: str) -> Removal:
    """A volume any container refers to (running or not) can't be removed: the engine refuses
    "volume is in use" until those containers are gone. When none of them runs, the one thing
    offered is to remove those containers and then the volume."""
    holders = volume.holders
    if not holders:
        return Removal(f"Remove volume {label} and everything stored in it?", (f"volume {label}",))
    active = [h for h in holders if h.active]
    if active:
        return Removal(
            f"Volume {label} is in use by {len(holders)} container(s), {len(active)} running: the engine refuses to remove "
            "it while any container refers to it. Stop and remove those containers first (main screen: s, then d).",
            tuple(_holder_line(h) for h in holders), blocked=True)
    return Removal(
        f"Volume {label} is used by {len(holders)} stopped container(s). Remove them, then the volume and everything stored in it?",
        (*(f"{_holder_line(h)}: removed" for h in holders), f"volume {label}: removed"), remove_holders=holders)


def plan_network_removal(network: Network) -> Removal:
    """The engine refuses to remove a network with running containers attached ("active
    endpoints"); stopped ones don't stop it, but could not start again without it, so they are
    named, and removing them too is offered."""
    holders = network.holders
    if not holders:
        return Removal(f"Remove network {network.name}?", (f"network {network.name}",))
    active = [h for h in holders if h.active]
    if active:
        return Removal(
            f"Network {network.name} has {len(active)} running container(s) attached: the engine refuses to remove it "
            "while they are connected. Stop them first (main screen: s), or remove them.",
            tuple(_holder_line(h) for h in holders), blocked=True)
    return Removal(
        f"Remove network {network.name}? These stopped containers are attached to it and could not start without it.",
        (f"network {network.name}", *(_holder_line(h) for h in holders)), remove_holders=holders,
        option=f"also remove the {len(holders)} stopped container(s) attached to it")


def plan_image_removal(label: str, tags: Sequence[str], users: Sequence[Holder], children: Sequence[str], force: bool) -> Removal:
    """``d`` (``force`` False) or ``D`` on an image, removed by ID (every tag). A running container
    keeps it whatever the force ("cannot be forced"): nothing is offered. Stopped containers, or
    tags in more than one repository, need the force: the question says so and ``y`` forces;
    ``c`` removes those stopped containers first. The images built on it are named."""
    items = [f"image {label}", *(f"tag {t}" for t in tags[1:]), *(f"parent of {c}" for c in children)]
    running = [u for u in users if u.active]
    if running:
        return Removal(
            f"Image {label} is used by {len(running)} running container(s): the engine refuses to remove it, even forced. "
            "Stop and remove them first (s, then d on the container).",
            (*items, *(_holder_line(u) for u in users)), blocked=True)
    repositories = {t.rsplit(":", 1)[0] for t in tags}
    needs_force = force or bool(users) or len(repositories) > 1
    verb = "Force-remove" if needs_force else "Remove"
    why = []
    if users:
        why.append(f"{len(users)} stopped container(s) use it (they stay, under <image deleted>, unless c removes them)")
    if len(repositories) > 1:
        why.append(f"it is tagged in {len(repositories)} repositories (every tag goes)")
    title = f"{verb} image {label}?" + (f" Forced: {'; '.join(why)}." if why else "")
    return Removal(title, (*items, *(_holder_line(u) for u in users)), remove_holders=tuple(users),
                   option=f"also remove the {len(users)} stopped container(s) that use it" if users else "",
                   force=needs_force)
