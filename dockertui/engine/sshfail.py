"""What went wrong on the way to an ``ssh://`` engine, as one sentence and its fix. The inputs
are what OpenSSH and the remote docker CLI wrote; the outputs are :class:`EngineError`."""

from __future__ import annotations

import re

from ..model.text import one_line
from .endpoint import SshTarget
from .errors import EngineError

_HOSTKEY_CHANGED = ("REMOTE HOST IDENTIFICATION HAS CHANGED", "Host key for", "has changed and you have requested strict checking")
_HOSTKEY_UNKNOWN = ("Host key verification failed", "No ED25519 host key is known", "No RSA host key is known",
                    "No ECDSA host key is known", "host key is known for")
_UNREACHABLE = ("Could not resolve hostname", "Connection refused", "Connection timed out", "No route to host",
                "Network is unreachable", "Operation timed out", "Connection closed by UNKNOWN", "timed out during banner exchange",
                "kex_exchange_identification")


def ssh_command(target: SshTarget) -> str:
    """How the user would connect by hand, as ssh accepts it."""
    return f"ssh ssh://{target.display}" if target.port else f"ssh {target.display}"


def last_line(text: str) -> str:
    """The last meaningful line ssh wrote (debug chatter and blank lines skipped)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("debug")]
    return one_line(lines[-1], 200) if lines else ""


def master_failure(target: SshTarget, log: str, batch: bool) -> EngineError:
    """The ssh master exited before it was ready; ``log`` is what it wrote (its -E file)."""
    who = target.display
    by_hand = ssh_command(target)
    known_as = f"[{target.host}]:{target.port}" if target.port else target.host
    if any(s in log for s in _HOSTKEY_CHANGED):
        return EngineError(
            f"The host key of {who} has changed since it was recorded in known_hosts (ssh refused it).",
            f"If the change is expected, remove the old key with 'ssh-keygen -R {known_as}' and connect once with "
            f"'{by_hand}' to check and accept the new one.",
            kind="ssh-hostkey",
        )
    if any(s in log for s in _HOSTKEY_UNKNOWN):
        return EngineError(
            f"The host key of {who} is not known (no entry in known_hosts), and ssh may not ask here.",
            f"Connect once with '{by_hand}' to check and accept its key, then retry.",
            kind="ssh-hostkey",
        )
    if "Permission denied" in log or "Too many authentication failures" in log:
        methods = re.search(r"Permission denied \(([^)]*)\)", log)
        detail = f" (it offers: {methods.group(1)})" if methods else ""
        fix = ("Check that your key is loaded ('ssh-add -l') and authorized on the host, and the User for it in your "
               f"ssh config; '{by_hand}' shows what happens.")
        if batch:
            fix += " A password or one-time code can only be typed when dockertui runs in a terminal without BatchMode."
        return EngineError(f"{who} refused the ssh authentication{detail}.", fix, kind="ssh-auth")
    if any(s in log for s in _UNREACHABLE):
        return EngineError(
            f"Cannot reach {who} with ssh: {last_line(log) or 'no answer'}.",
            "Check the host name and port (or the HostName, Port and ProxyJump in your ssh config) and the network path.",
            kind="unreachable",
        )
    if "Bad configuration option" in log or "Unsupported option" in log or "terminating, " in log and "bad configuration" in log:
        return EngineError(f"ssh rejects its configuration: {last_line(log)}.", "Fix the ssh config file or the --ssh-option given.",
                           kind="ssh")
    return EngineError(
        f"ssh to {who} failed: {last_line(log) or 'it exited without saying why'}.",
        f"Run '{by_hand}' to see what it needs.",
        kind="ssh",
    )


def is_missing_cli(returncode: int | None, stderr: str) -> bool:
    low = stderr.lower()
    return returncode == 127 or ("docker" in low and ("not found" in low and "command" in low or ": not found" in low))


def channel_failure(target: SshTarget, returncode: int | None, stdout: bytes, stderr: str, socket: str | None) -> EngineError:
    """``docker system dial-stdio`` through the master did not give an HTTP stream."""
    who = target.display
    low = stderr.lower()
    where = socket or "the engine's default socket"
    if stdout and not stdout.startswith(b"HTTP/"):
        before = stdout.split(b"HTTP/1.", 1)[0].strip() or stdout
        start = one_line(before[:60].decode("utf-8", "replace"), 60)
        return EngineError(
            f"The shell on {who} prints text into the connection before the engine answers ({start!r}).",
            "Make the shell's startup files (~/.bashrc, ~/.profile) print nothing for non-interactive sessions, "
            "e.g. begin ~/.bashrc with: case $- in *i*) ;; *) return;; esac",
            kind="ssh-shell",
        )
    if "permission denied" in low:
        return remote_permission(target, socket)
    if "cannot connect to the docker daemon" in low or "no such file or directory" in low or "connection refused" in low:
        return EngineError(
            f"The docker CLI on {who} cannot reach an engine at {where}: {last_line(stderr)}.",
            "Start the engine there, or name its socket in the URL: ssh://HOST/path/to/docker.sock.",
            kind="unreachable",
        )
    return EngineError(
        f"'docker system dial-stdio' on {who} failed (exit {returncode}): {last_line(stderr) or 'no message'}.",
        f"Run '{ssh_command(target)} docker version' to see what the remote says.",
        kind="ssh",
    )


def remote_permission(target: SshTarget, socket: str | None) -> EngineError:
    user = target.user or "your remote user"
    return EngineError(
        f"Permission denied on the engine's socket {socket or ''} on {target.display}.".replace("socket  on", "socket on"),
        f"Add {user} to the docker group there ('sudo usermod -aG docker {user}', then log in again), "
        "or connect as a user who may use the socket.",
        kind="permission",
    )


def forward_failure(target: SshTarget, tried: list[tuple[str, str]]) -> EngineError:
    """No docker CLI on the remote, and forwarding each socket in ``tried`` ((path, why)) failed too."""
    who = target.display
    for path, why in tried:
        if "permission denied" in why.lower():
            return remote_permission(target, path)
    reasons = "; ".join(f"{path}: {why}" for path, why in tried)
    return EngineError(
        f"{who} has no docker CLI for 'docker system dial-stdio', and forwarding its engine socket failed too ({reasons}).",
        "Install the docker CLI there, or name the engine's socket in the URL (e.g. ssh://HOST/run/podman/podman.sock), "
        "and check that sshd allows socket forwarding (AllowStreamLocalForwarding).",
        kind="ssh-no-docker",
    )


def forward_reason(log: str) -> str:
    """Why a forwarded connection was closed, from the master's log."""
    for line in reversed(log.splitlines()):
        if "open failed" in line or "connect failed" in line or "forwarding" in line.lower():
            return one_line(line.strip(), 160)
    return "the engine did not answer through the forwarded socket"
