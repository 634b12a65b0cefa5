"""Text from the engine is data, never terminal control.

Everything a container or the engine produces (logs, names, labels, env values, commands, health
output, history, pull and build messages, error texts) passes through :func:`clean` (or
:func:`pieces`, where a widget wants to dim the marks) before any widget sees it:

- C0 controls (but the ones asked to be kept, e.g. tab and newline in logs), DEL and C1 controls
  become visible marks: ``ESC`` is ``␛``, ``BEL`` is ``␇`` (the Unicode control pictures), a C1
  control is ``<9b>``. An escape sequence is therefore shown as text (``␛]0;title␇``) and can no
  longer retitle a window, write the clipboard (OSC 52), clear the screen or swallow what follows.
- Characters that reorder or hide text (bidi overrides and isolates, the line and paragraph
  separators, the BOM/zero-width no-break space) become ``<U+202E>``-style marks.
- Lone surrogates (what ``surrogateescape`` makes of invalid UTF-8) become ``�``.
- A very long string is cut at ``limit`` characters with ``…`` (a 100 KB line must not stall a
  frame); ``limit=None`` keeps it whole.

Bytes are decoded with :func:`decode` (invalid UTF-8 → ``�``). Widths are measured in terminal
cells by the UI (``rich.cells.cell_len``), never with ``len()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

# bidi embeddings/overrides/isolates, line/paragraph separators, BOM, interlinear annotation marks
_HIDDEN = frozenset(
    [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
LIMIT = 4096  # characters shown of one value, unless a caller asks otherwise


def _is_unsafe(code: int) -> bool:
    return code < 0x20 or 0x7F <= code < 0xA0 or code in _HIDDEN or 0xD800 <= code < 0xE000


def mark(char: str) -> str:
    """The visible stand-in for one unsafe character."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "␡"
    if 0x80 <= code < 0xA0:
        return f"<{code:02x}>"
    if 0xD800 <= code < 0xE000:
        return "\ufffd"
    return f"<U+{code:04X}>"


@lru_cache(maxsize=64)
def _table(keep: str) -> dict[int, str]:
    table = {c: mark(chr(c)) for c in list(range(0x20)) + list(range(0x7F, 0xA0)) + sorted(_HIDDEN)}
    for char in keep:
        table.pop(ord(char), None)
    return table


def is_clean(text: str, keep: str = "") -> bool:
    return not any(_is_unsafe(ord(ch)) and ch not in keep for ch in text)


def clean(value: Any, keep: str = "", limit: int | None = LIMIT) -> str:
    """``value`` as text that is safe to draw: see the module's description.

    ``keep`` names control characters left alone (``"\\t"`` or ``"\\t\\n"`` for logs, where the
    widget expands tabs and splits lines itself)."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    if text.isprintable():
        return text  # the common case (no control, format or surrogate character): nothing to do
    text = text.translate(_table(keep))
    if any(0xD800 <= ord(ch) < 0xE000 for ch in text):
        text = "".join("\ufffd" if 0xD800 <= ord(ch) < 0xE000 else ch for ch in text)
    return text


def one_line(value: Any, limit: int | None = LIMIT) -> str:
    """A value for one cell of a table: newlines and tabs shown as marks too."""
    return clean(value, keep="", limit=limit)


def pieces(value: Any, keep: str = "", limit: int | None = LIMIT) -> Iterator[tuple[str, bool]]:
    """:func:`clean`'s result in runs, each flagged True when it is a mark (for dimming)."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    if text.isprintable():
        # the common case, as in clean(): no control, format, separator or surrogate character
        # (every unsafe one is non-printable); a table redraw calls this for every cell
        if text:
            yield text, False
        return
    start = 0
    for i, ch in enumerate(text):
        if _is_unsafe(ord(ch)) and ch not in keep:
            if start < i:
                yield text[start:i], False
            yield mark(ch), True
            start = i + 1
    if start < len(text):
        yield text[start:], False


def decode(data: bytes) -> str:
    """Bytes from a stream as text: invalid UTF-8 becomes ``�``."""
    return data.decode("utf-8", errors="replace")


def clean_tree(value: Any, limit: int | None = LIMIT) -> Any:
    """A decoded JSON value with every string (keys included) cleaned, for views of raw replies."""
    if isinstance(value, str):
        return clean(value, limit=limit)
    if isinstance(value, dict):
        return {clean(k, limit=limit): clean_tree(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v, limit) for v in value]
    return value
