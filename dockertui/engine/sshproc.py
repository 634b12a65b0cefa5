"""The ssh children of dockertui: started so they die with us, ended by PID, and a process-wide
registry that ends them all at exit and on SIGHUP/SIGTERM."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import os
import signal
from typing import Any, Protocol

try:
    _PRCTL: Any = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _PRCTL = None


def die_with_parent() -> None:
    """preexec_fn: the kernel sends this child SIGTERM when the thread that started it ends, so
    no ssh of ours outlives dockertui even when it is killed with SIGKILL."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG


class Killable(Protocol):
    def kill_now(self) -> None: ...


_LIVE: set[Killable] = set()


def register(owner: Killable) -> None:
    _LIVE.add(owner)


def unregister(owner: Killable) -> None:
    _LIVE.discard(owner)


def kill_all() -> None:
    """End every registered owner's ssh children and remove their folders (at exit, on a signal)."""
    for owner in list(_LIVE):
        owner.kill_now()


atexit.register(kill_all)


def install_signal_handlers(signals: tuple[int, ...] = (signal.SIGHUP, signal.SIGTERM)) -> None:
    """On these signals: end the ssh children, then do what was done before (by default: die of the
    signal). The CLI installs this; a library user may call :func:`kill_all` itself."""
    for sig in signals:
        previous = signal.getsignal(sig)

        def handler(signum: int, frame: Any, previous: Any = previous) -> None:
            kill_all()
            if callable(previous):
                previous(signum, frame)
                return
            if previous == signal.SIG_IGN:
                return
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

        signal.signal(sig, handler)


class Children:
    """The child processes of one tunnel, by PID."""

    def __init__(self) -> None:
        self.procs: dict[int, asyncio.subprocess.Process] = {}

    async def spawn(self, argv: list[str], stdin: int = asyncio.subprocess.PIPE, output: int = asyncio.subprocess.PIPE) -> asyncio.subprocess.Process:
        proc = await asyncio.create_subprocess_exec(*argv, stdin=stdin, stdout=output, stderr=output, preexec_fn=die_with_parent)
        self.procs[proc.pid] = proc
        return proc

    def forget(self, proc: asyncio.subprocess.Process) -> None:
        self.procs.pop(proc.pid, None)

    async def reap(self, proc: asyncio.subprocess.Process) -> None:
        """End ``proc`` (SIGTERM, then SIGKILL after 2 s) and wait for it."""
        # os.kill, not proc.terminate(): Popen's send_signal polls first, and that poll could reap a
        # child that just exited under asyncio's child watcher (which then logs "Unknown child process").
        # An exited child not yet reaped stays a zombie, so its PID cannot have been reused.
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            try:
                async with asyncio.timeout(2):
                    await proc.wait()
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
                await proc.wait()
        self.forget(proc)

    async def run(self, argv: list[str], timeout: float, data: bytes | None = None) -> tuple[int | None, bytes, str]:
        """Run to the end (or ``timeout``): exit status, stdout, stderr."""
        proc = await self.spawn(argv, stdin=asyncio.subprocess.PIPE if data is not None else asyncio.subprocess.DEVNULL)
        err: bytes | str
        try:
            async with asyncio.timeout(timeout):
                out, err = await proc.communicate(data)
        except TimeoutError:
            out, err = b"", "timed out"
        finally:
            await self.reap(proc)
        return proc.returncode, out, err.decode("utf-8", "replace") if isinstance(err, bytes) else err

    def kill_now(self) -> None:
        """Synchronous (for signal handlers and atexit): SIGTERM every live child."""
        for pid, proc in list(self.procs.items()):
            if proc.returncode is None:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
        self.procs.clear()
