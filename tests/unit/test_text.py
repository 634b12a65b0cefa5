"""The one sanitiser: nothing from the engine reaches the terminal as control characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dockertui.model.text import clean, clean_tree, decode, is_clean, one_line, pieces

HOSTILE = "a\x1b]52;c;ZXZpbA==\x07b\x1b]0;TITLE\x07c\x1b[2Jd\x9b31m\x1b]0;unterminated"


def test_escape_sequences_become_visible_marks() -> None:
    out = clean(HOSTILE)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert out == "a␛]52;c;ZXZpbA==␇b␛]0;TITLE␇c␛[2Jd<9b>31m␛]0;unterminated"


def test_kept_characters_and_one_line() -> None:
    assert clean("a\tb\nc", keep="\t\n") == "a\tb\nc"
    assert one_line("a\tb\nc\r") == "a␉b␊c␍"


def test_bidi_and_separators_are_marked() -> None:
    assert clean("abc\u202edef\u2028") == "abc<U+202E>def<U+2028>"


def test_wide_and_combining_characters_are_kept() -> None:
    assert clean("日本語 🐳 e\u0301") == "日本語 🐳 e\u0301"


def test_invalid_utf8_and_lone_surrogates() -> None:
    assert decode(b"ok \xff\xfe end") == "ok \ufffd\ufffd end"
    assert clean("x\udcffy") == "x\ufffdy"


def test_long_values_are_cut() -> None:
    out = clean("x" * 100_000)
    assert len(out) == 4097 and out.endswith("…")
    assert len(clean("x" * 100_000, limit=None)) == 100_000


def test_pieces_flag_the_marks() -> None:
    assert list(pieces("a\x1bb")) == [("a", False), ("␛", True), ("b", False)]


def test_clean_tree_cleans_keys_and_values() -> None:
    assert clean_tree({"k\x1b": ["v\x07", 1, None]}) == {"k␛": ["v␇", 1, None]}


@given(st.text())
def test_nothing_unsafe_survives(value: str) -> None:
    out = clean(value)
    assert is_clean(out)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in out)
    assert "".join(p for p, _ in pieces(value)) == out
