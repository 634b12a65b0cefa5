"""``dockertui layers``: the figures as JSON, and the thresholds dive's CI mode checks
(``lowestEfficiency``, ``highestWastedBytes``, ``highestUserWastedPercent``), with dive's wording
and byte units (go-humanize: ``20MB`` is 20,000,000, ``20MiB`` is 20,971,520)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .layers import ImageLayers, Waste

_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3, "t": 1000**4, "tb": 1000**4,
          "ki": 1024, "kib": 1024, "mi": 1024**2, "mib": 1024**2, "gi": 1024**3, "gib": 1024**3, "ti": 1024**4, "tib": 1024**4}
_BYTES = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*$")


def parse_bytes(text: str) -> int:
    """``"20MB"``, ``"1.5 GiB"``, ``"1000"`` -> bytes; ValueError with a sentence otherwise."""
    m = _BYTES.match(text)
    unit = m.group(2).lower() if m else ""
    if not m or unit not in _UNITS:
        raise ValueError(f"{text!r} is not a size (e.g. 20MB, 1.5GiB, 1000)")
    return int(float(m.group(1)) * _UNITS[unit])


@dataclass(frozen=True, slots=True)
class Check:
    rule: str
    threshold: str
    passed: bool
    message: str


def checks(waste: Waste, min_efficiency: float | None, max_wasted: int | None, max_user_wasted: float | None) -> list[Check]:
    out = []
    if min_efficiency is not None:
        ok = not min_efficiency > waste.efficiency
        out.append(Check("min-efficiency", str(min_efficiency), ok, "" if ok else
                         f"image efficiency is too low (efficiency={waste.efficiency:.2f} < threshold={min_efficiency})"))
    if max_wasted is not None:
        ok = not waste.wasted > max_wasted
        out.append(Check("max-wasted", str(max_wasted), ok, "" if ok else
                         f"too many bytes wasted (wasted-bytes={waste.wasted} > threshold={max_wasted})"))
    if max_user_wasted is not None:
        ok = not waste.wasted_user_percent > max_user_wasted
        out.append(Check("max-user-wasted", str(max_user_wasted), ok, "" if ok else
                         "too many bytes wasted, relative to the user bytes added "
                         f"(%-user-wasted-bytes={waste.wasted_user_percent:.2f} > threshold={max_user_wasted})"))
    return out


def report(ref: str, image_id: str, image: ImageLayers, waste: Waste, owners: list[str], verdicts: list[Check]) -> dict[str, Any]:
    """Everything as plain data. ``owners[k]``: the image in the tree that layer ``k`` comes from."""
    return {
        "image": ref,
        "id": image_id,
        "layers": [
            {
                "index": info.index,
                "diff_id": info.diff_id,
                "created_by": info.created_by,
                "size": info.size,
                "files": info.files,
                "from_image": owners[info.index] if info.index < len(owners) else "",
                "hidden_later": waste.hidden_by_layer[info.index] if info.index < len(waste.hidden_by_layer) else 0,
                "deleted": image.deleted(info.index),
            }
            for info in image.layers
        ],
        "size": waste.size,
        "user_size": waste.user_size,
        "efficiency": waste.efficiency,
        "wasted_bytes": waste.wasted,
        "wasted_user_percent": waste.wasted_user_percent,
        "hidden_bytes": waste.hidden,
        "inefficiencies": [{"path": p, "bytes": b, "layers": n} for p, b, n in waste.inefficiencies],
        "checks": [{"rule": c.rule, "threshold": c.threshold, "passed": c.passed, "message": c.message} for c in verdicts],
        "passed": all(c.passed for c in verdicts),
    }


def layer_owners(chain: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """``chain``: (name, layers) of the image, then its parent, grandparent, ... as the tree shows
    them. Layer ``k`` belongs to the oldest image in the chain that already has layers 0..k."""
    if not chain:
        return []
    _, mine = chain[0]
    owners = [chain[0][0]] * len(mine)
    for name, layers in chain[1:]:
        if tuple(mine[: len(layers)]) == tuple(layers):
            for k in range(len(layers)):
                owners[k] = name
    return owners
