"""The real app in a real terminal: ``dockertui`` on a pseudo-terminal (120x40, xterm-256color,
mouse off), talking to the engine through a counting relay. Measures what a person feels and
what the host pays: first screen, idle CPU and terminal bytes, CPU per engine event, event-to-
screen latency, memory, API requests, and the engine's own CPU."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import statistics
import struct
import termios
import threading
import time
from pathlib import Path
from typing import Any

import docker

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78cDEHM]")
TICK = os.sysconf("SC_CLK_TCK")


def strip_ansi(data: bytes) -> str:
    return ANSI.sub(b"", data).decode("utf-8", "replace")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process and its waited-for children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / TICK


def tree_cpu(pid: int) -> float:
    """A daemon and its children (dockerd + containerd)."""
    total = cpu_seconds(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(cpu_seconds(int(c)) for c in children if "containerd" in _cmd(int(c)) and "shim" not in _cmd(int(c)))


def _cmd(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MiB."""
    values = {}
    try:
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = row.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def spawn(args: list[str], env: dict[str, str], cols: int, rows: int, program: list[str] | None = None) -> tuple[int, int]:
    """``dockertui args`` on a new pseudo-terminal of ``cols`` x ``rows``: (pid, master fd).
    ``program``: another command line to start it with (e.g. a Python and ``-m dockertui``)."""
    pid, fd = os.forkpty()
    if pid == 0:  # the child: the app
        try:
            full = {**os.environ, "TERM": "xterm-256color", **env}
            if not (full.get("LC_ALL") or full.get("LANG")):
                full["LANG"] = "C.UTF-8"  # a UTF-8 terminal unless the caller says otherwise
            full.pop("COLORTERM", None)  # as over SSH
            command = program or [str(ROOT / ".venv" / "bin" / "dockertui")]
            os.execve(command[0], [*command, *args], full)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


