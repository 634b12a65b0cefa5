"""What a file tree on screen asks for: the rows under one directory, already decided (name,
change, size, kind), for one layer's changes, the whole filesystem after a layer, or a
container's changes. A view computes what it needs once (the set of paths a layer touches and
the bytes under each directory); a directory's rows are produced only when it is opened, so a
layer of 50,000 files costs nothing until someone looks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .layers import ImageLayers, Node


@dataclass(frozen=True, slots=True)
class FileRow:
    key: object  # what the view needs to list this row's children
    name: str
    change: str  # added, changed, deleted, opaque, '' (unchanged / context)
    size: int  # file size, or bytes under a directory in this view; -1 unknown
    kind: str  # f d l h c b p ?
    link: str = ""
    detail: str = ""  # e.g. "mode 0644 -> 0755"
    has_kids: bool = False


def _detail(before: tuple[int, str, int, int, str] | None, now: tuple[int, str, int, int, str]) -> str:
    if before is None:
        return ""
    bits = []
    if before[1] != now[1]:
        bits.append(f"was {'a directory' if before[1] == 'd' else 'a link' if before[1] == 'l' else 'a file'}")
    if before[3] != now[3]:
        bits.append(f"mode {before[3]:04o} -> {now[3]:04o}")
    if before[1] == now[1] == "f" and before[2] != now[2]:
        bits.append(f"was {before[2]:,} B")
    return ", ".join(bits)


def _bytes_at(node: Node, k: int) -> int:
    ev = node._ev
    if type(ev[0]) is int:  # the common case: one event
        return ev[2] if ev[0] == k and ev[1] not in ("w", "q") else 0
    return sum(e[2] for e in ev if e[0] == k and e[1] not in ("w", "q"))


class LayerView:
    """The paths layer ``k`` touches, with their directories; ``text`` keeps only paths that
    contain it (and the directories above them). Built in two linear passes (each path walks up
    only to the first directory already seen; directory totals in one post-order pass); a
    folder's rows are sorted when it is first opened."""

    def __init__(self, image: ImageLayers, k: int, text: str = "") -> None:
        self.image, self.k, self.text = image, k, text.lower()
        root = image.root
        own: dict[Node, int] = {}
        kids: dict[Node, list[Node]] = {}
        shown: set[Node] = set()
        for node in image.touched[k]:
            own[node] = _bytes_at(node, k)
            n = node
            while n.parent is not None and n not in shown:
                shown.add(n)
                kids.setdefault(n.parent, []).append(n)
                n = n.parent
        if self.text:
            kids, own = self._only(kids, own)
        self.kids = kids
        self.count = len(own)
        self._sorted: set[Node] = set()
        totals: dict[Node, int] = {}
        order: list[Node] = []
        stack = [root]
        while stack:
            n = stack.pop()
            order.append(n)
            stack.extend(kids.get(n, ()))
        for n in reversed(order):
            below = kids.get(n)
            if below is not None:
                totals[n] = own.get(n, 0) + sum(totals.get(c, own.get(c, 0)) for c in below)
        self.totals = totals

    def _only(self, kids: dict[Node, list[Node]], own: dict[Node, int]) -> tuple[dict[Node, list[Node]], dict[Node, int]]:
        needle = self.text
        matches: list[Node] = []
        stack: list[tuple[Node, str]] = [(self.image.root, "")]
        while stack:  # paths built once each, top-down, already in lower case
            n, path = stack.pop()
            for c in kids.get(n, ()):
                p = f"{path}/{c.name.lower()}"
                if c in own and needle in p:
                    matches.append(c)
                stack.append((c, p))
        new_kids: dict[Node, list[Node]] = {}
        seen: set[Node] = set()
        for node in matches:
            n = node
            while n.parent is not None and n not in seen:
                seen.add(n)
                new_kids.setdefault(n.parent, []).append(n)
                n = n.parent
        return new_kids, {n: own[n] for n in matches}

    def rows(self, key: object = None) -> list[FileRow]:
        parent = key if isinstance(key, Node) else self.image.root
        out = []
        k = self.k
        if parent not in self._sorted and parent in self.kids:
            self.kids[parent].sort(key=lambda n: n.name)
            self._sorted.add(parent)
        for node in self.kids.get(parent, ()):
            change = self.image.change(node, k)
            mine = [e for e in node.ev if e[0] == k and e[1] not in ("w", "q")]
            has_kids = node in self.kids
            if mine:
                e = mine[-1]
                kind, link = e[1], e[4]
                size = self.totals.get(node, 0) if has_kids or kind == "d" else e[2]
                before = self.image.visible(node, k - 1) if change == "changed" else None
                detail = _detail(before, e)
            elif change == "deleted":
                before = self.image.visible(node, k - 1)
                kind, link = (before[1], before[4]) if before else ("?", "")
                size = before[2] if before and before[1] != "d" else -1
                detail = ""
            else:
                kind, link, size, detail = "d", "", self.totals.get(node, 0), ""
            if change == "changed" and kind == "d" and has_kids and not detail:
                change = ""  # a directory listed only because something inside it changed
            if any(e[0] == k and e[1] == "q" for e in node.ev):
                detail = (detail + ", " if detail else "") + "opaque: lower contents hidden"
            out.append(FileRow(node, node.name, change, size, kind, link, detail, has_kids))
        return out


