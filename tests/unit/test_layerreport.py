"""dive's CI thresholds and byte units, layer owners in the tree, and pairing the engine's history
with the layers."""

from __future__ import annotations

import pytest

from dockertui.engine.layers import created_by_guess
from dockertui.model.layerreport import checks, layer_owners, parse_bytes
from dockertui.model.layers import Waste


def test_byte_units_as_go_humanize() -> None:
    assert parse_bytes("1000") == 1000
    assert parse_bytes("20MB") == 20_000_000 and parse_bytes("20 mb") == 20_000_000
    assert parse_bytes("1.5GiB") == int(1.5 * 1024**3) and parse_bytes("4kB") == 4000 and parse_bytes("2KiB") == 2048
    with pytest.raises(ValueError, match="not a size"):
        parse_bytes("lots")


def waste(efficiency: float, wasted: int, user: int) -> Waste:
    return Waste(efficiency, wasted, 10 * user, user, wasted / user, [], 0)


def test_thresholds_as_dives_ci_rules() -> None:
    w = waste(0.9, 5000, 10000)
    assert checks(w, None, None, None) == []
    (eff, big, user) = checks(w, 0.95, 4000, 0.6)
    assert not eff.passed and eff.message == "image efficiency is too low (efficiency=0.90 < threshold=0.95)"
    assert not big.passed and big.message == "too many bytes wasted (wasted-bytes=5000 > threshold=4000)"
    assert user.passed and user.message == ""
    assert all(c.passed for c in checks(w, 0.9, 5000, 0.5)), "equal to the threshold passes, as in dive"


def test_layers_belong_to_the_oldest_image_that_has_them() -> None:
    chain = [("app:1", ("a", "b", "c", "d")), ("web:1", ("a", "b", "c")), ("base:1", ("a", "b"))]
    assert layer_owners(chain) == ["base:1", "base:1", "web:1", "app:1"]
    assert layer_owners([("solo", ("a",))]) == ["solo"]
    assert layer_owners([]) == []


def test_history_steps_that_made_no_layer_are_skipped() -> None:
    history = [  # newest first, as the engine gives it
        {"CreatedBy": "/bin/sh -c #(nop)  CMD [\"sh\"]", "Size": 0},
        {"CreatedBy": "/bin/sh -c echo hi > /x", "Size": 3},
        {"CreatedBy": "/bin/sh -c #(nop)  LABEL a=b", "Size": 0},
        {"CreatedBy": "/bin/sh -c touch /empty", "Size": 0},
        {"CreatedBy": "/bin/sh -c #(nop) COPY file:abc in /bin/busybox ", "Size": 100},
    ]
    assert created_by_guess(history, 3) == ["COPY file:abc in /bin/busybox", "/bin/sh -c touch /empty", "/bin/sh -c echo hi > /x"]
    assert created_by_guess(history, 4) == ["", "", "", ""], "when it does not add up, the archive's config decides"


def test_reading_over_ssh_asks_first() -> None:
    from dockertui.ui.screens.layersview import ssh_question

    assert "500MB" in (ssh_question("ssh://user@far", 500_000_000) or "")
    assert ssh_question("ssh://user@far", 1000) is None
    assert ssh_question("unix:///var/run/docker.sock", 500_000_000) is None
