"""The registry client's Bearer flow against a real HTTP server on loopback that behaves as a
token-authenticated registry does (Docker Hub, GitLab, Harbor): 401 with a Bearer challenge, a
token service that checks the user and password (or takes an identity token as a refresh token),
tag lists in pages linked by ``Link: <...>; rel="next"``."""

from __future__ import annotations

import base64

import pytest
from aiohttp import web

from dockertui.engine.credentials import Found
from dockertui.engine.errors import EngineError
from dockertui.engine.registry import RegistryClient

TAGS = [f"v{i}" for i in range(7)]


@pytest.fixture
async def bearer_registry() -> dict:
    seen: dict = {"token_requests": []}

    async def token(request: web.Request) -> web.Response:
        form = await request.post() if request.method == "POST" else {}
        seen["token_requests"].append({"method": request.method, **dict(request.query), **dict(form)})
        basic = request.headers.get("Authorization", "")
        if request.method == "POST" and form.get("grant_type") == "refresh_token" and form.get("refresh_token") == "good-refresh":
            return web.json_response({"access_token": "T-refresh"})
        if basic == "Basic " + base64.b64encode(b"alice:s3cret").decode():
            return web.json_response({"token": "T-basic"})
        return web.json_response({"errors": [{"code": "UNAUTHORIZED"}]}, status=401)

    async def tags(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") not in ("Bearer T-basic", "Bearer T-refresh"):
            realm = f"http://{request.host}/token"
            challenge = f'Bearer realm="{realm}",service="test-registry",scope="repository:{request.match_info["name"]}:pull"'
            return web.json_response({"errors": [{"code": "UNAUTHORIZED"}]}, status=401, headers={"WWW-Authenticate": challenge})
        last = request.query.get("last")
        start = TAGS.index(last) + 1 if last else 0
        page = TAGS[start : start + 3]
        headers = {}
        if start + 3 < len(TAGS):
            headers["Link"] = f'</v2/{request.match_info["name"]}/tags/list?n=3&last={page[-1]}>; rel="next"'
        return web.json_response({"name": request.match_info["name"], "tags": page}, headers=headers)

    app = web.Application()
    app.router.add_route("*", "/token", token)
    app.router.add_get("/v2/{name:.+}/tags/list", tags)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    seen["host"] = f"127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    yield seen
    await runner.cleanup()


def found(registry: str, **auth: str) -> Found:
    return Found(registry, auth, "test")


async def test_bearer_with_password_and_pages(bearer_registry: dict) -> None:
    host = bearer_registry["host"]
    async with RegistryClient(host, found(host, username="alice", password="s3cret")) as client:
        assert await client.tags("team/app") == sorted(TAGS)
    asked = bearer_registry["token_requests"][0]
    assert asked["service"] == "test-registry" and asked["scope"] == "repository:team/app:pull"


async def test_bearer_with_an_identity_token(bearer_registry: dict) -> None:
    host = bearer_registry["host"]
    async with RegistryClient(host, found(host, IdentityToken="good-refresh")) as client:
        assert await client.tags("team/app") == sorted(TAGS)
    assert bearer_registry["token_requests"][-1]["grant_type"] == "refresh_token"


async def test_bearer_refusals_are_one_sentence(bearer_registry: dict) -> None:
    host = bearer_registry["host"]
    async with RegistryClient(host, found(host, username="alice", password="wrong")) as client:
        with pytest.raises(EngineError) as wrong:
            await client.tags("team/app")
    assert wrong.value.message == f"{host} refused the stored credentials for alice (wrong or expired): log in again with Y."
    async with RegistryClient(host, found(host, IdentityToken="expired")) as client:
        with pytest.raises(EngineError) as expired:
            await client.tags("team/app")
    assert expired.value.message == f"{host} refused the stored credentials (wrong or expired): log in again with Y."
    async with RegistryClient(host, None) as client:
        with pytest.raises(EngineError) as none:
            await client.tags("team/app")
    assert none.value.message == f"{host} wants a login to list tags and none is stored for it: log in with Y."
