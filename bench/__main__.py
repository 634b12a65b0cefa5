"""Run the benchmark, print a table, append JSON lines to bench/results/.

Figures so far: the pure forest build (5,000 images) and startup against the private engine,
cold and warm layer cache (Engine API calls and seconds to the data the first screen shows).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.forest import build_forest

from .model import bench_forest

RESULTS = Path(__file__).resolve().parent / "results"


async def startup(host: str, cache: Path) -> dict[str, float]:
    engine = Engine(resolve_endpoint(host=host, env={}), cache_root=cache)
    t0 = time.perf_counter()
    try:
        _, images, containers = await engine.snapshot()
        build_forest(images)
    finally:
        await engine.close()
    return {
        "seconds": round(time.perf_counter() - t0, 3),
        "inspects": engine.inspect_calls,
        "images": len(images),
        "containers": len(containers),
    }


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    record: dict[str, object] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    forest = bench_forest()
    record["forest"] = forest
    rows.append(("forest build, 5,000 images (median)", f"{forest['median_ms']} ms", "< 50 ms"))
    host = os.environ.get("DOCKER_HOST")
    if host:
        with tempfile.TemporaryDirectory() as tmp:
            cold = asyncio.run(startup(host, Path(tmp)))
            warm = asyncio.run(startup(host, Path(tmp)))
        record["startup_cold"], record["startup_warm"] = cold, warm
        label = f"{cold['images']} images, {cold['containers']} containers"
        rows.append((f"data for first screen, cold cache ({label})", f"{cold['seconds']} s, {cold['inspects']} inspects", ""))
        rows.append(("data for first screen, warm cache", f"{warm['seconds']} s, {warm['inspects']} inspects", "0 inspects"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'figure':<24}  target")
    for name, fig, target in rows:
        print(f"{name:<{width}}  {fig:<24}  {target}")
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / "results.jsonl").open("a") as f:
        f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
