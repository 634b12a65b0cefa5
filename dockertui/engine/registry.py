"""Talking to a registry directly (Distribution API v2), for what the engine has no call for: the
tags of a repository (``GET /v2/<name>/tags/list``), with the credentials the docker CLI would use.

Authentication follows the registry's challenge: ``Bearer`` (a token from the realm it names,
asked with the user and password, or the identity token as a refresh token) or ``Basic``.
Loopback registries are reached as the engine reaches them (127.0.0.0/8 is insecure by default:
HTTPS without verification, then plain HTTP). Every failure is one :class:`EngineError`
sentence; the secret is never in one."""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import os
import re
import socket
import ssl
from dataclasses import dataclass
from typing import Any

import aiohttp
from docker import auth as docker_auth

from .client import Engine
from .credentials import HUB, Found, find
from .errors import EngineError

HUB_API = "registry-1.docker.io"
MAX_PAGES = 20
CHALLENGE_PARAM = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


@dataclass(frozen=True, slots=True)
class Challenge:
    scheme: str  # bearer | basic
    params: dict[str, str]


def parse_challenge(header: str) -> Challenge | None:
    """``WWW-Authenticate: Bearer realm="https://auth/token",service="reg",scope="repository:x:pull"``."""
    scheme, _, rest = header.strip().partition(" ")
    if not scheme:
        return None
    return Challenge(scheme.lower(), dict(CHALLENGE_PARAM.findall(rest)))


def split_repository(ref: str) -> tuple[str, str]:
    """(registry, repository path) of a reference without tag or digest; Hub's official images get
    their ``library/`` prefix as the registry knows them."""
    name = ref.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    try:
        registry, path = docker_auth.resolve_repository_name(name)
    except Exception as exc:  # noqa: BLE001 - the SDK raises its own InvalidRepository
        raise EngineError(f"{ref} is not a valid repository name ({exc}).", kind="input") from None
    if registry == HUB and "/" not in path:
        path = f"library/{path}"
    return registry, path


