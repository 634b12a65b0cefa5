"""The events view folds each container's health-check probes into one line (model/eventfold.py)."""

from dockertui.model.eventfold import ProbeFold, cell_width, cut, fold_lines, is_probe
from dockertui.model.events import EngineEvent


def ev(action: str, actor: str, t: int, **attrs: str) -> EngineEvent:
    return EngineEvent("container", action, actor, t, {"name": f"name-{actor}", **attrs})


def probe(actor: str, t: int, exit_code: str = "0") -> list[EngineEvent]:
    return [ev("exec_create", actor, t), ev("exec_start", actor, t + 1), ev("exec_die", actor, t + 2, exitCode=exit_code)]


def test_probes_fold_into_one_line_per_container_at_their_last_time() -> None:
    events = [ev("start", "a", 1), *probe("a", 10), ev("start", "b", 20), *probe("b", 30), *probe("a", 40, "1"), ev("die", "b", 50)]
    lines, folds = fold_lines(events)
    assert [type(x).__name__ for x in lines] == ["EngineEvent", "EngineEvent", "ProbeFold", "ProbeFold", "EngineEvent"]
    b, a = lines[2], lines[3]
    assert isinstance(a, ProbeFold) and isinstance(b, ProbeFold)
    assert (a.container_id, a.count, a.time_nano, a.result()) == ("a", 6, 42, "exit 1")
    assert (b.container_id, b.count, b.time_nano, b.result()) == ("b", 3, 32, "ok")
    assert a.describe()[2:] == ("exec ×6", "name-a", "last exit 1, 6 probes")
    assert set(folds.by_container) == {"a", "b"}


def test_unfolded_every_event_is_its_own_line() -> None:
    events = [ev("start", "a", 1), *probe("a", 10)]
    lines, _ = fold_lines(events, fold=False)
    assert lines == events


def test_a_probe_still_running_says_so_and_other_types_never_fold() -> None:
    events = [ev("exec_create", "a", 1), ev("exec_start", "a", 2), EngineEvent("image", "exec_start", "i", 3)]
    lines, _ = fold_lines(events)
    assert len(lines) == 2 and isinstance(lines[0], ProbeFold) and lines[0].result() == "running"
    assert not is_probe(events[2]) and is_probe(events[0])


def test_the_fold_counts_live_probes() -> None:
    _, folds = fold_lines([])
    first = folds.add(ev("exec_die", "a", 5, exitCode="0"))
    again = folds.add(ev("exec_die", "a", 7, exitCode="3"))
    assert first is again and again.count == 2 and again.result() == "exit 3" and again.key == "probes:a"


def test_cut_keeps_columns_in_their_cells() -> None:
    assert cut("short", 10) == "short"
    assert cut("a-very-long-container-name", 10) == "a-very-lo…"
    assert cell_width(cut("日本語の名前です", 7)) <= 7
    assert cut("abc", 0) == ""
