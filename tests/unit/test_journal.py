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


def test_a_restart_loop_needs_three_restarts_of_its_own_within_five_minutes() -> None:
    def crash_loop(*times: float) -> list[EngineEvent]:
        out = [ev("start", 0)]
        for t in times:
            out += [ev("die", t - 1, exitCode="1"), ev("start", t)]
        return out

    slow = ProblemTracker()
    slow.feed(crash_loop(180, 360, 540))  # spread over 6 minutes
    assert {p.kind for p in slow.current()} == {"exit"}
    fast = ProblemTracker()
    fast.feed(crash_loop(100, 200, 300))
    assert {p.kind for p in fast.current()} == {"restart-loop", "exit"}
    starts_only = ProblemTracker()
    starts_only.feed([ev("start", 0), ev("start", 100), ev("start", 200)])  # started by someone, not by a policy
    assert len(starts_only) == 0


USER = [parse_event(json.loads(line)) for line in
        (Path(__file__).resolve().parent.parent / "fixtures" / "events" / "user-actions.jsonl").read_text().splitlines()]


def test_what_the_user_did_is_no_problem() -> None:
    """Recorded from the engine: stop (SIGTERM ignored: killed, 137), stop of a container that
    exits 143 on SIGTERM, kill (137), three restarts, a start after the stop, then removal."""
    names = {e.attributes.get("name") for e in USER}
    assert names == {"rec-stop", "rec-term", "rec-kill", "rec-restart"}
    codes = {e.attributes.get("exitCode") for e in USER if e.action == "die"}
    assert codes == {"137", "143"}
    tracker = ProblemTracker()
    for event in USER:  # one at a time, as bursts may split anywhere
        tracker.feed([event])
        assert len(tracker) == 0, (event.action, event.attributes.get("name"))


def test_a_restart_loop_among_user_actions_is_still_found() -> None:
    tracker = ProblemTracker()
    tracker.feed(USER[:8])  # all four running
    tracker.feed(until_removal())  # the recorded crash loop and the others
    assert ("rec-loop", "restart-loop") in {(p.name, p.kind) for p in tracker.current()}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_expect_covers_actions_the_engine_reports_less_of() -> None:
    """An engine that reports only die and start (as some do): dockertui's own restarts and stops,
    announced with expect(), are neither a restart loop nor an error exit."""
    clock = Clock()
    tracker = ProblemTracker(clock=clock)
    for n in range(4):
        tracker.expect("c1", "restart")
        tracker.feed([ev("die", n * 10, exitCode="137"), ev("start", n * 10 + 1)])
        clock.now += 5
    tracker.expect("c1", "stop")
    tracker.feed([ev("die", 50, exitCode="143")])
    assert len(tracker) == 0
    # the same without expect: a crash loop with error exits
    bare = ProblemTracker(clock=clock)
    for n in range(4):
        bare.feed([ev("die", n * 10, exitCode="137"), ev("start", n * 10 + 1)])
    assert {p.kind for p in bare.current()} == {"restart-loop", "exit"}


def test_an_expectation_lapses_and_a_failed_action_is_forgotten() -> None:
    clock = Clock()
    tracker = ProblemTracker(clock=clock)
    tracker.expect("c1", "stop")
    clock.now += 11 * 60  # the stop never happened; much later the container dies on its own
    tracker.feed([ev("die", 700, exitCode="2")])
    assert [p.detail for p in tracker.current()] == ["exit code 2"]
    tracker.acknowledge("c1", "exit")
    tracker.expect("c1", "kill")
    tracker.forget("c1")  # the kill failed
    tracker.feed([ev("die", 800, exitCode="1")])
    assert [p.detail for p in tracker.current()] == ["exit code 1"]
    tracker.expect("c1", "stop")
    tracker.feed([ev("die", 900, exitCode="143")])  # consumed by this die and the stop
    tracker.feed([ev("stop", 901), ev("start", 902), ev("die", 990, exitCode="3")])
    assert [p.detail for p in tracker.current()] == ["exit code 3"]  # one per (container, kind)
    try:
        tracker.expect("c1", "explode")
    except ValueError:
        pass
    else:
        raise AssertionError("an unknown action is refused")


def test_a_cli_restart_of_a_crashed_container_is_not_a_loop() -> None:
    tracker = ProblemTracker()
    events = [ev("start", 0)]
    for t in (10, 20, 30):  # it crashed, and each time the user ran `docker restart` (no kill: not running)
        events += [ev("die", t - 5, exitCode="1"), ev("start", t), ev("restart", t + 0.01)]
    tracker.feed(events)
    assert {p.kind for p in tracker.current()} == {"exit"}


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
    exec_dies = [e for e in RECORDED if e.action == "exec_die"]
    assert exec_dies, "the recording holds exec_die events"
    assert not any(matches(e, "action:die") for e in exec_dies)
    assert all(matches(e, "action:exec_*") for e in exec_dies) and all(matches(e, "action:EXEC_D*") for e in exec_dies)
    assert not matches(dies[0], "action:exec_*") and matches(dies[0], "action:d*")
    assert matches(dies[0], "name:exit") and matches(dies[0], "type:container") and not matches(dies[0], "type:contain")


def test_journal_keeps_time_order_whatever_the_arrival_order() -> None:
    events = RECORDED + USER
    shuffled = events[::-1][:40] + events[40:][::3] + events[1::5]
    journal = EventJournal(keep=50)
    for e in shuffled:
        journal.add(e)
    times = [e.time_nano for e in journal.events]
    assert times == sorted(times)
    assert len(journal.events) == 50
    assert times[-1] == max(e.time_nano for e in shuffled)
    # the 50 kept are the 50 latest of those that arrived while they could still be kept
    assert journal.total == len(shuffled)


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


def test_a_first_listing_raises_crashes_but_not_stops() -> None:
    tracker = ProblemTracker()
    tracker.seed([
        ("a" * 64, "crashed", "exited", "Exited (1) 3 minutes ago"),
        ("b" * 64, "stopped", "exited", "Exited (137) 2 hours ago"),
        ("c" * 64, "termed", "exited", "Exited (143) 5 seconds ago"),
        ("d" * 64, "done", "exited", "Exited (0) 1 day ago"),
        ("e" * 64, "sick", "running", "Up 2 minutes (unhealthy)"),
    ])
    assert sorted((p.name, p.kind) for p in tracker.current()) == [("crashed", "exit"), ("sick", "unhealthy")]
