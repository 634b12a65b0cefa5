"""Images: the list summary (``GET /images/json``) joined with the layers from an inspect."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
NONE_TAG = "<none>:<none>"
NONE_DIGEST = "<none>@<none>"


def norm_id(image_id: str | None) -> str:
    """Engines differ on the ``sha256:`` prefix (Podman omits it in places); we always keep it."""
    if not image_id:
        return ""
    return f"sha256:{image_id}" if _HEX64.match(image_id) else image_id


@dataclass(frozen=True, slots=True)
class Image:
    id: str
    tags: tuple[str, ...] = ()
    digests: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    parent_id: str = ""
    created: float = 0.0
    size: int = 0

    @property
    def named(self) -> bool:
        """Has a tag or a digest reference: something a person can name it by."""
        return bool(self.tags or self.digests)

    @property
    def name(self) -> str:
        """One reference for the image: its first tag, else its digest, else ``<none>``."""
        return (self.tags or self.digests or ("<none>",))[0]

    @property
    def title(self) -> str:
        if self.tags:
            return ", ".join(self.tags)
        if self.digests:
            return self.digests[0]
        return "<none>"


def parse_image(
    summary: Mapping[str, Any], layers: Sequence[str] | None, created: float | None = None
) -> Image:
    """One ``/images/json`` entry plus ``RootFS.Layers`` (and the precise creation time) from
    its inspect or the cache. The summary's ``Created`` has whole seconds only."""
    tags = tuple(t for t in summary.get("RepoTags") or () if t != NONE_TAG)
    digests = tuple(d for d in summary.get("RepoDigests") or () if d != NONE_DIGEST)
    return Image(
        id=norm_id(summary["Id"]),
        tags=tags,
        digests=digests,
        layers=tuple(layers or ()),
        parent_id=norm_id(summary.get("ParentId")),
        created=created or float(summary.get("Created") or 0),
        size=int(summary.get("Size") or 0),
    )


def layers_of(inspect: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple((inspect.get("RootFS") or {}).get("Layers") or ())
