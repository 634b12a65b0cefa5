"""Stats and processes: one-shot samples for the visible running containers (bounded
concurrency), a stream for the one being watched, ``top`` on demand."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from typing import Any

from ..model.metrics import Stats, parse_stats
from ..model.text import clean_tree
from .client import REPLY_LIMIT, Engine
from .errors import EngineError


class Sampler:
    """One-shot stats (``one-shot=1``: the engine answers at once, without its 1 s wait) for many
    containers; CPU % comes from this sample and the previous one kept per container."""

    def __init__(self, engine: Engine, concurrency: int = 4) -> None:
        self.engine = engine
        self.concurrency = concurrency
        self._previous: dict[str, dict[str, Any]] = {}

    async def sample(self, ids: Iterable[str]) -> dict[str, Stats]:
        wanted = list(dict.fromkeys(ids))
        gate = asyncio.Semaphore(self.concurrency)
        out: dict[str, Stats] = {}

        async def one(cid: str) -> None:
            async with gate:
                try:
                    raw = await self.engine.call("GET", f"containers/{cid}/stats", f"container {cid[:12]}",
                                                 params={"stream": "0", "one-shot": "1"})
                except EngineError:
                    return  # stopped or gone meanwhile: no figure
            out[cid] = parse_stats(raw, self._previous.get(cid))
            self._previous[cid] = raw

        await asyncio.gather(*(one(c) for c in wanted))
        for gone in set(self._previous) - set(wanted):
            del self._previous[gone]
        return out


async def stream_stats(engine: Engine, container_id: str) -> AsyncIterator[Stats]:
    """About one sample a second, until the container stops or the caller stops iterating."""
    with engine.translated(f"the stats of container {container_id[:12]}"):
        async with engine.stream("GET", f"containers/{container_id}/stats", f"the stats of container {container_id[:12]}",
                                 params={"stream": "1"}) as content:
            async for line in content:
                if line.strip():
                    yield parse_stats(clean_tree(json.loads(line), REPLY_LIMIT))


async def top(engine: Engine, container_id: str) -> tuple[list[str], list[list[str]]]:
    raw = await engine.call("GET", f"containers/{container_id}/top", f"container {container_id[:12]}")
    return list(raw.get("Titles") or []), [list(map(str, p)) for p in raw.get("Processes") or []]
