"""Moving images: pull and push (with a registry), build from a folder, save to and load from a
tar. Each is a stream of the engine's JSON progress messages; files stream from and to disk
without being held in memory; cancelling the caller closes the request, which stops the engine."""

from __future__ import annotations

import asyncio
import json
import os
import tarfile
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from ..model.text import clean_tree
from ..safefile import create_new, free_name, publish
from .client import REPLY_LIMIT, Engine
from .credentials import Found, header_for_async, registry_of
from .errors import EngineError
from .login import refusal

CHUNK = 256 * 1024


def split_ref(ref: str) -> tuple[str, str]:
    last = ref.rsplit("/", 1)[-1]
    if ":" in last and "@" not in ref:
        repo, tag = ref.rsplit(":", 1)
        return repo, tag
    return ref, "latest" if "@" not in ref else ""


async def _messages(engine: Engine, what: str, method: str, path: str, **kwargs: Any) -> AsyncIterator[dict[str, Any]]:
    with engine.translated(what):
        async with engine.stream(method, path, what, **kwargs) as content:
            async for line in content:
                if not line.strip():
                    continue
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                message = clean_tree(message, REPLY_LIMIT)
                yield message
                if isinstance(message, dict) and message.get("error"):
                    return


def _registry_sentence(message: str, ref: str, found: Found | None) -> str | None:
    registry = registry_of(ref)
    return refusal(message, registry, had_credentials=found is not None, user=found.user if found else "")


async def _with_credentials(engine: Engine, ref: str, what: str, method: str, path: str, **kwargs: Any) -> AsyncIterator[dict[str, Any]]:
    """A pull or push stream with the credentials the docker CLI would send; a registry's refusal
    (in the stream or as the engine's error) becomes one sentence that says what to do."""
    header, found = await header_for_async(ref)
    try:
        async for m in _messages(engine, what, method, path, headers={"X-Registry-Auth": header}, **kwargs):
            if isinstance(m, dict) and m.get("error"):
                sentence = _registry_sentence(str(m["error"]), ref, found)
                if sentence:
                    m = {**m, "error": sentence, "errorDetail": {"message": sentence}}
            yield m
    except EngineError as exc:
        sentence = _registry_sentence(exc.message, ref, found)
        if sentence:
            raise EngineError(sentence, status=exc.status, kind="registry-auth") from None
        raise


async def pull(engine: Engine, ref: str) -> AsyncIterator[dict[str, Any]]:
    repo, tag = split_ref(ref)
    params = {"fromImage": repo, "tag": tag} if tag else {"fromImage": ref}
    async for m in _with_credentials(engine, ref, f"pulling {ref}", "POST", "images/create", params=params):
        yield m


async def push(engine: Engine, ref: str) -> AsyncIterator[dict[str, Any]]:
    repo, tag = split_ref(ref)
    async for m in _with_credentials(engine, ref, f"pushing {ref}", "POST", f"images/{repo}/push", params={"tag": tag}):
        yield m


async def pull_quietly(engine: Engine, ref: str) -> None:
    """Pull to the end (for a run from a missing image); the registry's error as one sentence."""
    async for m in pull(engine, ref):
        if isinstance(m, dict) and m.get("error"):
            raise EngineError(f"Pulling {ref} failed: {m['error']}", kind="pull")


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
    if os.path.lexists(path):
        raise EngineError(f"{path} exists already: choose another name (nothing is overwritten).", kind="exists")
    part = free_name(path.with_name(path.name + ".part"))
    try:
        with engine.translated(f"saving {ref}"), create_new(part, binary=True) as out:
            async with engine.stream("GET", f"images/{ref}/get", f"saving {ref}") as content:
                async for chunk in content.iter_chunked(CHUNK):
                    await asyncio.to_thread(out.write, chunk)
                    written += len(chunk)
                    yield written
        try:
            publish(part, path)
        except OSError as exc:
            raise EngineError(f"Cannot name the saved file {path}: {exc.strerror or exc}.", kind="exists") from None
    finally:
        part.unlink(missing_ok=True)


async def load(engine: Engine, path: Path) -> AsyncIterator[dict[str, Any]]:
    if not path.is_file():
        raise EngineError(f"{path} is not a file.", kind="input")
    with path.open("rb") as body:
        async for m in _messages(engine, f"loading {path.name}", "POST", "images/load", params={"quiet": "0"}, data=body,
                                 headers={"Content-Type": "application/x-tar"}):
            yield m
