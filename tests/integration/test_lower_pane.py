"""`b`: the dashboard's lower pane cycles details → logs → hidden; the logs follow the table's cursor
with one stream at a time, closed when the pane hides or another screen covers the dashboard; a
flood stays bounded; a container's escape sequences are drawn as marks. On the private engine."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.lowerpane import DETAILS, HIDDEN, LOGS, PANE_LINES
from dockertui.ui.app import DockerTUI, EngineTarget
from dockertui.ui.screens.help import HelpScreen
from dockertui.ui.screens.main import MainScreen
from dockertui.ui.widgets.lower_pane import LowerPane

from ..helpers import plain, sockets, wait_loaded, wait_until
from .test_actions import only_mine

pytestmark = pytest.mark.engine

SWITCHES = 30


def shown(pane: LowerPane) -> str:
    """What the pane shows, read from what is displayed (not from its mode field)."""
    if not pane.display:
        return HIDDEN
    return DETAILS if pane.query_one("#details-scroll").display else LOGS


def pane_streams(app: DockerTUI) -> int:
    """The pane's log workers still running."""
    return sum(1 for w in app.workers if w.group == "pane-logs" and w.is_running)


def talker(observer: docker.DockerClient, run_label: str, name: str, script: str):  # type: ignore[no-untyped-def]
    return observer.containers.run("demo/base:latest", ["sh", "-c", script], detach=True, name=f"{name}-{run_label}",
                                   labels={"dockertui.test": run_label}, stop_signal="SIGKILL")


async def test_b_cycles_the_pane_hidden_at_first_in_a_short_terminal_and_the_choice_holds_on_every_engine(
    demo_engine: str, tmp_path: Path
) -> None:
    endpoint = resolve_endpoint(host=demo_engine, env={})
    app = DockerTUI(endpoint, cache_root=tmp_path, targets=[EngineTarget("one", endpoint), EngineTarget("two", endpoint)])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        first = app.screen
        assert isinstance(first, MainScreen)
        pane = first.lower_pane
        assert shown(pane) == HIDDEN, "under 30 rows the pane starts hidden"
        assert first.table.scrollable_content_region.height >= 13, "80x24: a header and at least 12 container rows"
        assert plain(first.query_one("#details")).strip() == "", "no details asked for a hidden pane"
        await pilot.resize_terminal(100, 35)  # no choice yet: the pane follows the terminal's height
        await wait_until(pilot, lambda: shown(pane) == DETAILS and plain(first.query_one("#details")).strip() != "", 5,
                         "the details, asked for when shown")
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: shown(pane) == HIDDEN, 5, "hidden again")
        for want in (DETAILS, LOGS, HIDDEN, DETAILS, LOGS):
            await pilot.press("b")
            await wait_until(pilot, lambda: shown(pane) == want, 5, f"the pane: {want}")
        await pilot.resize_terminal(100, 35)  # chosen: the height no longer decides
        await pilot.pause(0.2)
        assert shown(pane) == LOGS
        await wait_until(pilot, lambda: pane_streams(app) == 1, 5, "the stream of the selected container")
        app.show_host(1)  # the other engine's dashboard: the same choice; this one's stream stops
        await wait_until(pilot, lambda: app.screen is not first and bool(app.screen.query(LowerPane)), 5, "engine two")
        await wait_loaded(pilot)
        second = app.screen
        assert isinstance(second, MainScreen)
        assert shown(second.lower_pane) == LOGS, "the choice holds on every engine"
        await wait_until(pilot, lambda: first.lower_pane.streaming is None and pane_streams(app) == 1, 5,
                         "one stream: the shown engine's")
        await pilot.press("b")
        await wait_until(pilot, lambda: shown(second.lower_pane) == HIDDEN and pane_streams(app) == 0, 5, "hidden, no stream")
        app.show_host(0)
        await wait_until(pilot, lambda: app.screen is first and shown(pane) == HIDDEN, 5, "engine one, hidden as chosen on two")


