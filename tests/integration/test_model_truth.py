"""What the model says about a container is what the engine says: the image's name in the chain,
a restart loop, health. On the private Docker engine; the Podman side is in test_podman.py."""

from __future__ import annotations

import time
from pathlib import Path

import docker
import pytest

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.containers import RestartWatch, image_name_for, parse_extra, with_health
from dockertui.model.forest import build_forest
from dockertui.ui.widgets.details import container_details

from ..helpers import plain

pytestmark = pytest.mark.engine


async def test_the_chain_names_the_reference_the_container_was_created_from(demo_engine: str, observer: docker.DockerClient,
                                                                            run_label: str, tmp_path: Path) -> None:
    base = observer.images.get("demo/base:latest")
    first, chosen = f"aaa-{run_label}/first:1", f"zzz-{run_label}/chosen:2"
    for ref in (first, chosen):
        repo, tag = ref.split(":")
        base.tag(repo, tag)
    c = observer.containers.create(chosen, ["true"], labels={"dockertui.test": run_label})
    engine = Engine(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        info, images, containers = await engine.snapshot()
        inspect = await engine.inspect_container(c.id)
    finally:
        await engine.close()
        for ref in (first, chosen):
            observer.images.remove(ref)
    forest = build_forest(images)
    mine = next(x for x in containers if x.id == c.id)
    image = forest.images[mine.image_id]
    assert image.name == first, image.tags  # the alphabetically first tag
    text = plain(container_details(mine, forest, inspect, None))
    chain_line = next(line for line in text.splitlines() if line.startswith("chain:"))
    assert chosen in chain_line and first not in chain_line, chain_line


async def test_a_restart_loop_shows_restarting_with_its_count(demo_engine: str, observer: docker.DockerClient, run_label: str,
                                                             tmp_path: Path) -> None:
    c = observer.containers.run("demo/base:latest", ["sh", "-c", "sleep 0.3; exit 1"], detach=True, name=f"loop-{run_label}",
                                restart_policy={"Name": "on-failure", "MaximumRetryCount": 50}, labels={"dockertui.test": run_label})
    calm = observer.containers.run("demo/base:latest", ["sleep", "60"], detach=True, labels={"dockertui.test": run_label},
                                   restart_policy={"Name": "always"})
    engine = Engine(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    watch = RestartWatch()
    try:
        await engine.connect()
        for cid in (c.id, calm.id):
            watch.see(cid, parse_extra(await engine.inspect_container(cid)), time.time())
        deadline = time.monotonic() + 20
        labels: list[str] = []
        while time.monotonic() < deadline:
            listed = {x.id: x for x in await engine.containers_by_id([c.id, calm.id])}
            for cid in (c.id, calm.id):
                watch.see(cid, parse_extra(await engine.inspect_container(cid)), time.time())
            labels.append(watch.label(listed[c.id], time.time()))
            if any(label == "restarting" for label in labels) and watch.count(c.id) >= 2 and \
                    listed[c.id].state == "running":
                break
            time.sleep(0.2)
        assert watch.label(listed[calm.id], time.time()) == "running", "a container that does not restart is running"
    finally:
        await engine.close()
    count = observer.containers.get(c.id).attrs["RestartCount"]
    assert count >= 2
    assert "restarting" in labels, labels
    first_loop = next(i for i, label in enumerate(labels) if label.startswith("restarting"))
    assert "running" not in labels[first_loop:], f"once looping, never read as running: {labels}"
    # a fresh watch (the app started while the loop runs) sees it at once, from its last start
    fresh = RestartWatch()
    inspect = observer.api.inspect_container(c.id)
    fresh.see(c.id, parse_extra(inspect), time.time())
    assert fresh.looping(listed[c.id], time.time())


def test_helpers_on_their_own() -> None:
    assert image_name_for(["a/x:1", "redis:latest"], "redis", "a/x:1") == "redis:latest"
    assert image_name_for(["localhost/dang:1"], "dang:1", "?") == "localhost/dang:1"
    assert image_name_for(["docker.io/library/redis:7"], "redis:7", "?") == "docker.io/library/redis:7"
    assert image_name_for(["a/x:1"], "gone:1", "a/x:1") == "a/x:1"
    assert with_health("Up 5 seconds", "unhealthy") == "Up 5 seconds (unhealthy)"
    assert with_health("Up 5 seconds (unhealthy)", "unhealthy") == "Up 5 seconds (unhealthy)"
    assert with_health("Up 1 second", "starting") == "Up 1 second (health: starting)"
    assert with_health("Exited (1) 2 minutes ago", "unhealthy") == "Exited (1) 2 minutes ago"
    extra = parse_extra({"RestartCount": 3, "HostConfig": {"RestartPolicy": {"Name": "always"}},
                         "State": {"Healthcheck": {"Status": "Unhealthy"}}, "Pod": "p1", "IsInfra": True, "Config": {"Image": "x"}})
    assert (extra.restart_count, extra.restart_policy, extra.health, extra.pod, extra.infra, extra.config_image) == \
        (3, "always", "unhealthy", "p1", True, "x")


async def test_details_show_the_command_and_why_the_engine_could_not_start_it(
        demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    c = observer.containers.create("demo/base:latest", ["/no/such/program", "an arg"], labels={"dockertui.test": run_label})
    with pytest.raises(docker.errors.APIError):
        c.start()
    engine = Engine(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        _info, images, containers = await engine.snapshot()
        inspect = await engine.inspect_container(c.id)
    finally:
        await engine.close()
    mine = next(x for x in containers if x.id == c.id)
    lines = plain(container_details(mine, build_forest(images), inspect, None)).splitlines()
    assert "command: /no/such/program 'an arg'" in lines, lines
    error = next(line for line in lines if line.startswith("error: "))
    assert "/no/such/program" in error and observer.containers.get(c.id).attrs["State"]["Error"] in error
