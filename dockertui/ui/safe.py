"""Engine text into Rich text: :func:`dockertui.model.text.pieces` with its marks dimmed.

Every string that came from the engine or a container is drawn through here (or through
``model.text.clean``): a Rich ``Text`` made from raw engine text would pass ESC through."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text

from ..model.text import LIMIT, pieces

MARK_STYLE = Style(dim=True)


def safe_text(value: Any, style: str | Style = "", keep: str = "", limit: int | None = LIMIT) -> Text:
    """A Rich ``Text`` of ``value`` with control characters shown as dimmed marks."""
    plain = value if isinstance(value, str) else ("" if value is None else str(value))
    if (limit is None or len(plain) <= limit) and plain.isprintable():
        return Text(plain, style=style, end="")  # nothing to mark (model.text.pieces' own fast path)
    text = Text(style=style, end="")
    for part, is_mark in pieces(value, keep=keep, limit=limit):
        text.append(part, MARK_STYLE if is_mark else None)
    return text
