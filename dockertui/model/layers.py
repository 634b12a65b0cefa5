"""An image's layers as one trie of paths, each path carrying what every layer did to it.

Built from tar headers only (see :mod:`imagearchive`): a layer's entries become events on the
paths they name; ``.wh.<name>`` is a whiteout (the path and everything under it deleted), and
``.wh..wh..opq`` makes its directory opaque (what lower layers had inside it is hidden). From
the events alone we can tell, for any layer, what it added, changed or deleted, the whole
filesystem as it stands after it, and where space is wasted. Memory is one small node per
distinct path and one tuple per event: bounded by the number of files, never by their bytes.

The waste figures follow dive (``filetree/efficiency.go``, ``image/analysis.go``) exactly, so a
user of dive finds the same numbers: every path that is a leaf of some layer's tree counts the
size it has there (a whiteout of a directory counts what the directory held below it); a path
seen in two or more layers is an inefficiency worth its cumulative size; wasted bytes are the sum
of those; efficiency is the sum of each path's smallest size over the sum of all. Like dive,
opaque markers are ignored for these figures. Beside them, :attr:`Waste.hidden` is what the final
filesystem no longer shows: every earlier version of an overwritten file, every deleted file
(directories included), everything an opaque directory hides.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from sys import intern
from typing import Any

Event = tuple[int, str, int, int, str]  # layer, kind (see tarstream.Member; w whiteout, q opaque), size, mode, link
WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


class Node:
    """One path. ``_ev`` holds its only event itself (most paths are touched by one layer), or a
    tuple of events in layer order: 64 bytes a path saved over always keeping a tuple."""

    __slots__ = ("name", "parent", "kids", "_ev")

    def __init__(self, name: str, parent: Node | None) -> None:
        self.name = name
        self.parent = parent
        self.kids: dict[str, Node] | None = None
        self._ev: Any = ()

    @property
    def ev(self) -> tuple[Event, ...]:
        ev = self._ev
        return (ev,) if ev and type(ev[0]) is int else ev

    def add_event(self, event: Event) -> bool:
        """Record an event; True when it is the node's first for that layer."""
        ev = self._ev
        if not ev:
            self._ev = event
            return True
        events = (ev,) if type(ev[0]) is int else ev
        first = not any(e[0] == event[0] for e in events)
        if events[-1][0] <= event[0]:
            self._ev = events + (event,)
        else:
            self._ev = tuple(sorted(events + (event,), key=lambda e: e[0]))
        return first

    @property
    def path(self) -> str:
        parts: list[str] = []
        node: Node | None = self
        while node is not None and node.parent is not None:
            parts.append(node.name)
            node = node.parent
        return "/" + "/".join(reversed(parts))

    def at(self, layer: int) -> list[Event]:
        return [e for e in self.ev if e[0] == layer]

    def last(self, layer: int) -> Event | None:
        """The newest event at or below ``layer`` that says what the path is (not an opaque mark)."""
        for e in reversed(self.ev):
            if e[0] <= layer and e[1] != "q":
                return e
        return None

    def hides_below(self, layer: int, dive: bool = False) -> int:
        """The newest layer at or below ``layer`` that hid what lower layers put under this path:
        a whiteout, an opaque mark, or (not for dive) a non-directory replacing a directory."""
        for e in reversed(self.ev):
            if e[0] <= layer and (e[1] == "w" or (not dive and (e[1] == "q" or e[1] != "d"))):
                return e[0]
        return -1

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Node({self.path!r}, {self.ev!r})"


@dataclass(slots=True)
class LayerInfo:
    index: int
    diff_id: str
    created_by: str = ""
    size: int = 0  # bytes of the files in the layer's tar (dive's layer size)
    files: int = 0  # tar entries
    tar_bytes: int = 0
    loaded: bool = False
    error: str = ""


