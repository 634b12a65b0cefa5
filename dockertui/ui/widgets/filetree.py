"""A file tree that renders only the lines on screen.

Textual's ``Tree`` mounts a node object per line (about 0.45 s for 5,000 here), so a directory
of 50,000 files would take tens of seconds to open. This one keeps a flat list of the open
rows (a directory's rows are asked of the view only when it is opened) and draws each visible
line on demand in ``render_line``: opening a directory of 50,000 files is a list insert, and a
key costs the lines on screen, whatever the size of the layer."""

from __future__ import annotations

from typing import Protocol

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...model.fmt import human_size
from ...model.layerviews import FileRow
from ...model.text import one_line


class RowSource(Protocol):
    def rows(self, key: object = None) -> list[FileRow]: ...


MARKS = {"added": ("+", Style(color="green", bold=True)), "changed": ("~", Style(color="yellow", bold=True)),
         "deleted": ("-", Style(color="red", bold=True)), "opaque": ("*", Style(color="magenta", bold=True)), "": (" ", Style())}
NAME_STYLE = {"added": Style(color="green"), "changed": Style(color="yellow"), "deleted": Style(color="red", strike=True),
              "opaque": Style(color="magenta")}
DIR_STYLE = Style(bold=True, color="blue")
CURSOR = Style(reverse=True)
DIM = Style(dim=True)


class FileTree(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("enter,space,right,l", "open", "Open/close", show=False, id="files-open"),
        Binding("left,h", "close", "Close", show=False, id="files-close"),
        Binding("down,j", "move(1)", "Down", show=False, id="files-down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="files-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="files-page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="files-page-up"),
        Binding("home,g", "edge(0)", "First", show=False, id="files-first"),
        Binding("end,G", "edge(1)", "Last", show=False, id="files-last"),
    ]

    class Moved(Message):
        def __init__(self, row: FileRow | None) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.source: RowSource | None = None
        self.lines: list[tuple[int, FileRow, bool]] = []  # depth, row, open
        self.cursor = 0
        self.empty_text = "nothing here"

    # -- content ------------------------------------------------------------------------------

    def show(self, source: RowSource | None, empty_text: str = "nothing here") -> None:
        """A new view: its top level, cursor on the first line."""
        self.source = source
        self.empty_text = empty_text
        self.lines = [(0, r, False) for r in source.rows(None)] if source else []
        self.cursor = 0
        self._resized()
        self.scroll_to(0, 0, animate=False)
        self.post_message(self.Moved(self.current))

    def open_all(self, limit: int = 2000) -> None:
        """Open directories top-down while the tree stays under ``limit`` lines (a small layer is
        shown whole; a big one shows its top)."""
        i = 0
        while i < len(self.lines) and len(self.lines) < limit:
            depth, row, is_open = self.lines[i]
            if row.has_kids and not is_open and self.source is not None:
                kids = self.source.rows(row.key)
                if len(self.lines) + len(kids) > limit:
                    break
                self.lines[i + 1 : i + 1] = [(depth + 1, r, False) for r in kids]
                self.lines[i] = (depth, row, True)
            i += 1
        self._resized()

    @property
    def current(self) -> FileRow | None:
        return self.lines[self.cursor][1] if 0 <= self.cursor < len(self.lines) else None

    def path_of(self, index: int | None = None) -> str:
        """The cursor line's path, from its open ancestors."""
        i = self.cursor if index is None else index
        if not 0 <= i < len(self.lines):
            return ""
        depth, row, _ = self.lines[i]
        parts = [row.name]
        for j in range(i - 1, -1, -1):
            d, r, _ = self.lines[j]
            if d < depth:
                parts.append(r.name)
                depth = d
                if d == 0:
                    break
        return "/" + "/".join(reversed(parts))

    def _resized(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.lines))
        self.refresh()

    # -- keys ---------------------------------------------------------------------------------

    def action_open(self) -> None:
        if not self.lines or self.source is None:
            return
        depth, row, is_open = self.lines[self.cursor]
        if not row.has_kids:
            return
        if is_open:
            self._close_at(self.cursor)
        else:
            kids = self.source.rows(row.key)
            self.lines[self.cursor + 1 : self.cursor + 1] = [(depth + 1, r, False) for r in kids]
            self.lines[self.cursor] = (depth, row, True)
        self._resized()

    def _close_at(self, i: int) -> None:
        depth, row, _ = self.lines[i]
        end = i + 1
        while end < len(self.lines) and self.lines[end][0] > depth:
            end += 1
        del self.lines[i + 1 : end]
        self.lines[i] = (depth, row, False)

    def action_close(self) -> None:
        if not self.lines:
            return
        depth, row, is_open = self.lines[self.cursor]
        if is_open:
            self._close_at(self.cursor)
            self._resized()
            return
        for j in range(self.cursor - 1, -1, -1):  # to the parent
            if self.lines[j][0] < depth:
                self._go(j)
                return

    def action_move(self, delta: int) -> None:
        self._go(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._go(self.cursor + direction * max(1, self.size.height - 1))

    def action_edge(self, end: int) -> None:
        self._go(len(self.lines) - 1 if end else 0)

    def _go(self, index: int) -> None:
        if not self.lines:
            return
        index = max(0, min(len(self.lines) - 1, index))
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        top, height = self.scroll_offset.y, self.size.height
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)
        self.refresh_line(old)
        self.refresh_line(index)
        self.post_message(self.Moved(self.current))

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.scroll_offset.y + y
        if not self.lines:
            return Strip([Segment(self.empty_text, DIM)]).crop_extend(0, width, None) if y == 0 else Strip.blank(width)
        if index >= len(self.lines):
            return Strip.blank(width)
        depth, row, is_open = self.lines[index]
        mark, mark_style = MARKS.get(row.change, MARKS[""])
        arrow = ("▾ " if is_open else "▸ ") if row.has_kids else "  "
        name = one_line(row.name, 200)
        style = NAME_STYLE.get(row.change, DIR_STYLE if row.kind == "d" else Style())
        size = "" if row.size < 0 else human_size(row.size)
        right = f" {size:>8}"
        segments = [Segment(mark + " ", mark_style), Segment("  " * depth + arrow, DIM), Segment(name, style)]
        if row.kind == "l" and row.link:
            segments.append(Segment(" -> " + one_line(row.link, 120), DIM))
        if row.detail:
            segments.append(Segment(f"  ({one_line(row.detail, 80)})", DIM))
        used = sum(cell_len(s.text) for s in segments)
        room = width - cell_len(right)
        strip = Strip(segments).crop_extend(0, max(0, room), None) if used > room else Strip(segments + [Segment(" " * (room - used))])
        strip = Strip(list(strip) + [Segment(right, DIM)])
        if index == self.cursor and self.has_focus:
            strip = strip.apply_style(CURSOR)
        elif index == self.cursor:
            strip = strip.apply_style(Style(underline=True))
        return strip.crop_extend(0, width, None)

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)
