"""The config file: every problem names its line and keeps the default; any text is safe."""

from __future__ import annotations

from hypothesis import given, strategies as st

from dockertui.model.config import EXAMPLE, Settings, canonical_key, key_clashes, parse_settings

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


def test_bad_shells_and_key_lists_name_their_lines() -> None:
    text = '[exec]\nshell = "/bin/sh -c \'oops"\n[keys]\nlogs = ""\nquit = "q, "\nonly-this-image = 3\n'
    settings, problems = parse_settings(text, IDS)
    assert settings == Settings()
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 4", "line 5", "line 6"]
    assert "exec.shell has unbalanced quotes" in problems[0] and problems[0].endswith("using /bin/bash when the container has it, else /bin/sh")
    assert parse_settings('[exec]\nshell = [1, 2]\n', IDS)[1][0].startswith("line 2: exec.shell must be a command")


def test_ssh_settings_and_their_problems_name_their_lines() -> None:
    text = '[ssh]\nconfig = "/tmp/test_ssh_config"\noptions = ["ServerAliveInterval=30", "ProxyJump bastion"]\n'
    settings, problems = parse_settings(text, IDS)
    assert problems == []
    assert settings.ssh_config == "/tmp/test_ssh_config"
    assert settings.ssh_options == ("ServerAliveInterval=30", "ProxyJump bastion")
    bad = '# ssh\n[ssh]\nconfig = 3\noptions = ["=x", "Port=22"]\n'
    settings, problems = parse_settings(bad, IDS)
    assert settings == Settings()
    assert problems[0].startswith("line 3: ssh.config must be a file path") and problems[0].endswith("using your own ssh config")
    assert problems[1].startswith("line 4: ssh.options has '=x'") and problems[1].endswith("using no extra options")
    assert parse_settings('ssh.options = "Compression=yes"\n', IDS)[0].ssh_options == ("Compression=yes",)


def test_lines_are_found_for_dotted_keys_and_commented_headers() -> None:
    text = '# comment = 1\nlogs.tail = 0\n[keys]   # rebindings\nnope = "x"\n[ "events" ]\nkeep = -1\n'
    problems = parse_settings(text, IDS)[1]
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 4", "line 6"]
    assert problems[2].startswith("line 6: events.keep")


def test_an_unknown_theme_names_its_line_when_the_themes_are_known() -> None:
    settings, problems = parse_settings('mouse = true\ntheme = "solarised"\n', IDS, themes=frozenset({"nord", "textual-dark"}))
    assert settings.theme == "auto" and settings.mouse is True
    assert problems == ["line 2: theme 'solarised' is not a theme (known: nord, textual-dark); using 'auto'"]
    assert parse_settings('theme = "nord"\n', IDS, themes=frozenset({"nord"})) == (Settings(theme="nord"), [])


DEFAULT_KEYS = {"logs": "l", "quit": "q", "only-this-image": "o", "help": "question_mark"}


def test_a_key_taken_from_another_binding_is_a_problem_naming_the_line() -> None:
    text = '[keys]\nonly-this-image = "O"\nquit = "?"\n'
    settings, problems = parse_settings(text, IDS, default_keys=DEFAULT_KEYS)
    assert dict(settings.keys) == {"only-this-image": "O", "quit": "?"}, "the user's choice is kept"
    assert problems == ["line 3: keys.quit: '?' is also the key of 'help'; only one of them can have it: "
                        "give 'help' another key in [keys]"]


def test_swapping_two_keys_is_no_clash_and_a_shared_key_is_reported_once() -> None:
    swap = '[keys]\nlogs = "o"\nonly-this-image = "l"\n'
    assert parse_settings(swap, IDS, default_keys=DEFAULT_KEYS)[1] == []
    both = '[keys]\nlogs = "x"\nonly-this-image = "x"\n'
    problems = parse_settings(both, IDS, default_keys=DEFAULT_KEYS)[1]
    assert len(problems) == 1 and problems[0].startswith("line 2: keys.logs: 'x' is also the key of 'only-this-image'")
    assert key_clashes({"quit": "slash"}, {"quit": "q", "filter": "/"}) == [("quit", "slash", "filter")]


def test_multiplexer_prefixes_are_the_users_choice() -> None:
    settings, problems = parse_settings('[keys]\nquit = "ctrl+a,ctrl+b"\n', IDS, default_keys=DEFAULT_KEYS)
    assert problems == [] and settings.keys["quit"] == "ctrl+a,ctrl+b"


def test_canonical_keys_are_textuals_names() -> None:
    assert [canonical_key(k) for k in ["?", "/", "!", "%", ":", "-", "a", "L", "f5", "ctrl+r"]] == [
        "question_mark", "slash", "exclamation_mark", "percent_sign", "colon", "minus", "a", "L", "f5", "ctrl+r"]


def test_broken_toml_means_all_defaults_and_says_where() -> None:
    settings, problems = parse_settings('theme = "nord"\nread_only = tru\n', IDS)
    assert settings == Settings()
    assert len(problems) == 1 and "line 2" in problems[0]


@given(st.text(max_size=200))
def test_any_text_gives_settings(text: str) -> None:
    settings, problems = parse_settings(text, IDS, default_keys=DEFAULT_KEYS, themes=frozenset({"nord"}))
    assert isinstance(settings, Settings) and all(isinstance(p, str) for p in problems)


LINES = st.sampled_from(['theme = "nord"', "theme = 3", "mouse = true", "mouse = 1", "[logs]", "tail = 5", "tail = 0", "[keys]",
                         'logs = "L"', 'quit = "?"', 'nope = "x"', "[exec]", 'shell = "sh"', "[events]", "keep = 9", "# x = 1", ""])


@given(st.lists(LINES, max_size=12))
def test_toml_like_text_gives_settings_and_each_problem_a_real_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    settings, problems = parse_settings(text, IDS, default_keys=DEFAULT_KEYS, themes=frozenset({"nord", "textual-dark"}))
    assert isinstance(settings, Settings)
    for problem in problems:
        if problem.startswith("line "):
            assert 1 <= int(problem.split(":")[0].split()[1]) <= len(lines)


def test_engines_list() -> None:
    from dockertui.model.config import EngineSpec

    text = ('[[engines]]\nname = "prod"\nhost = "ssh://admin@prod"\nread_only = true\n'
            '[[engines]]\nname = "local"\ncontext = "default"\n'
            '[[engines]]\nname = "both"\nhost = "unix:///x"\ncontext = "y"\n'
            '[[engines]]\nhost = "unix:///nameless"\n')
    settings, problems = parse_settings(text, IDS)
    assert settings.engines == (EngineSpec("prod", "ssh://admin@prod", "", True), EngineSpec("local", "", "default", False))
    assert any("'both' needs exactly one of host or context" in p for p in problems)
    assert any("has no name" in p for p in problems)