class Terminal:
    """``dockertui`` on a pty; the reader thread notes when watched text first appears."""

    def __init__(self, env: dict[str, str], cols: int = 120, rows: int = 40, args: list[str] | None = None) -> None:
        self.bytes = 0
        self._window = bytearray()
        self._watches: dict[str, float | None] = {}
        self._lock = threading.Lock()
        self.started = time.time()
        self.pid, self.fd = spawn(args or [], env, cols, rows)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.time()  # wall clock: comparable with the engine's event times
            with self._lock:
                self.bytes += len(chunk)
                self._window += chunk
                del self._window[:-200_000]
                pending = [k for k, v in self._watches.items() if v is None]
                if pending:
                    text = strip_ansi(bytes(self._window[-(len(chunk) + 4096):]))
                    for needle in pending:
                        if needle in text:
                            self._watches[needle] = now

    def watch(self, needle: str) -> None:
        with self._lock:
            self._watches[needle] = None
            self._window.clear()

    def seen(self, needle: str, timeout: float) -> float | None:
        """When ``needle`` appeared (wall clock), waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                when = self._watches.get(needle)
            if when is not None:
                return when
            time.sleep(0.005)
        return None

    def press(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def quit(self) -> None:
        self.press("q")
        for _ in range(100):
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def first_running_name(client: docker.DockerClient) -> str:
    names = sorted(c.name for c in client.containers.list(filters={"status": "running"}))
    return names[0]


def measure(client: docker.DockerClient, relay: Any, engine_pid: int, cache: Path, window: float, samples: int) -> dict[str, Any]:
    """Every terminal figure, in one run of about 3 windows plus the latency samples."""
    out: dict[str, Any] = {}
    known = first_running_name(client)
    env = {"DOCKER_HOST": f"unix://{relay.listen}", "DOCKERTUI_CACHE_DIR": str(cache), "DOCKERTUI_CONFIG": str(cache / "none.toml")}

    # the engine alone, no app: its idle CPU baseline
    before = tree_cpu(engine_pid)
    time.sleep(window)
    out["engine_idle_cpu_s_no_app"] = round(tree_cpu(engine_pid) - before, 3)

    # cold start
    requests_before = relay.count()
    term = Terminal(env)
    term.watch(known)
    seen = term.seen(known, 60)
    out["first_screen_s"] = round(seen - term.started, 3) if seen else None  # from the fork, so including Python's start
    time.sleep(2)  # let the tree and the details settle
    startup = relay.requests()[requests_before:]
    out["startup_requests"] = len(startup)
    out["startup_inspects"] = sum(1 for m, p in startup if re.search(r"/images/[^/]+/json", p))

    # idle
    cpu0, bytes0, req0, eng0 = cpu_seconds(term.pid), term.bytes, relay.count(), tree_cpu(engine_pid)
    rss_at_20 = None
    t_idle = time.monotonic()
    while time.monotonic() - t_idle < window:
        if rss_at_20 is None and time.monotonic() - term.started >= 20:
            rss_at_20 = memory(term.pid)[0]
        time.sleep(0.25)
    out["idle_cpu_s"] = round(cpu_seconds(term.pid) - cpu0, 3)
    out["idle_bytes"] = term.bytes - bytes0
    out["idle_requests"] = relay.count() - req0
    out["engine_idle_cpu_s_with_app"] = round(tree_cpu(engine_pid) - eng0, 3)
    out["rss_mib_20s"] = round(rss_at_20 or memory(term.pid)[0], 1)

    # a container started and stopped every 200 ms
    for old in client.containers.list(all=True, filters={"name": "bench-toggle"}):
        old.remove(force=True)
    toggler = client.containers.run("bench/base:1", ["sleep", "2147483647"], detach=True, name="bench-toggle", labels={"dockertui.bench": "1"},
                                    network_mode="none")
    toggler.kill()
    counted: list[int] = []
    stop = threading.Event()

    def count_events() -> None:
        stream = client.events(decode=True, filters={"container": toggler.id})
        for _ in stream:
            counted.append(1)
            if stop.is_set():
                break
        stream.close()

    counter = threading.Thread(target=count_events, daemon=True)
    counter.start()
    time.sleep(0.5)
    cpu0, bytes0 = cpu_seconds(term.pid), term.bytes
    t0 = time.monotonic()
    while time.monotonic() - t0 < window:  # one start and one stop every 200 ms
        toggler.start()
        time.sleep(0.1)
        toggler.kill()
        time.sleep(0.1)
    time.sleep(0.5)
    events = len(counted)
    busy_cpu = cpu_seconds(term.pid) - cpu0
    stop.set()
    out["toggle_events"] = events
    out["cpu_ms_per_event"] = round(1000 * busy_cpu / events, 2) if events else None
    out["toggle_bytes_per_event"] = round((term.bytes - bytes0) / events) if events else None
    toggler.remove(force=True)

    # event-to-screen latency: a container with a fresh name, first among running ones
    # (from the engine's own time of the event that made it visible: create on a small host,
    # start on a big one, where created rows sort below the screen)
    latencies = []
    for i in range(samples):
        name = f"aaa-lat-{os.getpid() % 1000:03d}-{i:03d}"
        term.watch(name)
        since = time.time() - 1
        c = client.containers.create("bench/base:1", ["sleep", "2147483647"], name=name, labels={"dockertui.bench": "1"}, network_mode="none")
        c.start()
        seen = term.seen(name, 5)
        if seen is not None:
            stream = client.events(since=since, until=time.time() + 0.5, decode=True, filters={"container": c.id})
            times = [e["timeNano"] / 1e9 for e in stream if e.get("Action") in ("create", "start")]
            before = [t for t in times if t <= seen]
            if before:
                latencies.append(seen - max(before))
        c.remove(force=True)
        time.sleep(0.15)
    out["latency_samples"] = len(latencies)
    if latencies:
        out["latency_ms_median"] = round(1000 * statistics.median(latencies), 1)
        out["latency_ms_p99"] = round(1000 * percentile(latencies, 99), 1)
    out["rss_mib_peak"] = round(memory(term.pid)[1], 1)
    term.quit()

    # warm start: the same cache, so no image inspect
    requests_before = relay.count()
    term = Terminal(env)
    term.watch(known)
    seen = term.seen(known, 60)
    out["first_screen_warm_s"] = round(seen - term.started, 3) if seen else None
    time.sleep(1)
    warm = relay.requests()[requests_before:]
    out["warm_startup_inspects"] = sum(1 for m, p in warm if re.search(r"/images/[^/]+/json", p))
    term.quit()
    return out
