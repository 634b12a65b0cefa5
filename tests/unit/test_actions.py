"""Which engine call a lifecycle key makes, by the container's state."""

from __future__ import annotations

import pytest

from dockertui.model.actions import (
    ACTIONS, FORCE_REMOVE, KILL, PAUSE, REMOVE, RESTART, START, STOP, UNPAUSE, Outcome, Refusal, resolve, summarize,
)

STATES = ("created", "running", "paused", "restarting", "removing", "exited", "dead")


@pytest.mark.parametrize(
    ("action", "state", "expected"),
    [
        ("start-stop", "running", STOP),
        ("start-stop", "paused", STOP),
        ("start-stop", "exited", START),
        ("start-stop", "created", START),
        ("restart", "exited", RESTART),
        ("pause", "running", PAUSE),
        ("pause", "paused", UNPAUSE),
        ("kill", "running", KILL),
        ("remove", "exited", REMOVE),
        ("remove", "running", REMOVE),
        ("force-remove", "running", FORCE_REMOVE),
    ],
)
def test_resolve(action: str, state: str, expected: object) -> None:
    assert resolve(action, state) == expected


@pytest.mark.parametrize(("action", "state"), [("pause", "exited"), ("kill", "exited"), ("remove", "removing"), ("start-stop", "removing")])
def test_refusals_say_why(action: str, state: str) -> None:
    got = resolve(action, state)
    assert isinstance(got, Refusal) and got.reason


def test_every_action_answers_every_state() -> None:
    for action in ACTIONS:
        for state in STATES:
            assert resolve(action, state) is not None
    with pytest.raises(ValueError):
        resolve("explode", "running")


def test_summary_names_successes_and_each_failure() -> None:
    text, failed = summarize([Outcome("a", STOP), Outcome("b", STOP), Outcome("c", STOP, "Conflict on c: it is dead.")])
    assert text.splitlines() == ["Stopped a, b.", "c: Conflict on c: it is dead."]
    assert failed
    text, failed = summarize([Outcome(str(i), STOP) for i in range(7)])
    assert text == "Stopped 0, 1, 2, 3, 4 and 2 more." and not failed
