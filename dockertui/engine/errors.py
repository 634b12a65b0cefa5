"""Every way talking to the engine can fail, as one sentence and a fix. No tracebacks."""

from __future__ import annotations

import asyncio
import errno
import ssl
from dataclasses import dataclass

import aiodocker
import aiohttp

from ..installed import checkout_root
from ..model.hints import permission_fix, start_engine_fix
from ..model.ids import name_ids
from ..model.text import clean, one_line
from .endpoint import Endpoint


@dataclass
class EngineError(Exception):
    """A failure the UI can show: ``message`` is what happened, ``fix`` what to do about it."""

    message: str
    fix: str = ""
    status: int | None = None
    kind: str = "error"

    def __post_init__(self) -> None:
        # engine texts are quoted into messages: never terminal control, never a page of HTML
        self.message = clean(self.message, keep="\n", limit=600)
        self.fix = clean(self.fix, keep="\n", limit=600)

    def __str__(self) -> str:
        return self.message


def _checkout() -> str | None:
    root = checkout_root()
    return str(root) if root else None


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    node: BaseException | None = exc
    while node is not None and node not in out:
        out.append(node)
        node = node.__cause__ or node.__context__
    return out


def connection_error(exc: BaseException, endpoint: Endpoint) -> EngineError:
    """Why the engine at ``endpoint`` can't be reached."""
    where = endpoint.host
    path = endpoint.socket_path
    for e in _chain(exc):
        os_err = getattr(e, "os_error", None) or (e if isinstance(e, OSError) else None)
        if isinstance(e, (ssl.SSLError, aiohttp.ClientSSLError)):
            return EngineError(
                f"TLS handshake with {where} failed: {getattr(e, 'reason', None) or e}",
                "Check DOCKER_CERT_PATH / the context's certificates and DOCKER_TLS_VERIFY.",
                kind="tls",
            )
        if isinstance(os_err, OSError) and os_err.errno is not None:
            code = os_err.errno
            if code == errno.ENOENT:
                return EngineError(
                    f"No Docker engine at {where}: the socket {path} does not exist.",
                    start_engine_fix(path or "", _checkout()),
                    kind="unreachable",
                )
            if code in (errno.EACCES, errno.EPERM):
                return EngineError(f"Permission denied on {path or where}.", permission_fix(), kind="permission")
            if code == errno.ECONNREFUSED:
                return EngineError(
                    f"Nothing is listening at {where} (connection refused).",
                    start_engine_fix(path, _checkout()) if path else
                    "Start the engine on that host, or check the host and port in -H / DOCKER_HOST / --context.",
                    kind="unreachable",
                )
            if code in (errno.ENOTSOCK, errno.ENOTDIR):
                return EngineError(
                    f"{path or where} is not a socket.",
                    "Point -H / DOCKER_HOST at the engine's unix socket.",
                    kind="unreachable",
                )
        if isinstance(e, OSError) and e.__class__.__name__ == "gaierror":
            return EngineError(
                f"Cannot resolve the host in {where}.", "Check the host name in -H / DOCKER_HOST.", kind="unreachable"
            )
        if isinstance(e, (asyncio.TimeoutError, TimeoutError)):
            return EngineError(
                f"{where} did not answer in time.",
                "Check that the engine is up and the network path to it is open.",
                kind="timeout",
            )
        if isinstance(e, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)) or (
            isinstance(os_err, OSError) and os_err.errno in (errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED)
        ):
            return connection_lost(where)
        if isinstance(e, aiohttp.ClientResponseError):
            return not_docker(where, "its answer is not HTTP the way the engine speaks it")
    return EngineError(f"Cannot reach {where}: {one_line(str(exc) or exc.__class__.__name__, 160)}",
                       "Check the endpoint and try again.", kind="unreachable")


def connection_lost(where: str) -> EngineError:
    """The engine went away in the middle of a conversation (it stopped, crashed or restarted)."""
    return EngineError(
        f"The connection to the engine at {where} was lost.",
        "Check that the engine is still running; dockertui reconnects when it is back.",
        kind="lost",
    )


def unreadable(where: str, what: str) -> EngineError:
    """The engine was reached, but what it sent could not be read."""
    return EngineError(
        f"{where} was reached, but {what} could not be read.",
        "Check that -H / DOCKER_HOST points at a Docker or Podman engine, not a proxy that alters its answers.",
        kind="unreadable",
    )


def not_docker(where: str, detail: str) -> EngineError:
    return EngineError(
        f"{where} answered, but it is not a Docker Engine API ({one_line(detail, 120)}).",
        "Point -H / DOCKER_HOST at the engine's socket (e.g. unix:///var/run/docker.sock).",
        kind="not-docker",
    )


def looks_foreign(message: str) -> bool:
    """An error body no engine sends: a web page, or several lines of text. The engine's errors are
    one JSON ``message`` of one line."""
    text = message.strip().lower()
    return text.startswith("<") or "<html" in text or "<body" in text or len([ln for ln in text.splitlines() if ln.strip()]) > 1


def api_error(exc: aiodocker.DockerError, what: str, where: str = "The endpoint") -> EngineError:
    """An HTTP error from the engine, for an action on ``what``. A 404 with a web page is not the
    object gone: something that is not an engine (a proxy, a web server on the wrong port) answered."""
    status = exc.status
    raw = exc.message if isinstance(exc.message, str) else str(exc.message or "")
    if status in (404, 405, 400, 502, 503) and looks_foreign(raw):
        return not_docker(where, f"it answered HTTP {status} with a web page")
    # full IDs shortened before the cut, so a refusal naming two objects is read whole; the UI
    # then puts names on the short IDs it knows (model.ids.name_ids)
    message = one_line(name_ids(raw), 200).strip().rstrip(".")
    if status == 404:
        return EngineError(f"{what} no longer exists ({message}).", status=404, kind="gone")
    if status == 409:
        return EngineError(f"Conflict on {what}: {message}.", status=409, kind="conflict")
    if status == 403:
        return EngineError(f"The engine refused it for {what}: {message}.", status=403, kind="forbidden")
    return EngineError(f"The engine failed on {what} ({status}): {message}.", status=status, kind="api")
