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
from .model.containers import Container, count_states
from .model.forest import MISSING, Forest, build_forest, containers_by_node
from .style import STATE_STYLE, image_text



async def run_tree(endpoint: Endpoint, fmt: str, intermediate: bool, disk_cache: bool) -> int:
    engine = Engine(endpoint, use_disk_cache=disk_cache)
    try:
        _, images, containers = await engine.snapshot(intermediate)
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


def forest_json(forest: Forest, containers: list[Container]) -> dict[str, Any]:
    owned = containers_by_node(forest, containers)

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
            "containers": [cjson(c) for c in owned.get(image_id, [])],
            "children": [ijson(k) for k in forest.kids(image_id)],
        }

    return {
        "images": [ijson(r) for r in forest.roots()],
        "dangling": [ijson(i) for i in forest.dangling],
        "containers_of_missing_images": [cjson(c) for c in owned.get(MISSING, [])],
    }


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
    if not console.is_terminal:
        console.width = 100_000  # a pipe gets whole lines, never cut at a guessed width
    owned = containers_by_node(forest, containers)

    def add(branch: Tree, image_id: str) -> None:
        cs = owned.get(image_id, [])
        node = branch.add(image_text(forest, image_id, count_states(cs), now))
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
    missing = owned.get(MISSING, [])
    if missing:
        group = top.add(Text(f"<image deleted> ({len(missing)})", style="bold red"))
        for c in missing:
            group.add(container_line(c))
    console.print(top)
