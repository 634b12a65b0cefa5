"""The image forest as a tree; the root stands for every container."""

from __future__ import annotations

import time

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets._tree import TreeNode

from ...model.containers import Counts
from ...model.forest import DANGLING, MISSING, ROOT, Forest
from ...style import image_text


AGE_TICK = 30.0  # seconds between looks at the images' ages (their labels say minutes at the least)


class ImageTree(Tree[str]):
    BINDINGS = [
        Binding("j", "cursor_down", show=False, id="image-tree-cursor-down"),
        Binding("k", "cursor_up", show=False, id="image-tree-cursor-up"),
        Binding("g", "first", show=False, id="image-tree-first"),
        Binding("G", "last", show=False, id="image-tree-last"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text("All images", style="bold"), data=ROOT, **kwargs)  # type: ignore[arg-type]
        self.auto_links = False
        self.guide_depth = 2
        self._node_of: dict[str, TreeNode[str]] = {}
        self._counts: dict[str, Counts] = {}
        self._total = Counts(0, 0)
        self._forest: Forest | None = None

    def on_mount(self) -> None:
        self.set_interval(AGE_TICK, self.tick_ages)

    def tick_ages(self) -> None:
        """Ages move on: relabel the images whose age text changed (their lines only, no request)."""
        forest = self._forest
        if forest is None:
            return
        now = time.time()
        for key, node in self._node_of.items():
            if key in forest.images:
                label = image_text(forest, key, self._counts.get(key), now)
                if label.plain != node.label.plain:
                    self._relabel(node, label)

    @property
    def selected(self) -> str:
        node = self.cursor_node
        return node.data if node is not None and node.data is not None else ROOT

    def update_counts(self, forest: Forest, counts: dict[str, Counts], total: Counts) -> None:
        """Containers changed, images did not: relabel only the nodes whose counts changed."""
        if (MISSING in counts) != (MISSING in self._node_of):
            self.show(forest, counts, total)  # the <image deleted> group comes or goes
            return
        now = time.time()
        self._forest = forest
        for key in set(counts) | set(self._counts):
            if counts.get(key) == self._counts.get(key) or key not in self._node_of:
                continue
            if key == MISSING:
                self._relabel(self._node_of[key], self._missing_label(counts[key]))
            else:
                self._relabel(self._node_of[key], image_text(forest, key, counts.get(key), now))
        self._counts, self._total = counts, total

    def _relabel(self, node: TreeNode[str], label: Text) -> None:
        """A new label repaints that node's line only. (``TreeNode.set_label`` repaints the node
        and every descendant: for a base image, most of the tree on every container event.)"""
        node._label = self.process_label(label)
        node._updates += 1
        scroll_y = self.scroll_offset.y
        for line_no, line in enumerate(self._tree_lines[scroll_y : scroll_y + self.size.height], scroll_y):
            if line.path[-1] is node:
                self._refresh_line(line_no)

    @staticmethod
    def _root_label(forest: Forest, total: Counts) -> Text:
        # container counts live in the header: on the root they would repaint the whole tree
        return Text.assemble(("All images", "bold"), (f" ({len(forest.images)})", ""))

    @staticmethod
    def _missing_label(missing: Counts) -> Text:
        return Text(f"<image deleted> {missing.running}/{missing.total}", style="bold red")

    def show(self, forest: Forest, counts: dict[str, Counts], total: Counts) -> None:
        """Rebuild the nodes, keeping the cursor on the same image."""
        keep = self.selected
        now = time.time()
        self._forest = forest
        self.clear()
        self._counts, self._total = counts, total
        self.root.set_label(self._root_label(forest, total))
        self.root.data = ROOT
        self._node_of = {ROOT: self.root}
        stack: list[tuple[TreeNode[str], str]] = [(self.root, r) for r in reversed(forest.roots())]
        while stack:
            parent, image_id = stack.pop()
            kids = forest.kids(image_id)
            label = image_text(forest, image_id, counts.get(image_id), now)
            node = parent.add(label, data=image_id, expand=True, allow_expand=bool(kids)) if kids else parent.add_leaf(label, data=image_id)
            self._node_of[image_id] = node
            stack.extend((node, k) for k in reversed(kids))
        if forest.dangling:
            group = self.root.add(Text(f"<dangling> ({len(forest.dangling)})", style="bold yellow"), data=DANGLING, expand=False)
            self._node_of[DANGLING] = group
            for image_id in forest.dangling:
                label = image_text(forest, image_id, counts.get(image_id), now)
                self._node_of[image_id] = group.add_leaf(label, data=image_id)
        missing = counts.get(MISSING)
        if missing is not None:
            self._node_of[MISSING] = self.root.add_leaf(self._missing_label(missing), data=MISSING)
        self.root.expand()
        target = self._node_of.get(keep, self.root)
        self.call_after_refresh(self.move_cursor, target)

    def label_of(self, image_id: str) -> str:
        """The text of an image's line as shown ("" when the tree does not show it)."""
        node = self._node_of.get(image_id)
        return node.label.plain if node is not None else ""

    def select_image(self, image_id: str) -> bool:
        """Put the cursor on this image's node, if the tree shows it."""
        node = self._node_of.get(image_id)
        if node is None:
            return False
        self.move_cursor(node)
        return True

    def action_first(self) -> None:
        self.cursor_line = 0

    def action_last(self) -> None:
        self.cursor_line = self.last_line
