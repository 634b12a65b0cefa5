"""Image layers by image ID, on disk: an image never changes, so an entry never goes stale.

One JSON-lines file per engine (keyed by the engine's ID) in the user cache folder; a line is
``{"id": ..., "layers": [...], "created": <epoch, sub-second>}``. Lines are only appended; a damaged line is skipped.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import platformdirs


def default_cache_root() -> Path:
    return Path(os.environ.get("DOCKERTUI_CACHE_DIR") or platformdirs.user_cache_dir("dockertui"))


class Entry(NamedTuple):
    layers: tuple[str, ...]
    created: float  # the inspect's nanosecond timestamp, to order images built in one second


class LayerCache:
    def __init__(self, root: Path | None, engine_id: str) -> None:
        self._mem: dict[str, Entry] = {}
        self.path: Path | None = None
        if root is not None:
            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", engine_id) or "unknown"
            self.path = root / safe / "layers.jsonl"
            self._load()

    def _load(self) -> None:
        assert self.path is not None
        try:
            text = self.path.read_text()
        except OSError:
            return
        for line in text.splitlines():
            try:
                row = json.loads(line)
                self._mem[str(row["id"])] = Entry(tuple(row["layers"]), float(row.get("created") or 0))
            except (ValueError, KeyError, TypeError):
                continue

    def get(self, image_id: str) -> Entry | None:
        return self._mem.get(image_id)

    def __contains__(self, image_id: str) -> bool:
        return image_id in self._mem

    def put_many(self, entries: Mapping[str, Entry]) -> None:
        new = {k: v for k, v in entries.items() if k not in self._mem}
        if not new:
            return
        self._mem.update(new)
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a") as f:
                for image_id, entry in new.items():
                    row = {"id": image_id, "layers": list(entry.layers), "created": entry.created}
                    f.write(json.dumps(row) + "\n")
        except OSError:
            pass  # a read-only home only costs us the next start's inspects
