"""``python -m bench --layers``: reading an image's layers from the engine, on images generated
here (a layer of 50,000 small files; 200,000 files in four layers for memory), on the bench's
own engine (or ``--host``). Measures, against the same stream read and thrown away (socket
speed): the time to index the 50,000-file layer, what each key of the layers screen costs once a
layer is shown (model and the file-tree widget, headless), and the peak memory of
``dockertui layers`` on 200,000 files. A calibration loop tells how busy the machine was."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import docker

from .layersynth import load_scratch, many_files_layer

LABEL = {"dockertui.bench": "layers"}


def calibration() -> float:
    """Seconds for a million-step Python loop: ~0.03 on an idle modern core."""
    t0 = time.perf_counter()
    x = 0
    for i in range(1_000_000):
        x += i
    return round(time.perf_counter() - t0, 3)


def ensure_image(client: docker.DockerClient, tag: str, files: int, layers: int) -> str:
    try:
        return str(client.images.get(tag).id)
    except docker.errors.ImageNotFound:
        pass
    per = files // layers
    made = [many_files_layer(per, top=f"set{n}") for n in range(layers)]
    return load_scratch(client, made, tag, LABEL)


async def raw_read(host: str, ref: str) -> tuple[float, float, int]:
    """The archive read and thrown away: (seconds to the first byte, seconds in all, bytes)."""
    import aiohttp

    path = host.removeprefix("unix://")
    async with aiohttp.ClientSession(connector=aiohttp.UnixConnector(path=path)) as session:
        t0 = time.perf_counter()
        first = 0.0
        size = 0
        async with session.get(f"http://engine/images/{ref}/get") as response:
            async for chunk in response.content.iter_chunked(256 * 1024):
                if not first:
                    first = time.perf_counter() - t0
                size += len(chunk)
        return first, time.perf_counter() - t0, size


async def our_read(host: str, ref: str) -> tuple[float, float, Any]:
    """Our reader: (seconds to the first byte, seconds in all, the model)."""
    from dockertui.engine.client import Engine
    from dockertui.engine.endpoint import resolve_endpoint
    from dockertui.engine.layers import prepare, read_layers

    engine = Engine(resolve_endpoint(host=host, env={}), use_disk_cache=False)
    try:
        await engine.connect()
        t0 = time.perf_counter()
        image, total = await prepare(engine, ref)
        first = 0.0
        async for step in read_layers(engine, ref, image, total):
            if not first and step.bytes_read:
                first = time.perf_counter() - t0
        return first, time.perf_counter() - t0, image
    finally:
        await engine.close()


def key_costs(image: Any) -> dict[str, float]:
    """ms for what the keys of the layers screen do, on the biggest layer (model side)."""
    from dockertui.model.layerviews import LayerView, MergedView

    k = max(range(len(image)), key=lambda i: image.layers[i].files)
    out: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        t0 = time.perf_counter()
        value = fn()
        out[name] = round((time.perf_counter() - t0) * 1000, 1)
        return value

    view = timed("select_layer_ms", lambda: LayerView(image, k))
    top = view.rows(None)
    biggest = max(top, key=lambda r: r.size)
    timed("open_top_dir_ms", lambda: view.rows(biggest.key))
    timed("whole_filesystem_ms", lambda: MergedView(image, k).rows(None))
    timed("filter_ms", lambda: LayerView(image, k, "f49"))
    timed("waste_ms", image.waste)
    return out


async def widget_costs(image: Any) -> dict[str, float]:
    """ms for the file tree widget, headless: show a 50,000-file layer opened, then keys."""
    from textual.app import App, ComposeResult

    from dockertui.model.layerviews import LayerView
    from dockertui.ui.widgets.filetree import FileTree

    k = max(range(len(image)), key=lambda i: image.layers[i].files)

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield FileTree(id="files")

    from dockertui.model.layers import ImageLayers

    small = ImageLayers(["small"])
    small.add(0, [(f"d/f{j}", "f", 3, 0o644, "") for j in range(100)])
    out: dict[str, float] = {}
    for name, view, limit in (("key_worst_small_ms", LayerView(small, 0), 2000), ("key_worst_ms", LayerView(image, k), 10**6)):
        app = Bench()
        async with app.run_test(size=(120, 40)) as pilot:
            files = app.query_one(FileTree)
            files.focus()
            t0 = time.perf_counter()
            files.show(view)
            files.open_all(limit=limit)  # every directory open
            await pilot.pause()
            if name == "key_worst_ms":
                out["show_layer_all_open_ms"] = round((time.perf_counter() - t0) * 1000, 1)
                out["rows_open"] = len(files.lines)
            worst = 0.0
            for key in ("j", "j", "pagedown", "G", "k", "g", "j", "k"):
                t0 = time.perf_counter()
                await pilot.press(key)
                worst = max(worst, time.perf_counter() - t0)
            out[name] = round(worst * 1000, 1)
    return out


def peak_rss_mib(host: str, ref: str) -> float:
    """Peak resident memory of ``dockertui layers`` (a process of its own) on the image."""
    import os

    child = subprocess.Popen([sys.executable, "-m", "dockertui", "-H", host, "--no-cache", "layers", ref, "--format", "json"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the largest child's so far
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError((child.stderr.read() if child.stderr else b"")[-2000:].decode())
    return round(usage.ru_maxrss / 1024, 1)


def run(host: str, files: int, memory_files: int) -> dict[str, Any]:
    client = docker.DockerClient(base_url=host, timeout=1800)
    record: dict[str, Any] = {"calibration_s": calibration(), "files": files, "memory_files": memory_files}
    t0 = time.monotonic()
    small = f"bench/layers:{files}"
    big = f"bench/layers:{memory_files}x4"
    ensure_image(client, small, files, 1)
    ensure_image(client, big, memory_files, 4)
    record["setup_s"] = round(time.monotonic() - t0, 1)
    raw_first, raw_all, size = asyncio.run(raw_read(host, small))
    ours_first, ours_all, image = asyncio.run(our_read(host, small))
    indexed = sum(i.files for i in image.layers)
    record.update(
        archive_bytes=size,
        raw_first_byte_s=round(raw_first, 3), raw_read_s=round(raw_all, 3),
        ours_first_byte_s=round(ours_first, 3), ours_read_s=round(ours_all, 3),
        entries=indexed, paths=image.nodes,
        parse_s=round(max(0.0, ours_all - raw_all), 3),
        files_per_s=round(indexed / max(ours_all - ours_first, 1e-6)),
        mb_per_s=round(size / 1e6 / max(ours_all - ours_first, 1e-6), 1),
        raw_mb_per_s=round(size / 1e6 / max(raw_all - raw_first, 1e-6), 1),
    )
    record.update(key_costs(image))
    record.update(asyncio.run(widget_costs(image)))
    del image
    record["rss_mib_peak"] = peak_rss_mib(host, big)
    client.close()
    return record


MEASURES = [
    ("archive_bytes", "archive of the image with the many-file layer", "B", ""),
    ("raw_first_byte_s", "engine: first byte of the archive", "s", ""),
    ("raw_read_s", "stream read and thrown away (socket speed)", "s", ""),
    ("ours_read_s", "stream read and indexed by dockertui", "s", "socket speed"),
    ("files_per_s", "entries indexed per second (after the first byte)", "", ""),
    ("select_layer_ms", "select the layer (its paths and sizes)", "ms", "<= 100"),
    ("open_top_dir_ms", "open its biggest folder", "ms", "<= 100"),
    ("whole_filesystem_ms", "m: whole filesystem after it", "ms", "<= 100"),
    ("filter_ms", "/: filter its paths", "ms", "<= 100"),
    ("key_worst_ms", "slowest key in the file tree, every folder open (as pressed, with the repaint)", "ms", "<= 100"),
    ("key_worst_small_ms", "the same keys on a 100-row tree (Textual's own cost of a key, as pressed)", "ms", ""),
    ("show_layer_all_open_ms", "show the layer with every folder open", "ms", ""),
    ("waste_ms", "waste and efficiency (whole image)", "ms", ""),
    ("rss_mib_peak", "peak memory of `dockertui layers` on the 4-layer image (200,000 files)", "MiB", "< 100"),
    ("calibration_s", "calibration: a million-step Python loop", "s", "~0.03 idle"),
]


def table(record: dict[str, Any]) -> str:
    rows = ["| Measure | value | target |", "| --- | --- | --- |"]
    for key, label, unit, target in MEASURES:
        value = record.get(key)
        shown = "n/a" if value is None else (f"{value:,}" if isinstance(value, int) else f"{value}") + (f" {unit}" if unit else "")
        rows.append(f"| {label} | {shown} | {target} |")
    return "\n".join(rows)


def remove(client: docker.DockerClient) -> None:
    for image in client.images.list(filters={"label": "dockertui.bench=layers"}):
        client.images.remove(image.id, force=True)


def results_line(record: dict[str, Any], path: Path) -> None:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        f.write(json.dumps(record) + "\n")