@dataclass(slots=True)
class Waste:
    efficiency: float
    wasted: int
    size: int
    user_size: int  # every layer but the first
    wasted_user_percent: float
    inefficiencies: list[tuple[str, int, int]]  # path, cumulative bytes, layers it is in; largest first
    hidden: int
    hidden_by_layer: list[int] = field(default_factory=list)


class ImageLayers:
    """The layers of one image, in order (base first), filled as the archive is read."""

    def __init__(self, diff_ids: Sequence[str], created_by: Sequence[str] = ()) -> None:
        self.root = Node("", None)
        self.root.kids = {}
        self.layers = [LayerInfo(i, d, created_by[i] if i < len(created_by) else "") for i, d in enumerate(diff_ids)]
        self.touched: list[list[Node]] = [[] for _ in diff_ids]
        self.nodes = 1
        self._dir_path = ""
        self._dir_node = self.root
        self._modes: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.layers)

    def positions(self, diff_id: str) -> list[int]:
        return [i.index for i in self.layers if i.diff_id == diff_id and not i.loaded]

    def ready(self, k: int) -> bool:
        """Layers 0..k are all read: what layer k changed can be told."""
        return 0 <= k < len(self.layers) and all(i.loaded for i in self.layers[: k + 1])

    @property
    def complete(self) -> bool:
        return all(i.loaded for i in self.layers)

    # -- building ---------------------------------------------------------------------------

    def _dir(self, path: str) -> Node:
        if path == self._dir_path:
            return self._dir_node
        node = self.root
        if path:
            for part in path.split("/"):
                kids = node.kids
                if kids is None:
                    kids = node.kids = {}
                nxt = kids.get(part)
                if nxt is None:
                    nxt = kids[part] = Node(part, node)
                    self.nodes += 1
                node = nxt
        self._dir_path, self._dir_node = path, node
        return node

    def _child(self, parent: Node, name: str) -> Node:
        kids = parent.kids
        if kids is None:
            kids = parent.kids = {}
        node = kids.get(name)
        if node is None:
            node = kids[name] = Node(intern(name), parent)
            self.nodes += 1
        return node

    def add(self, index: int, entries: Iterable[tuple[str, str, int, int, str]], *, tar_bytes: int = 0, error: str = "") -> None:
        """Layer ``index``'s tar entries (paths without a leading slash), in any order of layers."""
        info = self.layers[index]
        touched = self.touched[index]
        modes = self._modes  # one int object per distinct mode, not one per file
        size = files = 0
        for path, kind, nbytes, mode, link in entries:
            files += 1
            size += nbytes
            head, _, base = path.rpartition("/")
            parent = self._dir(head)
            if base.startswith(WHITEOUT):
                if base == OPAQUE:
                    node, event = parent, (index, "q", 0, 0, "")
                else:
                    node, event = self._child(parent, base[len(WHITEOUT):]), (index, "w", 0, 0, "")
            else:
                node, event = self._child(parent, base), (index, kind, nbytes, modes.setdefault(mode, mode), link)
            if node.add_event(event):
                touched.append(node)
        info.size, info.files, info.tar_bytes, info.error, info.loaded = size, files, tar_bytes, error, True

    # -- reading ------------------------------------------------------------------------------

    def cutoff(self, node: Node, layer: int, dive: bool = False) -> int:
        """Events on ``node`` older than this were hidden by something done to an ancestor."""
        cut = -1
        up = node.parent
        while up is not None:
            cut = max(cut, up.hides_below(layer, dive))
            up = up.parent
        return cut

    def visible(self, node: Node, layer: int, dive: bool = False) -> Event | None:
        """What ``node`` is in the filesystem after ``layer`` (None: not there)."""
        e = node.last(layer)
        if e is None or e[1] == "w" or e[0] < self.cutoff(node, layer, dive):
            return None
        return e

    def change(self, node: Node, layer: int) -> str:
        """What ``layer`` did to ``node``: added, changed, deleted, opaque, or '' (untouched)."""
        kinds = [e[1] for e in node.ev if e[0] == layer]
        if not kinds:
            return ""
        if "w" in kinds:
            return "deleted"
        if all(k == "q" for k in kinds):
            return "opaque"
        return "changed" if layer > 0 and self.visible(node, layer - 1) is not None else "added"

    def deleted(self, layer: int) -> list[str]:
        """Paths the layer deletes (whiteouts) and directories it makes opaque (with a trailing /*)."""
        out = []
        for node in self.touched[layer]:
            kinds = {e[1] for e in node.ev if e[0] == layer}
            if "w" in kinds:
                out.append(node.path)
            if "q" in kinds:
                out.append(node.path.rstrip("/") + "/*")
        return sorted(out)

    def walk(self, node: Node | None = None) -> Iterator[Node]:
        stack = [node or self.root]
        while stack:
            n = stack.pop()
            yield n
            if n.kids:
                stack.extend(n.kids.values())

    def find(self, path: str) -> Node | None:
        node: Node | None = self.root
        for part in path.strip("/").split("/"):
            if not part:
                continue
            if node is None or not node.kids or part not in node.kids:
                return None
            node = node.kids[part]
        return node

    # -- where the space goes ---------------------------------------------------------------

    def _dive_dir_size(self, node: Node, layer: int) -> int:
        """dive's size of a whited-out path: if it was a directory in the stack of the layers
        below, every size under it (dive's stacked tree honours whiteouts, not opaque marks)."""
        below = layer - 1
        e = node.last(below)
        if e is None or e[1] != "d" or e[0] < self.cutoff(node, below, dive=True):
            return 0
        total = 0
        stack = [(node, max(self.cutoff(node, below, True), node.hides_below(below, True)))]
        while stack:
            n, cut = stack.pop()
            for kid in (n.kids or {}).values():
                ke = kid.last(below)
                if ke is not None and ke[1] != "w" and ke[0] >= cut:
                    total += ke[2]
                stack.append((kid, max(cut, kid.hides_below(below, True))))
        return total

    def waste(self, top: int = 20) -> Waste:
        count = len(self.layers)
        nonleaf: list[set[Node]] = [set() for _ in range(count)]
        for k, nodes in enumerate(self.touched):
            for n in nodes:
                if n.parent is not None and n.parent.parent is not None and any(e[0] == k and e[1] != "q" for e in n.ev):
                    nonleaf[k].add(n.parent)
        total_min = total_cum = wasted = hidden = 0
        hidden_by_layer = [0] * count
        found: list[tuple[Node, int, int]] = []
        last = count - 1
        stack: list[tuple[Node, int]] = [(self.root, -1)]
        while stack:
            node, cut = stack.pop()
            if node.kids:
                inner = max(cut, node.hides_below(last))
                stack.extend((kid, inner) for kid in node.kids.values())
            if not node._ev:
                continue
            cum = n = 0
            low = -1
            for e in node.ev:
                if e[1] == "q" or (e[1] != "w" and node in nonleaf[e[0]]):
                    continue
                size = self._dive_dir_size(node, e[0]) if e[1] == "w" else e[2]
                cum += size
                low = size if low < 0 or size < low else low
                n += 1
            if n:
                total_cum += cum
                total_min += low
                if n >= 2:
                    wasted += cum
                    found.append((node, cum, n))
            final = node.last(last)
            if final is not None and (final[1] == "w" or final[0] < cut):
                final = None
            for e in node.ev:
                if e[1] not in ("w", "q") and e is not final:
                    hidden += e[2]
                    hidden_by_layer[e[0]] += e[2]
        size = sum(i.size for i in self.layers)
        user = size - (self.layers[0].size if self.layers else 0)
        found.sort(key=lambda f: f[1], reverse=True)
        return Waste(
            efficiency=1.0 if total_cum == 0 else total_min / total_cum,
            wasted=wasted,
            size=size,
            user_size=user,
            wasted_user_percent=wasted / user if user else 0.0,
            inefficiencies=[(node.path, cum, n) for node, cum, n in found[:top]],
            hidden=hidden,
            hidden_by_layer=hidden_by_layer,
        )
