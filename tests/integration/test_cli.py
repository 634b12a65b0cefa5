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


def test_engine_options_before_the_subcommand_are_kept(demo_engine: str, tmp_path) -> None:  # noqa: ANN001
    """`dockertui -H X tree` talks to X (and --no-cache, --context before `tree` count too): the
    subcommand's copies of the options must not overwrite them."""
    import json
    import os

    cache = tmp_path / "cache"
    env = {**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/nothing-here.sock", "DOCKERTUI_CACHE_DIR": str(cache)}
    env.pop("DOCKER_CONTEXT", None)
    before = run("-H", demo_engine, "--no-cache", "tree", "--format", "json", env=env)
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout) and not cache.exists(), "-H and --no-cache before `tree` were obeyed"
    after = run("tree", "-H", demo_engine, "--format", "json", env=env)
    assert after.returncode == 0, after.stderr
    assert cache.exists(), "without --no-cache the cache is written"
    wrong = run("-H", demo_engine, "tree", "-H", f"unix://{tmp_path}/other.sock", env=env)
    assert wrong.returncode != 0 and "other.sock" in wrong.stderr, "the last -H wins, as argparse does everywhere"
    ctx = run("--context", "no-such-context", "tree", env=env)
    assert ctx.returncode != 0 and "no-such-context" in ctx.stderr
