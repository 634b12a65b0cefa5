"""``dockertui tree``: the image forest with its containers on stdout, as text or JSON."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from .engine.client import Engine
from .engine.endpoint import Endpoint
from .engine.errors import EngineError
from .model.containers import Container
from .model.fmt import human_age, human_size, short_id
from .model.forest import Forest, build_forest
from .model.images import Image
from .style import STATE_STYLE



async def run_tree(endpoint: Endpoint, fmt: str, intermediate: bool, disk_cache: bool) -> int:
    engine = Engine(endpoint, use_disk_cache=disk_cache)
    try:
        await engine.connect()
        images = await engine.images(intermediate=intermediate)
        containers = await engine.containers()
    except EngineError as exc:
        print(f"dockertui: {exc.message} {exc.fix}".rstrip(), file=sys.stderr)
        return 1
    finally:
        await engine.close()
    forest = build_forest(images, show_intermediate=intermediate)
    if fmt == "json":
        json.dump(forest_json(forest, containers), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_forest(forest, containers, time.time())
    return 0


def _by_image(containers: list[Container]) -> dict[str, list[Container]]:
    out: dict[str, list[Container]] = {}
    for c in sorted(containers, key=lambda c: c.name):
        out.setdefault(c.image_id, []).append(c)
    return out


def _owner_key(forest: Forest, image_id: str) -> str:
    return forest.owner.get(image_id, image_id)


def forest_json(forest: Forest, containers: list[Container]) -> dict[str, Any]:
    owned: dict[str, list[Container]] = {}
    for c in containers:
        owned.setdefault(_owner_key(forest, c.image_id), []).append(c)

    def cjson(c: Container) -> dict[str, Any]:
        return {
            "id": c.id,
            "name": c.name,
            "image": c.image,
            "image_id": c.image_id,
            "state": c.state,
            "status": c.status,
            "ports": c.ports_text,
            "command": c.command,
            "compose_project": c.compose_project,
        }

    def ijson(image_id: str) -> dict[str, Any]:
        img = forest.images[image_id]
        return {
            "id": img.id,
            "tags": list(img.tags),
            "digests": list(img.digests),
            "created": img.created,
            "size": img.size,
            "own_size": forest.own_size(image_id),
            "layers": len(img.layers),
            "containers": [cjson(c) for c in sorted(owned.get(image_id, []), key=lambda c: c.name)],
            "children": [ijson(k) for k in forest.kids(image_id)],
        }

    return {
        "images": [ijson(r) for r in forest.roots()],
        "dangling": [
            {**ijson(i), "children": []} for i in forest.dangling
        ],
        "containers_of_missing_images": [cjson(c) for c in containers if c.image_id not in forest.images],
    }


def image_line(forest: Forest, image: Image, now: float, counts: tuple[int, int] | None) -> Text:
    text = Text(image.title, style="bold")
    text.append(f"  {short_id(image.id)}", style="dim")
    text.append(f"  {human_age(image.created, now)}  {human_size(image.size)}")
    if forest.parent.get(image.id):
        text.append(f" (+{human_size(forest.own_size(image.id))})", style="dim")
    if counts:
        text.append(f"  {counts[0]}/{counts[1]} running", style="green" if counts[0] else "dim")
    return text


def container_line(c: Container) -> Text:
    text = Text("▪ ", style=STATE_STYLE.get(c.state, ""))
    text.append(c.name, style="bold")
    text.append(f"  {c.state}", style=STATE_STYLE.get(c.state, ""))
    text.append(f"  {c.status}", style="dim")
    if c.ports_text:
        text.append(f"  {c.ports_text}", style="cyan")
    if c.compose_project:
        text.append(f"  [{c.compose_project}]", style="magenta")
    return text


def print_forest(forest: Forest, containers: list[Container], now: float) -> None:
    console = Console(soft_wrap=True, highlight=False)
    owned = _by_image(containers)
    by_owner: dict[str, list[Container]] = {}
    for image_id, cs in owned.items():
        by_owner.setdefault(_owner_key(forest, image_id), []).extend(cs)

    def add(branch: Tree, image_id: str) -> None:
        cs = by_owner.get(image_id, [])
        counts = (sum(c.state == "running" for c in cs), len(cs)) if cs else None
        node = branch.add(image_line(forest, forest.images[image_id], now, counts))
        for c in cs:
            node.add(container_line(c))
        for kid in forest.kids(image_id):
            add(node, kid)

    top = Tree(Text(f"images ({len(forest.images)})", style="bold"), guide_style="dim")
    for root in forest.roots():
        add(top, root)
    if forest.dangling:
        group = top.add(Text(f"<dangling> ({len(forest.dangling)})", style="bold yellow"))
        for i in forest.dangling:
            add(group, i)
    missing = [c for c in containers if c.image_id not in forest.images]
    if missing:
        group = top.add(Text(f"<image deleted> ({len(missing)})", style="bold red"))
        for c in sorted(missing, key=lambda c: c.name):
            group.add(container_line(c))
    console.print(top)
