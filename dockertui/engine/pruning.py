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


async def disk_usage(engine: Engine, all_images: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """``GET /system/df``: slow on big hosts (it sizes every layer); cancel the caller to stop.
    Podman's answer is brought to Docker's shape (see :func:`podman_df`)."""
    df = await engine.call("GET", "system/df", "disk usage", timeout=None)
    if engine.info is not None and engine.info.product == "Podman":
        if all_images is None:
            all_images = await engine.call("GET", "images/json", "the image list", params={"all": "1"})
        with engine.translated("disk usage"):
            return podman_df(df, all_images or [])
    return df


def podman_df(df: dict[str, Any], all_images: list[dict[str, Any]]) -> dict[str, Any]:
    """Podman 4's ``/system/df`` differs from Docker's: image IDs without ``sha256:``, an untagged
    image's tags ``["<none>"]`` (Docker: ``<none>:<none>``), a tagged one's ``RepoTags`` only the
    tag (``1`` for ``localhost/dang:1``), and no ``LayersSize``. The names come from the image list
    (``/images/json?all=1``), which has them right; the total is estimated (see README)."""

    def sha(value: Any) -> str:
        text = str(value or "")
        return text if not text or text.startswith("sha256:") else f"sha256:{text}"

    names = {sha(i["Id"]): list(i.get("RepoTags") or []) for i in all_images}
    images = []
    for image in df.get("Images") or []:
        image = dict(image)
        image["Id"] = sha(image["Id"])
        tags = [t for t in names.get(image["Id"], []) if t not in ("<none>", "<none>:<none>")]
        image["RepoTags"] = tags or ["<none>:<none>"]
        images.append(image)
    containers = []
    for c in df.get("Containers") or []:
        c = dict(c)
        c["ImageID"] = sha(c.get("ImageID"))
        containers.append(c)
    out = {**df, "Images": images, "Containers": containers}
    if not int(df.get("LayersSize") or 0) and images:
        # each image's own layers once, plus the biggest shared part once (a common base)
        unique = sum(max(0, int(i.get("Size") or 0) - int(i.get("SharedSize") or 0)) for i in images)
        out["LayersSize"] = unique + max(int(i.get("SharedSize") or 0) for i in images)
    return out


async def gather_plan(engine: Engine, only_label: str | None = None) -> PrunePlan:
    networks, all_images = await asyncio.gather(
        engine.call("GET", "networks", "the network list"),
        engine.call("GET", "images/json", "the image list", params={"all": "1"}),
    )
    df = await disk_usage(engine, all_images)
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
