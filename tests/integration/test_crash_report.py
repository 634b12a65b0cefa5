"""Should a crash happen anyway, its report prints no local variables (they can hold credentials)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.ui.app import DockerTUI


async def test_a_crash_report_has_the_error_but_no_local_variables(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    app = DockerTUI(resolve_endpoint(host=f"unix://{tmp_path}/none.sock", env={}), cache_root=tmp_path)

    def handler_with_a_secret() -> None:
        registry_password = "-".join(["hunter2", "do", "not", "print"])  # noqa: F841 - a default report shows it
        raise RuntimeError("something unexpected")

    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await pilot.pause(0.2)
            app.call_later(handler_with_a_secret)
            await pilot.pause(0.5)
    out, err = capfd.readouterr()
    report = out + err
    assert "something unexpected" in report and "handler_with_a_secret" in report
    assert "hunter2-do-not-print" not in report, "the value of a local variable"
    assert app.return_code == 1
