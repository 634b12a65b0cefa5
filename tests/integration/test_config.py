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
from dockertui.model.config import Settings
from dockertui.ui.app import DockerTUI, binding_ids
from dockertui.ui.screens.help import HelpScreen
from dockertui.ui.screens.main import MainScreen

from ..conftest import ROOT
from ..helpers import plain, wait_loaded

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
        rows = {row.binding_id: row.key_text for row in app.screen.rows}
        assert rows["only-this-image"] == "O"
        assert rows["logs"] == "l" and rows["help"] == "?"
        assert not any("ctrl+a" in k or "ctrl+b" in k for k in rows.values())
        shown = "\n".join(plain(w) for w in app.screen.query("Static"))
        assert str(config) in shown and "only-this-image" in shown, "the keys in force and where to change them"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark")
        await pilot.press("question_mark")
        assert isinstance(app.screen, MainScreen), "? closes the help too"


async def test_theme_from_the_config_and_an_unknown_one_warned(demo_engine: str, tmp_path: Path) -> None:
    endpoint = resolve_endpoint(host=demo_engine, env={})
    app = DockerTUI(endpoint, cache_root=tmp_path, settings=Settings(theme="nord"))
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        assert app.theme == "nord" and not app._notifications
    app = DockerTUI(endpoint, cache_root=tmp_path, settings=Settings(theme="solarised"))
    async with app.run_test(size=(150, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        assert app.theme == "textual-dark"
        assert any("theme 'solarised' is unknown" in n.message and n.severity == "warning" for n in app._notifications)


def test_a_missing_file_is_the_defaults_and_an_unreadable_one_a_problem(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "absent.toml") == (Settings(), [])
    settings, problems = load_settings(tmp_path)  # a folder: cannot be read as a file
    assert settings == Settings() and len(problems) == 1 and problems[0].startswith(f"cannot read {tmp_path}")
    latin = tmp_path / "latin1.toml"
    latin.write_bytes('theme = "caf\xe9"\n'.encode("latin-1"))
    assert load_settings(latin)[1][0].startswith(f"cannot read {latin}")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dockertui", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


def test_config_path_and_example(tmp_path: Path) -> None:
    out = run_cli("--config-path", env={"DOCKERTUI_CONFIG": str(tmp_path / "c.toml")})
    assert out.returncode == 0 and out.stdout.strip() == str(tmp_path / "c.toml")
    example = run_cli("--config-example")
    assert example.returncode == 0 and "[keys]" in example.stdout


def test_config_flag_and_check_report_the_problems_with_their_lines(demo_engine: str, tmp_path: Path) -> None:
    config = tmp_path / "other.toml"
    config.write_text('theme = "solarised"\n[logs]\ntail = "many"\n[keys]\nquit = "?"\nnope = "x"\n')
    out = run_cli("--config", str(config), "--config-path", env={"DOCKERTUI_CONFIG": str(tmp_path / "c.toml")})
    assert out.returncode == 0 and out.stdout.strip() == str(config), "--config wins over $DOCKERTUI_CONFIG"
    out = run_cli("--check", "-H", demo_engine, "--config", str(config))
    assert out.returncode == 0 and out.stdout.startswith("ok: "), out.stderr
    lines = out.stderr.splitlines()
    assert [line.split(": ")[3] for line in lines] == ["line 1", "line 3", "line 5", "line 6"], out.stderr
    assert lines[0].startswith(f"dockertui: config: {config}: line 1: theme 'solarised' is not a theme")
    assert "'?' is also the key of 'help'" in lines[2]
    good = tmp_path / "good.toml"
    good.write_text('theme = "nord"\n[keys]\nonly-this-image = "O"\n')
    out = run_cli("--check", "-H", demo_engine, "--config", str(good))
    assert out.returncode == 0 and out.stderr == ""


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
        mark = app.mark()
        app.type("s")
        app.wait_for("Read-only mode", since=mark)
        app.type("q")
        assert app.wait_exit() == 0
    finally:
        app.close()


async def test_ctrl_p_and_colon_open_the_command_palette(demo_engine: str, tmp_path: Path) -> None:
    from textual.command import CommandPalette

    for key in ("ctrl+p", "colon"):
        app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
        async with app.run_test(size=(150, 40)) as pilot:
            await wait_loaded(pilot)
            await pilot.press(key)
            await pilot.pause(0.2)
            assert isinstance(app.screen, CommandPalette), key
