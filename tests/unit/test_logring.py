"""The log ring's bounds, search, line splitting and the engine's stream framing."""

from __future__ import annotations

from hypothesis import given, strategies as st

from dockertui.model.logring import LineSplitter, LogLine, LogRing, demux, split_timestamp


def line(text: str, stream: str = "out") -> LogLine:
    return LogLine(stream, "", text)


@given(st.lists(st.text(max_size=50), max_size=300), st.integers(1, 50), st.integers(1, 500))
def test_the_ring_stays_within_bounds_and_keeps_the_newest_in_order(texts: list[str], max_lines: int, max_chars: int) -> None:
    ring = LogRing(max_lines, max_chars)
    for chunk in range(0, len(texts), 7):
        ring.extend(line(t) for t in texts[chunk : chunk + 7])
    kept = [x.text for x in ring]
    assert len(ring) <= max_lines
    assert ring.chars <= max_chars or len(ring) == 1
    assert kept == texts[len(texts) - len(kept):]
    assert ring.first == len(texts) - len(kept)


def test_search_wraps_and_goes_both_ways() -> None:
    ring = LogRing()
    ring.extend(line(t) for t in ["alpha", "beta", "Gamma", "beta again"])
    assert ring.search("BETA", 0) == 1
    assert ring.search("beta", 1) == 3
    assert ring.search("beta", 3) == 1  # wraps
    assert ring.search("beta", 3, backwards=True) == 1
    assert ring.search("gamma", 0, backwards=True) == 2
    assert ring.search("delta", 0) is None and ring.search("", 0) is None
    assert ring.rank("BETA", 3) == (2, 2) and ring.rank("beta", 1) == (1, 2)
    assert ring.rank("beta", 0) == (0, 2) and ring.rank("", 0) == (0, 0)


def test_splitter_keeps_partial_lines_and_timestamps() -> None:
    s = LineSplitter()
    assert s.feed("out", b"2026-11-22T12:00:00.000000001Z hel") == []
    got = s.feed("out", b"lo\r\nworld\nrest")
    assert got == [LogLine("out", "2026-11-22T12:00:00.000000001Z", "hello"), LogLine("out", "", "world")]
    assert s.flush() == [LogLine("out", "", "rest")]
    assert split_timestamp("no timestamp here") == ("", "no timestamp here")


def test_demux_takes_whole_frames_only() -> None:
    buf = bytearray(b"\x01\x00\x00\x00\x00\x00\x00\x03out" + b"\x02\x00\x00\x00\x00\x00\x00\x04err!" + b"\x01\x00\x00\x00\x00\x00\x00\x09par")
    assert demux(buf) == [("out", b"out"), ("err", b"err!")]
    assert bytes(buf) == b"\x01\x00\x00\x00\x00\x00\x00\x09par"
