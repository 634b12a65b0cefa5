"""Whether the controlling terminal is still there when a signal arrives, and how to stop writing
to it when it is not (a dropped SSH session hangs the terminal up: writes would fail or block)."""

from __future__ import annotations

import os
import select
import sys


def _fds() -> list[int]:
    fds = []
    for stream in (sys.__stdin__, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None and os.isatty(stream.fileno()):
                fds.append(stream.fileno())
        except (OSError, ValueError):
            continue
    return fds


def terminal_alive() -> bool:
    """False when the terminal has hung up (poll reports POLLHUP/POLLERR/POLLNVAL on it)."""
    fds = _fds()
    if not fds:
        return False
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLOUT)
    try:
        events = poller.poll(0)
    except OSError:
        return False
    return not any(flags & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, flags in events)


def silence_terminal() -> None:
    """Point the standard streams at /dev/null, so closing down writes nothing anywhere."""
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (sys.__stdin__, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                os.dup2(null, stream.fileno())
        except (OSError, ValueError):
            continue
    os.close(null)
