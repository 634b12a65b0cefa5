"""`python -m bench --layers --quick` runs on its own against the tests' engine and records every
measure with a plausible value; its images are removed afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docker
import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.engine


def test_quick_layers_bench(engine_host: str, observer: docker.DockerClient, tmp_path: Path) -> None:
    try:
        done = subprocess.run([sys.executable, "-m", "bench", "--layers", "--quick", "--host", engine_host, "--results", str(tmp_path)],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        record = json.loads((tmp_path / "results.jsonl").read_text().splitlines()[-1])["layers"]
        assert record["entries"] >= 2_000 and record["paths"] >= 2_000
        assert 0 < record["raw_read_s"] and 0 < record["ours_read_s"] and record["files_per_s"] > 0
        assert record["rows_open"] >= 2_000 and 0 < record["key_worst_ms"] < 10_000
        assert 10 < record["rss_mib_peak"] < 500
        for key in ("select_layer_ms", "open_top_dir_ms", "whole_filesystem_ms", "filter_ms", "waste_ms", "calibration_s"):
            assert record[key] >= 0, key
        assert "| stream read and indexed by dockertui |" in done.stdout
    finally:
        subprocess.run([sys.executable, "-m", "bench", "--layers", "--clean", "--host", engine_host], cwd=ROOT, capture_output=True, timeout=300)
    assert not observer.images.list(filters={"label": "dockertui.bench=layers"})
