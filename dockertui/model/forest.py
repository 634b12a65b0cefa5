"""The image forest: each image under the image whose layers are the longest proper prefix of its own.

Rules, in order:
- ``ParentId`` is honoured when, followed through images with the same layers (a build's LABEL,
  CMD or EXPOSE steps), it reaches a present image whose layers are a proper prefix (exact for
  classic builds and commits);
- otherwise the parent is in the group of images whose layer list is the longest proper prefix:
  a named one before an untagged one, then the oldest;
- images with identical layer lists (a CMD or LABEL change) are therefore siblings;
- untagged images that have children or are another image's ``ParentId`` are intermediates,
  hidden unless asked for, their children attached to the nearest shown ancestor; other untagged
  images are "dangling", grouped apart.

A parent always has strictly fewer layers than its child, so the result has no cycles, whatever
the input, and every image lands exactly once (shown, hidden or dangling).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final

from .containers import Container, Counts, count_states
from .images import Image

ROOT: Final = "@all"
DANGLING: Final = "@dangling"
MISSING: Final = "@missing"


@dataclass(frozen=True)
class Forest:
    images: Mapping[str, Image]
    # Shown structure: children[None] are the roots; hidden and dangling images are not in it.
    children: Mapping[str | None, tuple[str, ...]]
    parent: Mapping[str, str | None]
    dangling: tuple[str, ...]
    hidden: frozenset[str]
    # For hidden images, the shown image that stands for them.
    owner: Mapping[str, str] = field(default_factory=dict)

    def roots(self) -> tuple[str, ...]:
        return self.children.get(None, ())

    def kids(self, image_id: str) -> tuple[str, ...]:
        return self.children.get(image_id, ())

    def walk(self) -> Iterator[tuple[int, str]]:
        """Shown images depth-first in display order, with their depth."""
        stack = [(0, i) for i in reversed(self.roots())]
        while stack:
            depth, node = stack.pop()
            yield depth, node
            stack.extend((depth + 1, k) for k in reversed(self.kids(node)))

    def subtree(self, image_id: str) -> set[str]:
        """The image, its shown descendants and the hidden images they stand for."""
        out: set[str] = set()
        stack = [image_id]
        while stack:
            node = stack.pop()
            out.add(node)
            stack.extend(self.kids(node))
        out.update(h for h, o in self.owner.items() if o in out)
        return out

    def chain(self, image_id: str) -> list[str]:
        """The image and its shown ancestors up to its root."""
        out: list[str] = []
        node: str | None = self.owner.get(image_id, image_id)
        while node is not None and node not in out:
            out.append(node)
            node = self.parent.get(node)
        return out

    def own_size(self, image_id: str) -> int:
        """What the image adds over the image shown as its parent."""
        image = self.images[image_id]
        parent = self.parent.get(image_id)
        if parent is None:
            return image.size
        return max(0, image.size - self.images[parent].size)


def _order(images: Mapping[str, Image], ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(ids, key=lambda i: (images[i].created, i)))


def layer_parents(images: Mapping[str, Image]) -> dict[str, str | None]:
    """Each image's true parent by the rules above, hidden intermediates included."""
    # A trie over layer digests; each node holds the images whose layer list ends there.
    trie: dict = {}
    groups: dict[int, list[str]] = {}
    for image_id in _order(images, images):
        node = trie
        for layer in images[image_id].layers:
            node = node.setdefault(layer, {})
        groups.setdefault(id(node), []).append(image_id)

    parents: dict[str, str | None] = {}
    for image_id, image in images.items():
        hinted = _hinted_parent(images, image)
        if hinted is not None:
            parents[image_id] = hinted
            continue
        node, best = trie, None
        for layer in image.layers[:-1]:
            node = node[layer]
            if id(node) in groups:
                best = groups[id(node)]
        # No usable hint: a named image of the group before an untagged one, then the oldest.
        parents[image_id] = None if best is None else next((i for i in best if images[i].named), best[0])
    return parents


