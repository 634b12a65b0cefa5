"""SVG snapshots of screens whose content is fixed (no clock, no IDs)."""

from __future__ import annotations

from dockertui.engine.endpoint import EndpointError, resolve_endpoint
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.problem import ProblemScreen


async def _wait_for_problem(pilot) -> None:  # noqa: ANN001
    for _ in range(200):
        if isinstance(pilot.app.screen, ProblemScreen):
            break
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def test_unreachable_screen(snap_compare) -> None:  # noqa: ANN001
    app = DockerTUI(resolve_endpoint(host="unix:///nonexistent.sock", env={}), use_disk_cache=False)
    assert snap_compare(app, terminal_size=(100, 30), run_before=_wait_for_problem)


def test_bad_config_screen(snap_compare) -> None:  # noqa: ANN001
    err = EndpointError("docker config /home/u/.docker/config.json is not valid JSON (line 1, column 2: Expecting property name)",
                        "Fix or remove /home/u/.docker/config.json.")
    app = DockerTUI(err, use_disk_cache=False)
    assert snap_compare(app, terminal_size=(100, 30), run_before=_wait_for_problem)
