"""Object IDs in messages, as a person reads them: the engine's refusals quote full 64-hex IDs
("container 3f2a…(64 hex) is using its referenced image 9c7a…") or 12-hex short ones. Shown, each
becomes the object's name where it is known, else its 12-character short ID. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

SHORT = 12
# a run of hex digits standing alone (not inside a word), with or without the "sha256:" prefix
_HEX = re.compile(r"(?<![0-9A-Za-z_])(?:sha256:)?([0-9a-f]{12,64})(?![0-9A-Za-z_])")


def short_id(object_id: str) -> str:
    """``sha256:9c7a…`` or ``9c7a…`` → the first 12 hex digits."""
    return object_id.removeprefix("sha256:")[:SHORT]


def known_names(containers: Iterable[tuple[str, str]], images: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(ID, name) pairs of containers and images → full hex ID (no ``sha256:``) to name. An image
    without a name (``<none>``) is left out: its short ID says more."""
    out: dict[str, str] = {}
    for object_id, name in (*containers, *images):
        hex_id = object_id.removeprefix("sha256:")
        if name and not name.startswith("<none>") and len(hex_id) == 64:
            out[hex_id] = name
    return out


def name_ids(text: str, names: Mapping[str, str] | None = None) -> str:
    """Every object ID in ``text`` as its name (``names``: full hex ID → name), else as its short
    ID. A full 64-hex ID is always shortened; a shorter hex run (the engine's own short IDs) is
    named when exactly one known ID starts with it, shortened to 12 when it is a longer cut, and
    otherwise left as it is (a 12-digit number is no ID). Nothing else changes: an engine refusal,
    one line from the engine border, stays one line, now short enough to read."""
    names = names or {}

    def replace(match: re.Match[str]) -> str:
        hex_id = match.group(1)
        if len(hex_id) == 64:
            return names.get(hex_id) or hex_id[:SHORT]
        owners = {name for full, name in names.items() if full.startswith(hex_id)}
        if len(owners) == 1:
            return owners.pop()
        return hex_id[:SHORT] if any(ch.isalpha() for ch in hex_id) else match.group(0)

    return _HEX.sub(replace, text)
