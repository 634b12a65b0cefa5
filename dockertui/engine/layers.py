"""Reading an image's layers from the engine as a stream (``GET /images/{name}/get``): only tar
headers are kept, nothing is written to disk, each layer is placed in the model the moment its
tar ends (matched by diff ID), and closing the generator (a cancelled worker) closes the request.
Also a container's changes (``GET /containers/{id}/changes``, what ``docker diff`` shows)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from ..model.imagearchive import ImageArchive, LayerTable, history_of
from ..model.images import layers_of
from ..model.layers import ImageLayers
from ..model.tarstream import TarError
from .client import Engine
from .errors import EngineError, not_docker

CHUNK = 256 * 1024
_EMPTY_STEPS = {"CMD", "ENV", "LABEL", "EXPOSE", "ENTRYPOINT", "USER", "ARG", "VOLUME", "STOPSIGNAL",
                "HEALTHCHECK", "SHELL", "ONBUILD", "MAINTAINER"}


@dataclass(slots=True)
class Progress:
    bytes_read: int
    total: int  # the image's size as the engine reports it (the stream is about this long)
    placed: list[int] = field(default_factory=list)  # layer positions filled by this step
    done: bool = False


def _step(entry: dict[str, Any]) -> str:
    return str(entry.get("CreatedBy") or "").replace("/bin/sh -c #(nop) ", "").strip()


def _looks_empty(entry: dict[str, Any]) -> bool:
    if int(entry.get("Size") or 0) > 0:
        return False
    text = _step(entry)
    word = text.split(" ", 1)[0].upper() if text else ""
    return word in _EMPTY_STEPS


def created_by_guess(history: list[dict[str, Any]], layers: int) -> list[str]:
    """Which history step made each layer, from the engine's history (newest first): steps that
    are metadata only made no layer. Blank when that does not add up (the archive's config
    then says it exactly)."""
    steps = [_step(h) for h in reversed(history) if isinstance(h, dict) and not _looks_empty(h)]
    return steps if len(steps) == layers else [""] * layers


async def prepare(engine: Engine, image_id: str) -> tuple[ImageLayers, int]:
    """The image's layer list (diff IDs in order, the commands that made them) before any byte
    of the archive; and its size, which is what reading it will cost."""
    raw = await engine.call("GET", f"images/{image_id}/json", f"image {image_id[:19]}")
    if not isinstance(raw, dict):
        raise not_docker(engine.endpoint.host, "an image inspect is not an object")
    diff_ids = list(layers_of(raw))
    try:
        history = await engine.history(image_id)
    except EngineError:
        history = []
    with engine.translated(f"image {image_id[:19]}"):
        created = created_by_guess(history if isinstance(history, list) else [], len(diff_ids))
        return ImageLayers(diff_ids, created), int(raw.get("Size") or 0)


async def read_layers(engine: Engine, image_id: str, image: ImageLayers, total: int) -> AsyncIterator[Progress]:
    """Stream the image's archive into ``image``; one :class:`Progress` per chunk read."""
    pending: list[LayerTable] = []
    archive = ImageArchive(pending.append)
    what = f"reading the layers of {image_id[:19]}"
    with engine.translated(what):
        async with engine.stream("GET", f"images/{image_id}/get", what) as content:
            async for chunk in content.iter_chunked(CHUNK):
                try:
                    archive.feed(chunk)
                except TarError as exc:
                    raise EngineError(f"The engine's archive of {image_id[:19]} is not readable: {exc}.", kind="api") from None
                placed = _place(image, pending)
                yield Progress(archive.bytes_read, total, placed)
    try:
        index = archive.index()
    except TarError as exc:
        raise EngineError(f"The engine's archive of {image_id[:19]} is not readable: {exc}.", kind="api") from None
    placed = _place_by_index(image, archive, index.layer_blobs)
    exact = history_of(index.config, len(image)) if index.config else []
    for info, made in zip(image.layers, exact, strict=False):
        info.created_by = made
    missing = [i.index for i in image.layers if not i.loaded]
    if missing:
        raise EngineError(f"The archive of {image_id[:19]} lacks {len(missing)} of its {len(image)} layers.", kind="api")
    yield Progress(archive.bytes_read, total, placed, done=True)


def _place(image: ImageLayers, pending: list[LayerTable]) -> list[int]:
    placed: list[int] = []
    keep: list[LayerTable] = []
    for table in pending:
        spots = image.positions(table.diff_id)
        if not spots:
            keep.append(table)  # matched by the manifest at the end
            continue
        for k in spots:
            image.add(k, table.entries, tar_bytes=table.tar_bytes, error=table.error)
        table.entries = []  # the model has them now
        placed += spots
    pending[:] = keep
    return placed


def _place_by_index(image: ImageLayers, archive: ImageArchive, blobs: list[str]) -> list[int]:
    """Layers whose diff ID did not match (an engine that recompresses, say): by manifest order."""
    placed = []
    for k, blob in enumerate(blobs):
        table = archive.layers.get(blob)
        if k < len(image) and not image.layers[k].loaded and table is not None:
            image.add(k, table.entries, tar_bytes=table.tar_bytes, error=table.error)
            placed.append(k)
    return placed


async def container_changes(engine: Engine, container_id: str, name: str) -> list[tuple[str, int]]:
    """What the container changed in its writable layer: (path, 0 changed / 1 added / 2 deleted)."""
    raw = await engine.call("GET", f"containers/{container_id}/changes", f"container {name}")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise not_docker(engine.endpoint.host, "a container's changes are not a list")
    out = []
    for item in raw:
        if isinstance(item, dict) and isinstance(item.get("Path"), str):
            try:
                out.append((item["Path"], int(item.get("Kind") or 0)))
            except (TypeError, ValueError):
                continue
    return out


async def writable_size(engine: Engine, container_id: str) -> int | None:
    data = await engine.inspect_container(container_id, size=True)
    size = data.get("SizeRw") if isinstance(data, dict) else None
    return int(size) if isinstance(size, int) else None
