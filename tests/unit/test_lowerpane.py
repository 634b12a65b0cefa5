"""The lower pane's mode: hidden at first in a short terminal, `b` cycles, the choice then holds."""

from __future__ import annotations

from dockertui.model.lowerpane import DETAILS, HIDDEN, LOGS, SHORT, LowerPaneChoice, logs_subtitle


def test_the_height_decides_until_the_user_chooses() -> None:
    choice = LowerPaneChoice()
    assert choice.mode(24) == HIDDEN and choice.mode(SHORT - 1) == HIDDEN
    assert choice.mode(SHORT) == DETAILS and choice.mode(50) == DETAILS
    assert choice.cycle(24) == DETAILS, "hidden in a short terminal: b shows the details"
    assert choice.mode(24) == DETAILS and choice.mode(50) == DETAILS, "chosen: the height no longer decides"


def test_b_cycles_details_logs_hidden() -> None:
    choice = LowerPaneChoice()
    assert [choice.cycle(40) for _ in range(4)] == [LOGS, HIDDEN, DETAILS, LOGS]
    assert choice.mode(10) == LOGS


def test_the_subtitle_counts_what_was_dropped() -> None:
    assert logs_subtitle(12, 0, "following") == "12 lines · following"
    assert logs_subtitle(1000, 4200, "following") == "1,000 lines · 4,200 older dropped · following"
