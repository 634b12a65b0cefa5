"""Key-to-view and quit: what a person waits for once the dashboard is up. The real app on an
80x24 pseudo-terminal (the size the slow figures were reported at): ``R`` (the run form), ``N``
(networks) and ``E`` (events, after a burst of engine events so the journal has rows), each timed
from the key to the view drawn WITH its content (the form's defaults, the list's count, the rows'
count); the first opening (cold: its code imported then), the median of the next ones, and the
median while the host is busy (a container started and killed every 200 ms). Then ``q``: from
the key to the process's exit, after that busy session and from fresh quiet starts."""

from __future__ import annotations

import os
import statistics
import threading
import time
from typing import Any

import docker

from .terminal import Terminal

# key, what is drawn once the view has its content, the figure's name
VIEWS = [
    ("R", "Run a container from", "view_run"),  # the run form (drawn once the image's defaults are read)
    ("N", " networks, ", "view_networks"),     # "N networks, M unused": the list fetched and drawn
    ("E", " of the last ", "view_events"),  # "N lines of the last M events": the journal's rows drawn
]
BACK = "\x1b"


def _settle(term: Terminal, seconds: float = 0.6) -> None:
    """Wait until the terminal has been quiet for ``seconds`` (at most 5 s)."""
    deadline = time.monotonic() + 5
    last = term.bytes
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if term.bytes != last:
            last, quiet_since = term.bytes, time.monotonic()
        elif time.monotonic() - quiet_since >= seconds:
            return


def _open(term: Terminal, key: str, needle: str) -> float | None:
    term.watch(needle)
    t0 = time.time()
    term.press(key)
    seen = term.seen(needle, 15)
    return None if seen is None else seen - t0


def quit_time(term: Terminal, timeout: float = 15.0, settle: bool = True) -> float | None:
    """``q``, then the seconds until the process is gone (None: killed after ``timeout``)."""
    if settle:
        _settle(term, 0.3)
    t0 = time.monotonic()
    term.press("q")
    while time.monotonic() - t0 < timeout:
        pid, _ = os.waitpid(term.pid, os.WNOHANG)
        if pid:
            os.close(term.fd)
            return time.monotonic() - t0
        time.sleep(0.005)
    os.kill(term.pid, 9)
    os.waitpid(term.pid, 0)
    os.close(term.fd)
    return None


def _burst(client: docker.DockerClient, cycles: int, parallel: int = 4) -> None:
    """Engine events for the journal (a long session's full journal, 1,000 events): ``parallel``
    containers each started and killed ``cycles`` times (3 events a cycle)."""
    import concurrent.futures as cf

    for old in client.containers.list(all=True, filters={"name": "bench-views"}):
        old.remove(force=True)

    def toggle(i: int) -> None:
        c = client.containers.create("bench/base:1", ["sleep", "2147483647"], name=f"bench-views-{i}", labels={"dockertui.bench": "1"},
                                     network_mode="none")
        for _ in range(cycles):
            c.start()
            c.kill()
        c.remove(force=True)

    with cf.ThreadPoolExecutor(parallel) as pool:
        list(pool.map(toggle, range(parallel)))


def _toggle(client: docker.DockerClient, stop: threading.Event) -> None:
    for old in client.containers.list(all=True, filters={"name": "bench-views-busy"}):
        old.remove(force=True)
    c = client.containers.create("bench/base:1", ["sleep", "2147483647"], name="bench-views-busy", labels={"dockertui.bench": "1"},
                                 network_mode="none")
    while not stop.is_set():
        c.start()
        time.sleep(0.1)
        c.kill()
        time.sleep(0.1)
    c.remove(force=True)


def measure_views(client: docker.DockerClient, env: dict[str, str], known: str, repeats: int = 4, quits: int = 3,
                  burst: int = 90) -> dict[str, Any]:
    """``repeats`` openings of each view (quiet), ``repeats - 1`` with events, ``quits`` quits;
    ``burst`` cycles of 4 containers before (the journal's rows)."""
    out: dict[str, Any] = {"views_load_average": [round(os.getloadavg()[0], 2)]}
    term = Terminal(env, cols=80, rows=24)
    term.watch(known)
    if term.seen(known, 60) is None:
        out["views_error"] = "first screen not seen"
        quit_time(term)
        return out
    _burst(client, burst)
    _settle(term)
    term.press("\x1b[Z")  # shift+tab: the table has the focus at start, R runs the tree's image
    _settle(term, 0.3)
    term.press("\x1b[B")  # the tree's cursor from "All images" to the first image: R runs it
    _settle(term, 0.3)
    for key, needle, name in VIEWS:
        times = []
        for _ in range(repeats):
            took = _open(term, key, needle)
            _settle(term, 0.3)
            term.press(BACK)
            _settle(term, 0.3)
            times.append(took)
        out[f"{name}_first_s"] = None if times[0] is None else round(times[0], 3)
        rest = [t for t in times[1:] if t is not None]
        out[f"{name}_s"] = round(statistics.median(rest), 3) if rest else None
    # the same views while the host is busy: a container started and killed every 200 ms
    # (3 events a cycle), as in the CPU-per-event window: the app draws the events meanwhile
    stop = threading.Event()
    toggler = threading.Thread(target=_toggle, args=(client, stop), daemon=True)
    toggler.start()
    time.sleep(1.0)
    for key, needle, name in VIEWS:
        times = []
        for _ in range(repeats - 1):
            times.append(_open(term, key, needle))
            time.sleep(0.4)
            term.press(BACK)
            time.sleep(0.6)
        done = [t for t in times if t is not None]
        out[f"{name}_busy_s"] = round(statistics.median(done), 3) if done else None
    quits_s = [quit_time(term, settle=False)]  # after views were opened, events still flowing
    stop.set()
    toggler.join()
    for _ in range(quits - 1):
        term = Terminal(env, cols=80, rows=24)
        term.watch(known)
        term.seen(known, 60)
        time.sleep(1.5)  # the tree's inspects and the details settle
        quits_s.append(quit_time(term))
    done = [q for q in quits_s if q is not None]
    out["quit_s_samples"] = [None if q is None else round(q, 3) for q in quits_s]
    out["quit_s"] = round(statistics.median(done), 3) if done else None
    out["quit_s_max"] = round(max(done), 3) if done else None
    out["views_load_average"].append(round(os.getloadavg()[0], 2))
    return out
