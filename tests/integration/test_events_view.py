"""`E` and `!`: the events view follows the engine live and jumps to what an event names; a
container that exits non-zero raises the problems badge, and the list jumps to it."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest
from textual.command import CommandPalette

from dockertui.engine.endpoint import resolve_endpoint
from dockertui.model.config import Settings
from dockertui.model.eventfold import ProbeFold, is_probe
from dockertui.model.events import EngineEvent
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.eventsview import EventsScreen, ProblemsScreen
from dockertui.ui.screens.help import HelpScreen
from dockertui.ui.screens.main import MainScreen

from ..helpers import wait_loaded, wait_until
from .test_findable import listed

pytestmark = pytest.mark.engine


async def test_events_view_filters_follows_and_jumps(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path, settings=Settings(events_keep=50))
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await wait_loaded(pilot)
            main = app.screen
            assert isinstance(main, MainScreen)
            await pilot.press("E")
            assert isinstance(app.screen, EventsScreen)
            view = app.screen
            name = f"ev-{run_label}"
            view.query_one("#events-filter").value = name  # type: ignore[attr-defined]
            await wait_until(pilot, lambda: view.query_text == name, 5, "the filter applied")
            view.table.focus()
            c = observer.containers.run("demo/base:latest", ["sh", "-c", "exit 5"], detach=True, name=name, labels={"dockertui.test": run_label})
            await wait_until(pilot, lambda: "die" in [e.action for e in view.shown], 10, "the live events")
            actions = [e.action for e in view.shown]
            assert actions[:3] == ["create", "start", "die"], actions
            die_row = actions.index("die")
            assert "exitCode=5" in str(view.table.get_row_at(die_row)[4])
            view.table.move_cursor(row=die_row)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), 5, "the jump back")
            await wait_until(pilot, lambda: main.table.current is not None and main.table.current.id == c.id, 5, "the container's row")
            assert main.table.has_focus
            # bounded: a burst beyond `keep` leaves at most 50 rows, live
            await pilot.press("E")
            view = app.screen
            assert isinstance(view, EventsScreen)
            for i in range(60):
                observer.api.tag("demo/base:latest", f"dtt-{run_label}/burst", f"t{i}")
            await wait_until(pilot, lambda: len(view.shown) == 50 and view.table.row_count == 50, 10, "the view capped at keep=50")
            # the newest event is the last tag (a health-check fold may sit among them, where its last probe is)
            assert [line for line in view.shown if not isinstance(line, ProbeFold)][-1].action == "tag"
    finally:  # the tags are on a demo image: they carry no test label
        for tag in observer.images.get("demo/base:latest").tags:
            if tag.startswith(f"dtt-{run_label}/"):
                observer.images.remove(tag)


async def test_a_failed_container_raises_the_problems_badge(demo_engine: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        at_start = len(main.problems)
        assert at_start >= 1, "demo-batch-failed (exit 3) is a problem from the first listing"
        c = observer.containers.run("demo/base:latest", ["sh", "-c", "exit 7"], detach=True, name=f"bad-{run_label}",
                                    labels={"dockertui.test": run_label})
        await wait_until(pilot, lambda: len(main.problems) == at_start + 1, 10, "the new problem")
        # the badge follows once the refresh the event asked for is done (an engine round trip later)
        await wait_until(pilot, lambda: f"{at_start + 1} problems" in str(main.bar.render()), 10, "the badge")
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ProblemsScreen)
        problems = app.screen
        row = next(i for i, p in enumerate(problems.shown) if p.container_id == c.id)
        assert problems.shown[row].detail == "exit code 7"
        problems.table.move_cursor(row=row)
        await pilot.press("x")  # acknowledge
        assert len(main.problems) == at_start
        await pilot.press("escape")
        c.start()
        await wait_until(pilot, lambda: len(main.problems) == at_start + 1, 10, "the problem again")
        await pilot.press("exclamation_mark")
        problems = app.screen
        assert isinstance(problems, ProblemsScreen)
        problems.table.move_cursor(row=next(i for i, p in enumerate(problems.shown) if p.container_id == c.id))
        await pilot.press("enter")
        await wait_until(pilot, lambda: main.table.current is not None and main.table.current.id == c.id, 5, "the container's row")


async def test_a_container_that_could_not_start_is_a_problem(demo_engine: str, observer: docker.DockerClient, run_label: str,
                                                             tmp_path: Path) -> None:
    """`docker run` of a missing command: the engine reports the create and nothing else; the
    container stays "created" with State.Error. It is a problem, with the engine's reason."""
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        c = observer.containers.create("demo/base:latest", ["/no/such/program"], name=f"nostart-{run_label}",
                                       labels={"dockertui.test": run_label})
        with pytest.raises(docker.errors.APIError):
            c.start()

        def failed() -> list[str]:
            return [p.detail for p in main.problems.current() if p.container_id == c.id and p.kind == "start-failed"]
        await wait_until(pilot, lambda: bool(failed()), 15, "the failed start as a problem")
        assert "/no/such/program" in failed()[0]
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ProblemsScreen)
        shown = next(p for p in app.screen.shown if p.container_id == c.id)
        assert shown.title == "could not start"
    # a later look (the app started after the failure) finds it in the first listing
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_loaded(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_until(pilot, lambda: any(p.container_id == c.id and p.kind == "start-failed" for p in main.problems.current()),
                         10, "the failed start from the first listing")


async def test_events_view_types_every_key_into_its_filter_and_folds_probes(demo_engine: str, tmp_path: Path) -> None:
    """Type to filter: `:` and `?` are letters there (no palette, no help); each container's
    health-check probes are one line (shop-api-1 probes every few seconds) until ctrl+e."""
    app = DockerTUI(resolve_endpoint(host=demo_engine, env={}), cache_root=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("E")
        view = app.screen
        assert isinstance(view, EventsScreen)
        await pilot.press(*"action:exec_die?")
        assert app.screen is view and view.box.value == "action:exec_die?"
        assert view.query_text == "action:exec_die?"
        await pilot.press("escape")  # clears the box
        assert app.screen is view and view.box.value == "" and view.table.has_focus
        await pilot.press(*"name:shop-api")
        await pilot.press("enter")
        assert view.table.has_focus
        await wait_until(pilot, lambda: any(isinstance(x, ProbeFold) for x in view.shown), 15, "a probe line")
        folds = [x for x in view.shown if isinstance(x, ProbeFold)]
        assert len(folds) == 1 and folds[0].name == "shop-api-1"
        assert not any(isinstance(x, EngineEvent) and is_probe(x) for x in view.shown)
        row = view.shown.index(folds[0])
        assert str(view.table.get_row_at(row)[2]).startswith("exec ×")
        await pilot.press("ctrl+e")
        assert not any(isinstance(x, ProbeFold) for x in view.shown)
        assert sum(1 for x in view.shown if isinstance(x, EngineEvent) and is_probe(x)) >= folds[0].count
        await pilot.press("ctrl+e")
        assert any(isinstance(x, ProbeFold) for x in view.shown)
        # help is in ctrl+p there, and runs
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), 5, "the palette")
        await pilot.press(*"help")
        await wait_until(pilot, lambda: bool(listed(app)) and str(listed(app)[0].hit.text) == "Help", 5, "Help first")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), 5, "the keys of the events view")
        assert "events-probes" in {row.binding_id for row in app.screen.rows}  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is view, 5, "back on the events")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
