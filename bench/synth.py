"""A synthetic busy host on the bench's own private engine: N containers (50% running, 10%
paused, 20% exited, 10% created, 10% running a tiny web server) and M images in families up to
6 levels deep from the static busybox base, with tags, dangling ones and a committed one.
Labelled ``dockertui.bench=1``; idempotent (a rerun only adds what is missing); removable."""

from __future__ import annotations

import concurrent.futures as cf
import random
import sys
from pathlib import Path

import docker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from seed import base_image, build_image  # noqa: E402

LABEL = {"dockertui.bench": "1"}
FILTER = {"label": "dockertui.bench=1"}


def images(client: docker.DockerClient, m: int) -> list[str]:
    """M images: families from bench/base, each up to 6 levels deep; every 10th one left untagged
    (a later build takes its tag, so it dangles), one committed from a container."""
    have = {t for i in client.images.list(filters=FILTER) for t in i.tags}
    base = "bench/base:1"
    if base not in have:
        base_image(client, base, LABEL)
    rnd = random.Random(11)
    tagged: list[str] = [base]
    plan: list[tuple[str, str, int]] = []  # (tag, parent, level)
    levels = {base: 1}
    for k in range(1, m - 1):
        parent = rnd.choice([t for t in tagged if levels[t] < 6])
        tag = f"bench/img{k:04d}:v{k % 3}"
        plan.append((tag, parent, levels[parent] + 1))
        levels[tag] = levels[parent] + 1
        tagged.append(tag)
    todo = [(t, p) for t, p, _ in plan if t not in have]

    def make(item: tuple[str, str]) -> None:
        tag, parent = item
        n = int(tag.split("img")[1][:4])
        if n % 10 == 0:  # a dangling predecessor: built once, then its tag moves on
            build_image(client, f"FROM {parent}\nRUN echo old-{n} > /old\n", tag, LABEL)
        build_image(client, f"FROM {parent}\nRUN echo {n} > /layer-{n}\n", tag, LABEL)

    with cf.ThreadPoolExecutor(4) as pool:
        # a parent before its children: build level by level
        for level in range(2, 8):
            list(pool.map(make, [(t, p) for t, p in todo if levels[t] == level]))
    return tagged


def containers(client: docker.DockerClient, n: int, image_tags: list[str]) -> None:
    existing = {c.name for c in client.containers.list(all=True, filters=FILTER)}
    rnd = random.Random(5)
    specs = []
    for i in range(n):
        share = i % 10
        state = ["running"] * 5 + ["paused", "exited", "exited", "created", "web"]
        specs.append((f"bench-{i:04d}", state[share], rnd.choice(image_tags)))

    def make(spec: tuple[str, str, str]) -> None:
        name, state, image = spec
        if name in existing:
            return
        if state == "web":
            c = client.containers.create(image, ["httpd", "-f", "-p", "8080"], name=name, labels=LABEL, network_mode="none")
        elif state == "exited":
            c = client.containers.create(image, ["sh", "-c", "exit 0"], name=name, labels=LABEL, network_mode="none")
        else:
            c = client.containers.create(image, ["sleep", "2147483647"], name=name, labels=LABEL, network_mode="none")
        if state in ("running", "paused", "web", "exited"):
            c.start()
        if state == "paused":
            c.pause()

    with cf.ThreadPoolExecutor(8) as pool:
        list(pool.map(make, specs))
    if not client.images.list(name="bench/committed"):
        first = client.containers.get("bench-0000")
        first.commit("bench/committed", "1", conf={"Labels": LABEL})


def ensure(client: docker.DockerClient, n: int, m: int) -> None:
    tags = images(client, m)
    containers(client, n, tags)
    # bring stopped/paused ones back to their intended state after an engine restart
    for c in client.containers.list(all=True, filters=FILTER):
        if not c.name.startswith("bench-") or not c.name[6:].isdigit():
            c.remove(force=True)  # a leftover of an interrupted run (toggler, latency probes)
            continue
        index = int(c.name[6:])
        want = ["running"] * 5 + ["paused", "exited", "exited", "created", "running"]
        if want[index % 10] in ("running", "paused") and c.status == "exited":
            c.start()
            if want[index % 10] == "paused":
                c.pause()


def remove(client: docker.DockerClient) -> None:
    for c in client.containers.list(all=True, filters=FILTER):
        c.remove(force=True)
    for _ in range(8):
        left = client.images.list(filters=FILTER)
        if not left:
            return
        for image in sorted(left, key=lambda i: len(i.attrs["RootFS"]["Layers"]), reverse=True):
            try:
                client.images.remove(image.id, force=True)
            except docker.errors.APIError:
                pass