class MergedView:
    """The whole filesystem as it stands after layer ``k``; each row's change is what layer
    ``k`` did to it (so the layer's own work stands out in the full tree)."""

    def __init__(self, image: ImageLayers, k: int) -> None:
        self.image, self.k = image, k

    def rows(self, key: object = None) -> list[FileRow]:
        parent = key if isinstance(key, Node) else self.image.root
        k = self.k
        cut = max(self.image.cutoff(parent, k), parent.hides_below(k)) if parent.parent is not None else -1
        out = []
        for name in sorted(parent.kids or {}):
            node = (parent.kids or {})[name]
            e = node.last(k)
            if e is None:
                if not _listed_below(node, k):
                    continue
                e = (-1, "d", 0, 0o755, "")  # a directory no layer lists, only its contents
            elif e[1] == "w" or e[0] < cut:
                continue
            change = "added" if e[0] == k and self.image.change(node, k) == "added" else ("changed" if e[0] == k else "")
            out.append(FileRow(node, name, change, e[2] if e[1] != "d" else -1, e[1], e[4], "", bool(node.kids) and e[1] == "d"))
        return out


def _listed_below(node: Node, k: int) -> bool:
    """Whether some path under ``node`` exists by layer ``k`` (for a directory no layer lists)."""
    stack = list((node.kids or {}).values())
    while stack:
        n = stack.pop()
        if any(e[0] <= k for e in n.ev):
            return True
        stack.extend((n.kids or {}).values())
    return False


# -- a container's changes (GET /containers/{id}/changes) -----------------------------------

CHANGE_KINDS = {0: "changed", 1: "added", 2: "deleted"}


class _PathNode:
    __slots__ = ("name", "change", "kids")

    def __init__(self, name: str) -> None:
        self.name, self.change, self.kids = name, "", {}  # type: ignore[var-annotated]


class ChangesView:
    """``docker diff`` as a tree: ``changes`` is [(path, kind)] with kind 0 changed, 1 added,
    2 deleted, as the engine reports it; ``text`` keeps only paths containing it."""

    def __init__(self, changes: Iterable[tuple[str, int]], text: str = "") -> None:
        self.root = _PathNode("")
        self.counts = {"added": 0, "changed": 0, "deleted": 0}
        needle = text.lower()
        for path, kind in changes:
            if needle and needle not in path.lower():
                continue
            change = CHANGE_KINDS.get(kind, "changed")
            node = self.root
            for part in path.strip("/").split("/"):
                if part:
                    node = node.kids.setdefault(part, _PathNode(part))
            node.change = change
            self.counts[change] += 1

    def rows(self, key: object = None) -> list[FileRow]:
        parent = key if isinstance(key, _PathNode) else self.root
        return [FileRow(kid, kid.name, kid.change, -1, "d" if kid.kids else "?", "", "", bool(kid.kids))
                for _, kid in sorted(parent.kids.items())]
