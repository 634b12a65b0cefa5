"""The bench's request counting, across chunk boundaries and keep-alive connections."""

from __future__ import annotations

from bench.relay import RequestCounter
from bench.terminal import percentile, strip_ansi


def test_counts_requests_split_across_chunks() -> None:
    c = RequestCounter()
    stream = (b"GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: x\r\n\r\n"
              b"POST /v1.41/containers/abc/start HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"
              b"GET /v1.41/events?filters=x HTTP/1.1\r\n\r\n")
    for i in range(0, len(stream), 7):
        c.feed(stream[i : i + 7])
    assert c.requests == [("GET", "/v1.41/containers/json?all=1"), ("POST", "/v1.41/containers/abc/start"), ("GET", "/v1.41/events?filters=x")]


def test_percentiles_and_screen_text() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5], 99) == 5
    assert strip_ansi(b"\x1b[1;31mbench-0000\x1b[0m \x1b]0;t\x07ok") == "bench-0000 ok"