async def test_the_logs_follow_the_cursor_with_one_stream_closed_when_hidden_or_covered(
    demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path
) -> None:
    talker(observer, run_label, "a", 'i=0; while true; do i=$((i+1)); echo "alpha $i"; sleep 0.2; done')
    talker(observer, run_label, "b", 'i=0; while true; do i=$((i+1)); echo "beta $i"; sleep 0.2; done')
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        screen = await only_mine(pilot, run_label, 2)
        pane = screen.lower_pane
        assert shown(pane) == DETAILS
        await pilot.press("b")
        assert shown(pane) == LOGS

        async def shows_current() -> None:
            c = screen.table.current
            assert c is not None
            word, other = ("alpha", "beta") if c.name.startswith("a-") else ("beta", "alpha")

            def ready() -> bool:
                texts = [line.text for line in pane.ring]
                return (pane.streaming == c.id and any(t.startswith(word) for t in texts)
                        and not any(t.startswith(other) for t in texts))

            await wait_until(pilot, ready, 10, f"the lines of {c.name} alone")

        await shows_current()
        assert str(pane.logs.border_title).startswith("Logs: ")
        await pilot.pause(0.3)
        before = sockets()
        for n in range(SWITCHES):
            await pilot.press("j" if n % 2 == 0 else "k")
            await shows_current()
            assert pane_streams(app) <= 1
        await pilot.pause(0.3)
        after = sockets()
        assert after <= before + 1, f"{after - before} more sockets after {SWITCHES} switches"
        await pilot.press("b")  # hidden: the stream closes, its socket with it (hiding asks the engine nothing)
        assert shown(pane) == HIDDEN
        await wait_until(pilot, lambda: pane_streams(app) == 0 and pane.streaming is None, 5, "no stream while hidden")
        await wait_until(pilot, lambda: sockets() < after, 5, "the stream's socket closed")
        await pilot.press("b", "b")  # details (no stream), then the logs again
        await shows_current()
        await pilot.press("question_mark")  # another screen over the dashboard: the stream stops meanwhile
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), 5, "the keys screen")
        await wait_until(pilot, lambda: pane_streams(app) == 0 and pane.streaming is None, 5, "no stream while covered")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, 5, "back on the dashboard")
        await shows_current()
        await pilot.press("tab")  # into the logs (j/k scroll them)
        assert app.focused is pane.logs
        await pilot.press("b")  # hidden: the focus goes back to the table
        assert shown(pane) == HIDDEN and app.focused is screen.table


async def test_a_flood_stays_bounded_and_escape_sequences_are_drawn_as_marks(
    demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path
) -> None:
    ctl = talker(observer, run_label, "ctl",
                 r"printf 'before \033]0;pwned\007 \033[31mred\033[0m [bold]x[/bold] end\n'; sleep 3600")
    flood = talker(observer, run_label, "flood", 'i=0; while true; do i=$((i+1)); echo "line $i"; done')
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_loaded(pilot)
            screen = await only_mine(pilot, run_label, 2)
            pane = screen.lower_pane
            await pilot.press("b")
            assert screen.table.select(ctl.id)
            await wait_until(pilot, lambda: pane.streaming == ctl.id and len(pane.ring) == 1, 10, "the control line")
            await pilot.pause(0.2)  # painted
            view = pane.logs
            strips = [view.render_line(y) for y in range(view.size.height)]
            drawn = "".join(seg.text for strip in strips for seg in strip)
            assert "before ␛]0;pwned␇ ␛[31mred␛[0m [bold]x[/bold] end" in drawn, "marks, and markup as text"
            assert "\x1b" not in drawn and "\x07" not in drawn
            ctl.kill()  # its stream ends; started again, the pane follows it again
            await wait_until(pilot, lambda: pane.ended and "not running" in str(view.border_subtitle), 10, "the end of its stream")
            ctl.start()
            await wait_until(pilot, lambda: sum(line.text.startswith("before") for line in pane.ring) == 2 and not pane.ended,
                             10, "the restarted container's logs")
            assert screen.table.select(flood.id)
            await wait_until(pilot, lambda: pane.streaming == flood.id and "older dropped" in str(view.border_subtitle), 20,
                             "the ring to overflow")
            for _ in range(5):  # still flooding: the ring stays within its bound
                await pilot.pause(0.2)
                assert 0 < len(pane.ring) <= PANE_LINES
                assert all(line.text.startswith("line ") for line in pane.ring), "only the flood's lines"
            await pilot.press("b")
            await wait_until(pilot, lambda: pane_streams(app) == 0, 5, "the flood's stream closed")
    finally:
        flood.kill()
