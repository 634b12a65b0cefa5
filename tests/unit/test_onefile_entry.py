"""The frozen program's entry gives what it starts (ssh, a shell) the user's own LD_LIBRARY_PATH,
not the one the one-file launcher set so the loader finds the bundled libraries."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

import dockertui.cli

ENTRY = Path(__file__).resolve().parent.parent.parent / "scripts" / "onefile" / "entry.py"


def run_entry(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> dict[str, str]:
    for key in ("LD_LIBRARY_PATH", "DOCKERTUI_ONEFILE", "DOCKERTUI_LD_LIBRARY_PATH_ORIG"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    seen: dict[str, str] = {}

    def main() -> int:
        seen.update(os.environ)
        return 0

    monkeypatch.setattr(dockertui.cli, "main", main)
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(ENTRY), run_name="__main__")
    assert done.value.code == 0
    return seen


def test_the_users_library_path_comes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    env = run_entry(monkeypatch, {"DOCKERTUI_ONEFILE": "/x/dockertui", "LD_LIBRARY_PATH": "/cache/bundle-1/_internal:/opt/lib",
                                  "DOCKERTUI_LD_LIBRARY_PATH_ORIG": "/opt/lib"})
    assert env["LD_LIBRARY_PATH"] == "/opt/lib"
    assert "DOCKERTUI_ONEFILE" not in env and "DOCKERTUI_LD_LIBRARY_PATH_ORIG" not in env


def test_a_library_path_the_user_did_not_have_goes(monkeypatch: pytest.MonkeyPatch) -> None:
    env = run_entry(monkeypatch, {"DOCKERTUI_ONEFILE": "/x/dockertui", "LD_LIBRARY_PATH": "/cache/bundle-1/_internal"})
    assert "LD_LIBRARY_PATH" not in env


def test_without_the_launcher_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    env = run_entry(monkeypatch, {"LD_LIBRARY_PATH": "/opt/lib"})
    assert env["LD_LIBRARY_PATH"] == "/opt/lib"
