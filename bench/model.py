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


def bench_events(n: int = 10_000) -> dict[str, float]:
    """Parse ``n`` raw engine events, plan the re-reads in bursts of 100 and feed the events
    journal and problem tracker: the pure work per event the app does."""
    from dockertui.model.events import parse_event, plan_refresh
    from dockertui.model.journal import EventJournal, ProblemTracker

    rnd = random.Random(3)
    actions = ["create", "start", "die", "stop", "kill", "destroy", "health_status: healthy", "exec_create: sh", "pause", "unpause"]
    raw = [
        {"Type": "container", "Action": rnd.choice(actions), "Actor": {"ID": f"{rnd.randrange(300):064x}",
         "Attributes": {"name": f"c{i % 300}", "exitCode": str(rnd.choice([0, 0, 1]))}}, "timeNano": 1_800_000_000 * 10**9 + i * 10**6}
        for i in range(n)
    ]
    t0 = time.perf_counter()
    journal, problems = EventJournal(1000), ProblemTracker()
    for start in range(0, n, 100):
        batch = [parse_event(r) for r in raw[start : start + 100]]
        for e in batch:
            journal.add(e)
        problems.feed(batch)
        plan_refresh(batch)
    return {"events": n, "ms": round(1000 * (time.perf_counter() - t0), 1)}
