"""The registry client against a real HTTPS registry endpoint with a self-signed certificate (made
by openssl, served on loopback): refused in one sentence when the registry is not insecure,
listed when it is (as the engine treats 127.0.0.0/8)."""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import pytest
from aiohttp import web

from dockertui.engine.errors import EngineError
from dockertui.engine.registry import RegistryClient


@pytest.fixture
async def tls_registry(tmp_path: Path) -> str:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-subj", "/CN=localhost", "-days", "1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)

    async def tags(request: web.Request) -> web.Response:
        return web.json_response({"name": request.match_info["name"], "tags": ["b", "a"]})

    app = web.Application()
    app.router.add_get("/v2/{name:.+}/tags/list", tags)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ctx)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"127.0.0.1:{port}"
    await runner.cleanup()


async def test_a_self_signed_registry_is_one_sentence_unless_insecure(tls_registry: str) -> None:
    async with RegistryClient(tls_registry, None, insecure=False) as client:
        with pytest.raises(EngineError) as refused:
            await client.tags("team/app")
    assert refused.value.message == (f"{tls_registry} presents a certificate this machine does not trust (self-signed or an "
                                     "unknown CA): the tags cannot be listed.")
    async with RegistryClient(tls_registry, None) as client:  # loopback: insecure, as the engine treats it
        assert await client.tags("team/app") == ["a", "b"]
