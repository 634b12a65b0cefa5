"""The config file: every problem names its line and keeps the default; any text is safe."""

from __future__ import annotations

from hypothesis import given, strategies as st

from dockertui.model.config import EXAMPLE, Settings, parse_settings

IDS = frozenset({"logs", "quit", "only-this-image"})


def test_the_example_is_valid_and_means_the_defaults() -> None:
    assert parse_settings(EXAMPLE, IDS) == (Settings(), [])


def test_values_and_keys() -> None:
    text = 'theme = "nord"\nread_only = true\n[exec]\nshell = "/bin/sh -l"\n[logs]\ntail = 50\n[keys]\nlogs = "l, L"\n'
    settings, problems = parse_settings(text, IDS)
    assert problems == []
    assert settings.theme == "nord" and settings.read_only and settings.exec_shell == ("/bin/sh", "-l")
    assert settings.log_tail == 50 and dict(settings.keys) == {"logs": "l,L"}
    assert parse_settings('[exec]\nshell = ["/bin/bash", "-l"]\n', IDS)[0].exec_shell == ("/bin/bash", "-l")


def test_each_problem_names_its_line_and_keeps_the_default() -> None:
    text = 'mouse = "yes"\n\n[logs]\ntail = -3\n[keys]\nnope = "x"\nquit = "two words"\n[colours]\nred = 1\n'
    settings, problems = parse_settings(text, IDS)
    assert settings.mouse is False and settings.log_tail == 1000 and not settings.keys
    assert problems[0].startswith("line 1: mouse must be true or false")
    assert problems[1].startswith("line 4: logs.tail must be a positive whole number") and "using 1000" in problems[1]
    assert problems[2].startswith("line 6: keys.nope: no binding has that id")
    assert problems[3].startswith("line 7: keys.quit:")
    assert problems[4].startswith("line 9: colours.red is not a setting")


def test_broken_toml_means_all_defaults_and_says_where() -> None:
    settings, problems = parse_settings('theme = "nord"\nread_only = tru\n', IDS)
    assert settings == Settings()
    assert len(problems) == 1 and "line 2" in problems[0]


@given(st.text(max_size=200))
def test_any_text_gives_settings(text: str) -> None:
    settings, problems = parse_settings(text, IDS)
    assert isinstance(settings, Settings) and all(isinstance(p, str) for p in problems)
