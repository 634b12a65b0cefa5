"""Untrusted text stays on screen: a container that writes escape sequences everywhere it can
(logs, a label, an env value, its command, its health-check output, its events) is opened in
every view on a real pty, and the bytes written to the terminal carry none of its sequences.
Signals end the app with the terminal restored. Assertions are on the captured bytes."""

from __future__ import annotations

import os
import signal
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from ..ptyapp import PtyApp

pytestmark = pytest.mark.engine

OSC52 = "\x1b]52;c;ZXZpbA==\x07"
PROJECT = "\x1b]0;PWNED\x07" + OSC52 + "\x1b[5mblink"
# printf octal escapes: the container itself writes the raw bytes (ESC, BEL, C1 as UTF-8, bad UTF-8)
LOG = (
    r"printf 'osc52 \033]52;c;ZXZpbA==\007 title \033]0;TITLE\007 clear \033[2J c1 \302\233 bad \377 end\n'; "
    r"head -c 100000 /dev/zero | tr '\000' x; echo; "
    r"printf 'unterminated \033]0;never-ended\n'; echo after-all; sleep 3600"
)
# what must never reach the terminal (as text: U+009B is the C1 CSI)
FORBIDDEN = ["\x1b]52;", "\x1b]0;PWNED", "\x1b]0;TITLE", "\x1b]0;HEALTH", "\x1b]0;never", "\x1b[5m", "\u009b", "\x1b[2J\x1b[H"]


@pytest.fixture
def hostile(observer: docker.DockerClient, run_label: str) -> docker.models.containers.Container:
    health = {"Test": ["CMD", "sh", "-c", r"printf 'sick \033]0;HEALTH\007'; exit 1"], "Interval": 1_000_000_000, "Retries": 1}
    return observer.containers.run(
        "demo/base:latest", ["sh", "-c", LOG, "\x1b[2J\x1b[H"], detach=True, name=f"aaa-hostile-{run_label}",
        labels={"dockertui.test": run_label, "com.docker.compose.project": PROJECT},
        environment={"SECRET": OSC52}, healthcheck=health,
    )


