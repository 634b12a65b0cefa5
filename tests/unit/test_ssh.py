"""ssh:// pieces that need no network: the argument lists handed to ssh, and the sentences made of
what OpenSSH and a remote docker CLI write (recorded messages; the live cases are in
tests/integration/test_ssh.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockertui.engine.endpoint import SshTarget
from dockertui.engine.ssh import CHANNELS, SPARES, SshTunnel
from dockertui.engine.sshfail import channel_failure, forward_failure, is_missing_cli, master_failure

TARGET = SshTarget(host="box.example", user="ops", port=2222, socket="/run/user/1000/docker.sock")


def tunnel(tmp_path: Path, **kw) -> SshTunnel:  # type: ignore[no-untyped-def]
    t = SshTunnel(TARGET, config="/etc/test_ssh_config", options=("ProxyJump=bastion",), **kw)
    t.dir = tmp_path
    return t


def test_master_argv_uses_the_users_ssh_and_never_weakens_host_keys(tmp_path: Path) -> None:
    t = tunnel(tmp_path)
    t.effective = {"connecttimeout": "none", "serveraliveinterval": "0"}
    argv = t.master_argv(batch=True)
    assert argv[:5] == ["ssh", "-F", "/etc/test_ssh_config", "-o", "ProxyJump=bastion"]  # the user's first: ssh keeps the first value
    assert ["-M", "-N", "-S", str(tmp_path / "cm")] == argv[argv.index("-M"):argv.index("-M") + 4]
    assert "ControlPersist=no" in argv and "BatchMode=yes" in argv and "ServerAliveInterval=15" in argv
    assert argv[-6:] == ["-l", "ops", "-p", "2222", "--", "box.example"]
    assert not any("StrictHostKeyChecking" in a for a in argv)
    # the user's own keepalive and timeout stand; no BatchMode when the user may be asked
    t.effective = {"connecttimeout": "3", "serveraliveinterval": "30"}
    argv = t.master_argv(batch=False)
    assert "BatchMode=yes" not in argv and not any(a.startswith(("ConnectTimeout", "ServerAliveInterval")) for a in argv)


def test_channel_argv_goes_through_the_master_to_dial_stdio(tmp_path: Path) -> None:
    argv = tunnel(tmp_path).channel_argv()
    assert argv[argv.index("-S") + 1] == str(tmp_path / "cm") and "ControlMaster=no" in argv and "-T" in argv
    assert argv[-7:] == ["--", "box.example", "docker", "--host", "unix:///run/user/1000/docker.sock", "system", "dial-stdio"]
    plain = SshTunnel(SshTarget(host="h"))
    plain.dir = tmp_path
    assert plain.channel_argv()[-5:] == ["--", "h", "docker", "system", "dial-stdio"]
    odd = SshTunnel(SshTarget(host="h", socket="/tmp/my docker;rm.sock"))
    odd.dir = tmp_path
    assert odd.channel_argv()[-3] == "'unix:///tmp/my docker;rm.sock'"  # quoted for the remote shell


def test_channels_stay_under_sshds_max_sessions() -> None:
    assert CHANNELS + SPARES <= 10


@pytest.mark.parametrize(
    ("log", "kind", "needle"),
    [
        ("@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\nHost key verification failed.\r\n",
         "ssh-hostkey", "has changed"),
        ("No ED25519 host key is known for [box.example]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n",
         "ssh-hostkey", "not known"),
        ("ops@box.example: Permission denied (publickey,password).\r\n", "ssh-auth", "(it offers: publickey,password)"),
        ("ssh: Could not resolve hostname box.example: Name or service not known\r\n", "unreachable", "Could not resolve hostname"),
        ("ssh: connect to host box.example port 2222: Connection timed out\r\n", "unreachable", "timed out"),
        ("/etc/test_ssh_config: line 3: Bad configuration option: frobnicate\r\n", "ssh", "rejects its configuration"),
        ("", "ssh", "exited without saying why"),
    ],
)
def test_master_failures_are_one_sentence_with_a_fix(log: str, kind: str, needle: str) -> None:
    err = master_failure(TARGET, log, batch=True)
    assert err.kind == kind and needle in err.message and err.fix
    assert "\n" not in err.message and "\r" not in err.message


def test_host_key_fixes_name_the_host_as_ssh_knows_it() -> None:
    err = master_failure(TARGET, "REMOTE HOST IDENTIFICATION HAS CHANGED", batch=True)
    assert "ssh-keygen -R [box.example]:2222" in err.fix and "ssh ssh://ops@box.example:2222" in err.fix


@pytest.mark.parametrize(
    ("rc", "out", "err", "kind", "needle"),
    [
        (255, b"", "permission denied while trying to connect to the Docker daemon socket at unix:///run/user/1000/docker.sock: "
         "Get \"http://%2Fvar%2Frun%2Fdocker.sock/_ping\": dial unix /run/user/1000/docker.sock: connect: permission denied\n",
         "permission", "docker group"),
        (0, b"Last login: today\nHTTP/1.1 200 OK\r\n", "", "ssh-shell", "'Last login: today'"),
        (1, b"", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
         "unreachable", "cannot reach an engine"),
        (2, b"", "unknown command \"dial-stdio\"\n", "ssh", "exit 2"),
    ],
)
def test_channel_failures(rc: int, out: bytes, err: str, kind: str, needle: str) -> None:
    failure = channel_failure(TARGET, rc, out, err, TARGET.socket)
    assert failure.kind == kind and (needle in failure.message or needle in failure.fix), failure


def test_a_missing_cli_is_told_apart_and_the_fallback_names_what_it_tried() -> None:
    assert is_missing_cli(127, "bash: line 1: docker: command not found\n")
    assert is_missing_cli(1, "sh: 1: docker: not found\n")
    assert not is_missing_cli(1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n")
    err = forward_failure(TARGET, [("/var/run/docker.sock", "open failed: connect failed: No such file or directory")])
    assert err.kind == "ssh-no-docker" and "/var/run/docker.sock" in err.message and "docker CLI" in err.fix
    denied = forward_failure(TARGET, [("/var/run/docker.sock", "connect failed: Permission denied")])
    assert denied.kind == "permission"
