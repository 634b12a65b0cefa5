"""The relay of an ssh:// engine: a unix socket whose every accepted connection becomes one
``docker system dial-stdio`` channel through the ssh master, bytes pumped both ways."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable

from .errors import EngineError
from .sshproc import Children

# sshd's default MaxSessions is 10 per connection: 8 channels in use and 2 started ahead stay under it.
CHANNELS = 8
SPARES = 2  # channels started ahead, so a new connection rarely waits for the remote CLI to start


class Relay:
    """``argv()`` starts one channel; ``alive()`` says whether the master is up; ``failure(rc, stderr)``
    turns a channel that died before answering into a sentence; ``dropped()`` says the master is gone."""

    def __init__(
        self,
        children: Children,
        argv: Callable[[], list[str]],
        alive: Callable[[], bool],
        failure: Callable[[int | None, str], EngineError],
        dropped: Callable[[], EngineError],
    ) -> None:
        self.children = children
        self.argv = argv
        self.alive = alive
        self.failure = failure
        self.dropped = dropped
        self.last_error: EngineError | None = None
        self._server: asyncio.AbstractServer | None = None
        self._gate = asyncio.Semaphore(CHANNELS)
        self._tasks: set[asyncio.Task[None]] = set()
        self._spares: list[asyncio.subprocess.Process] = []
        self._spawning = 0
        self._spawn_tasks: set[asyncio.Future[None]] = set()
        self._active = 0
        self._closing = False

    async def listen(self, path: str) -> None:
        self._server = await asyncio.start_unix_server(self._serve, path=path)
        os.chmod(path, 0o600)

    # -- channels started ahead ---------------------------------------------------------------------

    def refill(self) -> None:
        """Keep up to SPARES channels started ahead, all channels together under sshd's MaxSessions."""
        while (not self._closing and self.alive() and len(self._spares) + self._spawning < SPARES
               and self._active + len(self._spares) + self._spawning < CHANNELS + 1):
            self._spawning += 1
            task = asyncio.ensure_future(self._spawn_spare())
            self._spawn_tasks.add(task)
            task.add_done_callback(self._spawn_tasks.discard)

    async def _spawn_spare(self) -> None:
        try:
            proc = await self.children.spawn(self.argv())
        except OSError:
            return
        finally:
            self._spawning -= 1
        if self._closing:
            await self.children.reap(proc)
        else:
            self._spares.append(proc)

    async def _take_channel(self) -> asyncio.subprocess.Process:
        while self._spares:
            proc = self._spares.pop(0)
            if proc.returncode is None:
                return proc
            await self.children.reap(proc)
        return await self.children.spawn(self.argv())

    async def drop_spares(self) -> None:
        """End the channels started ahead (the remote turned out to have no docker CLI)."""
        self._closing = True
        if self._spawn_tasks:  # not cancelled: a child forked half-way would go unrecorded
            await asyncio.wait(list(self._spawn_tasks), timeout=5)
        spares, self._spares = self._spares, []
        for proc in spares:
            await self.children.reap(proc)
        self._closing = False

    # -- one connection -----------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)  # type: ignore[arg-type]
        try:
            async with self._gate:
                if not self.alive():
                    self.last_error = self.dropped()
                    return
                self._active += 1
                try:
                    proc = await self._take_channel()
                    self.refill()
                    try:
                        await self._pump(reader, writer, proc)
                    finally:
                        await self.children.reap(proc)
                finally:
                    self._active -= 1
                    self.refill()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()
            if task is not None:
                self._tasks.discard(task)  # type: ignore[arg-type]

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdin and proc.stdout and proc.stderr
        stdin, stdout, stderr = proc.stdin, proc.stdout, proc.stderr
        received = 0

        async def up() -> None:
            try:
                while data := await reader.read(65536):
                    stdin.write(data)
                    await stdin.drain()
            except (OSError, ConnectionError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    stdin.close()  # the remote sees the end of the request stream

        async def down() -> None:
            nonlocal received
            try:
                while data := await stdout.read(65536):
                    received += len(data)
                    writer.write(data)
                    await writer.drain()
            except (OSError, ConnectionError):
                pass

        errors = asyncio.ensure_future(stderr.read(4096))
        sending = asyncio.ensure_future(up())
        try:
            await down()
        finally:
            sending.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sending
        if received:
            self.last_error = None
        else:  # the channel died before the engine said anything: keep why, for the error shown
            await self.children.reap(proc)
            with contextlib.suppress(TimeoutError, OSError):
                async with asyncio.timeout(1):
                    text = (await errors).decode("utf-8", "replace")
                    if text.strip():
                        self.last_error = self.failure(proc.returncode, text)
        if not errors.done():
            errors.cancel()

    async def close(self) -> None:
        """Stop accepting; end the connections in flight (each reaps its channel) and the spares."""
        self._closing = True
        if self._server is not None:
            self._server.close()
            self._server = None
        serving = list(self._tasks)
        for task in serving:
            task.cancel()
        if serving:
            await asyncio.wait(serving, timeout=5)
        if self._spawn_tasks:
            await asyncio.wait(list(self._spawn_tasks), timeout=5)
        spares, self._spares = self._spares, []
        for proc in spares:
            await self.children.reap(proc)