@pytest.fixture
def app_in_pty(demo_engine: str, tmp_path: Path) -> Iterator[PtyApp]:
    app = PtyApp(["-H", demo_engine], {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache")}, cols=220, rows=50)
    yield app
    app.close()


def written(app: PtyApp, since: int = 0) -> str:
    return bytes(app.output[since:]).decode("utf-8", "replace")


def test_nothing_from_a_hostile_container_reaches_the_terminal(app_in_pty: PtyApp, hostile, run_label: str) -> None:
    app = app_in_pty
    name = f"aaa-hostile-{run_label}"
    app.wait_for(name)
    time.sleep(2.5)  # the health check has failed by now: an event with its output, a problem
    start = app.mark()
    app.type("/", *name, "enter")
    time.sleep(1.5)
    app.wait_for("␛]0;PWNED", since=0)  # the label is shown, as text
    for key, shown in (("l", "after-all"), ("i", "Config"), ("v", "secrets shown"), ("E", "Action"), ("!", "acknowledge"),
                       ("t", "Processes")):
        app.type(key)
        app.wait_for(shown, since=start)
        if key in ("i", "t"):
            time.sleep(2.5)  # the inspect tree and the process list (its command line) drawn in full
        if key != "i":
            back = app.mark()
            app.type("escape")
            app.wait_for("Start/stop", since=back)  # the dashboard again, before the next key
    app.type("q")
    assert app.wait_exit() == 0, app.text_since(start)[-3000:]
    out = written(app)
    for seq in FORBIDDEN:
        assert seq not in out, f"{seq!r} reached the terminal"
    assert "\x1b[2J" not in written(app, start)
    text = app.text_since(0)
    assert "osc52 ␛]52;c;ZXZpbA==␇" in text  # shown as visible marks in the logs
    assert "c1 <9b> bad \ufffd end" in text


def stty(fd: int) -> list:
    return termios.tcgetattr(fd)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["TERM", "HUP", "INT"])
@pytest.mark.parametrize("view", ["dashboard", "logs"])
def test_signals_end_the_app_and_restore_the_terminal(demo_engine: str, tmp_path: Path, signum: int, view: str) -> None:
    app = PtyApp(["-H", demo_engine], {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache")})
    try:
        before = stty(app.fd)
        app.wait_for("demo-web")
        if view == "logs":
            m = app.mark()
            app.type("/", *"demo-web", "enter")
            time.sleep(1.5)  # the filter applied and the table focused: the next key goes to the table
            app.type("l")
            app.wait_for("Logs: demo-web", since=m)
        time.sleep(0.3)
        mark = app.mark()
        os.kill(app.pid, signum)
        code = app.wait_exit(timeout=5)
        assert code == 128 + signum
        out = written(app, mark)
        assert "\x1b[?1049l" in out and "\x1b[?25h" in out, repr(out[-200:])  # main screen back, cursor shown
        assert "Traceback" not in app.text_since(0)
        assert stty(app.fd) == before
    finally:
        app.close()


def test_signal_while_a_shell_is_open(demo_engine: str, tmp_path: Path) -> None:
    app = PtyApp(["-H", demo_engine], {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache")})
    try:
        before = stty(app.fd)
        app.wait_for("demo-web")
        mark = app.mark()
        app.type("/", *"demo-web", "enter")
        time.sleep(1.5)
        app.type("e")
        app.wait_for("# ", since=mark)
        os.kill(app.pid, signal.SIGTERM)
        assert app.wait_exit(timeout=5) == 128 + signal.SIGTERM
        assert stty(app.fd) == before
        assert "\x1b[?25h" in written(app, mark)
    finally:
        app.close()


@pytest.mark.parametrize(
    ("term", "lang"),
    [("xterm-256color", "C.UTF-8"), ("screen-256color", "C.UTF-8"), ("tmux-256color", "C.UTF-8"), ("xterm", "C.UTF-8"),
     ("linux", "C.UTF-8"), ("xterm-256color", "C")],
)
def test_every_terminal_type_gets_a_readable_screen(demo_engine: str, tmp_path: Path, term: str, lang: str) -> None:
    """16-colour terminals get the theme made of the terminal's own colours (no 256-colour or
    true-colour codes are sent); a terminal without UTF-8 gets nothing but ASCII."""
    app = PtyApp(["-H", demo_engine], {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache"), "TERM": term, "LANG": lang, "LC_ALL": ""})
    try:
        app.wait_for("demo-web")
        time.sleep(1.5)
        app.type("q")
        assert app.wait_exit() == 0
        out = written(app)
        if term in ("xterm", "linux"):
            assert "38;2;" not in out and "38;5;" not in out and "48;2;" not in out, "colours beyond 16 were sent"
        else:
            assert "38;2;" in out or "38;5;" in out
        if lang == "C":
            assert bytes(app.output).isascii(), "a non-ASCII byte was sent to a terminal without UTF-8"
            assert "+-" in app.text_since(0)  # borders drawn with ASCII
        else:
            assert "╭─" in app.text_since(0)
    finally:
        app.close()


def test_keys_typed_in_one_burst_after_slash_go_to_the_filter(demo_engine: str, tmp_path: Path) -> None:
    """A paste, or a fast typist over a slow link: '/' and what follows arrive in one read. None of
    the following keys may act on the dashboard (here each would be refused by read-only mode, which
    says so: no such sentence may appear)."""
    app = PtyApp(["-H", demo_engine, "--read-only"], {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache")})
    try:
        app.wait_for("demo-web")
        time.sleep(1.5)
        mark = app.mark()
        os.write(app.fd, b"/sdrpeK")  # start/stop, remove, restart, pause, shell, kill: all refused if they act
        app.wait_for("filter: sdrpeK", since=mark)
        time.sleep(1.0)
        assert "Read-only mode" not in app.text_since(mark)
        app.type("escape", "q")
        assert app.wait_exit() == 0
    finally:
        app.close()


def test_a_burst_that_opens_a_view_types_the_rest_into_it(demo_engine: str, tmp_path: Path) -> None:
    """`E` and a filter in one read: the events view opens and gets the whole filter (Textual would
    route `:` at once, to the palette, and the letters to the table, before `E` acted); `l/` in
    one read opens the logs and their search, not the dashboard's filter."""
    app = PtyApp(["-H", demo_engine, "--read-only"], {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache")}, cols=80, rows=24)
    try:
        app.wait_for("demo-web")
        time.sleep(1.5)
        mark = app.mark()
        os.write(app.fd, b"Eaction:die")
        app.wait_for("action:die", since=mark)
        time.sleep(0.5)
        text = app.text_since(mark)
        assert "Events" in text and "\U0001f50e" not in text, text[-1500:]  # the view, and no palette
        app.type("escape", "escape")
        time.sleep(0.5)
        mark = app.mark()
        os.write(app.fd, b"l/zz")
        app.wait_for("following", since=mark)
        time.sleep(0.5)
        assert "filter: zz" not in app.text_since(mark)
        app.type("escape", "escape", "escape", "q")
        assert app.wait_exit() == 0
    finally:
        app.close()
