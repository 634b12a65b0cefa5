"""An image archive (``docker save`` / ``GET /images/{name}/get``) read as a stream, keeping only
tar headers. Both layouts are understood:

- classic: ``<id>/layer.tar`` per layer, ``<config>.json``, ``manifest.json``;
- OCI (Docker 25+, Podman): ``blobs/sha256/<digest>`` for layers and JSON alike, ``index.json``,
  and usually a ``manifest.json`` too. Layer blobs may be gzip-compressed (recognised by their
  first bytes); zstd layers are reported as unreadable, not guessed at.

Each layer tar is parsed while it streams past (nested :class:`TarStream`), its uncompressed bytes
hashed so it can be matched to the image's ``RootFS.Layers`` (its diff ID) the moment it ends:
no need to wait for the manifest, which ``docker save`` writes last. Small JSON members (config,
manifests) are kept; every other byte is dropped as soon as it is parsed.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .tarstream import Member, Sink, TarError, TarStream

JSON_MAX = 8 << 20
BLOCK_SNIFF = 512  # bytes looked at before deciding what a blob is
_GZIP = b"\x1f\x8b"
_ZSTD = b"\x28\xb5\x2f\xfd"

Entry = tuple[str, str, int, int, str]  # path (no leading /), kind, size, mode, link


@dataclass(slots=True)
class LayerTable:
    """One layer as read from the archive: its headers and identity, no contents."""

    blob: str  # the member's name in the archive
    diff_id: str = ""  # sha256 of the uncompressed tar: RootFS.Layers' entry
    tar_bytes: int = 0  # uncompressed
    compression: str = ""  # "", "gzip"
    entries: list[Entry] = field(default_factory=list)
    error: str = ""  # why it could not be read (zstd, a broken tar)


@dataclass(slots=True)
class ArchiveIndex:
    """What the archive's own metadata says, once it has been read to the end."""

    layer_blobs: list[str]  # in order, base first
    config: dict[str, Any] | None
    tags: list[str]


def clean_path(name: str) -> str:
    """A member name as a path from the image's root, without a leading or trailing slash."""
    if name.startswith("./"):
        name = name[2:]
    name = name.strip("/")
    if "//" not in name and "/." not in name and not name.startswith("."):
        return name  # the common case, without normpath's cost
    path = posixpath.normpath("/" + name).lstrip("/")
    return "" if path == "." else path


class _LayerSink:
    """Data of one layer blob: sniffed, decompressed if need be, hashed and parsed as a tar."""

    def __init__(self, blob: str, done: Callable[[LayerTable], None], sniff_json: bool) -> None:
        self.table = LayerTable(blob)
        self._done = done
        self._sniff_json = sniff_json
        self._head = b""
        self._decided = False
        self._json: list[bytes] | None = None
        self._json_size = 0
        self._inflate: Any = None
        self._hash = hashlib.sha256()
        self._tar = TarStream(self._entry)
        self.on_json: Callable[[str, bytes], None] | None = None

    def _entry(self, m: Member) -> Sink | None:
        path = clean_path(m.name)
        if path:
            self.table.entries.append((path, m.kind, m.size, m.mode, m.link))
        return None

    def write(self, data: bytes) -> None:
        if not self._decided:
            self._head += data
            if len(self._head) < BLOCK_SNIFF:
                return
            data, self._head = self._head, b""
            self._decide(data)
        self._push(data)

    def _decide(self, head: bytes) -> None:
        self._decided = True
        if head.startswith(_GZIP):
            self.table.compression = "gzip"
            self._inflate = zlib.decompressobj(wbits=47)
        elif head.startswith(_ZSTD):
            self.table.compression = "zstd"
            self.table.error = "zstd-compressed layer: not readable here (gzip and plain tar are)"
        elif self._sniff_json and head.lstrip()[:1] in (b"{", b"["):
            self._json = []

    def _push(self, data: bytes) -> None:
        if self._json is not None:
            self._json_size += len(data)
            if self._json_size <= JSON_MAX:
                self._json.append(data)
            return
        if self.table.error:
            return
        if self._inflate is not None:
            out = self._inflate.decompress(data)
            while self._inflate.eof and self._inflate.unused_data:  # concatenated gzip members
                rest = self._inflate.unused_data
                self._inflate = zlib.decompressobj(wbits=47)
                out += self._inflate.decompress(rest)
            data = out
        self._hash.update(data)
        self.table.tar_bytes += len(data)
        try:
            self._tar.feed(data)
        except TarError as exc:
            self.table.error = str(exc)
            self.table.entries = []

    def close(self) -> None:
        if not self._decided:
            data, self._head = self._head, b""
            self._decide(data)
            self._push(data)
        if self._json is not None:
            if self.on_json is not None and self._json_size <= JSON_MAX:
                self.on_json(self.table.blob, b"".join(self._json))
            return
        if self._inflate is not None and not self.table.error:
            tail = self._inflate.flush()
            if tail:
                self._hash.update(tail)
                self.table.tar_bytes += len(tail)
                try:
                    self._tar.feed(tail)
                except TarError as exc:
                    self.table.error = str(exc)
        if not self.table.error and not self._tar.done and self._tar.members == 0 and self.table.tar_bytes < 1024:
            self.table.error = "not a tar"
        self.table.diff_id = "sha256:" + self._hash.hexdigest()
        self._done(self.table)



