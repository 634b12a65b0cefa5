"""Pure-model figures: building the image forest for thousands of images."""

from __future__ import annotations

import random
import statistics
import time

from dockertui.model.forest import build_forest
from dockertui.model.images import Image


def synthetic_images(n: int, seed: int = 7) -> list[Image]:
    """``n`` images in families up to 6 levels deep, a third untagged, some CMD-only siblings."""
    rnd = random.Random(seed)
    images: list[Image] = []
    depth: list[int] = []  # levels below the family's root, 0..5: six levels in all
    fresh = iter(range(10**9))
    while len(images) < n:
        if not images or rnd.random() < 0.05:
            layers = tuple(f"sha256:{next(fresh):064x}" for _ in range(rnd.randint(3, 8)))
            depth.append(0)
        else:
            pick = rnd.randrange(max(0, len(images) - 200), len(images))
            base = images[pick]
            if depth[pick] >= 5:
                continue
            extra = 0 if rnd.random() < 0.1 else rnd.randint(1, 3)
            depth.append(depth[pick] + (extra > 0))
            layers = base.layers + tuple(f"sha256:{next(fresh):064x}" for _ in range(extra))
        k = len(images)
        images.append(
            Image(
                id=f"sha256:{k:064x}",
                tags=(f"bench/img{k}:latest",) if rnd.random() < 0.66 else (),
                layers=layers,
                created=float(k),
                size=len(layers) * 1000,
            )
        )
    return images


def bench_forest(n: int = 5000, runs: int = 15) -> dict[str, float]:
    images = synthetic_images(n)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        build_forest(images)
        times.append((time.perf_counter() - t0) * 1000)
    return {"images": n, "median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2)}
