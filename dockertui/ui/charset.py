"""Terminals without UTF-8 (``LANG=C`` on a console, an old serial line): everything drawn is
turned into ASCII on its way out, so box-drawing borders and tree guides become ``+-|``, marks
become plain letters and a wide character keeps its two cells (``??``). Escape sequences are ASCII
already and pass unchanged."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from textual.driver import Driver

_BOX = {
    "─━┄┅┈┉╌╍═╴╶╸╺▁▔": "-",
    "│┃┆┇┊┋╎╏║╵╷╹╻▏▕": "|",
    "┌┍┎┏┐┑┒┓└┕┖┗┘┙┚┛├┝┞┟┠┡┢┣┤┥┦┧┨┩┪┫┬┭┮┯┰┱┲┳┴┵┶┷┸┹┺┻┼┽┾┿╀╁╂╃╄╅╆╇╈╉╊╋╒╓╔╕╖╗╘╙╚╛╜╝╞╟╠╡╢╣╤╥╦╧╨╩╪╫╬╭╮╯╰": "+",
    "█▉▊▋▌▍▎▐░▒▓▀▄▅▆▇▃▂": "#",
    "…": "~", "·•∙": ".", "✔✓": "*", "✗✘": "x", "▶►▸›»→": ">", "◀◄◂‹«←": "<", "▼▾↓": "v", "▲▴↑": "^",
    "“”„": '"', "‘’‚": "'", "–—": "-", "×": "x", "�": "?", "⏸": "=",
}
TABLE = {ord(ch): repl for chars, repl in _BOX.items() for ch in chars}
for _code in range(0x20):  # the control pictures the sanitiser draws (␛ for ESC): caret notation
    TABLE[0x2400 + _code] = "^" + chr(0x40 + _code)
TABLE[0x2421] = "^?"


def wants_ascii(env: Mapping[str, str] | None = None) -> bool:
    """True when the locale is not UTF-8. Python coerces a C locale to ``LC_CTYPE=C.UTF-8`` in its
    own environment, so LC_ALL and LANG are asked first; ``DOCKERTUI_CHARSET`` overrides."""
    env = os.environ if env is None else env
    forced = env.get("DOCKERTUI_CHARSET", "").lower()
    if forced in ("ascii", "utf-8", "utf8"):
        return forced == "ascii"
    for name in ("LC_ALL", "LANG", "LC_CTYPE"):
        value = env.get(name, "")
        if value:
            return not ("utf-8" in value.lower() or "utf8" in value.lower())
    return True


@lru_cache(maxsize=4096)
def _char(ch: str) -> str:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return ""
    return "??" if unicodedata.east_asian_width(ch) in ("W", "F") else "?"


def to_ascii(text: str) -> str:
    if text.isascii():
        return text
    text = text.translate(TABLE)
    if text.isascii():
        return text
    return "".join(ch if ch.isascii() else _char(ch) for ch in text)


def ascii_driver(base: type[Driver]) -> type[Driver]:
    """``base`` with every write turned into ASCII."""

    class AsciiDriver(base):  # type: ignore[misc, valid-type]
        def write(self, data: str) -> None:
            super().write(to_ascii(data))

    AsciiDriver.__name__ = f"Ascii{base.__name__}"
    return AsciiDriver
