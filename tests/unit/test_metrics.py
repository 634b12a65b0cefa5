"""Stats payloads recorded from the private engine (tests/fixtures/stats) give the docker CLI's
figures; odd payloads never raise."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, strategies as st

from dockertui.model.metrics import cpu_percent, memory_used, parse_stats

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "stats"


def load(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((FIXTURES / name).read_text())


def test_a_busy_loop_uses_about_one_core() -> None:
    busy = parse_stats(load("busy-stream0.json"))
    assert 80 < busy.cpu_percent < 120, busy.cpu_percent
    assert busy.mem_limit == 64 * 1024 * 1024
    assert 0 < busy.mem_used < busy.mem_limit and 0 < busy.mem_percent < 100
    assert busy.pids == 1


def test_one_shot_has_no_precpu_so_cpu_needs_the_previous_sample() -> None:
    shot = load("busy-oneshot.json")
    assert parse_stats(shot).cpu_percent == 0.0
    earlier = load("busy-stream0.json")
    assert cpu_percent(shot, earlier) > 50


def test_memory_subtracts_the_droppable_cache() -> None:
    assert memory_used({"usage": 1000, "stats": {"total_inactive_file": 300}}) == 700
    assert memory_used({"usage": 1000, "stats": {"inactive_file": 200}}) == 800
    assert memory_used({"usage": 1000}) == 1000


def test_network_and_block_io_are_summed() -> None:
    s = parse_stats({"networks": {"eth0": {"rx_bytes": 10, "tx_bytes": 5}, "eth1": {"rx_bytes": 1, "tx_bytes": 1}},
                     "blkio_stats": {"io_service_bytes_recursive": [{"op": "Read", "value": 7}, {"op": "Write", "value": 3}]}})
    assert (s.net_rx, s.net_tx, s.blk_read, s.blk_write) == (11, 6, 7, 3)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


@given(st.dictionaries(st.sampled_from(["cpu_stats", "precpu_stats", "memory_stats", "networks", "blkio_stats", "pids_stats"]), json_values))
def test_odd_payloads_never_raise(payload: dict) -> None:  # type: ignore[type-arg]
    stats = parse_stats(payload, payload)
    assert stats.cpu_percent >= 0 and stats.mem_percent >= 0
