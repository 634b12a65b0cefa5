"""The image forest as a tree; the root stands for every container."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import Tree
from textual.widgets._tree import TreeNode

from ...model.containers import Counts
from ...model.fmt import human_age, human_size, short_id
from ...model.forest import DANGLING, MISSING, ROOT, Forest


def image_label(forest: Forest, image_id: str, counts: Counts | None, now: float) -> Text:
    image = forest.images[image_id]
    text = Text()
    text.append(image.title, style="bold" if image.named else "dim italic")
    text.append("  ")
    text.append(short_id(image.id), style="dim")
    text.append(f"  {human_age(image.created, now)}  {human_size(image.size)}")
    if forest.parent.get(image_id):
        text.append(" ")
        text.append(f"+{human_size(forest.own_size(image_id))}", style="dim")
    if counts is not None and counts.total:
        text.append("  ")
        text.append(f"{counts.running}/{counts.total}", style="green" if counts.running else "dim")
    return text


class ImageTree(Tree[str]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text("All images", style="bold"), data=ROOT, **kwargs)  # type: ignore[arg-type]
        self.auto_links = False
        self.guide_depth = 2
        self._node_of: dict[str, TreeNode[str]] = {}

    @property
    def selected(self) -> str:
        node = self.cursor_node
        return node.data if node is not None and node.data is not None else ROOT

    def show(self, forest: Forest, counts: dict[str, Counts], total: Counts) -> None:
        """Rebuild the nodes, keeping the cursor on the same image."""
        keep = self.selected
        now = time.time()
        self.clear()
        self.root.set_label(
            Text.assemble(("All images", "bold"), (f" ({len(forest.images)}) ", ""), (f"{total.running}/{total.total}", "green"))
        )
        self.root.data = ROOT
        self._node_of = {ROOT: self.root}
        stack: list[tuple[TreeNode[str], str]] = [(self.root, r) for r in reversed(forest.roots())]
        while stack:
            parent, image_id = stack.pop()
            kids = forest.kids(image_id)
            label = image_label(forest, image_id, counts.get(image_id), now)
            node = parent.add(label, data=image_id, expand=True, allow_expand=bool(kids)) if kids else parent.add_leaf(label, data=image_id)
            self._node_of[image_id] = node
            stack.extend((node, k) for k in reversed(kids))
        if forest.dangling:
            group = self.root.add(Text(f"<dangling> ({len(forest.dangling)})", style="bold yellow"), data=DANGLING, expand=False)
            self._node_of[DANGLING] = group
            for image_id in forest.dangling:
                self._node_of[image_id] = group.add_leaf(image_label(forest, image_id, counts.get(image_id), now), data=image_id)
        missing = counts.get(MISSING)
        if missing is not None:
            self._node_of[MISSING] = self.root.add_leaf(
                Text(f"<image deleted> {missing.running}/{missing.total}", style="bold red"), data=MISSING
            )
        self.root.expand()
        target = self._node_of.get(keep, self.root)
        self.call_after_refresh(self.move_cursor, target)
