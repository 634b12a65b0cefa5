"""The engine client: one aiodocker session per endpoint, raw JSON in, model objects out."""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiodocker
import aiohttp

from ..model.containers import Container, parse_container, with_podman
from ..model.events import EVENT_TYPES, EngineEvent, parse_event
from ..model.images import Image, layers_of, norm_id, parse_image
from ..model.system import SystemInfo, parse_system
from ..model.fmt import iso_to_epoch
from ..model.text import clean_tree
from .cache import Entry, LayerCache, default_cache_root
from .endpoint import Endpoint
from .transport import client_url, ssl_context
from .errors import EngineError, api_error, connection_error, not_docker, unreadable

if TYPE_CHECKING:
    from .ssh import Prompt, SshTunnel

INSPECT_CONCURRENCY = 8
REPLY_LIMIT = 65536  # characters kept of one string in a reply (all of them made safe to draw)


class Engine:
    """One engine. Methods raise :class:`EngineError` only, never aiodocker's or aiohttp's errors."""

    def __init__(
        self,
        endpoint: Endpoint,
        cache_root: Path | None = None,
        use_disk_cache: bool = True,
        connect_timeout: float = 5.0,
    ) -> None:
        self.endpoint = endpoint
        self._cache_root = (cache_root or default_cache_root()) if use_disk_cache else None
        self._connect_timeout = connect_timeout
        self._docker: aiodocker.Docker | None = None
        self.layers = LayerCache(None, "")
        self.info: SystemInfo | None = None
        self.inspect_calls = 0
        self.connected_since: str | None = None
        self._history: dict[str, list[dict[str, Any]]] = {}
        self._tunnel: SshTunnel | None = None
        self._connector: aiohttp.BaseConnector | None = None
        # ssh:// only: how the app lets ssh ask the user (host key, password, one-time code)
        self.ssh_prompt: Prompt | None = None

    # -- plumbing -------------------------------------------------------------------------

    @property
    def via(self) -> str:
        """How the engine is reached when that is not just its URL (ssh://: which way)."""
        return self._tunnel.via if self._tunnel is not None else ""

    async def _open_transport(self) -> None:
        """ssh:// endpoints: open the tunnel (master, relay) once; other endpoints need nothing."""
        target = self.endpoint.ssh
        if target is None or self._tunnel is not None:
            return
        from .ssh import SshTunnel

        tunnel = SshTunnel(target, self.endpoint.ssh_config, self.endpoint.ssh_options, connect_timeout=max(self._connect_timeout, 5.0))
        await tunnel.start(self.ssh_prompt)  # closes itself on failure
        self._tunnel = tunnel

    def _connection_error(self, exc: BaseException) -> EngineError:
        if self._tunnel is not None:
            known = self._tunnel.explain()
            if known is not None:
                return known
        return connection_error(exc, self.endpoint)

    def _client(self) -> aiodocker.Docker:
        if self._docker is None and self.endpoint.ssh is not None:
            if self._tunnel is None:
                raise EngineError(f"Not connected to {self.endpoint.host} yet.", "Retry: dockertui connects again.", kind="unreachable")
            # aiohttp's pool is held to the relay's channel count: requests queue in aiohttp (reusing
            # idle connections) instead of waiting on a channel.
            self._connector = aiohttp.UnixConnector(self._tunnel.socket_path, limit=self._tunnel.limit or 100)
            timeout = aiohttp.ClientTimeout(total=None, connect=self._connect_timeout, sock_connect=self._connect_timeout)
            self._docker = aiodocker.Docker(url="unix://localhost", connector=self._connector, timeout=timeout)
        if self._docker is None:
            try:
                ctx = ssl_context(self.endpoint.tls) if self.endpoint.tls else None
            except (OSError, ssl.SSLError) as exc:
                raise EngineError(
                    f"Cannot load the TLS certificates for {self.endpoint.host}: {exc}",
                    "Check DOCKER_CERT_PATH or the context's TLS files.",
                    kind="tls",
                ) from None
            timeout = aiohttp.ClientTimeout(total=None, connect=self._connect_timeout, sock_connect=self._connect_timeout)
            self._docker = aiodocker.Docker(url=client_url(self.endpoint), ssl_context=ctx, timeout=timeout)
        return self._docker

    @property
    def docker(self) -> aiodocker.Docker:
        """The aiodocker session, for the stream modules beside this one (exec, logs, stats).
        Wrap its use in :meth:`translated` so only :class:`EngineError` escapes."""
        return self._client()

    @contextmanager
    def translated(self, what: str) -> Iterator[None]:
        """Turn aiodocker's and aiohttp's failures inside the block into :class:`EngineError`."""
        try:
            yield
        except aiodocker.DockerError as exc:
            if exc.status == 900:
                raise self._connection_error(exc) from None
            raise api_error(exc, what, self.endpoint.host) from None
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            raise self._connection_error(exc) from None
        except (UnicodeDecodeError, TypeError, ValueError, KeyError, IndexError, AttributeError):
            # a reply of the wrong shape (no JSON where JSON was due, a string for an object, a
            # missing field): one sentence, never a traceback
            raise unreadable(self.endpoint.host, f"its answer about {what}") from None

    async def call(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        timeout: float | None = 60,
    ) -> Any:
        """One request; the decoded JSON answer (``None`` when the engine sends no body)."""
        docker = self._client()
        data = json.dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else None
        with self.translated(what):
            async with asyncio.timeout(timeout):
                return clean_tree(await docker._query_json(path, method=method, params=params, data=data, headers=headers), REPLY_LIMIT)

    @asynccontextmanager
    async def stream(
        self, method: str, path: str, what: str, *, params: dict[str, Any] | None = None, data: Any = None,
        headers: dict[str, str] | None = None,
    ) -> AsyncIterator[aiohttp.StreamReader]:
        """A streamed answer's body (logs, stats, events, pull/build progress, an image's tar); its
        failures, also while reading, become :class:`EngineError`. The only streaming path."""
        with self.translated(what):
            async with self._client()._query(path, method=method, params=params, data=data, headers=headers, timeout=None) as response:
                try:
                    yield response.content
                finally:
                    response.close()  # aiodocker's _query never releases it: a closed view would keep its socket

    async def _json(self, path: str, what: str, *, versioned: bool = True, **params: Any) -> Any:
        docker = self._client()
        with self.translated(what):
            async with asyncio.timeout(60):
                return clean_tree(await docker._query_json(path, params=params or None, versioned_api=versioned), REPLY_LIMIT)

    async def close(self) -> None:
        """Drop the session; the next :meth:`snapshot` connects again."""
        self.info = None
        if self._docker is not None:
            docker, self._docker = self._docker, None
            try:
                await docker.close()
            except Exception:  # noqa: BLE001 - closing a dead session must not raise
                pass
        if self._connector is not None:
            connector, self._connector = self._connector, None
            with suppress(Exception):
                await connector.close()
        if self._tunnel is not None:
            tunnel, self._tunnel = self._tunnel, None
            await tunnel.close()

    # -- the engine ---------------------------------------------------------------------------

    async def connect(self) -> SystemInfo:
        """Check that a Docker API answers; learn its version and identity."""
        await self._open_transport()
        try:
            async with asyncio.timeout(self._connect_timeout * 2):
                try:
                    version = await self._json("version", "the engine", versioned=False)
                except EngineError as exc:
                    if exc.status is not None:  # an HTTP error for /version: no engine answers that way
                        raise not_docker(self.endpoint.host, f"it answered HTTP {exc.status} for /version") from None
                    if exc.kind == "unreadable":
                        raise not_docker(self.endpoint.host, "its answer to /version is no engine's") from None
                    raise
                if not isinstance(version, dict) or "ApiVersion" not in version:
                    raise not_docker(self.endpoint.host, "/version has no ApiVersion")
                self._client().api_version = f"v{version['ApiVersion']}"
                info = await self._json("info", "the engine")
        except TimeoutError:
            raise self._connection_error(asyncio.TimeoutError()) from None
        if not isinstance(info, dict):
            raise not_docker(self.endpoint.host, "/info is not an object")
        self.info = parse_system(version, info)
        # The engine's clock at connect time: where the event subscription starts, so nothing
        # between this moment and the subscription is missed.
        system_time = iso_to_epoch(info.get("SystemTime"))
        self.connected_since = f"{system_time:.6f}" if system_time else None
        self.layers = LayerCache(self._cache_root, self.info.engine_id)
        return self.info

    async def snapshot(self, intermediate: bool = False) -> tuple[SystemInfo, list[Image], list[Container]]:
        """Everything the first screen needs: connect if not connected, then both lists at once."""
        info = self.info or await self.connect()
        images, containers = await asyncio.gather(self.images(intermediate=intermediate), self.containers())
        return info, images, containers

    async def containers(self) -> list[Container]:
        raw = await self._json("containers/json", "the container list", all="1")
        with self.translated("the container list"):
            listed = [parse_container(c) for c in raw]
        return await self._podman_extras(listed)

    async def _podman_extras(self, listed: list[Container], ids: list[str] | None = None) -> list[Container]:
        """On Podman: pods, infra containers and health from its own list, which has them."""
        if self.info is None or self.info.product != "Podman" or not listed:
            return listed
        params: dict[str, Any] = {"all": "true"}
        if ids:
            params["filters"] = json.dumps({"id": ids})
        raw = await self._json("v4.0.0/libpod/containers/json", "the pods", versioned=False, **params)
        with self.translated("the pods"):
            extra = {str(c["Id"]): c for c in raw}
            return [with_podman(c, extra.get(c.id)) for c in listed]

    async def images(self, intermediate: bool = False) -> list[Image]:
        """Every image with its layers; inspects only the IDs the cache does not know."""
        raw = await self._json("images/json", "the image list", all="1" if intermediate else "0")
        with self.translated("the image list"):
            ids = [norm_id(s["Id"]) for s in raw]
        await self._fill_layers(ids)
        with self.translated("the image list"):
            return [self._image(s, i) for s, i in zip(raw, ids, strict=True)]

    def _image(self, summary: dict[str, Any], image_id: str) -> Image:
        entry = self.layers.get(image_id)
        if entry is None:
            return parse_image(summary, None)
        return parse_image(summary, entry.layers, entry.created)

    async def image(self, image_id: str) -> Image | None:
        """One image, for an event: inspect it (cached layers are reused)."""
        try:
            raw = await self._json(f"images/{image_id}/json", f"image {image_id[:19]}")
        except EngineError as exc:
            if exc.status == 404:
                return None
            raise
        self.inspect_calls += 1
        with self.translated(f"image {image_id[:19]}"):
            image_id = norm_id(raw["Id"])
            entry = _entry(raw)
        self.layers.put_many({image_id: entry})
        with self.translated(f"image {image_id[:19]}"):
            summary = {
                "Id": image_id,
                "RepoTags": raw.get("RepoTags"),
                "RepoDigests": raw.get("RepoDigests"),
                "ParentId": raw.get("Parent"),
                "Created": iso_to_epoch(raw.get("Created")),
                "Size": raw.get("Size"),
            }
            return self._image(summary, image_id)

    async def _fill_layers(self, ids: Iterable[str]) -> None:
        missing = [i for i in dict.fromkeys(ids) if i not in self.layers]
        if not missing:
            return
        gate = asyncio.Semaphore(INSPECT_CONCURRENCY)
        found: dict[str, Entry] = {}

        async def one(image_id: str) -> None:
            async with gate:
                try:
                    raw = await self._json(f"images/{image_id}/json", f"image {image_id[:19]}")
                except EngineError as exc:
                    if exc.status == 404:  # removed between list and inspect
                        return
                    raise
                self.inspect_calls += 1
                with self.translated(f"image {image_id[:19]}"):
                    found[image_id] = _entry(raw)

        await asyncio.gather(*(one(i) for i in missing))
        self.layers.put_many(found)

    async def containers_by_id(self, ids: Iterable[str]) -> list[Container]:
        """The list entries of just these containers: one request for a whole burst of events."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        raw = await self._json("containers/json", "containers", all="1", filters=json.dumps({"id": wanted}))
        with self.translated("the container list"):
            listed = [parse_container(c) for c in raw if c.get("Id") in wanted]
        return await self._podman_extras(listed, [c.id for c in listed])

    async def events(self, since: str | None = None, types: Iterable[str] = EVENT_TYPES) -> AsyncIterator[EngineEvent]:
        """Events of these types (container, image, volume and network by default), from
        ``since`` on, until the stream ends or fails."""
        params = {"filters": json.dumps({"type": list(types)})}
        if since:
            params["since"] = since
        async with self.stream("GET", "events", "the event stream", params=params) as content:
            async for line in content:
                if line.strip():
                    try:
                        event = parse_event(clean_tree(json.loads(line), REPLY_LIMIT))
                    except (ValueError, TypeError, KeyError, AttributeError):
                        raise unreadable(self.endpoint.host, "its event stream") from None
                    yield event

    async def container_action(self, container_id: str, verb: str, name: str, *, volumes: bool = False) -> None:
        """Start, stop, restart, pause, unpause, kill, remove or force-remove one container.
        Stop and restart wait as long as the engine does (the container's stop timeout)."""
        what = f"container {name}"
        if verb in ("remove", "force-remove"):
            params = {"force": "1" if verb == "force-remove" else "0", "v": "1" if volumes else "0"}
            await self.call("DELETE", f"containers/{container_id}", what, params=params)
            return
        timeout = None if verb in ("stop", "restart") else 60
        await self.call("POST", f"containers/{container_id}/{verb}", what, timeout=timeout)

    async def commit(self, container_id: str, repo: str, tag: str, *, comment: str = "", author: str = "", pause: bool = True) -> str:
        """A new image from the container's writable layer; its ID."""
        params = {"container": container_id, "repo": repo, "tag": tag, "comment": comment, "author": author,
                  "pause": "1" if pause else "0"}
        answer = await self.call("POST", "commit", f"container {container_id[:12]}", params=params, timeout=None)
        return norm_id(answer["Id"])

    async def tag_image(self, image_id: str, repo: str, tag: str) -> None:
        await self.call("POST", f"images/{image_id}/tag", f"image {image_id[:19]}", params={"repo": repo, "tag": tag})

    async def remove_image(self, ref: str, *, force: bool = False) -> None:
        """Remove an image (by ID: every tag) or one tag of it (by name)."""
        await self.call("DELETE", f"images/{ref}", f"image {ref[:40]}", params={"force": "1" if force else "0"}, timeout=None)

    async def run_container(self, name: str, body: dict[str, Any]) -> str:
        """Create and start; if the start fails the created container is removed again, so
        nothing is left half-way. Returns the container's ID."""
        params = {"name": name} if name else None
        what = f"container {name or body.get('Image')}"
        try:
            made = await self.call("POST", "containers/create", what, params=params, body=body)
        except EngineError as exc:
            if exc.status != 404 or "image" not in exc.message.lower() or not body.get("Image"):
                raise
            # as `docker run` does: pull the missing image (with the stored credentials), then create
            from .transfer import pull_quietly

            await pull_quietly(self, str(body["Image"]))
            made = await self.call("POST", "containers/create", what, params=params, body=body)
        cid = str(made["Id"])
        try:
            await self.call("POST", f"containers/{cid}/start", f"container {name or cid[:12]}")
        except EngineError:
            try:
                await self.call("DELETE", f"containers/{cid}", f"container {cid[:12]}", params={"force": "1", "v": "1"})
            except EngineError:
                pass
            raise
        return cid

    async def inspect_container(self, container_id: str, size: bool = False) -> dict[str, Any]:
        params = {"size": "1"} if size else {}
        return await self._json(f"containers/{container_id}/json", f"container {container_id[:12]}", **params)

    async def inspect_image(self, image_id: str) -> dict[str, Any]:
        answer = await self._json(f"images/{image_id}/json", f"image {image_id[:19]}")
        if not isinstance(answer, dict):
            raise not_docker(self.endpoint.host, "an image's inspect is not an object")
        return answer

    async def ping(self, timeout: float = 2.0) -> bool:
        """A cheap probe: does the engine answer /_ping now?"""
        try:
            async with asyncio.timeout(timeout):
                with self.translated("the engine"):
                    async with self._client()._query("_ping", versioned_api=False) as response:
                        return response.status == 200
        except (EngineError, TimeoutError):
            return False

    async def history(self, image_id: str) -> list[dict[str, Any]]:
        """An image's layer history; cached by ID (an image never changes)."""
        if image_id not in self._history:
            self._history[image_id] = await self._json(f"images/{image_id}/history", f"image {image_id[:19]}")
        return self._history[image_id]


def _entry(inspect: dict[str, Any]) -> Entry:
    return Entry(layers_of(inspect), iso_to_epoch(inspect.get("Created")))
