"""The image forest as a tree; the root stands for every container."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import Tree
from textual.widgets._tree import TreeNode

from ...model.containers import Counts
from ...model.forest import DANGLING, MISSING, ROOT, Forest
from ...style import image_text


class ImageTree(Tree[str]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text("All images", style="bold"), data=ROOT, **kwargs)  # type: ignore[arg-type]
        self.auto_links = False
        self.guide_depth = 2
        self._node_of: dict[str, TreeNode[str]] = {}
        self._labels: dict[str, Text] = {}

    @property
    def selected(self) -> str:
        node = self.cursor_node
        return node.data if node is not None and node.data is not None else ROOT

    def update_counts(self, forest: Forest, counts: dict[str, Counts], total: Counts) -> None:
        """Containers changed, images did not: relabel only the nodes whose text changed."""
        now = time.time()
        self._set_label(ROOT, self._root_label(forest, total))
        for image_id in self._node_of:
            if image_id in forest.images:
                self._set_label(image_id, image_text(forest, image_id, counts.get(image_id), now))
        missing = counts.get(MISSING)
        if (missing is None) != (MISSING not in self._node_of):
            self.show(forest, counts, total)  # the <image deleted> group comes or goes
        elif missing is not None:
            self._set_label(MISSING, self._missing_label(missing))

    def _set_label(self, key: str, label: Text) -> None:
        if self._labels.get(key) != label:
            self._labels[key] = label
            self._node_of[key].set_label(label)

    @staticmethod
    def _root_label(forest: Forest, total: Counts) -> Text:
        return Text.assemble(("All images", "bold"), (f" ({len(forest.images)}) ", ""), (f"{total.running}/{total.total}", "green"))

    @staticmethod
    def _missing_label(missing: Counts) -> Text:
        return Text(f"<image deleted> {missing.running}/{missing.total}", style="bold red")

    def show(self, forest: Forest, counts: dict[str, Counts], total: Counts) -> None:
        """Rebuild the nodes, keeping the cursor on the same image."""
        keep = self.selected
        now = time.time()
        self.clear()
        self._labels = {ROOT: self._root_label(forest, total)}
        self.root.set_label(self._labels[ROOT])
        self.root.data = ROOT
        self._node_of = {ROOT: self.root}
        stack: list[tuple[TreeNode[str], str]] = [(self.root, r) for r in reversed(forest.roots())]
        while stack:
            parent, image_id = stack.pop()
            kids = forest.kids(image_id)
            label = self._labels[image_id] = image_text(forest, image_id, counts.get(image_id), now)
            node = parent.add(label, data=image_id, expand=True, allow_expand=bool(kids)) if kids else parent.add_leaf(label, data=image_id)
            self._node_of[image_id] = node
            stack.extend((node, k) for k in reversed(kids))
        if forest.dangling:
            group = self.root.add(Text(f"<dangling> ({len(forest.dangling)})", style="bold yellow"), data=DANGLING, expand=False)
            self._node_of[DANGLING] = group
            for image_id in forest.dangling:
                label = self._labels[image_id] = image_text(forest, image_id, counts.get(image_id), now)
                self._node_of[image_id] = group.add_leaf(label, data=image_id)
        missing = counts.get(MISSING)
        if missing is not None:
            self._labels[MISSING] = self._missing_label(missing)
            self._node_of[MISSING] = self.root.add_leaf(self._labels[MISSING], data=MISSING)
        self.root.expand()
        target = self._node_of.get(keep, self.root)
        self.call_after_refresh(self.move_cursor, target)