def is_loopback(registry: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1, with or without a port."""
    host = registry
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_tags(payload: Any, repository: str) -> list[str]:
    if not isinstance(payload, dict):
        raise EngineError(f"The registry's tag list for {repository} is not a JSON object.", kind="registry")
    tags = payload.get("tags") or []
    if not isinstance(tags, list):
        raise EngineError(f"The registry's tag list for {repository} has no list of tags.", kind="registry")
    return [str(t) for t in tags if isinstance(t, str)]


class RegistryClient:
    """One registry, one session; use as ``async with``."""

    def __init__(self, registry: str, found: Found | None, *, insecure: bool | None = None, timeout: float = 10.0) -> None:
        self.registry = registry
        self.host = HUB_API if registry == HUB else registry
        self.found = found
        self.insecure = is_loopback(registry) if insecure is None else insecure
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._base: str | None = None
        self._authorization: str | None = None

    async def __aenter__(self) -> RegistryClient:
        self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
        self._authorization = None

    def _ssl(self) -> ssl.SSLContext | bool:
        if not self.insecure:
            return True
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx

    async def _get(self, url: str, headers: dict[str, str] | None = None, **kw: Any) -> tuple[int, dict[str, str], Any]:
        assert self._session is not None
        try:
            async with self._session.get(url, headers=headers, ssl=self._ssl(), **kw) as r:
                try:
                    body = await r.json(content_type=None)
                except ValueError:
                    body = None
                return r.status, {k.lower(): v for k, v in r.headers.items()}, body
        except aiohttp.ClientConnectorCertificateError:
            raise EngineError(f"{self.registry} presents a certificate this machine does not trust (self-signed or an unknown CA): "
                              "the tags cannot be listed.", kind="registry-tls") from None
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            raise _Unreachable(exc) from None

    async def _v2(self, path: str) -> tuple[int, dict[str, str], Any]:
        """GET on the API, finding the scheme on the first call (https; http too when insecure)."""
        schemes = [self._base] if self._base else (["https", "http"] if self.insecure else ["https"])
        last: BaseException | None = None
        for scheme in schemes:
            try:
                out = await self._get(f"{scheme}://{self.host}/v2/{path}", self._headers())
            except _Unreachable as exc:
                last = exc.cause
                continue
            self._base = scheme
            return out
        reason = _reason(last)
        raise EngineError(f"Cannot reach the registry {self.registry} ({reason}): type the tag yourself.", kind="registry-unreachable")

    def _headers(self) -> dict[str, str]:
        return {"Authorization": self._authorization} if self._authorization else {}

    async def _authenticate(self, header: str, scope: str) -> bool:
        """Answer the challenge; False when we have nothing to answer it with."""
        challenge = parse_challenge(header)
        found = self.found
        if challenge is None or found is None or not (found.password or found.token):
            return False
        if challenge.scheme == "basic":
            if not found.password:
                return False
            self._authorization = _basic(found.user, found.password)
            return True
        if challenge.scheme != "bearer" or "realm" not in challenge.params:
            return False
        realm = challenge.params["realm"]
        params = {"service": challenge.params.get("service", ""), "scope": challenge.params.get("scope", scope)}
        assert self._session is not None
        try:
            if found.token:
                data = {"grant_type": "refresh_token", "refresh_token": found.token, "client_id": "dockertui", **params}
                async with self._session.post(realm, data=data, ssl=self._ssl()) as r:
                    status, body = r.status, await r.json(content_type=None)
            else:
                basic = {"Authorization": _basic(found.user, found.password)}
                async with self._session.get(realm, params=params, headers=basic, ssl=self._ssl()) as r:
                    status, body = r.status, await r.json(content_type=None)
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError, ValueError) as exc:
            raise EngineError(f"The token service of {self.registry} did not answer ({_reason(exc)}).", kind="registry-unreachable") from None
        if status in (401, 403):
            who = f" for {found.user}" if found.user else ""
            raise EngineError(f"{self.registry} refused the stored credentials{who} (wrong or expired): log in again with Y.",
                              kind="registry-auth")
        token = body.get("token") or body.get("access_token") if isinstance(body, dict) else None
        if status != 200 or not token:
            raise EngineError(f"The token service of {self.registry} gave no token (HTTP {status}).", kind="registry")
        self._authorization = f"Bearer {token}"
        return True

    async def tags(self, repository: str) -> list[str]:
        """Every tag of ``repository`` (following the registry's pages), sorted."""
        path = f"{repository}/tags/list"
        scope = f"repository:{repository}:pull"
        out: list[str] = []
        for _ in range(MAX_PAGES):
            status, headers, body = await self._v2(path)
            if status == 401 and not self._authorization:
                if await self._authenticate(headers.get("www-authenticate", ""), scope):
                    status, headers, body = await self._v2(path)
                else:
                    raise EngineError(f"{self.registry} wants a login to list tags and none is stored for it: log in with Y.",
                                      kind="registry-auth")
            if status in (401, 403):
                raise EngineError(f"{self.registry} refused to list the tags of {repository} with the stored credentials "
                                  "(wrong or expired): log in again with Y.", kind="registry-auth")
            if status == 404:
                raise EngineError(f"{self.registry} has no repository {repository}.", status=404, kind="registry-gone")
            if status != 200:
                raise EngineError(f"{self.registry} answered HTTP {status} for the tags of {repository}.", status=status, kind="registry")
            out.extend(parse_tags(body, repository))
            link = NEXT_LINK.search(headers.get("link", ""))
            if not link:
                break
            path = link.group(1).removeprefix("/v2/")
        return sorted(set(out))


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class _Unreachable(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _reason(exc: BaseException | None) -> str:
    if exc is None:
        return "no answer"
    if isinstance(exc, asyncio.TimeoutError):
        return "no answer in time"
    if isinstance(exc, aiohttp.ClientConnectorError):
        os_err = exc.os_error
        if isinstance(os_err, socket.gaierror):
            return "its name does not resolve: no DNS or no internet here"
        if isinstance(os_err, OSError) and os_err.errno:
            return os.strerror(os_err.errno).lower()
        if isinstance(os_err, OSError) and os_err.strerror:
            return os_err.strerror.lower()
        return "cannot connect"
    text = " ".join(str(exc).split())
    return text[:120] or exc.__class__.__name__


def insecure_from_info(info: Any, registry: str) -> bool | None:
    """Whether the engine's ``/info`` (``RegistryConfig``) treats ``registry`` as insecure (plain
    HTTP or an unverified certificate allowed): by its name (``--insecure-registry host:port``) or
    by a CIDR holding its IP (127.0.0.0/8 by default). None when it does not say."""
    config = info.get("RegistryConfig") if isinstance(info, dict) else None
    if not isinstance(config, dict):
        return None
    index = (config.get("IndexConfigs") or {}).get(registry) if isinstance(config.get("IndexConfigs"), dict) else None
    if isinstance(index, dict) and isinstance(index.get("Secure"), bool):
        return not index["Secure"]
    host = registry[1:].split("]", 1)[0] if registry.startswith("[") else registry.split(":", 1)[0] if registry.count(":") == 1 else registry
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    for cidr in config.get("InsecureRegistryCIDRs") or []:
        try:
            if address in ipaddress.ip_network(str(cidr), strict=False):
                return True
        except ValueError:
            continue
    return None


async def engine_insecure(engine: Engine, registry: str) -> bool | None:
    """Ask the engine how it treats ``registry`` (one ``/info``); None when it cannot say."""
    try:
        info = await engine.call("GET", "info", "the engine's registry settings", timeout=10)
    except EngineError:
        return None
    return insecure_from_info(info, registry)


async def list_tags(ref: str, *, engine: Engine | None = None, insecure: bool | None = None,
                    timeout: float = 10.0) -> tuple[str, str, list[str]]:
    """(registry, repository, tags) for the repository of ``ref``, with the credentials the docker
    CLI would use for its registry. With ``engine``, a registry is reached as that engine reaches it
    (its insecure registries); else loopback ones are insecure, as by default."""
    registry, repository = split_repository(ref)
    if insecure is None and engine is not None:
        insecure = await engine_insecure(engine, registry)
    found = await asyncio.to_thread(find, registry)
    async with RegistryClient(registry, found, insecure=insecure, timeout=timeout) as client:
        return registry, repository, await client.tags(repository)