def _hinted_parent(images: Mapping[str, Image], image: Image) -> str | None:
    """Follow ``ParentId`` through images with the same layers (a build's LABEL, CMD or EXPOSE
    steps) to the first image whose layers are a proper prefix; None if the chain leaves the
    listed images or points anywhere else."""
    seen = {image.id}
    node = images.get(image.parent_id)
    while node is not None and node.id not in seen:
        if _proper_prefix(node.layers, image.layers):
            return node.id
        if node.layers != image.layers:
            return None
        seen.add(node.id)
        node = images.get(node.parent_id)
    return None


def _proper_prefix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return len(short) < len(long) and long[: len(short)] == short


def build_forest(images: Iterable[Image], show_intermediate: bool = False) -> Forest:
    by_id: dict[str, Image] = {}
    for image in images:
        by_id.setdefault(image.id, image)
    true_parent = layer_parents(by_id)
    true_children: dict[str, list[str]] = {}
    for child, parent in true_parent.items():
        if parent is not None:
            true_children.setdefault(parent, []).append(child)

    # Docker's own notion: dangling is untagged and nobody's parent. An untagged image that is some
    # image's ParentId (a build step) or has children in the tree is an intermediate.
    referenced = {img.parent_id for img in by_id.values()}
    intermediate = {i for i, img in by_id.items() if not img.named and (i in true_children or i in referenced)}
    dangling = [i for i, img in by_id.items() if not img.named and i not in intermediate]
    hidden = set() if show_intermediate else intermediate
    dangling_set = set(dangling)

    def shown_ancestor(image_id: str) -> str | None:
        node = true_parent[image_id]
        while node is not None and node in hidden:
            node = true_parent[node]
        return node

    parent: dict[str, str | None] = {}
    children: dict[str | None, list[str]] = {}
    for image_id in by_id:
        if image_id in hidden or image_id in dangling_set:
            continue
        p = shown_ancestor(image_id)
        parent[image_id] = p
        children.setdefault(p, []).append(image_id)
    owner: dict[str, str] = {}
    for image_id in hidden:
        anc = shown_ancestor(image_id)
        if anc is not None:
            owner[image_id] = anc
    return Forest(
        images=by_id,
        children={k: _order(by_id, v) for k, v in children.items()},
        parent=parent,
        dangling=_order(by_id, dangling),
        hidden=frozenset(hidden),
        owner=owner,
    )


def containers_for(
    forest: Forest,
    containers: Iterable[Container],
    selection: str,
    only_this: bool = False,
) -> list[Container]:
    """The containers to list for a selected tree node.

    ``ROOT`` selects every container; ``MISSING`` those whose image is gone; ``DANGLING`` those
    of dangling images; an image ID its own containers and, unless ``only_this``, its subtree's.
    """
    if selection == ROOT:
        return list(containers)
    if selection == MISSING:
        return [c for c in containers if c.image_id not in forest.images]
    if selection == DANGLING:
        wanted = set(forest.dangling)
    elif only_this:
        wanted = {selection} | {h for h, o in forest.owner.items() if o == selection}
    else:
        wanted = forest.subtree(selection)
    return [c for c in containers if c.image_id in wanted]


def containers_by_node(forest: Forest, containers: Iterable[Container]) -> dict[str, list[Container]]:
    """Containers under the tree node that shows them, by name: a hidden image's go to its shown
    owner, a deleted image's to ``MISSING``."""
    out: dict[str, list[Container]] = {}
    for c in sorted(containers, key=lambda c: c.name):
        key = forest.owner.get(c.image_id, c.image_id)
        out.setdefault(key if key in forest.images else MISSING, []).append(c)
    return out


def direct_counts(forest: Forest, containers: Iterable[Container]) -> dict[str, Counts]:
    """Running/total containers per tree node (see :func:`containers_by_node`)."""
    return {k: count_states(cs) for k, cs in containers_by_node(forest, containers).items()}
