"""SVG snapshot of `?` over the dashboard of the real demo engine (pinned as in test_main_screen):
the app's keys first, grouped by what they act on, navigation included, Textual's own keys last."""

from __future__ import annotations

import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI

from .test_main_screen import NOW, pin

pytestmark = pytest.mark.engine


async def pin_and_help(pilot) -> None:  # noqa: ANN001
    await pin(pilot)
    assert pilot.app.screen.table.has_focus  # the container list at start: its keys (space marks) in force
    await pilot.press("question_mark")
    await pilot.pause(0.3)


def test_help_screen_groups_the_keys(demo_engine: str, snap_compare, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    monkeypatch.setattr("dockertui.ui.widgets.image_tree.time.time", lambda: NOW)
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path, config_path="/home/u/.config/dockertui/config.toml")
    assert snap_compare(app, terminal_size=(100, 60), run_before=pin_and_help)
