"""Container resource figures from the engine's stats payloads, computed as the docker CLI does.
Pure; missing numbers count as 0 and nothing divides by zero."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Stats:
    cpu_percent: float = 0.0  # of one CPU: 200 means two full cores
    mem_used: int = 0
    mem_limit: int = 0
    net_rx: int = 0
    net_tx: int = 0
    blk_read: int = 0
    blk_write: int = 0
    pids: int = 0
    online_cpus: int = 1  # the cores the container sees

    @property
    def mem_percent(self) -> float:
        return 100.0 * self.mem_used / self.mem_limit if self.mem_limit else 0.0


def _int(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError, OverflowError):
        return 0


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _cpu(stats: Mapping[str, Any]) -> tuple[int, int, int]:
    cpu = _map(stats.get("cpu_stats"))
    usage = _map(cpu.get("cpu_usage"))
    online = _int(cpu.get("online_cpus")) or len(_list(usage.get("percpu_usage"))) or 1
    return _int(usage.get("total_usage")), _int(cpu.get("system_cpu_usage")), online


def cpu_percent(now: Mapping[str, Any], before: Mapping[str, Any] | None = None) -> float:
    """CPU % between two samples (``before`` defaults to the payload's own ``precpu_stats``)."""
    total, system, online = _cpu(now)
    if before is None:
        prev_total, prev_system, _ = _cpu({"cpu_stats": _map(now.get("precpu_stats"))})
    else:
        prev_total, prev_system, _ = _cpu(before)
    d_total, d_system = total - prev_total, system - prev_system
    if d_total <= 0 or d_system <= 0 or not prev_system:
        return 0.0
    return d_total / d_system * online * 100.0


def memory_used(mem: Mapping[str, Any]) -> int:
    """Usage minus the page cache the kernel can drop (cgroup v1 ``cache``/``total_inactive_file``,
    v2 ``inactive_file``), like ``docker stats``."""
    usage = _int(mem.get("usage"))
    inner = _map(mem.get("stats"))
    for key in ("total_inactive_file", "inactive_file"):
        if key in inner and _int(inner[key]) < usage:
            return usage - _int(inner[key])
    return usage


def parse_stats(payload: Mapping[str, Any], before: Mapping[str, Any] | None = None) -> Stats:
    mem = _map(payload.get("memory_stats"))
    rx = tx = 0
    for net in _map(payload.get("networks")).values():
        rx += _int(_map(net).get("rx_bytes"))
        tx += _int(_map(net).get("tx_bytes"))
    read = write = 0
    for entry in _list(_map(payload.get("blkio_stats")).get("io_service_bytes_recursive")):
        entry = _map(entry)
        op = str(entry.get("op", "")).lower()
        if op == "read":
            read += _int(entry.get("value"))
        elif op == "write":
            write += _int(entry.get("value"))
    return Stats(
        cpu_percent=cpu_percent(payload, before),
        mem_used=memory_used(mem),
        mem_limit=_int(mem.get("limit")),
        net_rx=rx,
        net_tx=tx,
        blk_read=read,
        blk_write=write,
        pids=_int(_map(payload.get("pids_stats")).get("current")),
        online_cpus=_cpu(payload)[2],
    )
