from __future__ import annotations

import subprocess
import sys

import pytest

import dockertui

pytestmark = pytest.mark.engine


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dockertui", *args], capture_output=True, text=True, timeout=60, env=env)


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"dockertui {dockertui.__version__}"
    out = run("--help")
    assert out.returncode == 0 and "--context" in out.stdout and "tree" in out.stdout and "--check" in out.stdout


def test_check_against_the_private_engine(demo_engine: str) -> None:
    out = run("--check", "-H", demo_engine)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"ok: {demo_engine} Docker ") and "API 1." in out.stdout


def test_check_uses_docker_host(demo_engine: str) -> None:
    out = run("--check", env={"DOCKER_HOST": demo_engine, "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0 and demo_engine in out.stdout


def test_console_script_installed() -> None:
    import shutil
    from pathlib import Path

    script = Path(sys.executable).parent / "dockertui"
    assert script.exists() or shutil.which("dockertui")
