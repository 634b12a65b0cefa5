"""The events journal and problem detection, replaying events recorded from the private engine."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, strategies as st

from dockertui.model.events import EngineEvent, parse_event
from dockertui.model.journal import EventJournal, ProblemTracker, describe, matches

RECORDED = [parse_event(json.loads(line)) for line in
            (Path(__file__).resolve().parent.parent / "fixtures" / "events" / "problems.jsonl").read_text().splitlines()]


def until_removal() -> list[EngineEvent]:
    first_destroy = next(i for i, e in enumerate(RECORDED) if e.action == "destroy")
    return RECORDED[:first_destroy]


def test_each_kind_of_problem_from_real_events() -> None:
    tracker = ProblemTracker()
    assert tracker.feed(until_removal())
    found = {(p.name, p.kind) for p in tracker.current()}
    assert found == {("rec-exit3", "exit"), ("rec-unhealthy", "unhealthy"), ("rec-loop", "restart-loop"), ("rec-loop", "exit"),
                     ("rec-oom", "oom"), ("rec-oom", "exit")}
    exit3 = next(p for p in tracker.current() if p.name == "rec-exit3")
    assert exit3.detail == "exit code 3"
    # removal clears a container's problems
    tracker.feed(RECORDED[len(until_removal()):])
    assert len(tracker) == 0


def ev(action: str, t_seconds: float, cid: str = "c1", **attributes: str) -> EngineEvent:
    return EngineEvent("container", action, cid, int(t_seconds * 1e9), {"name": "web", **attributes})


def test_a_restart_loop_needs_three_starts_within_five_minutes() -> None:
    slow = ProblemTracker()
    slow.feed([ev("start", 0), ev("start", 180), ev("start", 360)])  # spread over 6 minutes
    assert len(slow) == 0
    fast = ProblemTracker()
    fast.feed([ev("start", 0), ev("start", 100), ev("start", 200)])
    assert [p.kind for p in fast.current()] == ["restart-loop"]


def test_healthy_again_clears_unhealthy_and_acknowledge_clears_by_hand() -> None:
    t = ProblemTracker()
    t.feed([ev("health_status", 1, health_status="unhealthy"), ev("die", 2, exitCode="137")])
    assert {p.kind for p in t.current()} == {"unhealthy", "exit"}
    t.feed([ev("health_status", 3, health_status="healthy")])
    assert {p.kind for p in t.current()} == {"exit"}
    t.acknowledge("c1", "exit")
    assert len(t) == 0
    assert not t.feed([ev("die", 4, exitCode="0")]), "a clean exit is no problem"


def test_journal_filter_and_columns() -> None:
    journal = EventJournal(keep=1000)
    for e in RECORDED:
        journal.add(e)
    dies = journal.filtered("action:die rec-exit3")
    assert [describe(e)[2:4] for e in dies] == [("die", "rec-exit3")]
    assert "exitCode=3" in describe(dies[0])[4]
    assert all(e.type == "container" for e in journal.filtered("type:container"))
    assert journal.filtered("") == list(journal.events)
    assert matches(dies[0], "EXIT3") and not matches(dies[0], "action:start")


@given(st.lists(st.tuples(st.sampled_from(["start", "die", "oom", "destroy", "health_status", "restart"]), st.integers(0, 3),
                          st.integers(0, 10**12), st.sampled_from(["0", "1", "unhealthy", "healthy"])), max_size=200), st.integers(1, 30))
def test_bounded_memory(steps: list[tuple[str, int, int, str]], keep: int) -> None:
    journal, tracker = EventJournal(keep), ProblemTracker()
    for action, cid, t, attr in steps:
        e = EngineEvent("container", action, f"c{cid}", t, {"exitCode": attr, "health_status": attr})
        journal.add(e)
        tracker.feed([e])
    assert len(journal.events) == min(keep, len(steps))
    assert len(tracker) <= 4 * 4  # one per (container, kind)
