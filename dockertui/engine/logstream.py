"""Follow a container's logs: the engine's stream, demultiplexed into lines, in batches (a
container that logs fast yields few big batches, not one message per line)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import replace

from ..model.logring import LineSplitter, LogLine, demux
from .client import Engine


async def follow_logs(engine: Engine, container_id: str, tail: int, follow: bool = True) -> AsyncIterator[list[LogLine]]:
    """Batches of lines: the last ``tail`` lines, then new ones until the container stops (the
    engine ends the stream) or the caller stops iterating. Raises EngineError."""
    inspect = await engine.inspect_container(container_id)
    tty = bool((inspect.get("Config") or {}).get("Tty"))
    params = {"stdout": "1", "stderr": "1", "timestamps": "1", "tail": str(max(0, tail)), "follow": "1" if follow else "0"}
    async for batch in stream_lines(engine, f"containers/{container_id}/logs", params, tty, f"the logs of container {container_id[:12]}"):
        yield batch


async def stream_lines(engine: Engine, path: str, params: dict[str, str], tty: bool, what: str) -> AsyncIterator[list[LogLine]]:
    """Any of the engine's log streams (a container's, a service's) as batches of lines."""
    splitter = LineSplitter()
    pending = bytearray()
    async with engine.stream("GET", path, what, params=params) as content:
        while chunk := await content.readany():
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


async def merge_streams(streams: dict[str, AsyncIterator[list[LogLine]]]) -> AsyncIterator[list[LogLine]]:
    """Several streams as one: each line carries its stream's name as ``source``; it ends when
    every stream has ended. A stream that fails ends alone (its reason as one line) unless all
    fail, then the first failure is raised. Cancelling the caller cancels every reader."""
    queue: asyncio.Queue[tuple[str, list[LogLine] | BaseException | None]] = asyncio.Queue(maxsize=64)

    async def pump(name: str, it: AsyncIterator[list[LogLine]]) -> None:
        try:
            async for batch in it:
                await queue.put((name, [replace(line, source=name) for line in batch]))
        except Exception as exc:  # noqa: BLE001 - EngineError, said as a line or raised below
            await queue.put((name, exc))
        finally:
            await queue.put((name, None))

    tasks = [asyncio.create_task(pump(name, it)) for name, it in streams.items()]
    open_streams, failures = len(tasks), []
    try:
        while open_streams:
            name, item = await queue.get()
            if item is None:
                open_streams -= 1
            elif isinstance(item, BaseException):
                failures.append(item)
                yield [LogLine("err", "", f"({name}: {item})", name)]
            elif item:
                yield item
        if failures and len(failures) == len(tasks):
            raise failures[0]
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
