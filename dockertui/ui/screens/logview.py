"""Logs of one container: follow with a tail, stdout and stderr told apart, timestamps and wrap
toggles, search, pause, save. Lines live in one bounded ring; only visible rows are rendered."""

from __future__ import annotations

import bisect
import time
import zlib
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

from ...engine.client import Engine
from ..widgets.footer import Footer
from ...engine.errors import EngineError
from ...engine.logstream import follow_logs
from ...model.containers import Container
from ...model.logring import LogLine, LogRing
from ...safefile import create_new, free_name

REPAINT = 1 / 30  # at most this often, however fast lines arrive
ERR_STYLE = Style(color="red")
TS_STYLE = Style(dim=True)
MATCH_STYLE = Style(reverse=True)
CURRENT_STYLE = Style(bgcolor="grey23")
SOURCE_STYLES = tuple(Style(color=c, bold=True) for c in ("cyan", "magenta", "yellow", "green", "blue", "bright_cyan", "bright_magenta", "bright_green"))


class LogView(ScrollView, can_focus=True):
    """A window on a :class:`LogRing`: rows are rendered on demand from the ring."""

    BINDINGS = [
        Binding("j,down", "scroll_down", show=False, id="log-view-scroll-down"),
        Binding("k,up", "scroll_up", show=False, id="log-view-scroll-up"),
        Binding("g,home", "scroll_home", show=False, id="log-view-scroll-home"),
        Binding("G,end", "scroll_end", show=False, id="log-view-scroll-end"),
        Binding("pageup", "page_up", show=False, id="log-view-page-up"),
        Binding("pagedown", "page_down", show=False, id="log-view-page-down"),
    ]

    def __init__(self, ring: LogRing, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ring = ring
        self.show_timestamps = False
        self.wrap = False
        self.query = ""
        self.current: int | None = None  # absolute line number of the current search match
        self._layout_key: tuple[int, int, bool, bool] | None = None
        self._starts: list[int] = []  # wrap mode: first row of each line
        self._widest = 0

    def _line_text(self, line: LogLine) -> Text:
        text = Text(no_wrap=True, end="")
        if self.show_timestamps and line.timestamp:
            text.append(line.timestamp[:23].replace("T", " ") + " ", TS_STYLE)
        if line.source:  # merged logs: the line's task or service, one colour per source
            text.append(f"{line.source} | ", SOURCE_STYLES[zlib.crc32(line.source.encode()) % len(SOURCE_STYLES)])
        text.append(line.text, ERR_STYLE if line.stream == "err" else None)
        if self.query:
            text.highlight_words([self.query], MATCH_STYLE, case_sensitive=False)
        return text

    def _width_of(self, line: LogLine) -> int:
        extra = 24 if self.show_timestamps and line.timestamp else 0
        extra += len(line.source) + 3 if line.source else 0
        return len(line.text) + extra

    def relayout(self) -> None:
        """Virtual size from the ring; in wrap mode, where each line starts."""
        width = max(1, self.scrollable_content_region.width)
        key = (self.ring.version, width, self.wrap, self.show_timestamps)
        if key == self._layout_key:
            return
        self._layout_key = key
        if self.wrap:
            starts, row = [], 0
            for line in self.ring:
                starts.append(row)
                row += max(1, -(-self._width_of(line) // width))
            self._starts = starts
            self.virtual_size = Size(width, row)
        else:
            recent = range(max(0, len(self.ring) - 2000), len(self.ring))  # a batch's worth of new lines
            self._widest = max([self._widest, *(self._width_of(self.ring[i]) for i in recent)])
            self.virtual_size = Size(self._widest, len(self.ring))

    def row_of(self, index: int) -> int:
        self.relayout()
        return self._starts[index] if self.wrap and index < len(self._starts) else index

    def render_line(self, y: int) -> Strip:
        self.relayout()
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        row = scroll_y + y
        if self.wrap:
            index = bisect.bisect_right(self._starts, row) - 1
            if index < 0 or index >= len(self.ring):
                return Strip.blank(width, self.rich_style)
            part = row - self._starts[index]
        else:
            index, part = row, 0
            if index >= len(self.ring):
                return Strip.blank(width, self.rich_style)
        line = self.ring[index]
        text = self._line_text(line)
        if self.current is not None and self.current == self.ring.first + index:
            text.stylize(CURRENT_STYLE)
        if self.wrap:
            pieces = text.divide(range(width, max(width, len(text.plain)), width)) if len(text.plain) > width else [text]
            text = pieces[part] if part < len(pieces) else Text("")
        segments = list(text.render(self.app.console))
        strip = Strip(segments)
        if not self.wrap:
            strip = strip.crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, self.rich_style).apply_style(self.rich_style)

    def on_resize(self) -> None:
        self._layout_key = None
        self.relayout()


class LogsScreen(Screen[None]):
    """``escape``/``q`` back; ``space`` pause/resume following; ``T`` timestamps; ``w`` wrap;
    ``/`` search, ``n``/``N`` next/previous match; ``S`` save to a file."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="logs-close"),
        Binding("space", "toggle_follow", "Pause/follow", id="logs-toggle-follow"),
        Binding("T", "toggle_timestamps", "Timestamps", id="logs-toggle-timestamps"),
        Binding("w", "toggle_wrap", "Wrap", id="logs-toggle-wrap"),
        Binding("slash", "search", "Search", id="logs-search", priority=True),
        Binding("n", "next_match", "Next", show=False, id="logs-next-match"),
        Binding("N", "previous_match", "Previous", show=False, id="logs-previous-match"),
        Binding("S", "save", "Save", id="logs-save"),
    ]

    def __init__(self, engine: Engine, container: Container, tail: int = 1000, max_lines: int = 10_000) -> None:
        super().__init__()
        self.engine = engine
        self.container = container
        self.tail = tail
        self.ring = LogRing(max_lines=max(max_lines, tail))
        self.following = True
        self.unseen = 0  # lines arrived while paused
        self.ended = ""  # why the stream ended, once it has
        self._dirty = False
        self._last_paint = 0.0
        self._frozen: LogRing | None = None  # what a paused view shows

    def compose(self) -> ComposeResult:
        yield LogView(self.ring, id="log-view")
        yield Input(placeholder="search (enter: find; n/N: next/previous)", id="log-search")
        yield Static("", id="log-status")
        yield Footer()

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    # -- what a subclass changes to show another stream (a service's, a project's merged logs) --

    @property
    def label(self) -> str:
        return self.container.name

    def state_text(self) -> str:
        return f"{self.container.name} ({self.container.state})"

    def end_text(self) -> str:
        return "the container stopped: not following" if self.tail else "end of the logs"

    def open_stream(self) -> AsyncIterator[list[LogLine]]:
        return follow_logs(self.engine, self.container.id, self.tail)

    def on_mount(self) -> None:
        self.view.border_title = Text(f"Logs: {self.label}")
        self.set_focus(self.view)
        self._status()
        self.stream_logs()

    def on_unmount(self) -> None:
        """Closed: the stream ends (the worker is the screen's) and the lines go now, not whenever
        the last reference to this screen does (a cancelled task's traceback can keep it a while)."""
        self.workers.cancel_group(self, "logs")
        self.ring.clear()
        if self._frozen is not None:
            self._frozen.clear()
            self._frozen = None

    def _freeze(self) -> None:
        """Pause: the view shows a snapshot of the ring, so what is on screen (and a search hit)
        holds still while the ring moves on underneath; lines keep arriving, counted as new."""
        if self._frozen is None:
            self._frozen = self.ring.snapshot()
            self.view.ring = self._frozen
            self.view._layout_key = None

    def _thaw(self) -> None:
        self._frozen = None
        view = self.view
        if view.current is not None and view.current < self.ring.first:
            view.current = None  # the hit has left the ring meanwhile
        view.ring = self.ring
        view._layout_key = None

    @work(exclusive=True, group="logs")
    async def stream_logs(self) -> None:
        try:
            async for batch in self.open_stream():
                self.ring.extend(batch)
                if not self.following:
                    self.unseen += len(batch)
                self._schedule_paint()
        except EngineError as exc:
            self.ended = exc.message
        else:
            self.ended = self.end_text()
        self._schedule_paint()

    def _schedule_paint(self) -> None:
        """Coalesce: one repaint per REPAINT interval however many batches arrived."""
        if self._dirty:
            return
        self._dirty = True
        delay = max(0.001, REPAINT - (time.monotonic() - self._last_paint))  # a 0 s timer divides by zero
        self.set_timer(delay, self._paint)

    def _paint(self) -> None:
        self._dirty = False
        if not self.is_attached or not self.query(LogView):
            return  # closed meanwhile
        self._last_paint = time.monotonic()
        view = self.view
        view.relayout()
        if self.following:
            view.scroll_end(animate=False, immediate=True)
        view.refresh()
        self._status()

    def _status(self) -> None:
        state = f"ended: {self.ended}" if self.ended else ("following" if self.following else f"paused (+{self.unseen} new)")
        dropped = f" · {self.ring.first:,} older dropped" if self.ring.first else ""
        flags = " · timestamps" * self.view.show_timestamps + " · wrap" * self.view.wrap
        self.view.border_subtitle = f"{len(self.ring):,} lines{dropped} · {state}{flags}"
        view = self.view
        if view.query and view.current is not None and view.current >= self.ring.first:
            index, total = self.ring.rank(view.query, view.current - self.ring.first)
            if index:  # where the hit is among all, oldest first: N goes back, n forward
                state = f"{state} · match {index} of {total} (N older, n newer)"
        status = self.query_one("#log-status", Static)
        status.update(Text(f"{self.state_text()}  ·  {state}", style="bold red" if self.ended and "stopped" not in self.ended else ""))

    def action_close(self) -> None:
        box = self.query_one("#log-search", Input)
        if box.has_focus:
            box.remove_class("shown")
            self.set_focus(self.view)
            return
        self.app.pop_screen()

    def action_toggle_follow(self) -> None:
        self.following = not self.following
        if self.following:
            self.unseen = 0
            self._thaw()
        else:
            self._freeze()
        self._paint()

    def action_toggle_timestamps(self) -> None:
        self.view.show_timestamps = not self.view.show_timestamps
        self.view._layout_key = None
        self._paint()

    def action_toggle_wrap(self) -> None:
        self.view.wrap = not self.view.wrap
        self.view._layout_key = None
        self._paint()

    def action_search(self) -> None:
        box = self.query_one("#log-search", Input)
        if box.has_focus:  # the key is a priority binding: in the box, it is just a "/"
            box.insert_text_at_cursor("/")
            return
        box.add_class("shown")
        self.set_focus(box)  # at once: keys typed right after this one go to the box

    @on(Input.Submitted, "#log-search")
    def _search(self, event: Input.Submitted) -> None:
        self.view.query = event.value.strip()
        self.query_one("#log-search", Input).remove_class("shown")
        self.set_focus(self.view)
        self.view.current = None
        self._find(backwards=True)  # the most recent match first

    def action_next_match(self) -> None:
        self._find(backwards=False)

    def action_previous_match(self) -> None:
        self._find(backwards=True)

    def _find(self, backwards: bool) -> None:
        view = self.view
        if not view.query:
            self.notify("Search first with /.", severity="warning")
            return
        self._freeze()  # search what is on screen, and keep the hit there
        lines = view.ring
        if view.current is not None and view.current >= lines.first:
            start = view.current - lines.first
        else:  # from the end backwards, from the top forwards
            start = len(lines) if backwards else -1
        found = lines.search(view.query, start, backwards)
        if found is None:
            if self.following:
                self._thaw()
            self.notify(f"No line contains {view.query!r}.", severity="warning")
            return
        self.following = False  # stay on the match
        view.current = lines.first + found
        row = view.row_of(found)
        view.scroll_to(y=max(0, row - view.scrollable_content_region.height // 2), animate=False, immediate=True)
        view.refresh()
        self._status()

    @property
    def current_line(self) -> LogLine | None:
        view = self.view
        lines = view.ring
        if view.current is None or view.current < lines.first:
            return None
        index = view.current - lines.first
        return lines[index] if index < len(lines) else None

    def action_save(self) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = free_name(Path.cwd() / f"{self.label}-{stamp}.log")
        try:
            with create_new(path) as out:
                for line in self.ring:
                    prefix = f"{line.timestamp} " if line.timestamp else ""
                    source = f"{line.source} | " if line.source else ""
                    out.write(f"{prefix}{source}{'[stderr] ' if line.stream == 'err' else ''}{line.text}\n")
        except OSError as exc:
            self.notify(f"Cannot save the logs: {exc.strerror or exc} ({path}).", severity="error")
            return
        self.saved_to = path
        self.notify(f"Saved {len(self.ring):,} lines to {path}.")


__all__ = ["LogView", "LogsScreen"]
