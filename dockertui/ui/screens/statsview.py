"""Stats of one running container: live figures and sparklines from one stats stream (only while
this screen is open), and its processes."""

from __future__ import annotations

import asyncio
from collections import deque

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Sparkline, Static

from ...engine.client import Engine
from ..widgets.footer import Footer
from ...engine.errors import EngineError
from ...engine.metrics import container_limits, stream_stats, top
from ...model.containers import Container
from ...model.fmt import human_size
from ...model.metrics import Stats
from ...model.scales import Limits, Scale, bars, binary_size, cpu_scale, level, memory_scale

HISTORY = 60  # samples kept for the sparklines (about a minute)
TOP_EVERY = 2.0


LEVEL_STYLE = ("green",) * 4 + ("yellow",) * 2 + ("red",) * 2  # by bar height


class ScaledSpark(Widget):
    """A sparkline on a fixed scale (model/scales.py): a bar's height is a share of ``top``, not of
    the largest value seen, so a steady 0.1 % stays at the bottom."""

    DEFAULT_CSS = "ScaledSpark { height: 1; }"

    def __init__(self, id: str) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id)
        self.values: list[float] = []
        self.top = 0.0

    def show(self, values: list[float], top: float) -> None:
        self.values, self.top = values, top
        self.refresh()

    def render(self) -> Text:
        line = bars(self.values, self.top, self.size.width)
        text = Text(line)
        start = len(line) - min(len(self.values), len(line))
        for offset, value in enumerate(self.values[-(len(line) - start):] if len(line) > start else []):
            text.stylize(LEVEL_STYLE[level(value, self.top)], start + offset, start + offset + 1)
        return text


class StatsScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="stats-pop-screen")]

    def __init__(self, engine: Engine, container: Container) -> None:
        super().__init__()
        self.engine = engine
        self.container = container
        self.latest: Stats | None = None
        self.samples = 0
        self.ended = ""
        self.history: dict[str, deque[float]] = {k: deque(maxlen=HISTORY) for k in ("cpu", "mem", "rx", "tx")}
        self._previous: Stats | None = None
        self.processes: list[list[str]] = []
        self.limits: Limits | None = None  # the container's own, read once at the start
        self.scales: dict[str, Scale] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="stats"):
            yield Static("waiting for the first sample…", id="stats-figures")
            with Grid(id="stats-sparks"):
                for key, label in (("cpu", "CPU %"), ("mem", "memory"), ("rx", "net in /s"), ("tx", "net out /s")):
                    yield Static(label, classes="spark-label", id=f"label-{key}")
                    yield ScaledSpark(id=f"spark-{key}") if key in ("cpu", "mem") else Sparkline([], id=f"spark-{key}")
            table: DataTable[str] = DataTable(id="stats-top", cursor_type="row")
            table.auto_links = False
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stats").border_title = f"Stats: {self.container.name}"
        self.follow()
        self.processes_loop()

    def on_unmount(self) -> None:
        """Closed: both loops end and the figures go now (see LogsScreen.on_unmount)."""
        self.ended = self.ended or "closed"
        self.workers.cancel_node(self)
        for history in self.history.values():
            history.clear()
        self.processes = []

    @work(exclusive=True, group="stats")
    async def follow(self) -> None:
        try:
            self.limits = await container_limits(self.engine, self.container.id)
        except EngineError:
            self.limits = Limits()  # gone meanwhile: the stream below says so
        try:
            async for stats in stream_stats(self.engine, self.container.id):
                try:
                    self._show(stats)
                except NoMatches:
                    return  # closing: the sample came after the widgets went
        except EngineError as exc:
            self.ended = exc.message
        else:
            self.ended = "the container stopped"
        for figures in self.query("#stats-figures").results(Static):
            figures.update(Text(f"Stats ended: {self.ended}", style="bold red"))

    def _show(self, s: Stats) -> None:
        if not self.is_current:
            return  # a sample that arrived while the view was being closed (or covered)
        prev = self._previous
        rx_rate = max(0, s.net_rx - prev.net_rx) if prev else 0
        tx_rate = max(0, s.net_tx - prev.net_tx) if prev else 0
        self._previous, self.latest = s, s
        self.samples += 1
        limits = self.limits or Limits()
        scales = {"cpu": cpu_scale(limits, s.online_cpus), "mem": memory_scale(limits, s.mem_limit)}
        for key, scale in scales.items():
            if self.scales.get(key) != scale:
                self.query_one(f"#label-{key}", Static).update(Text(scale.label))
        self.scales = scales
        for key, value in (("cpu", s.cpu_percent), ("mem", float(s.mem_used)), ("rx", float(rx_rate)), ("tx", float(tx_rate))):
            self.history[key].append(value)
            if key in scales:
                self.query_one(f"#spark-{key}", ScaledSpark).show(list(self.history[key]), scales[key].top)
            else:
                self.query_one(f"#spark-{key}", Sparkline).data = list(self.history[key])
        limit = binary_size(s.mem_limit) + ("" if limits.memory else " (host)") if s.mem_limit else "no limit"
        text = Text()
        text.append(f"CPU {s.cpu_percent:6.1f}%", style="bold")
        text.append(f"   memory {binary_size(s.mem_used)} / {limit} ({s.mem_percent:.1f}%)")
        text.append(f"   PIDs {s.pids}\n")
        text.append(f"net in {human_size(s.net_rx)} out {human_size(s.net_tx)}   block read {human_size(s.blk_read)} write {human_size(s.blk_write)}")
        self.query_one("#stats-figures", Static).update(text)

    @work(exclusive=True, group="top")
    async def processes_loop(self) -> None:
        table = self.query_one("#stats-top", DataTable)
        titles: list[str] = []
        while not self.ended:
            try:
                new_titles, rows = await top(self.engine, self.container.id)
            except EngineError as exc:
                table.border_title = Text(f"Processes: {exc.message}")
                return
            if self.ended or not table.is_attached:
                return  # closed while asking
            if new_titles != titles:
                titles = new_titles
                table.clear(columns=True)
                for t in titles:
                    table.add_column(t, key=t)
            if rows != self.processes:
                self.processes = rows
                table.clear()
                for row in rows:
                    table.add_row(*(Text(value) for value in row))
            table.border_title = f"Processes ({len(rows)})"
            await asyncio.sleep(TOP_EVERY)
