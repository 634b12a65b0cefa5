"""``ssh://`` engines through the user's own ``ssh``, so their whole ssh config applies.

One master per engine (``ssh -M -N -S <dir>/cm``), a child of ours. A relay on a unix socket in a
private 0700 folder: every connection accepted there runs ``ssh -S <cm> -T host docker system
dial-stdio`` through the master (a channel, not a new handshake) and pumps bytes both ways; aiodocker
talks to the relay with ``unix://``. When the remote has no docker CLI, the remote engine socket is
forwarded over the same master instead (``ssh -O forward -L``). Every ssh child dies with us: they
are killed by PID on close, at exit and on SIGHUP/SIGTERM, and the kernel sends them SIGTERM if we
die without a chance to (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import os
import shlex
import shutil
import signal
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from .endpoint import SshTarget
from .errors import EngineError
from .sshfail import (
    channel_failure,
    forward_failure,
    forward_reason,
    is_missing_cli,
    last_line,
    master_failure,
)

# sshd's default MaxSessions is 10 per connection; stay under it (the probe and a spare need room).
CHANNELS = 8
SPARES = 2  # channels started ahead, so a new connection rarely waits for the remote CLI to start
ALIVE_INTERVAL = 15  # ServerAliveInterval when the user's config sets none
FALLBACK_SOCKETS = ("/var/run/docker.sock", "/run/podman/podman.sock")
PING = b"GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"

# The app's hook to let ssh talk to the user: called with a coroutine function that opens the master
# on the real terminal; it must run it with the terminal handed over (App.suspend) and return its result.
Prompt = Callable[[Callable[[], Awaitable[bool]]], Awaitable[bool]]

_LIVE: set[SshTunnel] = set()


def kill_all() -> None:
    """Kill every ssh child of every tunnel and remove their folders (at exit, on a signal)."""
    for tunnel in list(_LIVE):
        tunnel.kill_now()


atexit.register(kill_all)


def install_signal_handlers(signals: tuple[int, ...] = (signal.SIGHUP, signal.SIGTERM)) -> None:
    """On these signals: kill the tunnels' children, then do what was done before (by default: die
    of the signal). The CLI installs this; a library user may call :func:`kill_all` itself."""
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


try:
    _PRCTL: Any = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _PRCTL = None


def _die_with_parent() -> None:
    """preexec_fn: the kernel sends this child SIGTERM when the thread that started it ends, so
    no ssh of ours outlives dockertui even when it is killed with SIGKILL."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG


