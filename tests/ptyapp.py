"""The real app in a real pseudo-terminal: what a person at a terminal would see and type."""

from __future__ import annotations

import os
import signal
import threading
import time

from bench.terminal import spawn, strip_ansi

KEYS = {"tab": "\t", "enter": "\r", "escape": "\x1b", "down": "\x1b[B", "up": "\x1b[A"}


class PtyApp:
    """``dockertui`` on a pty of ``cols`` x ``rows``; ``text_since(mark)`` is the plain text it
    wrote after ``mark`` (escape sequences stripped)."""

    def __init__(self, args: list[str], env: dict[str, str], cols: int = 120, rows: int = 40, program: list[str] | None = None) -> None:
        self.output = bytearray()
        self._lock = threading.Lock()
        self.pid, self.fd = spawn(args, env, cols, rows, program)
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
        return strip_ansi(raw)

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
