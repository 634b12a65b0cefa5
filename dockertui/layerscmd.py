"""``dockertui layers IMAGE``: an image's layers, sizes, wasted bytes and efficiency on stdout, as
text or JSON; exit 3 when a threshold (``--min-efficiency``, ``--max-wasted``,
``--max-user-wasted``) is not met, as dive's CI mode does."""

from __future__ import annotations

import json
import sys

from .engine.client import Engine
from .engine.endpoint import Endpoint
from .engine.errors import EngineError
from .engine.layers import prepare, read_layers
from .model.fmt import human_size, short_id
from .model.forest import build_forest
from .model.layerreport import checks, layer_owners, report
from .model.text import one_line

EXIT_ENGINE = 1
EXIT_THRESHOLD = 3


async def run_layers(endpoint: Endpoint, ref: str, fmt: str, min_efficiency: float | None, max_wasted: int | None,
                     max_user_wasted: float | None, disk_cache: bool, progress: bool) -> int:
    engine = Engine(endpoint, use_disk_cache=disk_cache)
    try:
        await engine.connect()
        raw = await engine.call("GET", f"images/{ref}/json", f"image {ref}")
        image_id = str(raw.get("Id") or ref) if isinstance(raw, dict) else ref
        forest = build_forest(await engine.images())
        chain = [(forest.images[i].name, forest.images[i].layers) for i in forest.chain(image_id) if i in forest.images]
        image, total = await prepare(engine, image_id)
        async for step in read_layers(engine, image_id, image, total):
            if progress and step.total:
                print(f"\rreading {human_size(step.bytes_read)} of {human_size(step.total)}", end="", file=sys.stderr, flush=True)
        if progress:
            print("\r\x1b[K", end="", file=sys.stderr, flush=True)
    except EngineError as exc:
        print(f"dockertui: {exc.message} {exc.fix}".rstrip(), file=sys.stderr)
        return EXIT_ENGINE
    finally:
        await engine.close()
    waste = image.waste()
    verdicts = checks(waste, min_efficiency, max_wasted, max_user_wasted)
    data = report(ref, image_id, image, waste, layer_owners(chain), verdicts)
    if fmt == "json":
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_report(data)
    return 0 if data["passed"] else EXIT_THRESHOLD


def print_report(data: dict) -> None:  # type: ignore[type-arg]
    out = sys.stdout
    out.write(f"{one_line(data['image'])}  {short_id(data['id'])}\n\n")
    out.write(f"{'#':>3}  {'size':>8}  {'files':>7}  {'hidden later':>12}  {'from':<24}  command\n")
    for layer in data["layers"]:
        out.write(f"{layer['index']:>3}  {human_size(layer['size']):>8}  {layer['files']:>7,}  {human_size(layer['hidden_later']):>12}  "
                  f"{one_line(layer['from_image'], 24):<24}  {one_line(layer['created_by'], 100)}\n")
        for path in layer["deleted"][:5]:
            out.write(f"{'':>5}deletes {one_line(path)}\n")
        if len(layer["deleted"]) > 5:
            out.write(f"{'':>5}... and {len(layer['deleted']) - 5} more deleted\n")
    out.write(f"\nefficiency: {data['efficiency'] * 100:.4f} %\n")
    out.write(f"wasted bytes: {data['wasted_bytes']:,} ({human_size(data['wasted_bytes'])})\n")
    out.write(f"user wasted percent: {data['wasted_user_percent'] * 100:.2f} %\n")
    out.write(f"hidden by later layers: {data['hidden_bytes']:,} ({human_size(data['hidden_bytes'])})\n")
    if data["inefficiencies"]:
        out.write(f"\n{'count':>5}  {'wasted':>10}  path\n")
        for item in data["inefficiencies"]:
            out.write(f"{item['layers']:>5}  {human_size(item['bytes']):>10}  {one_line(item['path'])}\n")
    for c in data["checks"]:
        out.write(f"\n{'PASS' if c['passed'] else 'FAIL'}: {c['rule']} {c['threshold']}" + (f": {c['message']}" if c["message"] else ""))
    if data["checks"]:
        out.write("\n")