class SshTunnel:
    """The way to one ``ssh://`` engine; :meth:`start` gives the ``unix://`` URL aiodocker should use."""

    def __init__(
        self,
        target: SshTarget,
        config: str | None = None,
        options: tuple[str, ...] = (),
        connect_timeout: float = 10.0,
    ) -> None:
        self.target = target
        self.config = config
        self.options = options
        self.connect_timeout = connect_timeout
        self.dir: Path | None = None
        self.via = ""  # how the engine is reached, for the user
        self.socket_path = ""  # the local unix socket aiodocker connects to
        self.limit: int | None = None  # connections aiohttp may open at once (the relay's channels)
        self.effective: dict[str, str] = {}
        self.last_error: EngineError | None = None
        self._master: asyncio.subprocess.Process | None = None
        self._children: dict[int, asyncio.subprocess.Process] = {}
        self._server: asyncio.AbstractServer | None = None
        self._gate = asyncio.Semaphore(CHANNELS)
        self._tasks: set[asyncio.Task[None]] = set()
        self._spares: list[asyncio.subprocess.Process] = []
        self._spawning = 0
        self._spawn_tasks: set[asyncio.Future[None]] = set()
        self._active = 0
        self._closing = False

    # -- argument lists ---------------------------------------------------------------------------

    @property
    def control(self) -> str:
        assert self.dir is not None
        return str(self.dir / "cm")

    @property
    def log(self) -> Path:
        assert self.dir is not None
        return self.dir / "master.log"

    def _common(self) -> list[str]:
        args = ["ssh"]
        if self.config:
            args += ["-F", self.config]
        for option in self.options:
            args += ["-o", option]
        # Never run the user's RemoteCommand/LocalCommand or X11 for our connections.
        args += ["-o", "RemoteCommand=none", "-o", "PermitLocalCommand=no", "-o", "ForwardX11=no"]
        return args

    def _dest(self) -> list[str]:
        args: list[str] = []
        if self.target.user:
            args += ["-l", self.target.user]
        if self.target.port:
            args += ["-p", str(self.target.port)]
        return [*args, "--", self.target.host]

    def master_argv(self, batch: bool) -> list[str]:
        args = self._common()
        if self.effective.get("connecttimeout", "none") == "none":
            args += ["-o", f"ConnectTimeout={max(1, round(self.connect_timeout))}"]
        if self.effective.get("serveraliveinterval", "0") == "0":
            args += ["-o", f"ServerAliveInterval={ALIVE_INTERVAL}"]
        if batch:
            args += ["-o", "BatchMode=yes"]
        # ClearAllForwardings: the user's LocalForward/RemoteForward for this host stay theirs.
        args += ["-o", "ControlPersist=no", "-o", "ClearAllForwardings=yes", "-E", str(self.log), "-M", "-N", "-S", self.control]
        return args + self._dest()

    def channel_argv(self) -> list[str]:
        remote = ["docker"]
        if self.target.socket:
            remote += ["--host", shlex.quote(f"unix://{self.target.socket}")]
        remote += ["system", "dial-stdio"]
        return [*self._common(), "-o", "BatchMode=yes", "-S", self.control, "-o", "ControlMaster=no", "-T", "-x",
                *self._dest(), *remote]

    def control_argv(self, *command: str) -> list[str]:
        return [*self._common(), "-o", "BatchMode=yes", "-S", self.control, *command, *self._dest()]

    # -- start --------------------------------------------------------------------------------------

    async def start(self, prompt: Prompt | None = None) -> str:
        """Open the master (asking the user through ``prompt`` when ssh needs them), find the way to
        the engine, start the relay. Returns the ``unix://`` URL. Raises :class:`EngineError`."""
        if shutil.which("ssh") is None:
            raise EngineError("There is no ssh client on this machine.",
                              "Install OpenSSH's client (Debian: apt-get install openssh-client).", kind="ssh")
        self.dir = Path(tempfile.mkdtemp(prefix="dockertui-ssh-", dir="/tmp" if os.path.isdir("/tmp") else None))
        os.chmod(self.dir, 0o700)
        _LIVE.add(self)
        try:
            await self._read_effective()
            await self._open_master(prompt)
            self._refill()  # the spares start while the probe runs
            if not await self._via_dial_stdio():
                await self._drop_spares()
                await self._via_forward()
        except BaseException:
            await self.close()
            raise
        return f"unix://{self.socket_path}"

    async def _run(self, argv: list[str], timeout: float, data: bytes | None = None) -> tuple[int | None, bytes, str]:
        proc = await self._spawn(argv, stdin=asyncio.subprocess.PIPE if data is not None else asyncio.subprocess.DEVNULL)
        try:
            async with asyncio.timeout(timeout):
                out, err = await proc.communicate(data)
        except TimeoutError:
            out, err = b"", "timed out"
        finally:
            await self._reap(proc)
        return proc.returncode, out, err.decode("utf-8", "replace") if isinstance(err, bytes) else err

    async def _spawn(self, argv: list[str], stdin: int = asyncio.subprocess.PIPE) -> asyncio.subprocess.Process:
        proc = await asyncio.create_subprocess_exec(
            *argv, stdin=stdin, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, preexec_fn=_die_with_parent
        )
        self._children[proc.pid] = proc
        return proc

    async def _reap(self, proc: asyncio.subprocess.Process) -> None:
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
        self._children.pop(proc.pid, None)

    async def _read_effective(self) -> None:
        """What the user's ssh config says for this host (``ssh -G``: no network)."""
        rc, out, err = await self._run([*self._common(), "-G", *self._dest()], timeout=10)
        if rc != 0:
            raise EngineError(f"ssh rejects its configuration: {last_line(err) or 'exit ' + str(rc)}.",
                              "Fix the ssh config file or the --ssh-option given.", kind="ssh")
        for line in out.decode("utf-8", "replace").splitlines():
            key, _, value = line.partition(" ")
            self.effective.setdefault(key.lower(), value.strip())

    async def _open_master(self, prompt: Prompt | None) -> None:
        user_batch = self.effective.get("batchmode", "no") == "yes"
        log = await self._master_attempt(batch=True)
        if log is None:
            return
        failure = master_failure(self.target, log, batch=True)
        may_ask = prompt is not None and not user_batch and failure.kind in ("ssh-auth", "ssh-hostkey")
        if may_ask and "has changed" not in failure.message:
            asked: list[str | None] = []

            async def run() -> bool:
                print(f"dockertui: connecting to {self.target.display} with ssh; answer its questions, "
                      "the dashboard comes back after.", flush=True)
                asked.append(await self._master_attempt(batch=False, interactive=True))
                return asked[-1] is None

            try:
                ok = await prompt(run)  # type: ignore[misc]
            except EngineError:
                raise
            except Exception:  # noqa: BLE001 - no terminal to hand over (headless): the batch answer stands
                ok = False
            if ok:
                return
            if asked and asked[-1] is not None:
                failure = master_failure(self.target, asked[-1], batch=False)
        self.last_error = failure
        raise failure

    async def _master_attempt(self, batch: bool, interactive: bool = False) -> str | None:
        """Start the master; None once its control socket is up, else what it logged."""
        assert self.dir is not None
        with contextlib.suppress(FileNotFoundError):
            self.log.unlink()
        devnull = asyncio.subprocess.DEVNULL
        proc = await asyncio.create_subprocess_exec(
            *self.master_argv(batch), stdin=devnull, stdout=devnull, stderr=devnull, preexec_fn=_die_with_parent
        )
        self._children[proc.pid] = proc
        deadline = None if interactive else time.monotonic() + self.connect_timeout + 5
        while True:
            if os.path.exists(self.control):
                self._master = proc
                return None
            if proc.returncode is not None:
                break
            if deadline is not None and time.monotonic() > deadline:
                await self._reap(proc)
                return self._read_log() or "Connection timed out (no answer while opening the ssh connection)"
            try:
                async with asyncio.timeout(0.02):
                    await proc.wait()
            except TimeoutError:
                pass
        self._children.pop(proc.pid, None)
        return self._read_log() or f"ssh exited with status {proc.returncode}"

    def _read_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def master_alive(self) -> bool:
        return self._master is not None and self._master.returncode is None

    async def _via_dial_stdio(self) -> bool:
        """Probe ``docker system dial-stdio`` on the remote; start the relay when it answers. False
        when the remote has no docker CLI (the caller falls back to forwarding the socket)."""
        rc, out, err = await self._run(self.channel_argv(), timeout=self.connect_timeout + 5, data=PING)
        if out.startswith(b"HTTP/"):
            assert self.dir is not None
            self.socket_path = str(self.dir / "docker.sock")
            self._server = await asyncio.start_unix_server(self._serve, path=self.socket_path)
            os.chmod(self.socket_path, 0o600)
            self.limit = CHANNELS
            self.via = "ssh, 'docker system dial-stdio' on the remote"
            return True
        if not self.master_alive():
            raise master_failure(self.target, self._read_log(), batch=True)
        if is_missing_cli(rc, err) and not out:
            return False
        raise channel_failure(self.target, rc, out, err, self.target.socket)

    async def _via_forward(self) -> None:
        """No docker CLI on the remote: forward its engine socket over the master."""
        assert self.dir is not None
        candidates = [self.target.socket] if self.target.socket else list(FALLBACK_SOCKETS)
        tried: list[tuple[str, str]] = []
        for number, remote in enumerate(candidates):
            local = str(self.dir / f"fwd{number}.sock")
            rc, _, err = await self._run(self.control_argv("-O", "forward", "-L", f"{local}:{remote}"), timeout=10)
            if rc != 0:
                tried.append((remote, last_line(err) or f"exit {rc}"))
                continue
            answer = await _ping_unix(local, self.connect_timeout)
            if answer.startswith(b"HTTP/"):
                self.socket_path = local
                self.via = f"ssh, the remote socket {remote} forwarded (no docker CLI on the remote)"
                return
            tried.append((remote, forward_reason(self._read_log())))
            await self._run(self.control_argv("-O", "cancel", "-L", f"{local}:{remote}"), timeout=10)
        raise forward_failure(self.target, tried)

    # -- the relay ---------------------------------------------------------------------------------

    def _refill(self) -> None:
        """Keep up to SPARES channels started ahead, all channels together under sshd's MaxSessions."""
        while (not self._closing and self.master_alive() and len(self._spares) + self._spawning < SPARES
               and self._active + len(self._spares) + self._spawning < CHANNELS + 1):
            self._spawning += 1
            task = asyncio.ensure_future(self._spawn_spare())
            self._spawn_tasks.add(task)
            task.add_done_callback(self._spawn_tasks.discard)

    async def _spawn_spare(self) -> None:
        try:
            proc = await self._spawn(self.channel_argv())
        except OSError:
            return
        finally:
            self._spawning -= 1
        if self._closing:
            await self._reap(proc)
        else:
            self._spares.append(proc)

    async def _take_channel(self) -> asyncio.subprocess.Process:
        while self._spares:
            proc = self._spares.pop(0)
            if proc.returncode is None:
                return proc
            await self._reap(proc)
        return await self._spawn(self.channel_argv())

    async def _drop_spares(self) -> None:
        self._closing = True
        if self._spawn_tasks:
            await asyncio.wait(list(self._spawn_tasks), timeout=5)
        spares, self._spares = self._spares, []
        for proc in spares:
            await self._reap(proc)
        self._closing = False

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)  # type: ignore[arg-type]
        try:
            async with self._gate:
                if not self.master_alive():
                    self.last_error = self.dropped()
                    return
                self._active += 1
                try:
                    proc = await self._take_channel()
                    self._refill()
                    try:
                        await self._pump(reader, writer, proc)
                    finally:
                        await self._reap(proc)
                finally:
                    self._active -= 1
                    self._refill()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()
            if task is not None:
                self._tasks.discard(task)  # type: ignore[arg-type]

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdin and proc.stdout and proc.stderr
        stdin, stdout, stderr = proc.stdin, proc.stdout, proc.stderr
        received = 0

        async def up() -> None:
            try:
                while data := await reader.read(65536):
                    stdin.write(data)
                    await stdin.drain()
            except (OSError, ConnectionError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    stdin.close()

        async def down() -> None:
            nonlocal received
            try:
                while data := await stdout.read(65536):
                    received += len(data)
                    writer.write(data)
                    await writer.drain()
            except (OSError, ConnectionError):
                pass

        errors = asyncio.ensure_future(stderr.read(4096))
        sending = asyncio.ensure_future(up())
        try:
            await down()
        finally:
            sending.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sending
        if received:
            self.last_error = None
        else:
            await self._reap(proc)
            with contextlib.suppress(TimeoutError, OSError):
                async with asyncio.timeout(1):
                    text = (await errors).decode("utf-8", "replace")
                    if text.strip():
                        self.last_error = channel_failure(self.target, proc.returncode, b"", text, self.target.socket)
        if not errors.done():
            errors.cancel()

    def dropped(self) -> EngineError:
        """The master is gone: why, from its log."""
        return EngineError(
            f"The ssh connection to {self.target.display} is gone ({last_line(self._read_log()) or 'the ssh master exited'}).",
            "Check the network path to the host; dockertui connects again on retry.",
            kind="unreachable",
        )

    def explain(self) -> EngineError | None:
        """Why a connection through the tunnel failed, when the tunnel knows better than aiohttp."""
        if self._master is not None and not self.master_alive():
            return self.dropped()
        return self.last_error

    # -- the end ------------------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop the relay, end every ssh child (the master last), remove the folder."""
        self._closing = True
        if self._server is not None:
            self._server.close()
            self._server = None
        serving = list(self._tasks)
        for task in serving:
            task.cancel()
        if serving:  # each reaps its own channel on the way out
            await asyncio.wait(serving, timeout=5)
        if self._spawn_tasks:  # not cancelled: a child forked half-way would go unrecorded
            await asyncio.wait(list(self._spawn_tasks), timeout=5)
        for proc in list(self._children.values()):
            if proc is not self._master:
                await self._reap(proc)
        if self._master is not None:
            await self._reap(self._master)
            self._master = None
        self.kill_now()

    def kill_now(self) -> None:
        """Synchronous and signal-safe enough: SIGTERM every child by PID, remove the folder."""
        for pid, proc in list(self._children.items()):
            if proc.returncode is None:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
        self._children.clear()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        _LIVE.discard(self)


async def _ping_unix(path: str, timeout: float) -> bytes:
    """The first bytes of /_ping's answer on a unix socket ("" when the connection just closes)."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_unix_connection(path)
            try:
                writer.write(PING)
                await writer.drain()
                return await reader.read(64)
            finally:
                writer.close()
    except (OSError, TimeoutError):
        return b""
