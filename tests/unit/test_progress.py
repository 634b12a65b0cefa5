"""Progress streams recorded from the engine and the local registry, folded into one state."""

from __future__ import annotations

import json
from functools import reduce
from pathlib import Path

from hypothesis import given, strategies as st

from dockertui.model.progress import Progress, apply

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "progress"


def replay(name: str) -> Progress:
    rows = [json.loads(line) for line in (FIXTURES / name).read_text().splitlines()]
    return reduce(apply, rows, Progress())


def test_pull_has_a_line_per_layer_and_ends_complete() -> None:
    p = replay("pull.jsonl")
    assert len(p.layers) == 3
    assert {layer.status for layer in p.layers} == {"Already exists", "Pull complete"}
    assert p.fraction == 1.0 and p.digest.startswith("sha256:") and not p.error
    assert any("Downloaded newer image" in line for line in p.lines)


def test_push_ends_with_a_digest() -> None:
    p = replay("push.jsonl")
    assert p.layers and all(layer.done for layer in p.layers)
    assert p.digest.startswith("sha256:") and p.fraction == 1.0


def test_build_output_and_the_image_id() -> None:
    p = replay("build.jsonl")
    assert p.lines[0] == "Step 1/3 : FROM demo/base:latest"
    assert p.image_id and any(line.startswith("Successfully tagged") for line in p.lines)


def test_errors_and_partial_progress() -> None:
    p = apply(Progress(), {"status": "Downloading", "id": "0123456789ab", "progressDetail": {"current": 50, "total": 200}})
    assert p.layers[0].fraction == 0.25
    p = apply(p, {"errorDetail": {"message": "manifest unknown"}, "error": "manifest unknown"})
    assert p.error == "manifest unknown"


@given(st.lists(st.dictionaries(st.sampled_from(["status", "id", "progressDetail", "error", "errorDetail", "aux", "stream"]),
                                st.none() | st.text(max_size=15) | st.integers() | st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=5), max_size=3)),
                max_size=30))
def test_any_stream_never_raises(rows: list[dict]) -> None:  # type: ignore[type-arg]
    p = reduce(apply, rows, Progress())
    assert 0.0 <= p.fraction <= 1.0
