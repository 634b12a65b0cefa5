"""The one-line header: which engine, what it runs, and the connection's state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...model.system import SystemInfo


class EngineBar(Static):
    def __init__(self, endpoint_label: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._endpoint = endpoint_label
        self._info: SystemInfo | None = None
        self._counts: tuple[int, int, int] | None = None  # running, total containers, images
        self._status = "connecting…"
        self._read_only = False
        self._problems = 0

    def on_mount(self) -> None:
        self._render_bar()

    def set_info(self, info: SystemInfo) -> None:
        self._info = info
        self._render_bar()

    def set_counts(self, running: int, total: int, images: int) -> None:
        if self._counts != (running, total, images):
            self._counts = (running, total, images)
            self._render_bar()

    def set_status(self, status: str) -> None:
        if self._status != status:
            self._status = status
            self._render_bar()

    @property
    def disconnected(self) -> bool:
        return self._status.startswith(("disconnected", "reconnecting"))

    def set_read_only(self, read_only: bool) -> None:
        if self._read_only != read_only:
            self._read_only = read_only
            self._render_bar()

    def set_problems(self, count: int) -> None:
        if self._problems != count:
            self._problems = count
            self._render_bar()

    def _render_bar(self) -> None:
        # one line of fixed height: repaint it, never ask for a layout (Static.update does)
        self._text = self._compose_text()
        self.refresh()

    def render(self) -> Text:
        return getattr(self, "_text", None) or self._compose_text()

    def _compose_text(self) -> Text:
        text = Text(" dockertui ", style="bold reverse")
        if self._read_only:
            text.append(" READ-ONLY ", style="bold black on yellow")
        if self._problems:
            text.append(f" ! {self._problems} problem{'s' if self._problems != 1 else ''} ", style="bold white on red")
        text.append(f" {self._endpoint}", style="bold")
        if self._status:
            style = "bold red" if self._status.startswith("disconnected") else "italic"
            text.append(f" │ {self._status}", style=style)
        info = self._info
        if info is not None:
            text.append(f" │ {info.product} {info.server_version} (API {info.api_version})")
            text.append(f" │ {info.os}/{info.arch}")
            if info.swarm == "active":
                text.append(" │ swarm", style="magenta")
        if self._counts is not None:
            running, total, images = self._counts
            text.append(" │ ")
            text.append(f"● {running}", style="green")
            text.append(f"/{total} containers │ {images} images")
        return text
