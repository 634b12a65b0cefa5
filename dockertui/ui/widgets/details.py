"""Details of the selected image (layer history) or container (its image chain, ports, mounts)."""

from __future__ import annotations

import shlex
import time
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ...model.containers import Container, image_name_for
from ...model.fmt import human_age, human_size, short_id
from ...model.forest import Forest


def image_details(forest: Forest, image_id: str, history: Sequence[Mapping[str, Any]], own: int) -> RenderableType:
    """``own``: how many of the newest history entries the image adds over its parent."""
    image = forest.images[image_id]
    now = time.time()
    head = Text()
    head.append(image.title, style="bold")
    head.append(f"  {image.id}\n", style="dim")
    head.append(f"{len(image.layers)} layers, {human_size(image.size)}, created {human_age(image.created, now)} ago")
    chain = forest.chain(image_id)
    if len(chain) > 1:
        head.append("\n" + " > ".join(forest.images[i].name for i in chain))
    table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
    table.add_column("", width=1)
    table.add_column("Age", width=5)
    table.add_column("Size", width=8, justify="right")
    table.add_column("Instruction", ratio=1, no_wrap=True, overflow="ellipsis")
    for n, step in enumerate(history):
        mine = n < own
        created_by = str(step.get("CreatedBy") or "").replace("/bin/sh -c #(nop) ", "").strip()
        table.add_row(
            Text("+", style="bold green") if mine else "",
            human_age(float(step.get("Created") or 0), now),
            human_size(int(step.get("Size") or 0)),
            Text(created_by, style="" if mine else "dim"),
        )
    return Group(head, Text(""), table)


def command_line(inspect: Mapping[str, Any]) -> str:
    """What the container runs, as the engine starts it (entrypoint and arguments)."""
    path = str(inspect.get("Path") or "")
    args = [str(a) for a in inspect.get("Args") or []]
    return shlex.join([path, *args]) if path else ""


def container_details(
    c: Container, forest: Forest, inspect: Mapping[str, Any] | None, size: Mapping[str, Any] | None,
    state_label: str | None = None, status_label: str | None = None,
) -> RenderableType:
    """``state`` and ``status``: the table's labels for the row (a restart loop, the compact status),
    so both say the same; the engine's own words when not given."""
    out = Text()
    out.append(c.name, style="bold")
    out.append(f"  {short_id(c.id)}  {state_label or c.state}: {status_label or c.status}\n", style="dim")
    chain = forest.chain(c.image_id) if c.image_id in forest.images else []
    links = [c.name] + [forest.images[i].name for i in chain]
    if chain and chain[0] == c.image_id:  # its own image by the name it was created from, not its first tag
        own = forest.images[chain[0]]
        config_image = str(((inspect or {}).get("Config") or {}).get("Image") or "")
        links[1] = image_name_for(own.tags, config_image or c.image, own.name)
    if not chain:
        links.append(f"{c.image} (image deleted)")
    out.append("chain: ", style="bold")
    out.append(" > ".join(links) + "\n")
    if c.ports_text:
        out.append("ports: ", style="bold")
        out.append(c.ports_text + "\n")
    if inspect:
        state = inspect.get("State") or {}
        health = (state.get("Health") or {}).get("Status")
        if health:
            style = {"healthy": "green", "unhealthy": "red"}.get(health, "yellow")
            out.append("health: ", style="bold")
            out.append(health + "\n", style=style)
        if state.get("ExitCode") and c.state == "exited":
            out.append("exit code: ", style="bold")
            out.append(f"{state.get('ExitCode')}\n", style="red")
        if state.get("Error"):  # why the engine could not start it ("executable file not found"...)
            out.append("error: ", style="bold")
            out.append(f"{state.get('Error')}\n", style="red")
        command = command_line(inspect)
        if command:
            out.append("command: ", style="bold")
            out.append(command + "\n")
        mounts = inspect.get("Mounts") or []
        if mounts:
            out.append("mounts:\n", style="bold")
            for m in mounts:
                src = m.get("Name") or m.get("Source") or ""
                out.append(f"  {m.get('Type', '')} {src} -> {m.get('Destination', '')}{'' if m.get('RW', True) else ' (ro)'}\n")
        nets = ((inspect.get("NetworkSettings") or {}).get("Networks")) or {}
        if nets:
            out.append("networks: ", style="bold")
            out.append(", ".join(f"{n} {v.get('IPAddress') or ''}".strip() for n, v in nets.items()) + "\n")
    if size is not None:
        out.append("writable layer: ", style="bold")
        out.append(f"{human_size(size.get('SizeRw') or 0)} (virtual {human_size(size.get('SizeRootFs') or 0)})\n")
    else:
        out.append("writable layer: press z to measure\n", style="dim")
    out.append("F: what it changed (its writable layer, file by file)\n", style="dim")
    return out
