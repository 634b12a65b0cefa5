"""Container log lines in a bounded ring: however fast a container logs, memory stays within
``max_lines`` and ``max_chars``; the oldest lines go first and are counted. Pure."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from .text import clean, decode


@dataclass(frozen=True, slots=True)
class LogLine:
    stream: str  # "out" or "err"
    timestamp: str  # RFC 3339 from the engine, "" when unknown
    text: str
    source: str = ""  # where the line came from, in merged logs (a service's task, a project's service)


def split_timestamp(raw: str) -> tuple[str, str]:
    """``2026-11-22T12:00:00.123456789Z message`` → (timestamp, message)."""
    head, sep, rest = raw.partition(" ")
    if sep and len(head) >= 20 and head[4:5] == "-" and head[10:11] == "T":
        return head, rest
    return "", raw


class LogRing:
    """The newest lines, in order; ``first`` is the absolute number of ``self[0]`` (lines
    dropped so far), so a position survives the ring moving on."""

    def __init__(self, max_lines: int = 10_000, max_chars: int = 4_000_000) -> None:
        self.max_lines = max(1, max_lines)
        self.max_chars = max(1, max_chars)
        self._lines: deque[LogLine] = deque()
        self._chars = 0
        self.first = 0  # lines dropped from the front so far
        self.version = 0  # bumps on every change

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> LogLine:
        return self._lines[index]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._lines)

    @property
    def chars(self) -> int:
        return self._chars

    def extend(self, lines: Iterable[LogLine]) -> int:
        """Append; returns how many old lines were dropped to stay within bounds."""
        dropped = 0
        for line in lines:
            self._lines.append(line)
            self._chars += len(line.text)
        while len(self._lines) > self.max_lines or (self._chars > self.max_chars and len(self._lines) > 1):
            self._chars -= len(self._lines.popleft().text)
            dropped += 1
        self.first += dropped
        self.version += 1
        return dropped

    def snapshot(self) -> LogRing:
        """A frozen copy (the same line objects, no text copied): what a paused view shows and
        searches while this ring moves on."""
        frozen = LogRing(self.max_lines, self.max_chars)
        frozen._lines = deque(self._lines)
        frozen._chars = self._chars
        frozen.first = self.first
        frozen.version = self.version
        return frozen

    def clear(self) -> None:
        self.first += len(self._lines)
        self._lines.clear()
        self._chars = 0
        self.version += 1

    def search(self, query: str, start: int, backwards: bool = False) -> int | None:
        """The index of the next line containing ``query`` (case-insensitive) after ``start``
        (before it when ``backwards``), wrapping around; None when no line has it."""
        if not query or not self._lines:
            return None
        needle = query.lower()
        n = len(self._lines)
        step = -1 if backwards else 1
        for k in range(1, n + 1):
            i = (start + step * k) % n
            if needle in self._lines[i].text.lower():
                return i
        return None


    def rank(self, query: str, index: int) -> tuple[int, int]:
        """Which match the line at ``index`` is, counting from the oldest, and how many lines
        contain ``query`` (case-insensitive): ``(3, 17)``; ``(0, n)`` when that line has none."""
        needle = query.lower()
        hits = [i for i, line in enumerate(self._lines) if needle in line.text.lower()] if needle else []
        return (hits.index(index) + 1 if index in hits else 0), len(hits)


class LineSplitter:
    """Bytes in, complete lines out; a partial last line waits for the rest (bounded)."""

    def __init__(self, limit: int = 64 * 1024) -> None:
        self._partial: dict[str, bytes] = {}
        self.limit = limit

    def feed(self, stream: str, data: bytes) -> list[LogLine]:
        buf = self._partial.pop(stream, b"") + data
        *complete, rest = buf.split(b"\n")
        if len(rest) > self.limit:  # a line that never ends: show it in pieces
            complete.append(rest)
            rest = b""
        if rest:
            self._partial[stream] = rest
        out = []
        for raw in complete:
            text = decode(raw).rstrip("\r")
            ts, msg = split_timestamp(text)
            out.append(LogLine(stream, ts, clean(msg, keep="\t", limit=None)))
        return out

    def flush(self) -> list[LogLine]:
        out = []
        for stream, rest in self._partial.items():
            ts, msg = split_timestamp(decode(rest))
            out.append(LogLine(stream, ts, clean(msg, keep="\t", limit=None)))
        self._partial.clear()
        return out


def demux(buffer: bytearray) -> list[tuple[str, bytes]]:
    """Take the complete frames of the engine's multiplexed log stream (8-byte headers: stream
    type 1 stdout, 2 stderr, then a big-endian length) off the front of ``buffer``."""
    frames: list[tuple[str, bytes]] = []
    while len(buffer) >= 8:
        size = int.from_bytes(buffer[4:8], "big")
        if len(buffer) < 8 + size:
            break
        kind = "err" if buffer[0] == 2 else "out"
        frames.append((kind, bytes(buffer[8 : 8 + size])))
        del buffer[: 8 + size]
    return frames
