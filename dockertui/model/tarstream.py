"""A push parser for tar streams: feed it bytes in chunks of any size, it reports each member's
header and hands the member's data to a sink only when one is asked for. Nothing is buffered
beyond one header (or a PAX/GNU long-name record), so a layer of 50,000 files costs the memory of
its headers, never of its contents.

ustar, GNU long names and links (``L``/``K``), PAX extended headers (``x``: path, linkpath,
size) and base-256 sizes are understood; global PAX headers are skipped. The checksum of every
header is verified: a stream that is not a tar fails on its first block.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import NamedTuple, Protocol

BLOCK = 512
_LONG_RECORD_MAX = 1 << 20  # a long name / PAX record over 1 MiB is not a tar we want


class TarError(ValueError):
    """The stream is not a (well-formed) tar."""


class Member(NamedTuple):
    name: str  # as stored, decoded (UTF-8, undecodable bytes kept as surrogates)
    kind: str  # f file, d dir, l symlink, h hard link, c/b device, p fifo, ? other
    size: int  # bytes of data (0 for everything but regular files)
    mode: int  # permission bits
    link: str  # symlink or hard link target


class Sink(Protocol):
    def write(self, data: bytes) -> None: ...
    def close(self) -> None: ...


_KINDS = {b"0": "f", b"\0": "f", b"7": "f", b"S": "f", b"1": "h", b"2": "l", b"3": "c", b"4": "b", b"5": "d", b"6": "p"}
_NO_DATA = {"h", "l", "c", "b", "d", "p"}  # as tarfile: only regular (and unknown) members carry data


CHECKED_HEADERS = 8
_new = tuple.__new__
# name, mode, (uid, gid), size, (mtime), checksum, type, link, magic, version, (user, group, devices), prefix
_FIELDS = struct.Struct("100s8s16x12s12x8s1s100s6s2s32x32x8x8x155s")
_SPECIAL = (b"L", b"K", b"x", b"g", b"X")


def _num(field: bytes) -> int:
    if field and field[0] & 0x80:  # GNU base-256
        return int.from_bytes(field[1:], "big")
    digits = field.split(b"\0", 1)[0].strip()
    try:
        return int(digits, 8) if digits else 0
    except ValueError:
        raise TarError("not a tar (a header field is not a number)") from None


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _pax(data: bytes) -> dict[str, str]:
    """``"%d %s=%s\\n"`` records."""
    out: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            break
        try:
            length = int(data[pos:space])
        except ValueError as exc:
            raise TarError("a PAX header is malformed") from exc
        if length <= 0:
            raise TarError("a PAX header is malformed")
        record = data[space + 1 : pos + length - 1]
        key, _, value = record.partition(b"=")
        out[key.decode("utf-8", "replace")] = _text(value)
        pos += length
    return out


class _Collect:
    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > _LONG_RECORD_MAX:
            raise TarError("a tar extension record is over 1 MiB")
        self.parts.append(data)

    def close(self) -> None:
        pass


class TarStream:
    """``member(Member) -> Sink | None`` is called for each member; a sink receives the member's
    data in pieces, then ``close()``. ``feed`` raises :class:`TarError` on a malformed stream."""

    def __init__(self, member: Callable[[Member], Sink | None]) -> None:
        self._member = member
        self._buf = b""
        self._left = 0  # data bytes of the current member still to come
        self._pad = 0  # padding after them
        self._sink: Sink | None = None
        self._special: tuple[str, _Collect] | None = None
        self._long_name: str | None = None
        self._long_link: str | None = None
        self._pax: dict[str, str] = {}
        self._checked = 0
        self.done = False  # the end-of-archive block was seen
        self.members = 0

    def feed(self, data: bytes) -> None:
        if self.done or not data:
            return
        buf = self._buf + data if self._buf else data
        pos, end = 0, len(buf)
        while pos < end:
            if self._left:
                n = min(self._left, end - pos)
                if self._sink is not None:
                    self._sink.write(buf[pos : pos + n])
                pos += n
                self._left -= n
                if not self._left:
                    self._finish_member()
                continue
            if self._pad:
                n = min(self._pad, end - pos)
                pos += n
                self._pad -= n
                continue
            if end - pos < BLOCK:
                break
            if buf[pos] == 0 and not buf[pos : pos + BLOCK].strip(b"\0"):
                self.done = True
                pos = end
                break
            self._header(buf, pos)
            pos += BLOCK
        self._buf = buf[pos:] if pos < end else b""

    def _header(self, buf: bytes, pos: int) -> None:
        (name, mode, size_f, chk, flag, link, magic, _version, prefix) = _FIELDS.unpack_from(buf, pos)
        if self._checked < CHECKED_HEADERS:  # enough to refuse a stream that is not a tar
            self._checked += 1
            block = buf[pos : pos + BLOCK]
            if _num(chk) != sum(block) - sum(chk) + 256:
                raise TarError("not a tar (a header's checksum does not match)")
        try:  # the common case inline: octal digits, NUL-terminated
            size = int(size_f.rstrip(b"\0") or b"0", 8) if size_f[0] < 0x80 else _num(size_f)
        except ValueError:
            size = _num(size_f)  # raises TarError with a sentence
        if flag in _SPECIAL:
            self._pad = -size % BLOCK
            collect = _Collect()
            self._special = (flag.decode(), collect)
            self._sink = collect
            self._left = size
            if not size:
                self._finish_member()
            return
        name = name.split(b"\0", 1)[0]
        if magic == b"ustar\0" and prefix[0]:  # POSIX ustar; GNU ("ustar ") keeps other things there
            name = prefix.split(b"\0", 1)[0] + b"/" + name
        kind = _KINDS.get(flag, "?")
        pax = self._pax
        if pax or self._long_name or self._long_link:
            self._pax = {}
            text = self._long_name or pax.get("path") or _text(name)
            link_text = self._long_link or pax.get("linkpath") or _text(link.split(b"\0", 1)[0])
            self._long_name = self._long_link = None
            if "size" in pax:
                try:
                    size = int(pax["size"])
                except ValueError as exc:
                    raise TarError("a PAX size is not a number") from exc
        else:
            text = name.decode("utf-8", "surrogateescape")
            link_text = _text(link.split(b"\0", 1)[0]) if kind in ("l", "h") else ""
        if kind in _NO_DATA:
            size = 0
        self.members += 1
        try:
            bits = int(mode.rstrip(b"\0") or b"0", 8) & 0o7777
        except ValueError:
            bits = _num(mode) & 0o7777
        # tuple.__new__ builds the named tuple in C: a third of the cost of Member(...)
        sink = self._member(_new(Member, (text, kind, size, bits, link_text)))
        if sink is None:  # skip data and padding in one go
            self._pad = size + (-size % BLOCK)
            return
        self._sink = sink
        self._pad = -size % BLOCK
        self._left = size
        if not size:
            self._finish_member()

    def _finish_member(self) -> None:
        sink, self._sink = self._sink, None
        if self._special is not None:
            flag, collect = self._special
            self._special = None
            data = b"".join(collect.parts)
            if flag == "L":
                self._long_name = _text(data.split(b"\0", 1)[0])
            elif flag == "K":
                self._long_link = _text(data.split(b"\0", 1)[0])
            elif flag in ("x", "X"):
                self._pax = _pax(data)
            return
        if sink is not None:
            sink.close()
