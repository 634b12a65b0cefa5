"""SVG snapshot of the main screen filled from the real demo engine. What differs from one machine
or minute to the next (IDs, ages, statuses, the random published port, the socket path) is pinned
before the shot; the tree's shape, names, states, tags and sizes are the engine's own."""

from __future__ import annotations

import dataclasses
import hashlib
import re

import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.containers import Container
from dockertui.model.images import Image
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.main import MainScreen

from ..helpers import wait_loaded

NOW = 1_800_000_000.0
pytestmark = pytest.mark.engine


def fake_id(seed: str) -> str:
    return "sha256:" + hashlib.sha256(seed.encode()).hexdigest()


def pin_images(images: list[Image]) -> list[Image]:
    ordered = sorted(images, key=lambda i: (i.tags, len(i.layers)))
    ids = {im.id: fake_id(",".join(im.tags) or f"untagged-{len(im.layers)}") for im in ordered}
    return [
        dataclasses.replace(im, id=ids[im.id], parent_id=ids.get(im.parent_id, ""), created=NOW - 3600 * (k + 1))
        for k, im in enumerate(ordered)
    ]


def pin_container(c: Container, image_ids: dict[str, str]) -> Container:
    status = re.sub(r"\d+ (seconds?|minutes?|hours?|days?|weeks?)|About an? (minute|hour)|Less than a second", "2 hours", c.status)
    status = status.replace("(health: starting)", "(healthy)")
    ports = tuple(dataclasses.replace(p, public=32768) if p.public else p for p in c.ports)
    return dataclasses.replace(c, id=fake_id(c.name)[7:], image_id=image_ids.get(c.image_id, c.image_id), status=status, ports=ports,
                               created=NOW - 3 * 3600)


async def pin(pilot) -> None:  # noqa: ANN001
    await wait_loaded(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    # hold the live stream still: a healthcheck's events would otherwise re-read real statuses
    screen.host.stop()
    await pilot.pause(0.3)
    engine_images = list(screen.images.values())
    pinned = pin_images(engine_images)
    id_map = {old.id: new.id for old, new in zip(sorted(engine_images, key=lambda i: (i.tags, len(i.layers))), pinned, strict=True)}
    demo = [c for c in screen.containers.values() if c.labels.get("dockertui.demo") == "1"]
    containers = [pin_container(c, id_map) for c in demo]
    # the details pane asks the engine about the pinned IDs: the engine answers for the real ones
    real_id = {pinned.id: c.id for c, pinned in zip(demo, containers, strict=True)}
    inspect_container = screen.engine.inspect_container

    async def by_real_id(container_id: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return await inspect_container(real_id.get(container_id, container_id), *args, **kwargs)

    screen.engine.inspect_container = by_real_id
    info = dataclasses.replace(screen.engine.info, server_version="20.10.24", running=0, containers=0)
    screen.bar._endpoint = "unix:///demo/docker.sock"
    screen.host.take(info, pinned, containers)
    await pilot.pause(0.3)
    # column widths follow the pinned values at once (a narrower layout would otherwise wait a few
    # seconds, and the widths would depend on the real statuses at the time of the test)
    screen.table.reset()
    await pilot.pause(0.1)
    details = screen.query_one("#details")
    for _ in range(40):  # the selected container's details, once the engine has answered
        if not details.region.height or "networks" in str(details.render()):  # shown, or hidden in a small window
            break
        await pilot.pause(0.05)


@pytest.mark.parametrize("size", [(80, 24), (120, 35), (200, 50)], ids=["80x24", "120x35", "200x50"])
def test_main_screen_on_the_demo_engine(demo_engine: str, snap_compare, monkeypatch, tmp_path, size) -> None:  # noqa: ANN001
    """The dashboard in the windows people have: at 80x24 Name, State and the compact status with
    the header's counts and the footer's ? and q; at 120x35 the image too; at 200x50 every column."""
    monkeypatch.setattr("dockertui.ui.widgets.image_tree.time.time", lambda: NOW)  # time.time itself: ages too
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=pin)
