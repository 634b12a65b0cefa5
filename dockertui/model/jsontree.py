"""Inspect payloads as a tree of labelled nodes, with secrets masked and a search. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MASK = "••••••"
SECRET_KEY = re.compile(r"pass(word)?|secret|token|key|credential|auth", re.IGNORECASE)


def is_secret_env(path: tuple[str | int, ...]) -> bool:
    """``Config.Env`` entries hold values people keep out of sight."""
    return len(path) >= 2 and path[-2] == "Env"


def mask_env(entry: str) -> str:
    key, sep, _ = entry.partition("=")
    return f"{key}={MASK}" if sep else entry


def mask(value: Any, path: tuple[str | int, ...] = ()) -> Any:
    """The payload with env values and secret-looking labels masked."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(v, str) and path[-1:] == ("Labels",) and SECRET_KEY.search(str(k)):
                out[k] = MASK
            else:
                out[k] = mask(v, (*path, k))
        return out
    if isinstance(value, list):
        return [mask_env(v) if isinstance(v, str) and path[-1:] == ("Env",) else mask(v, (*path, i)) for i, v in enumerate(value)]
    return value


@dataclass(frozen=True, slots=True)
class Node:
    path: tuple[str | int, ...]
    label: str  # "Key: value" or "Key {3}" / "Key [2]"
    leaf: bool


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if value == "" else value
    return str(value)


def walk(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[Node]:
    """Depth first, in payload order: every container and every scalar, with its label."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        child_path = (*path, key)
        name = f"[{key}]" if isinstance(key, int) else str(key)
        if isinstance(child, dict):
            yield Node(child_path, f"{name} {{{len(child)}}}", False)
            yield from walk(child, child_path)
        elif isinstance(child, list):
            yield Node(child_path, f"{name} [{len(child)}]", False)
            yield from walk(child, child_path)
        else:
            yield Node(child_path, f"{name}: {scalar(child)}", True)


def search(nodes: list[Node], query: str) -> list[int]:
    """Indexes of the nodes whose label contains ``query`` (case-insensitive)."""
    needle = query.lower()
    return [i for i, n in enumerate(nodes) if needle and needle in n.label.lower()]
