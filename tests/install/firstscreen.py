"""Start a program on a pseudo-terminal (120x40, xterm-256color) and end as soon as its first screen
is drawn (a demo container's row is on it): the whole run is the time to the first screen, for
timing starts from outside (`/usr/bin/time`, hyperfine). Standard library only, so the timer
itself costs a bare Python start.

    DOCKER_HOST=unix://... python tests/install/firstscreen.py PROGRAM [ARG ...]
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
import time

MARK = b"demo-web"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78cDEHM]")


def main(argv: list[str]) -> int:
    pid, fd = os.forkpty()
    if pid == 0:
        try:
            env = {**os.environ, "TERM": "xterm-256color"}
            env.pop("COLORTERM", None)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started, seen, out = time.monotonic(), False, b""
    try:
        while time.monotonic() - started < 60:
            if not select.select([fd], [], [], 0.5)[0]:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out = out[-8192:] + chunk
            if MARK in ANSI.sub(b"", out):
                seen = True
                break
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    print(f"{time.monotonic() - started:.3f}" if seen else "no first screen", file=sys.stderr)
    return 0 if seen else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
