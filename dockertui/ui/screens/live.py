"""What a view that follows the engine needs, owned by the view: its own ``/events``
subscription (only the types it shows), bursts coalesced into one re-read, a reconnect with
backoff, and a one-second poll only while something is in motion (a rolling update). All of it
is the screen's: Textual ends its workers and timers when the screen is dismissed."""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Static

from ...engine.client import Engine
from ...engine.errors import EngineError
from ...model.events import EngineEvent
from ..safe import safe_text
from ..app_access import tui
from ..readonly import ReadOnlyRule

COALESCE = 0.05  # events within this window are one re-read, as on the main screen
POLL = 1.0  # while a rolling update runs: its progress has no event of its own per task
BACKOFF_CAP = 30.0


class LiveScreen(ReadOnlyRule, Screen[None]):
    """Subclasses set ``EVENT_TYPES``, implement ``relevant`` and the ``reload`` worker, and say
    ``in_motion`` when a poll is needed; ``MUTATING``: their actions a read-only engine hides."""

    EVENT_TYPES: tuple[str, ...] = ()
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="live-back"),
        Binding("r,f5", "reload", "Reload", id="live-reload"),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self._reload_armed = False
        self._poll: Timer | None = None
        self.reloads = 0  # how many re-reads the view made (tests count them)

    def refuse_if_read_only(self, what: str) -> bool:
        if self.read_only:
            self.notify(f"Read-only mode: {what} is disabled.", severity="warning")
            return True
        return False

    @property
    def alive(self) -> bool:
        """False once the screen is being torn down (a worker may wake up after that)."""
        return self.is_attached and self.is_mounted and bool(self.query("DataTable"))

    def on_mount(self) -> None:
        self.reload()
        self.follow_events()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:  # a @work method in subclasses
        raise NotImplementedError

    def relevant(self, event: EngineEvent) -> bool:
        return True

    @property
    def in_motion(self) -> bool:
        return False

    def schedule_reload(self) -> None:
        """Coalesce: one re-read per window however many events arrived."""
        if self._reload_armed or not self.alive:
            return
        self._reload_armed = True
        self.set_timer(COALESCE, self._fire)

    def _fire(self) -> None:
        self._reload_armed = False
        if self.alive:
            self.reload()

    def after_reload(self) -> None:
        """Start the progress poll while something moves; stop it when nothing does."""
        self.reloads += 1
        if self.in_motion and self._poll is None:
            self._poll = self.set_interval(POLL, self._tick)
        elif not self.in_motion and self._poll is not None:
            self._poll.stop()
            self._poll = None

    def _tick(self) -> None:
        if self.alive:
            self.reload()

    @work(exclusive=True, group="events")
    async def follow_events(self) -> None:
        delay = 1.0
        while self.alive:
            try:
                async for event in self.engine.events(types=self.EVENT_TYPES):
                    delay = 1.0
                    if self.relevant(event):
                        self.schedule_reload()
            except EngineError as exc:
                self.say(f"Lost the engine's events ({exc.message}); retrying in {delay:.0f}s.", error=True)
            await asyncio.sleep(delay)
            delay = min(BACKOFF_CAP, delay * 2)
            self.schedule_reload()  # whatever happened while the stream was down

    def say(self, message: str, error: bool = False) -> None:
        """Subclasses show it in their status line."""


def sync_table(table: DataTable[Any], rows: list[tuple[str, tuple[Text | str, ...]]]) -> None:
    """Show exactly these rows: cells updated in place when the keys and their order are the
    same (no clear-and-refill on every event), else the table is rebuilt keeping the cursor."""
    keys = [key for key, _ in rows]
    current = [str(k.value) for k in table.rows]
    if keys == current:
        columns = [c.key for c in table.columns.values()]
        for key, cells in rows:
            old = table.get_row(key)
            for column, old_cell, new_cell in zip(columns, old, cells, strict=False):
                if old_cell != new_cell:
                    table.update_cell(key, column, new_cell, update_width=True)
        return
    keep = current[table.cursor_row] if current and 0 <= table.cursor_row < len(current) else None
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if keep in keys:
        table.move_cursor(row=keys.index(keep))


def status_line(widget: Static, message: str, error: bool = False) -> None:
    """A status message (it may carry engine text: drawn safely, newlines kept). An error names
    objects by name, not ID (the app's ``named``)."""
    if error:
        message = tui(widget).named(message)
    widget.update(safe_text(message, style="bold red" if error else "", keep="\n", limit=4000))
