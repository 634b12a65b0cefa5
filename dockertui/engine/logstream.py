"""Follow a container's logs: the engine's stream, demultiplexed into lines, in batches (a
container that logs fast yields few big batches, not one message per line)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable

from ..model.logring import LineSplitter, LogLine, demux
from .client import Engine


async def follow_logs(engine: Engine, container_id: str, tail: int, follow: bool = True) -> AsyncIterator[list[LogLine]]:
    """Batches of lines: the last ``tail`` lines, then new ones until the container stops (the
    engine ends the stream) or the caller stops iterating. Raises EngineError."""
    inspect = await engine.inspect_container(container_id)
    tty = bool((inspect.get("Config") or {}).get("Tty"))
    params = {"stdout": "1", "stderr": "1", "timestamps": "1", "tail": str(max(0, tail)), "follow": "1" if follow else "0"}
    splitter = LineSplitter()
    pending = bytearray()
    with engine.translated(f"the logs of container {container_id[:12]}"):
        async with engine.stream(f"containers/{container_id}/logs", params=params) as response:
            while chunk := await response.content.readany():
                if tty:
                    batch = splitter.feed("out", chunk)
                else:
                    pending += chunk
                    batch = [line for kind, data in _runs(demux(pending)) for line in splitter.feed(kind, data)]
                if batch:
                    yield batch
                # readany() does not suspend while data is buffered: let keys and repaints in
                await asyncio.sleep(0)
    rest = splitter.flush()
    if rest:
        yield rest


def _runs(frames: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Consecutive frames of one stream joined: the engine sends a frame per line."""
    out: list[tuple[str, bytes]] = []
    for kind, data in frames:
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + data)
        else:
            out.append((kind, data))
    return out
