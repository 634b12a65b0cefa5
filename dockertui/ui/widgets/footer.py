"""Textual's Footer, without its leak: each time the keys change (every return to a screen) the
footer recomposes, and each new key binds its ``compact`` to the footer with ``data_bind``, which
adds a watcher to the footer that Textual removes only when ``compact`` changes, which it never
does. The removed keys stayed reachable from the footer: about 60 keys with their styles and caches
per return to the main screen (measured: 3,400 Python objects and most of the 1 MiB per `l`)."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.widgets import Footer as TextualFooter


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


class Footer(TextualFooter):
    """The footer; after each recompose the old keys' watchers go with the old keys."""

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
