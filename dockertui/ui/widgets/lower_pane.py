"""The dashboard's lower pane: the selection's details, the selected container's logs, or nothing.

`b` cycles details → logs → hidden (``model/lowerpane.py`` holds the session's choice; under 30
rows the pane starts hidden). In logs mode the pane shows the container under the table's cursor:
its last lines, then new ones as they come, in a bounded ring drawn by the logs view's
:class:`~dockertui.ui.screens.logview.LogView` (the same splitting and sanitising: nothing from a
container reaches the terminal as control or markup). It follows the cursor once it settles, so
scrolling through the table opens no stream per row, and it holds at most one stream: closed when
the pane hides or shows details, when the cursor moves on, while another screen covers the
dashboard, and on unmount (the worker is the pane's)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ...engine.errors import EngineError
from ...engine.logstream import follow_logs
from ...model.containers import Container
from ...model.host import Change
from ...model.logring import LogRing
from ...model.lowerpane import DETAILS, HIDDEN, LOGS, PANE_CHARS, PANE_LINES, PANE_TAIL, logs_subtitle
from ..app_access import tui
from ..safe import safe_text
from ..screens.logview import LogView

if TYPE_CHECKING:
    from ..hostfeed import HostFeed
    from .container_table import ContainerTable

FOLLOW_DELAY = 0.12  # let the cursor settle before opening a container's logs
REPAINT = 0.1  # at most this often, however fast lines arrive (a small pane, maybe over SSH)
HINT = "b: logs · hide"


class LowerPane(Vertical):
    """Holds the details (``#details``, which the dashboard fills) and a logs view (``#pane-logs``)."""

    class DetailsShown(Message):
        """The details are shown again: what they say may be stale (they are not fetched while hidden)."""

    def __init__(self, host: HostFeed, **kwargs: object) -> None:
        # children given here, not composed later: they are there as soon as the screen is (the
        # dashboard fills #details from its first highlight on)
        ring = LogRing(PANE_LINES, PANE_CHARS)
        details = VerticalScroll(Static("", id="details"), id="details-scroll")
        logs = LogView(ring, id="pane-logs")
        logs.wrap = True  # a narrow pane: whole lines rather than a window to scroll sideways
        super().__init__(details, logs, **kwargs)  # type: ignore[arg-type]
        self.host = host
        self.mode = DETAILS
        self.ring = ring
        self.container: Container | None = None  # under the table's cursor: whose logs the pane shows
        self.streaming: str | None = None  # the container whose stream is open (or opening)
        self.ended = False  # that stream has ended (the container stopped, or the engine refused)
        self.state = ""
        self.suspended = False  # another screen covers the dashboard
        self._base = 0  # ring.first when the current container's lines began
        self._dirty = False
        self._ready = False  # mounted with its children: the screen's events may come before

    @property
    def logs(self) -> LogView:
        return self.query_one("#pane-logs", LogView)

    def on_mount(self) -> None:
        details = self.query_one("#details-scroll")
        details.border_title = "Details"
        details.border_subtitle = HINT
        self.logs.border_title = "Logs"
        self.host.changed.subscribe(self, self._host_changed)
        self._ready = True
        self.apply()

    def on_unmount(self) -> None:
        self._close()
        self.ring.clear()

    # -- what the dashboard calls ----------------------------------------------------------------

    def apply(self) -> None:
        """Show the session's mode: after `b`, a resize, or coming back from another screen or engine."""
        if not self._ready:
            return
        was = self.mode
        self.mode = tui(self).lower_pane.mode(self.app.size.height)
        if self.mode == DETAILS and was != DETAILS:
            self.post_message(self.DetailsShown())
        self.display = self.mode != HIDDEN
        self.query_one("#details-scroll").display = self.mode == DETAILS
        self.logs.display = self.mode == LOGS
        if self.mode == LOGS and not self.suspended:
            self._open(self.container)
        else:
            self._close()

    def cycle(self) -> str:
        """`b`: the next mode, for the whole session."""
        tui(self).lower_pane.cycle(self.app.size.height)
        self.apply()
        return self.mode

    @property
    def showing_details(self) -> bool:
        return self.mode == DETAILS

    def follow(self, container: Container | None) -> None:
        """The table's cursor moved, or its rows changed under it: the logs follow, once it settles."""
        self.container = container
        if self.mode == LOGS and not self.suspended:
            self._open(container)

    def suspend(self) -> None:
        """Another screen covers the dashboard: its stream closes."""
        self.suspended = True
        self._close()

    def resume(self) -> None:
        self.suspended = False
        self.apply()

    # -- the stream --------------------------------------------------------------------------------

    def _open(self, container: Container | None) -> None:
        if container is None:
            self._close()
            self._restart(Text("Logs"), "no container under the cursor")
            return
        if container.id == self.streaming and (not self.ended or not self._runs(container.id)):
            return  # already following it, or its stream ended and it has not started again
        self.streaming, self.ended = container.id, False
        self._restart(Text("Logs: ").append_text(safe_text(container.name)), "opening…")
        self._stream(container.id)

    def _restart(self, title: Text, state: str) -> None:
        self.ring.clear()
        self._base = self.ring.first
        self.state = state
        self.logs.border_title = title
        self._paint()

    def _close(self) -> None:
        self.streaming, self.ended = None, False
        self.workers.cancel_group(self, "pane-logs")

    @work(exclusive=True, group="pane-logs")
    async def _stream(self, container_id: str) -> None:
        await asyncio.sleep(FOLLOW_DELAY)  # a newer cursor move cancels this worker before it asks anything
        self.state = "following"
        self._schedule_paint()
        try:
            async for batch in follow_logs(self.host.engine, container_id, PANE_TAIL):
                self.ring.extend(batch)
                self._schedule_paint()
        except EngineError as exc:
            self.state = f"ended: {exc.message}"
        else:
            self.state = "not running: not following"
        self.ended = True
        self._schedule_paint()

    def _runs(self, container_id: str) -> bool:
        now = self.host.state.containers.get(container_id)
        return now is not None and now.state == "running"

    def _host_changed(self, change: Change) -> None:
        """A container whose stream ended runs again (started, restarted): follow it again."""
        streaming = self.streaming
        if self.ended and streaming in change.containers and self.mode == LOGS and not self.suspended:
            now = self.host.state.containers.get(streaming)
            if now is not None:
                self._open(now)

    # -- drawing ---------------------------------------------------------------------------------

    def _schedule_paint(self) -> None:
        """Coalesce: one repaint per REPAINT interval however many batches arrived."""
        if not self._dirty:
            self._dirty = True
            self.set_timer(REPAINT, self._paint)

    def _paint(self) -> None:
        self._dirty = False
        if not self.is_attached:
            return
        view = self.logs
        # the newest lines, unless the user scrolled up to read (they hold still then); judged on
        # focus, not on the offset alone: a scroll to the end may still be pending when lines come
        at_end = not view.has_focus or view.scroll_y >= view.max_scroll_y
        view.relayout()
        if at_end:
            view.scroll_end(animate=False, immediate=True, force=True)
        view.refresh()
        view.border_subtitle = logs_subtitle(len(self.ring), self.ring.first - self._base, self.state) + " · b: hide"


class LowerPaneHost:
    """The dashboard's side of the pane (a mixin for ``MainScreen``): `b` cycles it, the logs
    follow the table's cursor, and its stream stops while another screen covers the dashboard."""

    @property
    def lower_pane(self) -> LowerPane:
        return self.query_one(LowerPane)  # type: ignore[attr-defined]

    def _panes(self) -> list[LowerPane]:
        return list(self.query(LowerPane))  # type: ignore[attr-defined]  # none yet while composing

    def action_lower_pane(self) -> None:
        pane = self.lower_pane
        had_focus = pane.has_focus_within
        if pane.cycle() == LOGS:
            if had_focus:
                pane.logs.focus()
        elif had_focus:  # the view it was in has gone: back to the table
            self.set_focus(self.table)  # type: ignore[attr-defined]

    def on_container_table_row_highlighted(self, event: ContainerTable.RowHighlighted) -> None:
        for pane in self._panes():
            pane.follow(event.control.current)

    def on_lower_pane_details_shown(self) -> None:
        self.on_descendant_focus()  # type: ignore[attr-defined]  # the details of what has the focus

    def on_screen_suspend(self) -> None:
        for pane in self._panes():
            pane.suspend()

    def on_screen_resume(self) -> None:
        for pane in self._panes():
            pane.resume()  # the session's choice may have changed on another engine's dashboard

    def on_resize(self) -> None:
        for pane in self._panes():
            pane.apply()  # until the user chooses, the pane follows the terminal's height
