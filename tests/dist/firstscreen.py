"""Start a program on a pseudo-terminal (120x40, xterm-256color) and end as soon as its first screen
is drawn (a demo container's row is on it): the whole run is the time to the first screen, for
timing starts from outside (`/usr/bin/time`, hyperfine).

    DOCKER_HOST=unix://... python -m tests.dist.firstscreen PROGRAM [ARG ...]
"""

from __future__ import annotations

import os
import signal
import sys
import time

from tests.dist.conftest import ProgramPty

MARK = "demo-web"


def main(argv: list[str]) -> int:
    app = ProgramPty(argv, dict(os.environ))
    started = time.monotonic()
    try:
        app.wait_for(MARK, timeout=60)
    finally:
        os.kill(app.pid, signal.SIGKILL)
        os.waitpid(app.pid, 0)
        app.returncode = -9
        app.close()
    print(f"{time.monotonic() - started:.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
