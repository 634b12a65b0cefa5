"""`C`: Compose projects, from their containers' labels: per project running/total and a row per
service. Start, stop, restart, pause, remove a project's containers as one (through the Engine
API, ordered); its merged logs; up, down, pull and recreate through the Compose tool when it and
the project's files are here (else the view says why not). Live from container events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from ...engine import compose
from ...engine.client import Engine
from ...engine.errors import EngineError
from ...model.compose import PROJECT, ComposeService, Project, is_oneoff, plan
from ...model.events import EngineEvent
from ...model.logring import LogLine
from ...model.text import one_line
from .confirm import ConfirmScreen
from .live import LiveScreen, status_line, sync_table
from .logview import LogsScreen
from ..widgets.lists import ListTable

COLUMNS = ("Project / service", "Running", "Containers", "Notes")
VERB_WORDS = {"start": "Started", "stop": "Stopped", "restart": "Restarted", "pause": "Paused", "unpause": "Unpaused",
              "remove": "Removed"}


def project_cells(p: Project, note: str) -> tuple[Text | str, ...]:
    style = "green" if p.running == p.total else ("yellow" if p.running else "dim")
    return (Text(one_line(p.name, 60), style="bold"), Text(f"{p.running}/{p.total}", style=style),
            f"{len(p.services)} service(s)", Text(one_line(note, 120), style="dim"))


def service_cells(s: ComposeService, last: bool) -> tuple[Text | str, ...]:
    style = "green" if s.running == s.total else ("yellow" if s.running else "dim")
    names = ", ".join(one_line(c.name, 60) for c in s.containers if not is_oneoff(c))
    oneoff = f"{s.oneoff} one-off (run)" if s.oneoff else ""
    deps = f"after {', '.join(s.depends_on)}" if s.depends_on else ""
    return (Text(f"  {'└' if last else '├'} {one_line(s.name, 56)}"), Text(f"{s.running}/{s.total}", style=style),
            one_line(names, 100), Text("  ".join(x for x in (oneoff, deps) if x), style="dim"))


class ComposeScreen(LiveScreen):
    """``s`` start, ``x`` stop, ``r`` restart, ``p`` pause/unpause, ``d`` remove, ``l`` logs; with
    the Compose tool: ``u`` up, ``o`` down, ``U`` pull, ``R`` recreate."""

    EVENT_TYPES = ("container",)
    MUTATING = frozenset({"project", "pause", "tool"})
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="compose-back"),
        Binding("f5,ctrl+r", "reload", "Reload", show=False, id="compose-reload"),
        Binding("s", "project('start')", "Start", id="compose-start"),
        Binding("x", "project('stop')", "Stop", id="compose-stop"),
        Binding("r", "project('restart')", "Restart", id="compose-restart"),
        Binding("p", "pause", "Pause/unpause", id="compose-pause"),
        Binding("d", "project('remove')", "Remove", id="compose-remove"),
        Binding("l", "logs", "Logs", id="compose-logs"),
        Binding("u", "tool('up')", "Up", show=False, id="compose-up"),
        Binding("o", "tool('down')", "Down", show=False, id="compose-down"),
        Binding("U", "tool('pull')", "Pull", show=False, id="compose-pull"),
        Binding("R", "tool('recreate')", "Recreate", show=False, id="compose-recreate"),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.projects: list[Project] = []
        self._row_project: list[str] = []  # the project of each table row
        self.tool: list[str] | None = None
        self.loaded = False
        self.busy: set[str] = set()  # projects with an action running

    def compose(self) -> ComposeResult:
        table: DataTable[Any] = ListTable(cursor_type="row", id="compose-projects")
        table.auto_links = False
        for label in COLUMNS:
            table.add_column(label, key=label)
        yield table
        yield Static("", id="compose-status")
        yield Footer()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#compose-projects", DataTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.find_tool()
        super().on_mount()

    @work(thread=True, group="tool")
    def find_tool(self) -> None:
        tool = compose.find_tool()
        self.app.call_from_thread(self._tool_found, tool)

    def _tool_found(self, tool: list[str] | None) -> None:
        self.tool = tool
        if self.loaded:
            self.show(self.projects)

    def say(self, message: str, error: bool = False) -> None:
        if self.alive:
            status_line(self.query_one("#compose-status", Static), message, error)

    # -- data -------------------------------------------------------------------------------------

    def relevant(self, event: EngineEvent) -> bool:
        return bool(event.attributes.get(PROJECT)) or event.action == "destroy"

    @work(exclusive=True, group="load")
    async def reload(self) -> None:
        try:
            found = await compose.projects(self.engine)
        except EngineError as exc:
            self.say(exc.message, error=True)
            return
        if self.alive:
            self.show(found)
            self.after_reload()

    def note(self, p: Project) -> str:
        return compose.tool_note(p, self.tool)

    def show(self, projects: list[Project]) -> None:
        """Draw these (the snapshot test pins them)."""
        self.projects = projects
        self.loaded = True
        rows: list[tuple[str, tuple[Text | str, ...]]] = []
        owners: list[str] = []
        for p in projects:
            rows.append((f"p:{p.name}", project_cells(p, self.note(p))))
            owners.append(p.name)
            for i, s in enumerate(p.services):
                rows.append((f"s:{p.name}/{s.name}", service_cells(s, i == len(p.services) - 1)))
                owners.append(p.name)
        self._row_project = owners
        sync_table(self.table, rows)
        running = sum(p.running for p in projects)
        total = sum(p.total for p in projects)
        if not projects:
            self.say("No Compose project here: no container carries the com.docker.compose.project label.")
        self.table.border_title = f"{len(projects)} projects, {running}/{total} containers running"

    def selected(self) -> Project | None:
        row = self.table.cursor_row
        if not self._row_project or not 0 <= row < len(self._row_project):
            return None
        name = self._row_project[row]
        return next((p for p in self.projects if p.name == name), None)

    # -- actions through the Engine API -----------------------------------------------------------

    def action_pause(self) -> None:
        p = self.selected()
        if p is not None:
            self.action_project("unpause" if any(c.state == "paused" for c in p.containers) else "pause")

    def action_project(self, verb: str) -> None:
        p = self.selected()
        if p is None or self.refuse_if_read_only(verb):
            return
        if p.name in self.busy:
            self.notify(f"{p.name}: an action is already running.", severity="warning", markup=False)
            return
        targets = plan(p, verb)
        if not targets:
            self.notify(f"Nothing to {verb} in {p.name}.", markup=False)
            return
        if verb == "remove":
            items = [one_line(f"container {c.name} ({c.state}, service {c.labels.get('com.docker.compose.service', '?')})", 200)
                     for c in targets]
            items.append("volumes and networks are kept")
            self.app.push_screen(ConfirmScreen(f"Remove the {len(targets)} container(s) of project {p.name}? Running ones are stopped first.", items),
                                 lambda ok: self._act(p, verb) if ok is not None else None)
            return
        self._act(p, verb)

    @work(group="compose-action")
    async def _act(self, p: Project, verb: str) -> None:
        self.busy.add(p.name)
        self.say(f"{verb} {p.name}…")
        try:
            done = await compose.act(self.engine, p, verb)
        finally:
            self.busy.discard(p.name)
        failed = [d for d in done if d.error]
        ok = len(done) - len(failed)
        message = f"{VERB_WORDS[verb]} {ok} container(s) of {p.name}."
        if failed:
            message += " Failed: " + "; ".join(d.error for d in failed)
        self.say(message, error=bool(failed))
        self.notify(message, severity="error" if failed else "information", markup=False)
        self.reload()

    def action_logs(self) -> None:
        p = self.selected()
        if p is None:
            return
        tail = int(getattr(getattr(self.app, "settings", None), "log_tail", 0) or 1000)
        self.app.push_screen(ProjectLogsScreen(self.engine, p, tail=tail))

    # -- actions through the Compose tool ---------------------------------------------------------

    def action_tool(self, command: str) -> None:
        p = self.selected()
        if p is None or self.refuse_if_read_only(command):
            return
        why = compose.tool_offer(p, self.tool)
        if why:
            self.notify(why, severity="warning", timeout=8, markup=False)
            return
        if command == "down":
            items = [f"container {one_line(c.name, 100)}" for c in p.containers] + ["the project's networks (volumes are kept)"]
            self.app.push_screen(ConfirmScreen(f"docker compose down for {p.name}?", items),
                                 lambda ok: self._run_tool(p, command) if ok is not None else None)
            return
        self._run_tool(p, command)

    @work(group="compose-tool")
    async def _run_tool(self, p: Project, command: str) -> None:
        assert self.tool is not None
        self.say(f"{' '.join(self.tool[-2:])} {command} {p.name}…")
        try:
            code, output = await compose.run_tool(self.engine, p, self.tool, command)
        except OSError as exc:
            self.say(f"Cannot run the Compose tool: {exc}", error=True)
            return
        head = f"{command} {p.name}: " + ("done." if code == 0 else f"failed (exit {code}).")
        self.say(head + ("\n" + output if output else ""), error=code != 0)
        self.notify(head, severity="error" if code else "information", markup=False)
        self.reload()


class ProjectLogsScreen(LogsScreen):
    """A project's logs merged through the logs view, each line prefixed and coloured by service."""

    def __init__(self, engine: Engine, project: Project, tail: int = 1000) -> None:
        super().__init__(engine, None, tail=tail)  # type: ignore[arg-type]
        self.project = project

    @property
    def label(self) -> str:
        return self.project.name

    def state_text(self) -> str:
        return f"project {self.project.name} ({self.project.running}/{self.project.total} running)"

    def end_text(self) -> str:
        return "every container of the project has stopped: not following"

    def open_stream(self) -> AsyncIterator[list[LogLine]]:
        return compose.project_logs(self.engine, self.project, self.tail)


__all__ = ["ComposeScreen", "ProjectLogsScreen"]
