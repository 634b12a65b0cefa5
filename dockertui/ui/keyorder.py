"""Keys act in the order they were typed, even when they arrive together.

Textual routes a key two ways: a priority binding (``:``, ``/``...) acts as soon as the app reads
the key, and any other key is queued to the widget that has the focus *when the key is read*, and
acts when that widget gets to it (it then bubbles up to the app, where the bindings are checked).
A burst read at once (a paste, a fast typist, keys bunched by an SSH link) is therefore routed
before any of it acts: in ``Eaction:die`` typed in one go, ``E`` (open the events view) is queued
to the table, ``:`` opens the command palette at once, and the letters go to the table, not to the
view ``E`` opens. Seen in tmux: the events view never opened; ``l/`` filtered the dashboard
instead of searching the logs.

:class:`KeyOrder` routes the keys of a burst one at a time: the next key waits until the one
before has acted (it came back up to the app, or a widget stopped it) and the screen on top is
mounted, so a view a key opened has the focus before the next key is routed. A key typed alone is
routed at once, as before."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App

PATIENCE = 30  # refreshes a key may take to act before the next is routed anyway (never stuck)


class KeyOrder:
    def __init__(self, app: App[object]) -> None:
        self.app = app
        self.held: deque[events.Key] = deque()
        self.routed: events.Key | None = None  # the key on its way, not acted yet
        self._releasing: events.Key | None = None  # posted again, not read back yet
        self._scheduled = False
        self._waited = 0

    def admit(self, event: events.Key) -> bool:
        """Whether ``event`` (a key just read) may be routed now; if not it is held, and posted
        again in its turn."""
        if self.routed is not None and self._acted() and self.app.screen.is_mounted:
            self.routed = None  # a widget took the last key (a letter typed into a box): done
        if event is self._releasing:
            self._releasing = None
        elif self.routed is not None or self.held or self._releasing is not None:
            self.held.append(event)
            self._schedule()
            return False
        self.routed, self._waited = event, 0
        self._schedule()
        return True

    def settled(self, event: events.Key) -> None:
        """The app is done with ``event``: it acted on it itself (a priority binding), or the key
        came back up from the focused widget and the bindings were checked."""
        if event is self.routed:
            self.routed = None

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            self.app.call_after_refresh(self._next)

    def _acted(self) -> bool:
        event = self.routed
        return event is None or bool(getattr(event, "_stop_propagation", False))

    def _next(self) -> None:
        self._scheduled = False
        if self._releasing is not None:  # the last one released is still on its way to the app
            self._schedule()
            return
        if not (self._acted() and self.app.screen.is_mounted) and self._waited < PATIENCE:
            self._waited += 1
            self._schedule()
            return
        self.routed = None
        if self.held:
            self._releasing = self.held.popleft()
            self.app.post_message(self._releasing)