class _JsonSink:
    def __init__(self, name: str, done: Callable[[str, bytes], None]) -> None:
        self.name = name
        self._done = done
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        self._size += len(data)
        if self._size <= JSON_MAX:
            self._parts.append(data)

    def close(self) -> None:
        if self._size <= JSON_MAX:
            self._done(self.name, b"".join(self._parts))


class ImageArchive:
    """Feed the archive's bytes; ``on_layer(table)`` is called as each layer tar ends."""

    def __init__(self, on_layer: Callable[[LayerTable], None]) -> None:
        self._on_layer = on_layer
        self._outer = TarStream(self._member)
        self.json: dict[str, bytes] = {}
        self.layers: dict[str, LayerTable] = {}  # by blob name
        self.aliases: dict[str, str] = {}  # a layer.tar that is a symlink to another's
        self.bytes_read = 0

    def feed(self, data: bytes) -> None:
        self.bytes_read += len(data)
        self._outer.feed(data)

    def _member(self, m: Member) -> Sink | None:
        name = clean_path(m.name)
        if m.kind == "l" and name.endswith(".tar"):
            self.aliases[name] = clean_path(posixpath.join(posixpath.dirname(name), m.link))
            return None
        if m.kind != "f" or not name:
            return None
        base = posixpath.basename(name)
        if base == "layer.tar" or name.endswith((".tar", ".tar.gz", ".tgz")):
            return _LayerSink(name, self._layer_done, sniff_json=False)
        if name.startswith("blobs/"):
            sink = _LayerSink(name, self._layer_done, sniff_json=True)
            sink.on_json = self._json_done
            return sink
        if name.endswith(".json") or base in ("repositories", "oci-layout"):
            return _JsonSink(name, self._json_done)
        return None

    def _json_done(self, name: str, data: bytes) -> None:
        self.json[name] = data

    def _layer_done(self, table: LayerTable) -> None:
        self.layers[table.blob] = table
        self._on_layer(table)

    def _load(self, name: str) -> Any:
        raw = self.json.get(name)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def index(self) -> ArchiveIndex:
        """The layer order, config and tags, from ``manifest.json`` or the OCI ``index.json``."""
        if not self._outer.done and not self._outer.members:
            raise TarError("the image archive is empty")
        manifest = self._load("manifest.json")
        if isinstance(manifest, list) and manifest and isinstance(manifest[0], dict):
            first = manifest[0]
            layers = [clean_path(str(x)) for x in first.get("Layers") or []]
            layers = [self.aliases.get(x, x) for x in layers]
            config = self._load(clean_path(str(first.get("Config") or "")))
            return ArchiveIndex(layers, config if isinstance(config, dict) else None, [str(t) for t in first.get("RepoTags") or []])
        index = self._load("index.json")
        if isinstance(index, dict):
            return self._oci(index)
        raise TarError("the image archive has neither manifest.json nor index.json")

    def _oci(self, index: dict[str, Any]) -> ArchiveIndex:
        def blob(digest: Any) -> str:
            algo, _, hexa = str(digest).partition(":")
            return f"blobs/{algo}/{hexa}"

        manifest: Any = index
        tags: list[str] = []
        for _ in range(4):  # an index may point at an index (multi-platform), then a manifest
            if not isinstance(manifest, dict):
                break
            if "layers" in manifest:
                break
            entries = manifest.get("manifests") or []
            if not entries or not isinstance(entries[0], dict):
                manifest = None
                break
            ref = (entries[0].get("annotations") or {}).get("io.containerd.image.name") or (
                entries[0].get("annotations") or {}).get("org.opencontainers.image.ref.name")
            if ref:
                tags.append(str(ref))
            manifest = self._load(blob(entries[0].get("digest")))
        if not isinstance(manifest, dict) or "layers" not in manifest:
            raise TarError("the OCI index names no image manifest in the archive")
        layers = [blob(x.get("digest")) for x in manifest.get("layers") or [] if isinstance(x, dict)]
        config = self._load(blob((manifest.get("config") or {}).get("digest")))
        return ArchiveIndex(layers, config if isinstance(config, dict) else None, tags)


def history_of(config: dict[str, Any] | None, layers: int) -> list[str]:
    """The command that made each layer, from the config's history (entries marked
    ``empty_layer`` made none), as dive pairs them; ``(missing)`` where history is short."""
    steps = [h for h in (config or {}).get("history") or [] if isinstance(h, dict) and not h.get("empty_layer")]
    out = [str(h.get("created_by") or "") for h in steps[:layers]]
    return out + ["(missing)"] * (layers - len(out))
