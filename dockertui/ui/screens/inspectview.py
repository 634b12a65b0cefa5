"""Inspect a container or an image: its JSON as a collapsible tree, searchable, with environment
values masked until `v`."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Tree
from textual.widgets._tree import TreeNode

from ...model.jsontree import Node, mask, search, walk
from ..widgets.lists import ListTree


class InspectScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="inspect-close"),
        Binding("v", "reveal", "Show/hide secrets", id="inspect-reveal"),
        Binding("slash", "search", "Search", id="inspect-search", priority=True),
        Binding("n", "next_match", "Next", show=False, id="inspect-next-match"),
        Binding("N", "previous_match", "Previous", show=False, id="inspect-previous-match"),
        Binding("E", "expand_all", "Expand all", id="inspect-expand-all"),
    ]

    def __init__(self, title: str, data: dict[str, Any]) -> None:
        super().__init__()
        self.title_text = title
        self.data = data
        self.revealed = False
        self.nodes: list[Node] = []
        self.matches: list[int] = []
        self.match_at = -1
        self.search_text = ""
        self._tree_nodes: dict[tuple[str | int, ...], TreeNode[tuple[str | int, ...]]] = {}

    def compose(self) -> ComposeResult:
        tree: Tree[tuple[str | int, ...]] = ListTree(self.title_text, data=(), id="inspect-tree")
        tree.auto_links = False
        yield tree
        yield Input(placeholder="search keys and values", id="inspect-search")
        yield Footer()

    @property
    def tree(self) -> Tree[tuple[str | int, ...]]:
        return self.query_one("#inspect-tree", Tree)

    def on_mount(self) -> None:
        self._build()
        self.set_focus(self.tree)

    def _build(self, expanded: set[tuple[str | int, ...]] | None = None) -> None:
        """The tree of the data (masked until `v`); ``expanded``: the paths open (else the top level)."""
        payload = self.data if self.revealed else mask(self.data)
        tree = self.tree
        tree.clear()
        tree.root.expand()
        self._tree_nodes = {(): tree.root}
        self.nodes = list(walk(payload))
        for node in self.nodes:
            parent = self._tree_nodes[node.path[:-1]]
            if node.leaf:
                parent.add_leaf(self._label(node), data=node.path)
            else:
                self._tree_nodes[node.path] = parent.add(self._label(node), data=node.path,
                                                        expand=len(node.path) < 2 if expanded is None else node.path in expanded)
        tree.border_title = Text(self.title_text)
        tree.border_subtitle = "secrets shown (v hides)" if self.revealed else "env values hidden (v shows)"
        self.matches, self.match_at = [], -1

    def _label(self, node: Node) -> Text:
        key, sep, value = node.label.partition(": ")
        text = Text(key, style="bold" if not node.leaf else "")
        if sep:
            text.append(": ")
            text.append(value, style="cyan")
        return text

    def action_close(self) -> None:
        box = self.query_one("#inspect-search", Input)
        if box.has_focus:
            box.remove_class("shown")
            self.set_focus(self.tree)
            return
        self.app.pop_screen()

    def action_reveal(self) -> None:
        """Secrets shown or hidden in place: the same nodes open, the cursor on the same line, the
        view where it was, the search's matches kept."""
        tree = self.tree
        expanded = {path for path, node in self._tree_nodes.items() if node.is_expanded}
        current, scroll_y, match_at = self.current_path, tree.scroll_y, self.match_at
        self.revealed = not self.revealed
        self._build(expanded)
        if self.search_text:
            self.matches = search(self.nodes, self.search_text)
            if self.matches:
                self.match_at = min(max(match_at, 0), len(self.matches) - 1)
                tree.border_subtitle = f"match {self.match_at + 1}/{len(self.matches)} · " + str(tree.border_subtitle)
        target = self._find(current) if current is not None else None

        def restore() -> None:
            if target is not None:
                tree.move_cursor(target, animate=False)
            tree.scroll_to(y=scroll_y, animate=False, immediate=True)

        tree.call_after_refresh(restore)

    def action_expand_all(self) -> None:
        self.tree.root.expand_all()

    def action_search(self) -> None:
        box = self.query_one("#inspect-search", Input)
        if box.has_focus:  # the key is a priority binding: in the box, it is just a "/"
            box.insert_text_at_cursor("/")
            return
        box.add_class("shown")
        self.set_focus(box)  # at once: keys typed right after this one go to the box

    @on(Input.Submitted, "#inspect-search")
    def _search(self, event: Input.Submitted) -> None:
        self.query_one("#inspect-search", Input).remove_class("shown")
        self.set_focus(self.tree)
        self.search_text = event.value.strip()
        self.matches = search(self.nodes, self.search_text)
        self.match_at = -1
        if not self.matches:
            self.notify(f"Nothing matches {event.value.strip()!r}.", severity="warning")
            return
        self.action_next_match()

    def action_next_match(self) -> None:
        self._jump(+1)

    def action_previous_match(self) -> None:
        self._jump(-1)

    def _jump(self, step: int) -> None:
        if not self.matches:
            return
        self.match_at = (self.match_at + step) % len(self.matches)
        path = self.nodes[self.matches[self.match_at]].path
        for depth in range(1, len(path)):  # open the way to it
            ancestor = self._tree_nodes.get(path[:depth])
            if ancestor is not None:
                ancestor.expand()
        target = self._find(path)
        if target is not None:
            self.tree.call_after_refresh(self.tree.move_cursor, target)
        self.tree.border_subtitle = f"match {self.match_at + 1}/{len(self.matches)}"

    def _find(self, path: tuple[str | int, ...]) -> TreeNode[tuple[str | int, ...]] | None:
        if path in self._tree_nodes:
            return self._tree_nodes[path]
        parent = self._tree_nodes.get(path[:-1])
        return next((c for c in parent.children if c.data == path), None) if parent else None

    @property
    def current_path(self) -> tuple[str | int, ...] | None:
        node = self.tree.cursor_node
        return node.data if node is not None else None

    def as_json(self) -> str:
        return json.dumps(self.data if self.revealed else mask(self.data), indent=2)
