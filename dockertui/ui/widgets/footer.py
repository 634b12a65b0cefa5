"""Textual's Footer, without its leak: each time the keys change (every return to a screen) the
footer recomposes, and each new key binds its ``compact`` to the footer with ``data_bind``, which
adds a watcher to the footer that Textual removes only when ``compact`` changes, which it never
does. The removed keys stayed reachable from the footer: about 60 keys with their styles and caches
per return to the main screen (measured: 3,400 Python objects and most of the 1 MiB per `l`).

Its keys come in a fixed order, so a narrow terminal cuts the least useful ones: ``?`` (help) and
``q`` first, then the keys of the focused pane (a screen may name them, in order, with a
``footer_actions()`` method; else its shown bindings in their order), the palette's key last."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

FIRST_ACTIONS = ("help", "app.help", "app.quit", "quit")


def prune_watchers(node: DOMNode) -> int:
    """Drop the watchers on ``node`` that belong to nodes already removed; how many went."""
    watchers = getattr(node, "__watchers", None)
    if not watchers:
        return 0
    dropped = 0
    for name, entries in watchers.items():
        alive = [(watcher, callback) for watcher, callback in entries
                 if not (getattr(watcher, "_closing", False) or getattr(watcher, "_closed", False))]
        dropped += len(entries) - len(alive)
        entries[:] = alive
    return dropped


def _first_rank(binding: Binding) -> int | None:
    if binding.action in ("help", "app.help"):
        return 0
    if binding.key == "q" or binding.action in ("app.quit", "quit"):
        return 1
    return None


class Footer(TextualFooter):
    """The footer; after each recompose the old keys' watchers go with the old keys."""

    def ordered(self) -> Iterator[tuple[Binding, bool, str]]:
        """The keys to show, in order (one per action)."""
        active = self.screen.active_bindings
        chosen = getattr(self.screen, "footer_actions", None)
        wanted: tuple[str, ...] | None = chosen() if callable(chosen) else None
        first: list[tuple[int, Binding, bool, str]] = []
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        rest: list[tuple[Binding, bool, str]] = []
        for _node, binding, enabled, tooltip in active.values():
            rank = _first_rank(binding)
            if rank is not None and binding.show:
                first.append((rank, binding, enabled, tooltip))
            elif binding.key != self.app.COMMAND_PALETTE_BINDING:
                by_action.setdefault(binding.action, (binding, enabled, tooltip))
                if binding.show:
                    rest.append((binding, enabled, tooltip))
        seen: set[str] = set()
        for _rank, binding, enabled, tooltip in sorted(first, key=lambda entry: entry[0]):
            if binding.action not in seen:
                seen.add(binding.action)
                yield binding, enabled, tooltip
        if wanted is not None:
            rest = [by_action[action] for action in wanted if action in by_action]
        for binding, enabled, tooltip in rest:
            if binding.action not in seen:
                seen.add(binding.action)
                yield binding, enabled, tooltip

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        keys = list(self.ordered())
        self.styles.grid_size_columns = len(keys)
        for binding, enabled, tooltip in keys:
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                            disabled=not enabled, tooltip=tooltip).data_bind(compact=TextualFooter.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            entry = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, tooltip = entry
                yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                                classes="-command-palette", disabled=not enabled,
                                tooltip=binding.tooltip or binding.description)

    async def recompose(self) -> None:
        await super().recompose()
        prune_watchers(self)


def prune_footers(screens: list[object]) -> int:
    """For footers we did not make (a screen composing Textual's own): prune them all."""
    dropped = 0
    for screen in screens:
        query = getattr(screen, "query", None)
        if query is None:
            continue
        for footer in query(TextualFooter):
            dropped += prune_watchers(footer)
    return dropped
