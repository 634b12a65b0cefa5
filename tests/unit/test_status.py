"""The compact status of the container table (model/status.py)."""

from __future__ import annotations

import pytest

from dockertui.model.containers import Container
from dockertui.model.events import EngineEvent
from dockertui.model.status import StatusClock, age_range, compact, split_status, tick_every

NOW = 1_800_000_000.0


def box(state: str, status: str, created: float = NOW - 3 * 86400, cid: str = "c1") -> Container:
    return Container(id=cid, name="x", image_id="i", image="img", state=state, status=status, created=created)


@pytest.mark.parametrize(("state", "status", "label"), [
    ("running", "Up 5 minutes", "up 5m"),
    ("running", "Up 5 minutes (healthy)", "up 5m healthy"),
    ("running", "Up 5 minutes (unhealthy)", "up 5m unhealthy"),
    ("running", "Up 12 seconds (health: starting)", "up 12s starting"),
    ("running", "Up About an hour", "up 1h"),
    ("running", "Up 2 hours", "up 2h"),
    ("exited", "Exited (1) 7 minutes ago", "exit 1 · 7m"),
    ("exited", "Exited (0) 3 days ago", "exit 0 · 3d"),
    ("exited", "Exited (137) Less than a second ago", "exit 137 · 0s"),
    ("created", "Created", "created 3d"),
    ("paused", "Up 5 minutes (Paused)", "paused"),
    ("dead", "Dead", "dead"),
    ("removing", "Removal In Progress", "removing"),
])
def test_labels_from_the_engines_text(state: str, status: str, label: str) -> None:
    assert StatusClock().label(box(state, status), NOW) == label


def test_restarting_counts_the_restarts() -> None:
    c = box("restarting", "Restarting (1) 3 seconds ago")
    assert StatusClock().label(c, NOW, restarts=4) == "×4 · exit 1"
    assert StatusClock().label(c, NOW) == "exit 1"
    assert StatusClock().label(box("restarting", "Restarting"), NOW) == "restarting"


def test_age_ranges_follow_dockers_rounding() -> None:
    assert age_range("Less than a second") == (0, 1)
    assert age_range("1 second") == (1, 2)
    assert age_range("About a minute") == (60, 120)
    assert age_range("5 minutes") == (300, 360)
    assert age_range("2 hours") == (5400, 9000)
    assert age_range("3 weeks") == (21 * 86400, 28 * 86400)
    assert age_range("soon") is None
    assert split_status("Exited (1) 7 minutes ago") == ("Exited (1) {} ago", (420, 480))


def test_an_estimate_keeps_counting_while_the_text_is_unchanged() -> None:
    clock, c = StatusClock(), box("running", "Up 3 seconds")
    first = clock.label(c, NOW)
    assert first == "up 3s"
    # the same old text a little later: the age moves on (it froze when re-estimated from the text)
    assert clock.label(c, NOW + 10) == "up 13s"
    assert clock.label(c, NOW + 70) == "up 1m"
    assert clock.ticking(c, NOW + 10) and not clock.ticking(c, NOW + 70)


def test_a_newer_text_moves_the_estimate_only_as_far_as_it_must() -> None:
    clock = StatusClock()
    clock.label(box("running", "Up 3 seconds"), NOW)  # started about NOW - 3.5
    # a later listing agrees with the estimate: kept
    assert clock.since(box("running", "Up 43 seconds"), NOW + 40) == pytest.approx(NOW - 3.5)
    # a restart since: "Up 2 seconds" cannot be the old start
    assert clock.label(box("running", "Up 2 seconds"), NOW + 100) == "up 2s"


def test_exact_times_from_events_win_over_estimates() -> None:
    clock = StatusClock()
    clock.learn([EngineEvent("container", "start", "c1", int((NOW - 290) * 1e9))])
    assert clock.since(box("running", "Up 4 minutes"), NOW) == pytest.approx(NOW - 290)
    clock.learn([EngineEvent("container", "die", "c1", int((NOW - 30) * 1e9))])
    assert clock.label(box("exited", "Exited (2) 30 seconds ago"), NOW) == "exit 2 · 30s"
    # an exact time that the text contradicts (an old event, a restart we missed) is not used
    assert clock.label(box("running", "Up 3 days"), NOW + 1) == "up 3d"


def test_created_uses_the_exact_creation_time() -> None:
    clock = StatusClock()
    c = box("created", "Created", created=NOW - 20)
    assert clock.label(c, NOW) == "created 20s"
    assert clock.ticking(c, NOW)
    assert tick_every(True) == 1.0 and tick_every(False) > 10


def test_forgetting() -> None:
    clock = StatusClock()
    clock.started("c1", NOW - 100)
    clock.keep_only([])
    assert clock.label(box("running", "Up 5 minutes"), NOW) == "up 5m"
    clock.learn([EngineEvent("container", "destroy", "c1", int(NOW * 1e9))])
    assert clock.since(box("running", "Up 5 minutes"), NOW) is not None
