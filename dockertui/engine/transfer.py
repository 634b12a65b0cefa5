"""Moving images: pull and push (with a registry), build from a folder, save to and load from a
tar. Each is a stream of the engine's JSON progress messages; files stream from and to disk
without being held in memory; cancelling the caller closes the request, which stops the engine."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import tarfile
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from .client import Engine
from .errors import EngineError

NO_AUTH = base64.urlsafe_b64encode(b"{}").decode()  # the engine wants the header even without auth
CHUNK = 256 * 1024


def split_ref(ref: str) -> tuple[str, str]:
    last = ref.rsplit("/", 1)[-1]
    if ":" in last and "@" not in ref:
        repo, tag = ref.rsplit(":", 1)
        return repo, tag
    return ref, "latest" if "@" not in ref else ""


async def _messages(engine: Engine, what: str, method: str, path: str, **kwargs: Any) -> AsyncIterator[dict[str, Any]]:
    with engine.translated(what):
        async with engine.stream(path, method=method, **kwargs) as response:
            async for line in response.content:
                if not line.strip():
                    continue
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                yield message
                if isinstance(message, dict) and message.get("error"):
                    return


async def pull(engine: Engine, ref: str) -> AsyncIterator[dict[str, Any]]:
    repo, tag = split_ref(ref)
    params = {"fromImage": repo, "tag": tag} if tag else {"fromImage": ref}
    async for m in _messages(engine, f"pulling {ref}", "POST", "images/create", params=params, headers={"X-Registry-Auth": NO_AUTH}):
        yield m


async def push(engine: Engine, ref: str) -> AsyncIterator[dict[str, Any]]:
    repo, tag = split_ref(ref)
    async for m in _messages(engine, f"pushing {ref}", "POST", f"images/{repo}/push", params={"tag": tag},
                             headers={"X-Registry-Auth": NO_AUTH}):
        yield m


def dockerignore_patterns(folder: Path) -> list[str]:
    """The folder's .dockerignore as the docker SDK reads it (blank lines and comments dropped)."""
    try:
        text = (folder / ".dockerignore").read_text()
    except FileNotFoundError:
        return []
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def _context_tar(folder: Path) -> Path:
    """The build context as a temporary tar (in a thread: it reads the whole folder), made by the
    docker SDK's own context builder (``docker.utils.build``), so .dockerignore means what it means
    to the docker CLI: ``**``, ``!`` exceptions, patterns anchored at the context's root."""
    from docker.utils.build import tar

    fd, name = tempfile.mkstemp(prefix="dockertui-context-", suffix=".tar")
    try:
        with os.fdopen(fd, "w+b") as out:
            tar(str(folder), exclude=dockerignore_patterns(folder), fileobj=out)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


async def build(engine: Engine, folder: Path, tag: str) -> AsyncIterator[dict[str, Any]]:
    if not (folder / "Dockerfile").is_file():
        raise EngineError(f"{folder} has no Dockerfile.", kind="input")
    context = await asyncio.to_thread(_context_tar, folder)
    try:
        with context.open("rb") as body:
            async for m in _messages(engine, f"building {tag}", "POST", "build", params={"t": tag, "rm": "1"}, data=body,
                                     headers={"Content-Type": "application/x-tar"}):
                yield m
    finally:
        context.unlink(missing_ok=True)


async def save(engine: Engine, ref: str, path: Path) -> AsyncIterator[int]:
    """Stream the image's tar to ``path``; yields the bytes written so far."""
    written = 0
    part = path.with_name(path.name + ".part")
    try:
        with engine.translated(f"saving {ref}"), part.open("wb") as out:
            async with engine.stream(f"images/{ref}/get") as response:
                async for chunk in response.content.iter_chunked(CHUNK):
                    await asyncio.to_thread(out.write, chunk)
                    written += len(chunk)
                    yield written
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)


async def load(engine: Engine, path: Path) -> AsyncIterator[dict[str, Any]]:
    if not path.is_file():
        raise EngineError(f"{path} is not a file.", kind="input")
    with path.open("rb") as body:
        async for m in _messages(engine, f"loading {path.name}", "POST", "images/load", params={"quiet": "0"}, data=body,
                                 headers={"Content-Type": "application/x-tar"}):
            yield m
