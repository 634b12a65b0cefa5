"""The benchmark runs end to end (quick mode: a small synthetic host on its own engine, short
windows) and records every measure with a plausible value."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.engine


def test_quick_bench_records_every_measure(tmp_path: Path) -> None:
    state = ROOT / ".engine-bench-quick"
    env = {**os.environ, "DOCKERTUI_ENGINE_DIR": str(state)}
    try:
        done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--state", str(state), "--results", str(tmp_path)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        record = json.loads((tmp_path / "results.jsonl").read_text().splitlines()[-1])
        run = record["runs"]["20 / 12"]
        assert run["containers"] >= 20 and run["images"] >= 12
        assert 0 < run["first_screen_s"] < 30 and 0 < run["first_screen_warm_s"] < 30
        assert run["warm_startup_inspects"] == 0 and run["startup_inspects"] > 0
        assert run["latency_samples"] >= 3 and 0 <= run["latency_ms_p99"] < 5000
        assert run["toggle_events"] > 0 and run["cpu_ms_per_event"] > 0
        assert isinstance(run["idle_requests"], int) and isinstance(run["startup_requests"], int) and run["startup_requests"] > 0
        assert 10 < run["rss_mib_20s"] < 500
        for view in ("view_run", "view_networks", "view_events"):  # each view was seen with its content
            assert 0 < run[f"{view}_first_s"] < 15 and 0 < run[f"{view}_s"] < 15 and 0 < run[f"{view}_busy_s"] < 15, view
        assert 0 < run["quit_s"] < 15 and len(run["load_average"]) == 2
        assert record["forest"]["median_ms"] > 0 and record["events"]["events"] == 10_000
        assert "| first screen (cold cache) |" in done.stdout
    finally:
        subprocess.run([sys.executable, "-m", "bench", "--clean", "--state", str(state)], cwd=ROOT, env=env, capture_output=True, timeout=300)
