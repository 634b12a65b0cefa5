"""The real app in a real pseudo-terminal: what a person at a terminal would see and type."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78cDEHM]")
KEYS = {"tab": "\t", "enter": "\r", "escape": "\x1b", "down": "\x1b[B", "up": "\x1b[A"}


class PtyApp:
    """``dockertui`` on a pty of ``cols`` x ``rows``; ``text_since(mark)`` is the plain text it
    wrote after ``mark`` (escape sequences stripped)."""

    def __init__(self, args: list[str], env: dict[str, str], cols: int = 120, rows: int = 40) -> None:
        self.output = bytearray()
        self._lock = threading.Lock()
        pid, fd = os.forkpty()
        if pid == 0:  # the child: the app
            try:
                os.execve(str(ROOT / ".venv" / "bin" / "dockertui"), ["dockertui", *args], {**os.environ, **env, "TERM": "xterm-256color"})
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.returncode: int | None = None

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk

    def mark(self) -> int:
        with self._lock:
            return len(self.output)

    def text_since(self, mark: int = 0) -> str:
        with self._lock:
            raw = bytes(self.output[mark:])
        return ANSI.sub(b"", raw).decode("utf-8", "replace")

    def wait_for(self, text: str, since: int = 0, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text_since(since):
            if time.monotonic() > deadline:
                tail = self.text_since(since)[-1500:]
                raise AssertionError(f"timed out after {timeout}s waiting for {text!r}; the screen said:\n{tail}")
            time.sleep(0.05)

    def type(self, *keys: str, pause: float = 0.15) -> None:
        for key in keys:
            os.write(self.fd, KEYS.get(key, key).encode())
            time.sleep(pause)

    def wait_exit(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
                return self.returncode
            time.sleep(0.05)
        raise AssertionError("the app did not exit")

    def close(self) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
                self.wait_exit(5)
            except (ProcessLookupError, AssertionError, ChildProcessError):
                pass
        os.close(self.fd)
