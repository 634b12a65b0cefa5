"""A counting relay on a unix socket between the app and the engine: every HTTP request the app
makes passes through it, and is counted (method and path), streams included."""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter
from pathlib import Path

REQUEST = re.compile(rb"(GET|POST|DELETE|HEAD|PUT) (/\S*) HTTP/1\.[01]$")  # a body may run into the next request line


class RequestCounter:
    """Feed it the client→engine bytes of one connection; it finds the request lines."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.requests: list[tuple[str, str]] = []

    def feed(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n")
            if end < 0:
                if len(self._buffer) > 65536:  # a body with no line breaks: skip it
                    self._buffer.clear()
                return
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 2]
            match = REQUEST.search(line)
            if match:
                self.requests.append((match.group(1).decode(), match.group(2).decode()))


class Relay:
    """``listen`` → ``engine`` (both unix socket paths), in a thread of its own."""

    def __init__(self, listen: Path, engine: Path) -> None:
        self.listen, self.engine = listen, engine
        self.counters: list[RequestCounter] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        self.listen.unlink(missing_ok=True)
        server = await asyncio.start_unix_server(self._client, path=str(self.listen))
        self._ready.set()
        async with server:
            await server.serve_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        counter = RequestCounter()
        with self._lock:
            self.counters.append(counter)
        try:
            up_reader, up_writer = await asyncio.open_unix_connection(str(self.engine))
        except OSError:
            writer.close()
            return

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter, count: bool) -> None:
            try:
                while data := await src.read(65536):
                    if count:
                        counter.feed(data)
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                try:
                    dst.close()
                except Exception:  # noqa: BLE001
                    pass

        await asyncio.gather(pump(reader, up_writer, True), pump(up_reader, writer, False))

    def requests(self) -> list[tuple[str, str]]:
        with self._lock:
            return [r for c in self.counters for r in c.requests]

    def count(self) -> int:
        return len(self.requests())

    def by_kind(self, since: int = 0) -> Counter[str]:
        kinds: Counter[str] = Counter()
        for method, path in self.requests()[since:]:
            bare = re.sub(r"^/v[0-9.]+", "", path.split("?")[0])
            bare = re.sub(r"/[0-9a-f]{12,64}|/sha256:[0-9a-f]{64}", "/{id}", bare)
            kinds[f"{method} {bare}"] += 1
        return kinds
