"""Fixed scales for the stats sparklines (model/scales.py)."""

from dockertui.model.scales import BARS, Limits, bars, binary_size, cpu_scale, level, memory_scale, parse_limits


def test_limits_from_inspect() -> None:
    assert parse_limits({"HostConfig": {"NanoCpus": 1_500_000_000, "Memory": 512 * 1024**2}}) == Limits(1.5, 512 * 1024**2)
    assert parse_limits({"HostConfig": {"CpuQuota": 50_000, "CpuPeriod": 100_000}}) == Limits(0.5, 0)
    assert parse_limits({"HostConfig": {"NanoCpus": 0, "CpuQuota": -1, "Memory": None}}) == Limits()
    assert parse_limits({"HostConfig": "odd"}) == Limits() and parse_limits({}) == Limits()


def test_cpu_scale_is_the_limit_or_the_cores() -> None:
    assert cpu_scale(Limits(), 2).top == 200 and cpu_scale(Limits(), 2).label == "CPU 0–200 % (2 cores)"
    assert cpu_scale(Limits(), 0).label == "CPU 0–100 % (1 core)"
    limited = cpu_scale(Limits(cpus=1.5), 8)
    assert limited.top == 150 and limited.label == "CPU 0–150 % (limit 1.5 cores)"


def test_memory_scale_in_binary_units() -> None:
    assert memory_scale(Limits(memory=512 * 1024**2), 8 * 1024**3).label == "Mem 0–512 MiB"
    host = memory_scale(Limits(), int(7.5 * 1024**3))
    assert host.top == 7.5 * 1024**3 and host.label == "Mem 0–7.5 GiB (host)"
    assert memory_scale(Limits(), 0).top == 0
    assert [binary_size(n) for n in (0, 1023, 1024, 1536 * 1024, 300 * 1024**2)] == ["0 B", "1023 B", "1 KiB", "1.5 MiB", "300 MiB"]


def test_a_small_value_is_a_low_bar_never_a_full_one() -> None:
    assert level(0.1, 200) == 0 and level(0, 200) == 0
    assert level(200, 200) == len(BARS) - 1 and level(999, 200) == len(BARS) - 1
    assert level(100, 200) == 3
    assert bars([0.1, 0.1, 0.1], 200, 3) == "▁▁▁", "a steady 0.1 % is flat at the bottom"
    assert bars([0.1, 50, 100, 200], 200, 6) == "  ▁▂▄█"
    assert bars(list(range(100)), 100, 4)[-1] == "█" and len(bars(list(range(100)), 100, 4)) == 4
    assert level(1, 0) == 0 and bars([1.0], 0, 0) == ""
