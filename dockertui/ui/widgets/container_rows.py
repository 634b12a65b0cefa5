"""What the container table shows, apart from drawing it: the columns, one row's cells, and which
columns fit how wide.

Columns are chosen by priority, not by the width of their content: Name, State and the compact
Status always, then the CPU · memory column when it is on, then Image, Ports, Project, Command as
the width allows. Each column first gets at most its soft cap; room left over widens the capped
ones again, in the same order. A column that does not fit is left out whole (no horizontal
scrolling), except the first three (and CPU · Mem once asked for), for which the widest shrink."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from ...model.containers import Container, pod_label
from ...style import STATE_STYLE
from ..safe import safe_text


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    cap: int  # soft cap: the width it gets before the columns after it get any
    least: int  # narrower than this it is not worth showing
    required: bool = False


COLUMNS = (
    Column("mark", " ", 1, 1, True),
    Column("name", "Name", 24, 6, True),
    Column("state", "State", 10, 5, True),
    Column("status", "Status", 16, 6, True),
    Column("usage", "CPU · Mem", 14, 9),
    Column("image", "Image", 26, 8),
    Column("ports", "Ports", 24, 8),
    Column("project", "Project", 14, 7),
    Column("command", "Command", 24, 9),
)
KEYS = [c.key for c in COLUMNS]
INDEX = {key: i for i, key in enumerate(KEYS)}
HEADER: tuple[str, ...] = tuple(c.label for c in COLUMNS)
MARK = Text("✔", style="bold yellow")

Cell = Text | str
Layout = tuple[tuple[int, int, int], ...]  # (column index, x, width) of each column shown


def gap_after(key: str) -> int:
    return 1 if key == "mark" else 2


def state_text(c: Container) -> Text:
    style = STATE_STYLE.get(c.state, "")
    if c.state == "exited" and c.status.startswith("Exited (0)"):
        style = "dim"
    return Text(c.state, style=style)


def status_style(c: Container, label: str) -> str:
    if "unhealthy" in label:
        return "red"
    if c.state == "exited" and not label.startswith("exit 0"):
        return "red"
    if c.state == "exited":
        return "dim"
    return ""


def cell(value: object, width: int = 60, style: str = "") -> Text:
    """One cell of engine text: controls shown as dimmed marks, at most ``width`` terminal cells."""
    text = safe_text(value, style=style, limit=4 * width)
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    return text


def row_cells(c: Container, marked: bool = False, doing: str | None = None, usage: str = "",
              status: str | None = None) -> tuple[Cell, ...]:
    """One row, in :data:`KEYS` order; ``doing`` (an action in progress, "stopping…") replaces the
    state until it ends; ``status`` is the compact status (the engine's text when not given)."""
    state = Text(doing, style="italic yellow") if doing else state_text(c)
    label = c.status if status is None else status
    return (MARK if marked else "", cell(c.display_name, 60, "bold"), state, cell(label, 40, status_style(c, label)),
            usage if c.state == "running" else "", cell(c.image, 80), cell(c.ports_text, 60),
            cell(c.compose_project or pod_label(c), 40), cell(c.command, 60))


def cell_width(value: Cell) -> int:
    return value.cell_len if isinstance(value, Text) else cell_len(value)


def widths_of(cells: Sequence[Cell]) -> tuple[int, ...]:
    return tuple(cell_width(value) for value in cells)


def natural_widths(rows: Iterable[Sequence[int]]) -> list[int]:
    """The widest cell of each column over these rows (cell widths), the header included."""
    widest = [cell_len(label) for label in HEADER]
    for row in rows:
        widest = [a if a >= b else b for a, b in zip(widest, row)]
    return widest


def layout(natural: Sequence[int], width: int, usage: bool = False) -> Layout:
    """Which columns show, where and how wide, in ``width`` cells (see the module's text)."""
    chosen: list[list[int]] = []  # [column index, width]
    used = 0
    for i, col in enumerate(COLUMNS):
        if col.key == "usage" and not usage:
            continue
        gap = gap_after(COLUMNS[chosen[-1][0]].key) if chosen else 0
        want = max(cell_len(col.label), min(natural[i], col.cap)) if col.key != "mark" else 1
        room = width - used - gap
        if want <= room:
            take = want
        elif col.key == "usage" or col.required:  # they show whole if they can: the widest makes room
            take = want
        elif room >= col.least:
            take = room
        else:
            break
        chosen.append([i, take])
        used += gap + take
    over = used - width
    while over > 0:  # too narrow for what must show: the widest gives up a cell, then the next widest
        widest = max(chosen[1:], key=lambda entry: entry[1])
        if widest[1] <= 3:
            break
        widest[1] -= 1
        over -= 1
    spare = width - sum(w for _, w in chosen) - sum(gap_after(COLUMNS[i].key) for i, _ in chosen[:-1])
    for entry in chosen:
        if spare <= 0:
            break
        grow = min(spare, natural[entry[0]] - entry[1])
        if grow > 0:
            entry[1] += grow
            spare -= grow
    placed: list[tuple[int, int, int]] = []
    x = 0
    for n, (i, w) in enumerate(chosen):
        if n:
            x += gap_after(COLUMNS[chosen[n - 1][0]].key)
        placed.append((i, x, w))
        x += w
    return tuple(placed)


def urgent(new: Layout, old: Layout, natural: Sequence[int]) -> bool:
    """Whether ``new`` must replace ``old`` at once: it gives room to a column whose cells ``old``
    cuts, or drops a column. A layout that only gives room back can wait a little (a passing
    "restarting…" label should not make the table jump twice)."""
    if not old:
        return True
    widths = {i: w for i, _, w in new}
    return any(i not in widths or (natural[i] > w and widths[i] > w) for i, _, w in old)


def fit(value: Cell, width: int) -> Text:
    """A cell cut to ``width`` cells, with an ellipsis when cut."""
    text = value.copy() if isinstance(value, Text) else Text(value)
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    return text
