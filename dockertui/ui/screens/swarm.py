"""`W`: the swarm cluster, when the engine is a manager: services (replicas running/desired,
update state), nodes (role, leader, availability, tasks running) and stacks. Enter opens a
service: its tasks by slot, the rolling update as it goes, its logs. Live from the engine's
service, node and container events, owned by the screen."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from ...engine import swarm
from ...engine.client import Engine
from ...engine.errors import EngineError
from ...model.events import EngineEvent
from ...model.fmt import human_age
from ...model.swarm import Node, Service, Stack, Task, group_stacks, running_per_node, update_text
from ...model.text import one_line
from .live import status_line, sync_table
from .swarm_actions import ServiceActions
from ..widgets.lists import ListTable

NODE_STYLE = {"ready": "green", "down": "bold red", "unknown": "yellow", "disconnected": "red"}
AVAILABILITY_STYLE = {"active": "green", "pause": "yellow", "drain": "magenta"}
SERVICE_COLUMNS = ("Name", "Stack", "Mode", "Replicas", "Image", "Ports", "Update")
NODE_COLUMNS = ("Hostname", "Role", "Leader", "Availability", "State", "Engine", "Tasks")
STACK_COLUMNS = ("Stack", "Services", "Replicas")


def now() -> float:
    return time.time()


def converging(svc: Service) -> bool:
    """A rolling update runs, or a service changed in the last two minutes is not at its count yet
    (tasks on other nodes send no event here): worth a one-second poll. A service that has
    failed to converge for longer is not polled forever."""
    if svc.update and svc.update.in_progress:
        return True
    return svc.running != svc.desired and now() - svc.updated < 120


def replicas_cell(svc: Service) -> Text:
    style = "green" if svc.running >= svc.desired and svc.desired else ("yellow" if svc.running else "red")
    if not svc.desired:
        style = "dim"
    return Text(svc.replicas_text, style=style)


def update_cell(svc: Service, tasks: list[Task]) -> Text:
    words = update_text(svc, tasks)
    state = svc.update.state if svc.update else ""
    style = "yellow" if svc.update and svc.update.in_progress else ("red" if "paused" in state else ("magenta" if "rollback" in state else "dim"))
    return Text(one_line(words, 80), style=style)


def service_cells(svc: Service, tasks: list[Task]) -> tuple[Text | str, ...]:
    return (Text(one_line(svc.name, 60), style="bold"), one_line(svc.stack, 40), svc.mode, replicas_cell(svc),
            one_line(svc.image, 60), one_line(", ".join(svc.ports), 60), update_cell(svc, tasks))


def node_cells(node: Node, running: int) -> tuple[Text | str, ...]:
    return (Text(node.hostname, style="bold"), node.role, "★ leader" if node.leader else "",
            Text(node.availability, style=AVAILABILITY_STYLE.get(node.availability, "")),
            Text(node.state, style=NODE_STYLE.get(node.state, "")), node.engine_version, str(running))


def stack_cells(stack: Stack) -> tuple[Text | str, ...]:
    name = Text(one_line(stack.name, 60), style="bold") if stack.name else Text("(no stack)", style="dim")
    services = ", ".join(stack.services)
    count = f"{len(stack.services)}: {one_line(services, 80)}"
    style = "green" if stack.running >= stack.desired else "yellow"
    return (name, count, Text(f"{stack.running}/{stack.desired}", style=style))


class SwarmScreen(ServiceActions):
    """``1``/``2``/``3`` services, nodes, stacks; ``enter`` a service's tasks and logs."""

    EVENT_TYPES = swarm.SWARM_EVENT_TYPES
    BINDINGS = [
        Binding("enter", "open", "Open", id="swarm-open"),
        Binding("1", "tab('services')", "Services", id="swarm-services"),
        Binding("2", "tab('nodes')", "Nodes", id="swarm-nodes"),
        Binding("3", "tab('stacks')", "Stacks", id="swarm-stacks"),
        Binding("s", "scale", "Scale", id="swarm-scale"),
        Binding("F", "force_update", "Rolling restart", id="swarm-force-update"),
        Binding("b", "rollback", "Roll back", show=False, id="swarm-rollback"),
        Binding("d", "remove_service", "Remove", id="swarm-remove"),
        Binding("D", "drain", "Drain", id="swarm-drain"),
        Binding("p", "pause_node", "Pause node", id="swarm-pause-node"),
        Binding("a", "activate", "Activate", id="swarm-activate"),
    ]
    NODE_ACTIONS = frozenset({"drain", "pause_node", "activate"})
    SERVICE_ACTIONS = frozenset({"scale", "force_update", "rollback", "remove_service"})

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.services: list[Service] = []
        self.nodes: list[Node] = []
        self.tasks: list[Task] = []
        self.stacks: list[Stack] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        with TabbedContent(id="swarm-tabs", initial="services"):
            for pane, columns in (("services", SERVICE_COLUMNS), ("nodes", NODE_COLUMNS), ("stacks", STACK_COLUMNS)):
                with TabPane(pane.capitalize(), id=pane):
                    table: DataTable[Any] = ListTable(cursor_type="row", id=f"swarm-{pane}")
                    table.auto_links = False
                    for label in columns:
                        table.add_column(label, key=label)
                    yield table
        yield Static("", id="swarm-status")
        yield Footer()

    def table(self, pane: str) -> DataTable[Any]:
        return self.query_one(f"#swarm-{pane}", DataTable)

    @property
    def pane(self) -> str:
        return self.query_one(TabbedContent).active or "services"

    def on_mount(self) -> None:
        self.table("services").focus()
        super().on_mount()

    def say(self, message: str, error: bool = False) -> None:
        if self.alive:
            status_line(self.query_one("#swarm-status", Static), message, error)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False  # read-only: not offered
        if action in self.NODE_ACTIONS:
            return self.pane == "nodes"
        if action in self.SERVICE_ACTIONS:
            return self.pane == "services"
        return True

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.table(self.pane).focus()
        self.refresh_bindings()

    def action_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane

    # -- data -------------------------------------------------------------------------------------

    def relevant(self, event: EngineEvent) -> bool:
        if event.type in ("service", "node"):
            return True
        return event.type == "container" and bool(event.attributes.get("com.docker.swarm.service.id"))

    @property
    def in_motion(self) -> bool:
        return any(converging(s) for s in self.services)

    @work(exclusive=True, group="load")
    async def reload(self) -> None:
        try:
            services, nodes, tasks = await swarm.services(self.engine), await swarm.nodes(self.engine), await swarm.tasks(self.engine)
        except EngineError as exc:
            self.say(exc.message + (f" {exc.fix}" if exc.fix else ""), error=True)
            return
        if not self.alive:
            return
        self.show(services, nodes, tasks)
        self.after_reload()

    def show(self, services: list[Service], nodes: list[Node], tasks: list[Task]) -> None:
        """Draw these (the snapshot test pins them)."""
        self.services, self.nodes, self.tasks = services, nodes, tasks
        self.stacks = group_stacks(services)
        self.loaded = True
        per_service: dict[str, list[Task]] = {}
        for t in tasks:
            per_service.setdefault(t.service_id, []).append(t)
        sync_table(self.table("services"), [(s.id, service_cells(s, per_service.get(s.id, []))) for s in services])
        per_node = running_per_node(tasks)
        sync_table(self.table("nodes"), [(n.id, node_cells(n, per_node.get(n.id, 0))) for n in nodes])
        sync_table(self.table("stacks"), [(st.name or "-", stack_cells(st)) for st in self.stacks])
        running = sum(s.running for s in services)
        desired = sum(s.desired for s in services)
        self.table("services").border_title = f"{len(services)} services, {running}/{desired} tasks running"
        self.table("nodes").border_title = f"{len(nodes)} nodes"

    def _row(self, pane: str) -> int | None:
        table = self.table(pane)
        return table.cursor_row if table.row_count and 0 <= table.cursor_row < table.row_count else None

    def selected_service(self) -> Service | None:
        row = self._row("services")
        if self.pane != "services" or row is None or row >= len(self.services):
            return None
        return self.services[row]

    def selected_node(self) -> Node | None:
        row = self._row("nodes")
        if self.pane != "nodes" or row is None or row >= len(self.nodes):
            return None
        return self.nodes[row]

    def action_open(self) -> None:
        if self.pane == "stacks":
            row = self._row("stacks")
            if row is not None and row < len(self.stacks):
                names = self.stacks[row].services
                self.action_tab("services")
                index = next((i for i, s in enumerate(self.services) if s.name in names), 0)
                self.table("services").move_cursor(row=index)
            return
        svc = self.selected_service()
        if svc is not None:
            from .swarm_service import ServiceScreen

            self.app.push_screen(ServiceScreen(self.engine, svc))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()


async def open_cluster(app: App[Any], engine: Engine) -> None:
    """`W` on the main screen: the cluster view when the engine is a swarm manager; otherwise one
    sentence saying why not (a worker names its managers)."""
    try:
        role = await swarm.role(engine)
    except EngineError as exc:
        app.notify(exc.message, severity="error", markup=False)
        return
    if not role.usable:
        app.notify(role.why_not(), severity="warning", timeout=8, markup=False)
        return
    app.push_screen(SwarmScreen(engine))
