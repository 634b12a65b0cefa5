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
import contextlib
import os
import shlex
import shutil
import signal
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

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
from .sshproc import Children, install_signal_handlers, kill_all, register, unregister
from .sshrelay import CHANNELS, SPARES, Relay

__all__ = ["CHANNELS", "PING", "SPARES", "Prompt", "SshTunnel", "install_signal_handlers", "kill_all"]

ALIVE_INTERVAL = 15  # ServerAliveInterval when the user's config sets none
FALLBACK_SOCKETS = ("/var/run/docker.sock", "/run/podman/podman.sock")
PING = b"GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"

# The app's hook to let ssh talk to the user: called with a coroutine function that opens the master
# on the real terminal; it must run it with the terminal handed over (App.suspend) and return its result.
Prompt = Callable[[Callable[[], Awaitable[bool]]], Awaitable[bool]]


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
        self.children = Children()
        self.relay = Relay(
            self.children, self.channel_argv, self.master_alive,
            lambda rc, err: channel_failure(self.target, rc, b"", err, self.target.socket), self.dropped,
        )

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
        register(self)
        try:
            await self._read_effective()
            await self._open_master(prompt)
            self.relay.refill()  # the spares start while the probe runs
            if not await self._via_dial_stdio():
                await self.relay.drop_spares()
                await self._via_forward()
        except BaseException:
            await self.close()
            raise
        return f"unix://{self.socket_path}"

    async def _read_effective(self) -> None:
        """What the user's ssh config says for this host (``ssh -G``: no network)."""
        rc, out, err = await self.children.run([*self._common(), "-G", *self._dest()], timeout=10)
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
                      "the dashboard comes back after (ctrl+c gives up).", flush=True)
                # ctrl+c at ssh's question ends ssh (it is in the terminal's foreground group too), not us;
                # a Python handler, not SIG_IGN, so ssh itself keeps the default.
                try:
                    previous = signal.signal(signal.SIGINT, lambda *_: None)
                except ValueError:  # not the main thread
                    previous = None
                try:
                    asked.append(await self._master_attempt(batch=False, interactive=True))
                finally:
                    if previous is not None:
                        signal.signal(signal.SIGINT, previous)
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
        proc = await self.children.spawn(self.master_argv(batch), stdin=devnull, output=devnull)
        deadline = None if interactive else time.monotonic() + self.connect_timeout + 5
        while True:
            if os.path.exists(self.control):
                self._master = proc
                return None
            if proc.returncode is not None:
                break
            if deadline is not None and time.monotonic() > deadline:
                await self.children.reap(proc)
                return self._read_log() or "Connection timed out (no answer while opening the ssh connection)"
            try:
                async with asyncio.timeout(0.02):
                    await proc.wait()
            except TimeoutError:
                pass
        self.children.forget(proc)
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
        rc, out, err = await self.children.run(self.channel_argv(), timeout=self.connect_timeout + 5, data=PING)
        if out.startswith(b"HTTP/"):
            assert self.dir is not None
            self.socket_path = str(self.dir / "docker.sock")
            await self.relay.listen(self.socket_path)
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
            rc, _, err = await self.children.run(self.control_argv("-O", "forward", "-L", f"{local}:{remote}"), timeout=10)
            if rc != 0:
                tried.append((remote, last_line(err) or f"exit {rc}"))
                continue
            answer = await _ping_unix(local, self.connect_timeout)
            if answer.startswith(b"HTTP/"):
                self.socket_path = local
                self.via = f"ssh, the remote socket {remote} forwarded (no docker CLI on the remote)"
                return
            tried.append((remote, forward_reason(self._read_log())))
            await self.children.run(self.control_argv("-O", "cancel", "-L", f"{local}:{remote}"), timeout=10)
        raise forward_failure(self.target, tried)

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
        return self.last_error or self.relay.last_error

    # -- the end ------------------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop the relay, end every ssh child (the master last), remove the folder."""
        await self.relay.close()
        for proc in list(self.children.procs.values()):
            if proc is not self._master:
                await self.children.reap(proc)
        if self._master is not None:
            await self.children.reap(self._master)
            self._master = None
        self.kill_now()

    def kill_now(self) -> None:
        """Synchronous (signal handlers, atexit): SIGTERM every child by PID, remove the folder."""
        self.children.kill_now()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
        unregister(self)


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
