"""Prune: gather the preview, then remove exactly the chosen items, one by one, each re-checked
just before. Never calls the engine's own prune endpoints for containers, images, networks or
volumes: those would also take what appeared after the preview."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable
from typing import Any

from ..model.pruneplan import CATEGORIES, Now, PruneItem, PrunePlan, PruneReport, plan_prune, still_prunable
from .client import Engine
from .errors import EngineError

ORDER = {key: i for i, (key, _, _) in enumerate(CATEGORIES)}


async def disk_usage(engine: Engine) -> dict[str, Any]:
    """``GET /system/df``: slow on big hosts (it sizes every layer); cancel the caller to stop."""
    return await engine.call("GET", "system/df", "disk usage", timeout=None)


async def gather_plan(engine: Engine, only_label: str | None = None) -> PrunePlan:
    df, networks, all_images = await asyncio.gather(
        disk_usage(engine),
        engine.call("GET", "networks", "the network list"),
        engine.call("GET", "images/json", "the image list", params={"all": "1"}),
    )
    return plan_prune(df, networks, only_label, all_images)


async def _inspect(engine: Engine, item: PruneItem) -> dict[str, Any] | None:
    path = {"containers": f"containers/{item.id}/json", "dangling": f"images/{item.id}/json", "images": f"images/{item.id}/json",
            "networks": f"networks/{item.id}", "volumes": f"volumes/{item.id}"}.get(item.category)
    if path is None:
        return {}
    try:
        return await engine.call("GET", path, f"{item.category} {item.name}")
    except EngineError as exc:
        if exc.status == 404:
            return None
        raise


async def _remove(engine: Engine, item: PruneItem) -> None:
    what = f"{item.name}"
    if item.category == "containers":
        await engine.call("DELETE", f"containers/{item.id}", what, params={"v": "0", "force": "0"})
    elif item.category in ("dangling", "images"):
        await engine.call("DELETE", f"images/{item.id}", what, params={"force": "0"}, timeout=None)
    elif item.category == "networks":
        await engine.call("DELETE", f"networks/{item.id}", what)
    elif item.category == "volumes":
        await engine.call("DELETE", f"volumes/{item.id}", what)
    elif item.category == "build-cache":
        await engine.call("POST", "build/prune", what, params={"filters": json.dumps({"id": [item.id]})}, timeout=None)


async def execute(
    engine: Engine, items: Iterable[PruneItem], progress: Callable[[int, int, PruneItem], None] | None = None
) -> PruneReport:
    """Remove ``items`` in the engine's order (containers, then images, networks, volumes, cache);
    skip, with the reason, any that changed since the preview."""
    chosen = sorted(items, key=lambda i: ORDER.get(i.category, 99))
    now = Now(list(await engine.call("GET", "containers/json", "the container list", params={"all": "1"})))
    removed: list[PruneItem] = []
    skipped: list[tuple[PruneItem, str]] = []
    failed: list[tuple[PruneItem, str]] = []
    for n, item in enumerate(chosen, 1):
        if progress:
            progress(n, len(chosen), item)
        try:
            reason = still_prunable(item, now, await _inspect(engine, item))
            if reason is None:
                await _remove(engine, item)
        except EngineError as exc:
            if exc.status == 404:
                skipped.append((item, "gone already"))
            elif exc.status == 409:
                skipped.append((item, exc.message))
            else:
                failed.append((item, exc.message))
            continue
        if reason is not None:
            skipped.append((item, reason))
        else:
            removed.append(item)
            now.removed.add(item.id)
    return PruneReport(tuple(removed), tuple(skipped), tuple(failed))
