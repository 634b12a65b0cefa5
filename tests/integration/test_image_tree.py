"""The image tree on a real engine: A > B > {C, D}, a LABEL-only sibling of B, and containers
of descendants listed when an ancestor is selected. Acts through the SDK, checks through dockertui."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docker
import pytest

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.forest import build_forest
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.main import MainScreen
from seed import BASE_DOCKERFILE, build_image

from ..helpers import wait_loaded, wait_until

pytestmark = pytest.mark.engine


@pytest.fixture
def family(observer: docker.DockerClient, run_label: str) -> dict[str, str]:
    labels = {"dockertui.test": run_label}
    repo = f"dtt-{run_label}"
    ids: dict[str, str] = {}
    # A is unique to this run (its own file), so it never shares an ID with the demo base.
    ids["A"] = build_image(observer, BASE_DOCKERFILE + f"RUN echo {run_label} > /run-id\n", f"{repo}/a:1", labels, with_busybox=True)
    ids["B"] = build_image(observer, f"FROM {repo}/a:1\nRUN echo b > /b\n", f"{repo}/b:1", labels)
    ids["C"] = build_image(observer, f"FROM {repo}/b:1\nRUN echo c > /c\n", f"{repo}/c:1", labels)
    ids["B_label"] = build_image(observer, f"FROM {repo}/b:1\nLABEL flavour=other\n", f"{repo}/b:label", labels)
    source = observer.containers.create(f"{repo}/b:1", command=["sh", "-c", "echo d > /d"], labels=labels, name=f"{repo}-src")
    source.start()
    source.wait()
    ids["D"] = observer.images.get(source.commit(repository=f"{repo}/d", tag="1").id).id
    long_project = {"com.docker.compose.project": "p" * 100}  # makes its line longer than 80 columns
    c_container = observer.containers.create(
        f"{repo}/c:1", command=["sleep", "300"], labels={**labels, **long_project}, name=f"{repo}-on-c"
    )
    ids["c_container"] = c_container.id
    ids["source"] = source.id
    return ids


@pytest.mark.parametrize("intermediate", [False, True], ids=["default", "with-intermediates"])
async def test_tree_of_a_real_family(engine_host: str, family: dict[str, str], tmp_path: Path, intermediate: bool) -> None:
    engine = Engine(resolve_endpoint(host=engine_host, env={}), cache_root=tmp_path)
    try:
        await engine.connect()
        forest = build_forest(await engine.images(intermediate=intermediate), show_intermediate=intermediate)
    finally:
        await engine.close()
    a, b, c, d, b2 = (family[k] for k in ("A", "B", "C", "D", "B_label"))
    assert forest.parent[b] == a
    assert forest.parent[c] == b
    assert forest.parent[d] == b
    assert forest.parent[b2] == a, "identical layers: a sibling of B, not its child"
    assert {c, d} <= set(forest.kids(b))
    assert {k for k in forest.kids(b) if forest.images[k].named} == {c, d}
    assert forest.images[b2].layers == forest.images[b].layers
    if intermediate:
        assert all(not forest.images[i].named for i in forest.kids(b) if i not in (c, d))


async def test_container_of_grandchild_listed_when_ancestor_selected(
    engine_host: str, family: dict[str, str], tmp_path: Path
) -> None:
    app = DockerTUI(resolve_endpoint(host=engine_host, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.tree.move_cursor(screen.tree._node_of[family["A"]])
        await wait_until(pilot, lambda: screen.tree.selected == family["A"], what="A selected")
        ids = set(screen.table.containers)
        assert family["c_container"] in ids and family["source"] in ids
        await pilot.press("o")
        await wait_until(pilot, lambda: family["c_container"] not in screen.table.containers, what="only A")


def test_tree_command_prints_the_family(engine_host: str, family: dict[str, str], run_label: str) -> None:
    env = {"DOCKER_HOST": engine_host, "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    out = subprocess.run([sys.executable, "-m", "dockertui", "tree", "--no-cache"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "\x1b[" not in out.stdout, "piped output is plain text"
    on_c = next(line for line in out.stdout.splitlines() if f"dtt-{run_label}-on-c" in line)
    assert on_c.rstrip().endswith("p" * 100 + "]"), "piped lines are whole, not cut at 80 columns"
    lines = out.stdout.splitlines()
    pos = {name: next(i for i, line in enumerate(lines) if f"dtt-{run_label}/{name}:1 " in line) for name in ("a", "b", "c", "d")}
    indent = {n: len(lines[i]) - len(lines[i].lstrip("│ ├└─")) for n, i in pos.items()}
    assert pos["a"] < pos["b"] < pos["c"] and pos["b"] < pos["d"]
    assert indent["a"] < indent["b"] < indent["c"] == indent["d"]
    js = subprocess.run([sys.executable, "-m", "dockertui", "tree", "--format", "json", "--no-cache"], capture_output=True, text=True, env=env, timeout=60)
    data = json.loads(js.stdout)

    def find(nodes: list[dict], image_id: str) -> dict | None:
        for n in nodes:
            if n["id"] == image_id:
                return n
            hit = find(n["children"], image_id)
            if hit:
                return hit
        return None

    b = find(data["images"], family["B"])
    assert b is not None and {k["id"] for k in b["children"]} == {family["C"], family["D"]}
    c = find(data["images"], family["C"])
    assert c is not None and [x["id"] for x in c["containers"]] == [family["c_container"]]


async def test_second_start_makes_no_inspect_call(demo_engine: str, tmp_path: Path) -> None:
    endpoint = resolve_endpoint(host=demo_engine, env={})
    first = Engine(endpoint, cache_root=tmp_path)
    second = Engine(endpoint, cache_root=tmp_path)
    try:
        await first.connect()
        images_first = await first.images()
        assert first.inspect_calls == len(images_first) > 0
        await second.connect()
        images_second = await second.images()
        assert second.inspect_calls == 0
        assert sorted(images_first, key=lambda i: i.id) == sorted(images_second, key=lambda i: i.id)
    finally:
        await first.close()
        await second.close()


async def test_ages_in_the_tree_move_on(demo_engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every line's age is of one moment: a tick relabels the images whose age text changed."""
    import time

    from ..helpers import wait_loaded

    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        base = next(i for i, image in main.host.state.forest.images.items() if "demo/base:latest" in image.tags)
        from dockertui.model.fmt import human_age
        created = main.host.state.forest.images[base].created
        shown = main.tree.label_of(base)
        assert f"  {human_age(created, time.time())}  " in shown, shown
        later = created + 3 * 86400  # a clock at "3 days old" (time.time is patched for everyone)
        monkeypatch.setattr("dockertui.ui.widgets.image_tree.time.time", lambda: later)
        main.tree.tick_ages()
        await pilot.pause()
        expected = "3d"
        assert expected not in shown
        assert f"  {expected}  " in main.tree.label_of(base)
