"""Settings from a config file in the running app: rebound keys, the help screen, problems shown;
and the CLI's --config-path and --read-only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockertui.configfile import load_settings
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI, binding_ids
from dockertui.ui.screens.help import HelpScreen
from dockertui.ui.screens.main import MainScreen

from ..conftest import ROOT
from ..helpers import wait_loaded

pytestmark = pytest.mark.engine


async def test_a_rebound_key_works_and_help_lists_it(demo_engine: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nonly-this-image = "O"\n[logs]\ntail = "many"\n')
    settings, problems = load_settings(config, binding_ids())
    assert len(problems) == 1 and "line 4" in problems[0]
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path, settings=settings, config_problems=problems,
                    config_path=str(config))
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        assert any("line 4: logs.tail" in n.message for n in app._notifications), "the problem is shown, naming its line"
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("o")
        assert screen.only_this is False, "the old key no longer does it"
        await pilot.press("O")
        assert screen.only_this is True
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {binding_id: keys for keys, _, binding_id in app.screen.rows}
        assert rows["only-this-image"] == "O"
        assert rows["logs"] == "l" and rows["help"] == "?"
        assert not any("ctrl+a" in k or "ctrl+b" in k for k in rows.values())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dockertui", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


def test_config_path_and_example(tmp_path: Path) -> None:
    out = run_cli("--config-path", env={"DOCKERTUI_CONFIG": str(tmp_path / "c.toml")})
    assert out.returncode == 0 and out.stdout.strip() == str(tmp_path / "c.toml")
    example = run_cli("--config-example")
    assert example.returncode == 0 and "[keys]" in example.stdout


def test_every_default_binding_avoids_the_multiplexer_prefixes() -> None:
    from textual.binding import Binding

    for binding in [*DockerTUI.BINDINGS, *MainScreen.BINDINGS]:
        assert isinstance(binding, Binding)
        assert not {"ctrl+a", "ctrl+b"} & set(binding.key.split(",")), binding


def test_read_only_flag_in_a_real_terminal(demo_engine: str, tmp_path: Path) -> None:
    from ..ptyapp import PtyApp

    app = PtyApp(["-H", demo_engine, "--read-only"], {"DOCKERTUI_CACHE_DIR": str(tmp_path), "DOCKERTUI_CONFIG": str(tmp_path / "none.toml")})
    try:
        app.wait_for("READ-ONLY")
        app.wait_for("demo-web")
        app.type("tab")
        mark = app.mark()
        app.type("s")
        app.wait_for("Read-only mode", since=mark)
        app.type("q")
        assert app.wait_exit() == 0
    finally:
        app.close()
