"""What a user installs: ``make dist`` once per session (scripts/dist.sh), a fresh virtualenv with
only the wheel in it, and the one-file program."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import dockertui
from tests.ptyapp import PtyApp

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Dist:
    wheel: Path
    sdist: Path
    onefile: Path
    folder: Path  # the PyInstaller one-folder build the one file carries
    glibc: str  # the newest glibc symbol version any part of the one file needs


@pytest.fixture(scope="session")
def dist() -> Dist:
    """``make dist``'s outputs, built once per session. DOCKERTUI_DIST_REUSE=1 keeps an existing
    dist/ (for a developer re-running one test); CI and ``make test`` always build."""
    out = ROOT / "dist"
    version = dockertui.__version__
    onefile = out / f"dockertui-{version}-linux-{os.uname().machine}"
    if not (os.environ.get("DOCKERTUI_DIST_REUSE") == "1" and onefile.exists()):
        done = subprocess.run([str(ROOT / "scripts" / "dist.sh"), sys.executable], cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"make dist failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return Dist(
        wheel=out / f"dockertui-{version}-py3-none-any.whl",
        sdist=out / f"dockertui-{version}.tar.gz",
        onefile=onefile,
        folder=ROOT / "build" / "onefile" / "dist" / "dockertui",
        glibc=(ROOT / "build" / "onefile" / "glibc").read_text().strip(),
    )


def clean_env(**extra: str) -> dict[str, str]:
    """An environment with nothing that points at the source tree or the project's .venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "DOCKER", "PYTEST"))}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def wheel_venv(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv (no editable install, no source tree on the path) with the wheel installed
    the way pipx does, its dependencies held to the lock's versions: its bin/ folder."""
    where = tmp_path_factory.mktemp("wheel-venv") / "venv"
    venv.EnvBuilder(with_pip=True, symlinks=True).create(where)
    py = where / "bin" / "python"
    done = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt"), str(dist.wheel)],
        cwd=where, capture_output=True, text=True, timeout=600, env=clean_env(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return where / "bin"


class ProgramPty(PtyApp):
    """PtyApp for any program: ``program args`` on a pty of ``cols`` x ``rows`` (xterm-256color,
    no COLORTERM, as over SSH)."""

    def __init__(self, program: list[str], env: dict[str, str], cols: int = 120, rows: int = 40, cwd: Path | None = None) -> None:
        import fcntl
        import struct
        import termios
        import threading

        self.output = bytearray()
        self._lock = threading.Lock()
        self.returncode = None
        pid, fd = os.forkpty()
        if pid == 0:
            try:
                if cwd is not None:
                    os.chdir(cwd)
                full = {**env, "TERM": "xterm-256color"}
                full.pop("COLORTERM", None)
                os.execve(program[0], program, full)
            finally:
                os._exit(127)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.pid, self.fd = pid, fd
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()


@pytest.fixture
def pty_programs() -> Iterator[list[ProgramPty]]:
    """Programs started on a pty by a test, closed at its end."""
    started: list[ProgramPty] = []
    yield started
    for p in started:
        p.close()
