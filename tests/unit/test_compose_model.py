"""Compose projects from container labels: grouping, one-off containers, the order of project
actions (dependencies first on start, dependants first on stop and remove), log prefixes."""

from __future__ import annotations

import asyncio

import pytest

from dockertui.engine.compose import config_paths, source_names, tool_argv, tool_offer
from dockertui.engine.logstream import merge_streams
from dockertui.model.compose import group_projects, plan, start_order
from dockertui.model.containers import parse_container
from dockertui.model.logring import LogLine


def c(name: str, project: str, service: str, number: str = "1", state: str = "running", oneoff: str = "False",
      depends: str = "", created: int = 1) -> object:
    labels = {"com.docker.compose.project": project, "com.docker.compose.service": service,
              "com.docker.compose.container-number": number, "com.docker.compose.oneoff": oneoff,
              "com.docker.compose.project.config_files": "docker-compose.yml,override.yml",
              "com.docker.compose.project.working_dir": "/srv/shop"}
    if depends:
        labels["com.docker.compose.depends_on"] = depends
    return parse_container({"Id": name * 4, "Names": [f"/{name}"], "State": state, "Labels": labels, "Created": created})


CONTAINERS = [
    c("shop-web-2", "shop", "web", "2", depends="api:service_started:false"),
    c("shop-web-1", "shop", "web", "1", depends="api:service_started:false"),
    c("shop-api-1", "shop", "api", depends="db:service_healthy:false"),
    c("shop-db-1", "shop", "db", state="exited"),
    c("shop-api-run-x", "shop", "api", oneoff="True", state="exited"),
    c("blog-app-1", "blog", "app", state="paused"),
    parse_container({"Id": "zzzz", "Names": ["/loose"], "State": "running"}),
]


def test_grouped_by_project_and_service_in_start_order() -> None:
    projects = group_projects(CONTAINERS)
    assert [p.name for p in projects] == ["blog", "shop"]
    shop = projects[1]
    assert [s.name for s in shop.services] == ["db", "api", "web"]  # dependencies first
    assert [x.name for x in shop.services[2].containers] == ["shop-web-1", "shop-web-2"]
    api = shop.services[1]
    assert (api.total, api.running, api.oneoff) == (2, 1, 1)
    assert (shop.running, shop.total) == (3, 5)
    assert shop.config_files == ("docker-compose.yml", "override.yml") and shop.working_dir == "/srv/shop"


def test_plans_are_ordered_and_only_where_they_apply() -> None:
    shop = group_projects(CONTAINERS)[1]
    assert [x.name for x in plan(shop, "start")] == ["shop-db-1"]  # the one-off is not started
    assert [x.name for x in plan(shop, "stop")] == ["shop-web-2", "shop-web-1", "shop-api-1"]
    assert [x.name for x in plan(shop, "remove")] == ["shop-web-2", "shop-web-1", "shop-api-run-x", "shop-api-1", "shop-db-1"]
    assert [x.name for x in plan(shop, "pause")] == ["shop-api-1", "shop-web-1", "shop-web-2"]
    blog = group_projects(CONTAINERS)[0]
    assert [x.name for x in plan(blog, "unpause")] == ["blog-app-1"] and plan(blog, "pause") == []
    with pytest.raises(ValueError):
        plan(shop, "explode")


def test_start_order_survives_cycles_and_unknown_names() -> None:
    assert start_order({"a": ("b",), "b": ("a",), "c": ("nope",)}) == ["b", "a", "c"]


def test_log_prefixes_and_tool_command() -> None:
    shop = group_projects(CONTAINERS)[1]
    names = source_names(shop)
    assert set(names) == {"db", "api", f"api.run.{('shop-api-run-x' * 4)[:6]}", "web.1", "web.2"}
    assert config_paths(shop) == ["/srv/shop/docker-compose.yml", "/srv/shop/override.yml"]
    argv = tool_argv(shop, ["docker-compose"], "recreate")
    assert argv == ["docker-compose", "--project-name", "shop", "--file", "/srv/shop/docker-compose.yml", "--file",
                    "/srv/shop/override.yml", "--project-directory", "/srv/shop", "up", "-d", "--force-recreate"]
    assert "not installed" in tool_offer(shop, None)
    assert "not on this machine" in tool_offer(shop, ["docker-compose"])


def test_merged_streams_tag_lines_and_report_a_failed_one() -> None:
    async def lines(*texts: str):  # noqa: ANN202
        for t in texts:
            yield [LogLine("out", "", t)]
            await asyncio.sleep(0)

    async def broken():  # noqa: ANN202
        yield [LogLine("out", "", "first")]
        raise RuntimeError("gone")

    async def collect() -> list[LogLine]:
        out: list[LogLine] = []
        async for batch in merge_streams({"web": lines("a", "b"), "db": lines("c"), "bad": broken()}):
            out.extend(batch)
        return out

    got = asyncio.run(collect())
    assert sorted((x.source, x.text) for x in got if x.stream == "out") == [("bad", "first"), ("db", "c"), ("web", "a"), ("web", "b")]
    assert [x.text for x in got if x.stream == "err"] == ["(bad: gone)"]
