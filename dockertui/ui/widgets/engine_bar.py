"""The one-line header: which engine, what it runs, and the connection's state."""

from __future__ import annotations

from rich.cells import cell_len
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
        self._text: Text | None = None
        self._text_width = 0

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
        self._text = None
        self.refresh()

    def render(self) -> Text:
        width = self.size.width or 10_000
        if self._text is None or self._text_width != width:
            self._text, self._text_width = self._compose_text(width), width
        return self._text

    def on_resize(self) -> None:
        self._render_bar()

    def _compose_text(self, width: int = 10_000) -> Text:
        """The widest header that fits: what goes first when it does not is the platform, then the
        endpoint's middle, the API and engine versions, a "connected"-like status, then the words of
        the counts; the engine's name, the counts and the problems badge always stay."""
        for level in range(6):
            text = self._bar(level, None)
            if text.cell_len <= width:
                return text
            room = width - (text.cell_len - cell_len(self._endpoint))
            if room >= (24 if level < 2 else 12):
                return self._bar(level, room)
        text = self._bar(5, max(8, width - (self._bar(5, None).cell_len - cell_len(self._endpoint))))
        text.truncate(width)
        return text

    def _bar(self, level: int, endpoint_room: int | None) -> Text:
        text = Text(" dockertui " if level < 5 else " dt ", style="bold reverse")
        if self._read_only:
            text.append(" READ-ONLY ", style="bold black on yellow")
        if self._problems:
            text.append(f" ! {self._problems} problem{'s' if self._problems != 1 else ''} " if level < 5 else f" !{self._problems} ",
                        style="bold white on red")
        endpoint = self._endpoint if endpoint_room is None else shorten_endpoint(self._endpoint, endpoint_room)
        text.append(f" {endpoint}", style="bold")
        trouble = not self._status or not self._status.startswith(("connected", "connecting"))
        if self._status and (level < 4 or trouble):
            style = "bold red" if self._status.startswith("disconnected") else "italic"
            text.append(f" │ {self._status}", style=style)
        info = self._info
        if info is not None:
            if level < 3:
                text.append(f" │ {info.product} {info.server_version}" + (f" (API {info.api_version})" if level < 2 else ""))
            if level < 1:
                text.append(f" │ {info.os}/{info.arch}")
            if info.swarm == "active" and level < 3:
                text.append(" │ swarm", style="magenta")
        if self._counts is not None:
            running, total, images = self._counts
            text.append(" │ ")
            text.append(f"● {running}", style="green")
            text.append(f"/{total} containers │ {images} images" if level < 5 else f"/{total} · {images} img")
        return text


def shorten_endpoint(label: str, room: int) -> str:
    """``prod · ssh://admin@prod1`` or an endpoint in ``room`` cells: the engine's name stays, the
    endpoint loses its middle (``unix://…/docker.sock``)."""
    if cell_len(label) <= room:
        return label
    name, sep, endpoint = label.partition(" · ")
    if not sep:
        name, endpoint = "", label
    keep = room - (cell_len(name) + len(sep) if sep else 0)
    if sep and keep < 8:
        return name if cell_len(name) <= room else name[: max(1, room - 1)] + "…"
    scheme, colon, rest = endpoint.partition("://")
    head = f"{scheme}://" if colon and len(scheme) + 4 < keep else ""
    tail_room = max(1, keep - len(head) - 1)
    body = rest if head else endpoint
    return f"{name}{sep}{head}…{body[-tail_room:]}"
