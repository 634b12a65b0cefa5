"""F: an image's layers file by file, where the space goes, and a container's changes; and
`dockertui layers` for scripts. Images built here on the private engine with the classic
builder from the busybox base; the figures are checked against what the Dockerfile did, the
container's changes against the docker SDK's diff()."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest
from seed import build_image

from bench.layersynth import load_on_top, many_files_layer

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.changesview import ChangesScreen
from dockertui.ui.screens.layersview import LayersScreen
from dockertui.ui.widgets.filetree import FileTree

from ..helpers import wait_loaded, wait_until
from .test_actions import only_mine
from .test_image_actions import select_image

pytestmark = pytest.mark.engine

MANY = 50_000
DOCKERFILE = """\
FROM demo/base:latest
RUN mkdir -p /data/sub && head -c 1000 /dev/zero > /data/big && head -c 500 /dev/zero > /data/gone \\
 && head -c 100 /dev/zero > /data/sub/a && head -c 200 /dev/zero > /data/sub/b && head -c 50 /dev/zero > /data/mode
RUN head -c 3000 /dev/zero > /data/big
RUN rm /data/gone && rm -rf /data/sub
RUN chmod 755 /data/mode
LABEL purpose=layers-test
"""
# The layer of 50,000 small files is generated (bench/layersynth.py) and loaded on top: a RUN loop
# under the classic builder takes minutes on a busy 2-core machine, mostly the builder's commit.
# dive's figures, from the Dockerfile: /data/big 1000 + 3000 (in two layers), /data/gone 500 +
# its whiteout, /data/mode 50 + 50 (chmod copies the file up); the whole /data/sub directory
# deleted is one whiteout leaf, which dive does not count as waste.
WASTED = 1000 + 3000 + 500 + 50 + 50
HIDDEN = 1000 + 500 + 100 + 200 + 50  # what the final filesystem no longer shows


@pytest.fixture(scope="module")
def layered(demo_engine: str, observer: docker.DockerClient) -> Iterator[str]:
    label = uuid.uuid4().hex[:10]
    labels = {"dockertui.test": label}
    built = build_image(observer, DOCKERFILE, f"dtt-layers-{label}:built", labels)
    tag = f"dtt-layers-{label}:1"
    top = load_on_top(observer, built, many_files_layer(MANY), tag, labels, "generated: 50,000 small files")
    yield tag
    for c in observer.containers.list(all=True, filters={"label": f"dockertui.test={label}"}):
        c.remove(force=True)
    for image_id in (top, built):
        observer.images.remove(image_id, force=True)


def cli(host: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dockertui", "-H", host, "layers", *args], capture_output=True, text=True, timeout=300)


def test_the_layers_command_gives_the_dockerfile_figures(layered: str, demo_engine: str, observer: docker.DockerClient) -> None:
    done = cli(demo_engine, layered, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    layers = data["layers"]
    base = len(observer.images.get("demo/base:latest").attrs["RootFS"]["Layers"])
    assert len(layers) == base + 5
    mine = layers[base:]
    assert [layer["from_image"] for layer in layers[:base]] == ["demo/base:latest"] * base, "shared layers are the parent's"
    assert all(layer["from_image"] == layered.replace(":1", ":built") for layer in mine[:4])
    assert mine[4]["from_image"] == layered
    assert "head -c 3000" in mine[1]["created_by"] and "chmod 755" in mine[3]["created_by"]
    assert mine[2]["deleted"] == ["/data/gone", "/data/sub"]
    assert mine[1]["size"] == 3000 and mine[3]["size"] == 50
    assert mine[4]["files"] >= MANY and mine[4]["size"] == sum(len(f"{j}\n") for j in range(500)) * (MANY // 500)
    assert data["wasted_bytes"] == WASTED
    assert data["hidden_bytes"] == HIDDEN
    assert {i["path"]: i["bytes"] for i in data["inefficiencies"] if i["bytes"]} == {"/data/big": 4000, "/data/gone": 500, "/data/mode": 100}
    assert 0.99 < data["efficiency"] < 1.0
    # thresholds, as dive's CI mode: exit non-zero when not met, with dive's message
    built = layered.replace(":1", ":built")  # the same waste without the 50,000 files: quicker to read
    failing = cli(demo_engine, built, "--max-wasted", "4kB", "--min-efficiency", "0.5")
    assert failing.returncode == 3
    assert f"FAIL: max-wasted 4000: too many bytes wasted (wasted-bytes={WASTED} > threshold=4000)" in failing.stdout
    assert "PASS: min-efficiency 0.5" in failing.stdout
    assert cli(demo_engine, built, "--max-wasted", "1MB", "--min-efficiency", "0.9").returncode == 0
    # the subcommand's -H does not overwrite the global one when it is not given
    assert cli("unix:///nonexistent.sock", layered).returncode == 1


async def test_layers_view_then_the_containers_changes(layered: str, demo_engine: str, observer: docker.DockerClient, tmp_path: Path) -> None:
    label = observer.images.get(layered).labels["dockertui.test"]
    image = observer.images.get(layered)
    c = observer.containers.run(layered, ["sh", "-c", "echo new > /added.txt; echo more >> /data/big; rm /data/mode; sleep 600"],
                                detach=True, name=f"changer-{label}", labels={"dockertui.test": label})
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        await select_image(pilot, main, image.id)  # type: ignore[arg-type]
        # escape while the archive is being read cancels the read (dockerd 20.10 exports the whole
        # image to a folder of its own before the first byte; layers then arrive in the order of
        # their folder names, and each shows as soon as the layers below it are in)
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, LayersScreen), 5, "the layers screen")
        early = app.screen
        assert isinstance(early, LayersScreen)
        await wait_until(pilot, lambda: early.status == "reading", 30, "the read started")
        reads = [w for w in app.workers if w.group.startswith("layers-")]
        assert reads and not all(w.is_finished for w in reads)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main, 5, "back on the main screen")
        await wait_until(pilot, lambda: all(w.is_finished for w in reads), 5, "the read cancelled")
        assert early.waste is None
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, LayersScreen), 5, "the layers screen")
        screen = app.screen
        assert isinstance(screen, LayersScreen)
        await wait_until(pilot, lambda: screen.waste is not None, 120, "the whole image read")
        assert screen.waste is not None and screen.waste.wasted == WASTED and screen.waste.hidden == HIDDEN
        assert "/data/big" in str(screen.query_one("#layers-waste").render())
        files = screen.query_one(FileTree)
        table = screen.query_one("#layers-table")
        count = len(screen.image.layers)  # type: ignore[union-attr]
        table.focus()  # the keys of every list (ui/widgets/lists.py)
        await pilot.press("G")
        assert table.cursor_row == count - 1  # type: ignore[attr-defined]
        await pilot.press("g", "j")
        assert table.cursor_row == 1  # type: ignore[attr-defined]
        # the layer that overwrites /data/big: its file, marked changed, with the old size
        table.move_cursor(row=count - 4)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: screen.current_layer == count - 4, 5, "the overwrite layer")
        rows = [(files.path_of(i), line[1].change, line[1].detail) for i, line in enumerate(files.lines)]
        assert ("/data/big", "changed", "was 1,000 B") in rows
        # the last layer: 50,000 files, a key answered at once
        table.move_cursor(row=count - 1)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: screen.current_layer == count - 1, 5, "the last layer")
        files.focus()
        assert files.lines and files.lines[0][1].name == "many" and files.lines[0][1].change == "added"
        t0 = time.perf_counter()
        files.action_open() if not files.lines[0][2] else None
        files.action_edge(1)
        assert time.perf_counter() - t0 < 0.5
        # the whole filesystem after the delete layer: /data has big and mode, no sub, no gone
        table.move_cursor(row=count - 3)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: screen.current_layer == count - 3, 5, "the delete layer")
        await pilot.press("m")
        top = {line[1].name: i for i, line in enumerate(files.lines)}
        assert "data" in top and "many" not in top
        files.cursor = top["data"]
        files.action_open()
        under = [line[1].name for line in files.lines if line[0] == 1]
        assert {"big", "mode"} <= set(under) and "sub" not in under and "gone" not in under
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main, 5, "back on the main screen")
        await wait_until(pilot, lambda: not [w for w in app.workers if w.group.startswith("layers-")], 5, "the screen's workers ended")

        # the container of that image: its changes, as the SDK's diff() sees them
        await only_mine(pilot, f"changer-{label}", 1)
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, ChangesScreen), 5, "the changes screen")
        changes = app.screen
        assert isinstance(changes, ChangesScreen)
        await wait_until(pilot, lambda: changes.changes is not None and changes.rw_size is not None, 90, "changes and size")
        expected = {(d["Path"], d["Kind"]) for d in observer.containers.get(c.id).diff()}
        assert set(changes.changes or []) == expected
        assert ("/added.txt", 1) in expected and ("/data/big", 0) in expected and ("/data/mode", 2) in expected
        shown = {changes.query_one(FileTree).path_of(i): line[1].change for i, line in enumerate(changes.query_one(FileTree).lines)}
        assert shown["/added.txt"] == "added" and shown["/data/big"] == "changed" and shown["/data/mode"] == "deleted"
        assert changes.rw_size == observer.api.containers(all=True, filters={"id": c.id}, size=True)[0]["SizeRw"]
        await pilot.press("slash", *"big", "enter")
        await wait_until(pilot, lambda: changes.filter_text == "big", 5, "the filter")
        assert [line[1].name for line in changes.query_one(FileTree).lines] == ["data", "big"]

