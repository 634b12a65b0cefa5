"""Replies a real engine can't be made to send, from a fake engine (a tiny aiohttp server on a unix
socket in tmp): each is one EngineError sentence that names what happened, never a traceback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.engine.errors import EngineError
from dockertui.engine.metrics import top

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
VERSION = {"ApiVersion": "1.41", "Version": "20.10.24", "Os": "linux", "Arch": "amd64"}
INFO = {"ID": "FAKE", "Name": "fake", "Containers": 0, "Images": 0, "ServerVersion": "20.10.24",
        "SystemTime": "2026-12-01T20:00:00.000000000Z"}
HTML = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1>\n" + "x" * 400 + "</body></html>\n"


@asynccontextmanager
async def fake_engine(tmp_path: Path, routes: dict[str, Handler]) -> AsyncIterator[Engine]:
    """An engine that answers /version and /info as Docker does, and ``routes`` (by path suffix)
    as the test says."""

    async def handle(request: web.Request) -> web.StreamResponse:
        for suffix, handler in routes.items():
            if request.path.endswith(suffix):
                return await handler(request)
        if request.path.endswith("/version"):
            return web.json_response(VERSION)
        if request.path.endswith("/info"):
            return web.json_response(INFO)
        return web.json_response({"message": "page not found"}, status=404)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = tmp_path / "fake.sock"
    site = web.UnixSite(runner, str(sock))
    await site.start()
    engine = Engine(resolve_endpoint(host=f"unix://{sock}", env={}), use_disk_cache=False, connect_timeout=2)
    try:
        yield engine
    finally:
        await engine.close()
        await runner.cleanup()


async def test_the_engine_going_away_mid_answer_is_a_lost_connection(tmp_path: Path) -> None:
    async def cut(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json", "Content-Length": "5000"})
        await response.prepare(request)
        await response.write(b'[{"Id": "abc", ')
        assert request.transport is not None
        request.transport.close()  # the engine died while answering
        return response

    async def silent(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()  # died before answering
        return web.Response()

    async with fake_engine(tmp_path, {"/containers/json": cut, "/images/json": silent}) as engine:
        await engine.connect()
        for call in (engine.containers, engine.images):
            with pytest.raises(EngineError) as err:
                await call()
            assert err.value.kind == "lost", err.value
            assert str(err.value) == f"The connection to the engine at {engine.endpoint.host} was lost."
            assert "Docker Engine API" not in err.value.message


async def test_a_web_server_answering_404_is_not_an_engine_in_one_sentence(tmp_path: Path) -> None:
    async def page(request: web.Request) -> web.StreamResponse:
        return web.Response(text=HTML, status=404, content_type="text/html")

    async with fake_engine(tmp_path, {"/version": page}) as engine:
        with pytest.raises(EngineError) as err:
            await engine.connect()
    assert err.value.kind == "not-docker"
    assert "answered, but it is not a Docker Engine API" in err.value.message
    assert "<" not in err.value.message and "no longer exists" not in err.value.message
    assert len(err.value.message.splitlines()) == 1 and len(err.value.message) < 200

    # a proxy in front of the engine, answering some paths with its own page
    async with fake_engine(tmp_path, {"/containers/json": page}) as engine:
        await engine.connect()
        with pytest.raises(EngineError) as err:
            await engine.containers()
    assert err.value.kind == "not-docker" and "<" not in err.value.message

    # the engine's own 404 (JSON, one line) still means the object is gone
    async with fake_engine(tmp_path, {}) as engine:
        await engine.connect()
        with pytest.raises(EngineError) as err:
            await engine.inspect_container("0123456789ab")
    assert err.value.kind == "gone" and "no longer exists" in err.value.message


async def test_an_event_stream_of_garbage_is_reached_but_unreadable(tmp_path: Path) -> None:
    async def garbage(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"Type": "container", "Action": "start", "Actor": {"ID": "a"}, "timeNano": 1}\n')
        await response.write(b"\x00\x17garbage that is no JSON\n")
        await asyncio.sleep(5)
        return response

    async with fake_engine(tmp_path, {"/events": garbage}) as engine:
        await engine.connect()
        seen = []
        with pytest.raises(EngineError) as err:
            async for event in engine.events():
                seen.append(event.action)
    assert seen == ["start"]
    assert err.value.kind == "unreadable"
    assert err.value.message == f"{engine.endpoint.host} was reached, but its event stream could not be read."


async def test_replies_of_the_wrong_shape_are_one_sentence(tmp_path: Path) -> None:
    """Podman answers top for a pod's infra container with an empty body and no content type;
    other odd shapes (a string, a list of strings for containers) are unreadable answers."""

    async def empty(request: web.Request) -> web.StreamResponse:
        response = web.Response(body=b"")
        response.content_type = ""  # no Content-Type header at all
        del response.headers["Content-Type"]
        return response

    async def text(request: web.Request) -> web.StreamResponse:
        return web.Response(text="just words", content_type="text/plain")

    async def strings(request: web.Request) -> web.StreamResponse:
        return web.json_response(["not", "containers"])

    async with fake_engine(tmp_path, {"/infra/top": empty, "/odd/top": text, "/containers/json": strings}) as engine:
        await engine.connect()
        assert await top(engine, "infra") == ([], [])
        for call in (lambda: top(engine, "odd"), engine.containers):
            with pytest.raises(EngineError) as err:
                await call()
            assert err.value.kind == "unreadable", err.value
            assert "was reached, but its answer about" in err.value.message


async def test_a_garbled_json_list_is_unreadable_not_a_traceback(tmp_path: Path) -> None:
    async def images(request: web.Request) -> web.StreamResponse:
        return web.Response(text=json.dumps([{"NoId": 1}]), content_type="application/json")

    async with fake_engine(tmp_path, {"/images/json": images}) as engine:
        await engine.connect()
        with pytest.raises(EngineError) as err:
            await engine.images()
    assert err.value.kind == "unreadable"
