"""Stats and processes: one-shot samples for the visible running containers (bounded
concurrency), a stream for the one being watched, ``top`` on demand."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from typing import Any

from ..model.metrics import Stats, parse_stats
from ..model.scales import Limits, parse_limits
from ..model.text import clean_tree
from .client import REPLY_LIMIT, Engine
from .errors import EngineError


async def container_limits(engine: Engine, container_id: str) -> Limits:
    """The container's own CPU and memory limits (none: zeros), for the stats view's scales."""
    raw = await engine.inspect_container(container_id)
    with engine.translated(f"the limits of container {container_id[:12]}"):
        return parse_limits(raw)


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
            try:
                with self.engine.translated(f"the stats of container {cid[:12]}"):
                    out[cid] = parse_stats(raw, self._previous.get(cid))
            except EngineError:
                return  # an odd sample (Podman's, for a container that just stopped): no figure
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
    """The container's processes: column titles and rows. Podman answers a pod's infra container
    with an empty body and no content type: that is no processes, not an error."""
    what = f"the processes of container {container_id[:12]}"
    # read the body ourselves: aiodocker turns a chunked answer without a content type into ""
    with engine.translated(what):
        async with asyncio.timeout(60), engine.stream("GET", f"containers/{container_id}/top", what) as content:
            body = await content.read()
    if not body.strip():
        return [], []
    with engine.translated(what):
        raw = clean_tree(json.loads(body), REPLY_LIMIT)
        if not isinstance(raw, dict):
            raise TypeError(type(raw).__name__)
        titles, processes = raw.get("Titles") or [], raw.get("Processes") or []
        return [str(t) for t in titles], [[str(cell) for cell in p] for p in processes]
