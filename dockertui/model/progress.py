"""The engine's JSON progress streams (pull, push, build, load) folded into one state: a line per
layer with its bytes, the status lines, the result and any error. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

DONE = frozenset({"Pull complete", "Already exists", "Pushed", "Layer already exists", "Download complete",
                  "Mounted from", "Verifying Checksum"})


@dataclass(frozen=True, slots=True)
class Layer:
    id: str
    status: str
    current: int = 0
    total: int = 0

    @property
    def done(self) -> bool:
        return self.status in DONE or self.status.startswith("Mounted from")

    @property
    def fraction(self) -> float:
        if self.done:
            return 1.0
        return min(1.0, self.current / self.total) if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Progress:
    layers: tuple[Layer, ...] = ()
    lines: tuple[str, ...] = ()  # status and build output, newest last (bounded)
    digest: str = ""
    image_id: str = ""
    error: str = ""
    events: int = 0
    max_lines: int = field(default=500, compare=False)

    @property
    def fraction(self) -> float:
        if not self.layers:
            return 0.0
        return sum(layer.fraction for layer in self.layers) / len(self.layers)

    def layer(self, layer_id: str) -> Layer | None:
        return next((x for x in self.layers if x.id == layer_id), None)


def _int(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError, OverflowError):
        return 0


def apply(progress: Progress, message: Mapping[str, Any]) -> Progress:
    """One message of the stream applied to the state."""
    if not isinstance(message, Mapping):
        return progress
    events = progress.events + 1
    detail_of_error = message.get("errorDetail")
    error = message.get("error") or (detail_of_error.get("message") if isinstance(detail_of_error, Mapping) else None)
    if error:
        return replace(progress, error=str(error), events=events, lines=_add(progress, f"error: {error}"))
    aux = message.get("aux")
    if isinstance(aux, Mapping):
        return replace(progress, digest=str(aux.get("Digest") or progress.digest), image_id=str(aux.get("ID") or progress.image_id), events=events)
    stream = message.get("stream")
    if isinstance(stream, str):
        text = stream.rstrip("\n")
        image_id = progress.image_id
        if text.startswith("Successfully built "):
            image_id = text.removeprefix("Successfully built ").strip()
        return replace(progress, lines=_add(progress, text) if text.strip() else progress.lines, image_id=image_id, events=events)
    status = str(message.get("status") or "")
    layer_id = str(message.get("id") or "")
    detail = message.get("progressDetail") if isinstance(message.get("progressDetail"), Mapping) else {}
    digest = progress.digest
    if "digest: sha256:" in status or status.startswith("Digest: "):
        digest = "sha256:" + status.split("sha256:", 1)[1].split()[0]
    if layer_id and len(layer_id) == 12 and all(ch in "0123456789abcdef" for ch in layer_id):
        old = progress.layer(layer_id)
        current, total = _int(detail.get("current")), _int(detail.get("total"))
        if old is not None and not (current or total) and status in ("Downloading", "Pushing", "Extracting"):
            current, total = old.current, old.total
        new = Layer(layer_id, status, current, total)
        layers = tuple(new if x.id == layer_id else x for x in progress.layers) if old else (*progress.layers, new)
        return replace(progress, layers=layers, digest=digest, events=events)
    if status.startswith("Loaded image"):
        return replace(progress, lines=_add(progress, status), events=events)
    return replace(progress, lines=_add(progress, f"{layer_id}: {status}" if layer_id else status) if status else progress.lines,
                   digest=digest, events=events)


def _add(progress: Progress, line: str) -> tuple[str, ...]:
    lines = (*progress.lines, line)
    return lines[-progress.max_lines:]
