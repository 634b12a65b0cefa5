"""Fixed scales for the stats view's sparklines: CPU from 0 to 100 % of what the container may
use (its CPU limit, else the cores it sees), memory from 0 to its limit (else the host's memory),
so a bar's height means the same from one sample to the next and 0.1 % is a low bar, never a
full one. Pure."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class Limits:
    """A container's own limits: CPUs (0: none) and memory in bytes (0: none)."""

    cpus: float = 0.0
    memory: int = 0


def _number(value: Any) -> float:
    try:
        number = float(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def parse_limits(inspect: Mapping[str, Any]) -> Limits:
    """From a container's inspect: ``--cpus`` (``NanoCpus``) or ``--cpu-quota``/``--cpu-period``,
    and ``--memory``."""
    host = inspect.get("HostConfig")
    host = host if isinstance(host, Mapping) else {}
    cpus = _number(host.get("NanoCpus")) / 1e9
    quota, period = _number(host.get("CpuQuota")), _number(host.get("CpuPeriod")) or 100_000.0
    if not cpus and quota:
        cpus = quota / period
    return Limits(cpus=cpus, memory=int(_number(host.get("Memory"))))


def binary_size(size: float) -> str:
    """Binary units, as a memory limit is given: 512 MiB, 1.5 GiB, 900 KiB, 12 B."""
    value = max(0.0, float(size))
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            if unit == "B":
                return f"{int(value)} B"
            text = f"{value:.1f}".removesuffix(".0") if value < 100 else f"{value:.0f}"
            return f"{text} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _cores(n: float) -> str:
    text = f"{n:.2f}".rstrip("0").rstrip(".")
    return f"{text} core" + ("" if text == "1" else "s")


@dataclass(frozen=True, slots=True)
class Scale:
    """What a full bar is worth, and the label that says so."""

    top: float
    label: str


def cpu_scale(limits: Limits, online_cpus: int) -> Scale:
    """CPU % as the engine counts it (of one core: 200 is two full cores), up to all the container
    may use."""
    if limits.cpus > 0:
        top = 100.0 * limits.cpus
        return Scale(top, f"CPU 0–{top:g} % (limit {_cores(limits.cpus)})")
    cores = max(1, online_cpus)
    return Scale(100.0 * cores, f"CPU 0–{100 * cores} % ({_cores(cores)})")


def memory_scale(limits: Limits, reported_limit: int) -> Scale:
    """Up to the container's memory limit; without one, the engine reports the host's memory."""
    if limits.memory > 0:
        return Scale(float(limits.memory), f"Mem 0–{binary_size(limits.memory)}")
    if reported_limit > 0:
        return Scale(float(reported_limit), f"Mem 0–{binary_size(reported_limit)} (host)")
    return Scale(0.0, "Mem (no limit known)")


def level(value: float, top: float) -> int:
    """0..7: the bar for ``value`` on a scale up to ``top`` (anything above ``top`` is full; any
    use at all is at least the lowest bar)."""
    if top <= 0 or value <= 0:
        return 0
    fraction = min(1.0, value / top)
    return max(0, min(len(BARS) - 1, math.ceil(fraction * len(BARS)) - 1))


def bars(values: Sequence[float], top: float, width: int) -> str:
    """The last ``width`` values as bars on the fixed scale, newest on the right; blank where
    there is no sample yet."""
    if width <= 0:
        return ""
    recent = list(values)[-width:]
    return " " * (width - len(recent)) + "".join(BARS[level(v, top)] for v in recent)
