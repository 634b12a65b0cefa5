"""One service: its tasks by slot (node, current and desired state, error, age), the rolling
update as it progresses, and its logs (every task's, each line prefixed by task and node)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from ...engine import swarm
from ...engine.client import Engine
from ...engine.errors import EngineError
from ...model.events import EngineEvent
from ...model.fmt import human_age
from ...model.logring import LogLine
from ...model.swarm import Node, Service, Task, by_slot, update_progress, update_text
from ...model.text import one_line
from .live import status_line, sync_table
from .logview import LogsScreen
from . import swarm as cluster
from .swarm import converging, replicas_cell
from .swarm_actions import ServiceActions
from ..widgets.lists import ListTable

TASK_COLUMNS = ("Slot", "Task", "Node", "State", "Desired", "Error", "Age")
TASK_STYLE = {"running": "green", "failed": "bold red", "rejected": "bold red", "shutdown": "dim", "complete": "dim",
              "preparing": "cyan", "starting": "cyan", "pending": "yellow", "assigned": "yellow", "new": "yellow"}


def task_label(svc: Service, task: Task | None, task_id: str, node: str) -> str:
    """``web.2@node1``: how a task is named in logs and tables (``web.<node>`` for global)."""
    if task is None:
        return f"{svc.name}.{task_id[:10] or '?'}@{node or '?'}"
    slot = str(task.slot) if task.slot else task.node_id[:10]
    return f"{svc.name}.{slot}@{node or task.node_id[:10]}"


def task_cells(svc: Service, task: Task, node: str, current: bool) -> tuple[Text | str, ...]:
    slot = f"{svc.name}.{task.slot}" if task.slot else f"{svc.name}.{task.node_id[:10]}"
    state = Text(f"{task.state} {human_age(task.timestamp, cluster.now())} ago", style=TASK_STYLE.get(task.state, ""))
    error = Text(one_line(task.error or ("" if task.state == "running" else task.message), 80), style="red" if task.error else "dim")
    return (Text(slot, style="bold" if current else "dim"), task.id[:12], one_line(node, 40), state, task.desired,
            error, human_age(task.created, cluster.now()))


class ServiceScreen(ServiceActions):
    """``l`` logs; ``s`` scale, ``F`` rolling restart, ``b`` roll back, ``d`` remove."""

    EVENT_TYPES = swarm.SWARM_EVENT_TYPES
    BINDINGS = [
        Binding("l", "logs", "Logs", id="service-logs"),
        Binding("s", "scale", "Scale", id="service-scale"),
        Binding("F", "force_update", "Rolling restart", id="service-force-update"),
        Binding("b", "rollback", "Roll back", id="service-rollback"),
        Binding("d", "remove_service", "Remove", id="service-remove"),
    ]

    def __init__(self, engine: Engine, service: Service) -> None:
        super().__init__(engine)
        self.service = service
        self.tasks: list[Task] = []
        self.node_names: dict[str, str] = {}
        self.gone = False

    def compose(self) -> ComposeResult:
        yield Static("", id="service-head")
        table: DataTable[Any] = ListTable(cursor_type="row", id="service-tasks")
        table.auto_links = False
        for label in TASK_COLUMNS:
            table.add_column(label, key=label)
        yield table
        yield Static("", id="service-status")
        yield Footer()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#service-tasks", DataTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.table.border_title = f"Tasks of {self.service.name}"
        super().on_mount()

    def say(self, message: str, error: bool = False) -> None:
        if self.alive:
            status_line(self.query_one("#service-status", Static), message, error)

    def selected_service(self) -> Service | None:
        return None if self.gone else self.service

    def service_removed(self, svc: Service) -> None:
        self.gone = True
        if self.alive and self.app.screen is self:
            self.app.pop_screen()

    # -- data -------------------------------------------------------------------------------------

    def relevant(self, event: EngineEvent) -> bool:
        if event.type == "service":
            return event.actor_id == self.service.id
        if event.type == "node":
            return True
        return event.attributes.get("com.docker.swarm.service.id") == self.service.id

    @property
    def in_motion(self) -> bool:
        return not self.gone and converging(self.service)

    @work(exclusive=True, group="load")
    async def reload(self) -> None:
        try:
            svc = await swarm.service(self.engine, self.service.id)
            tasks = await swarm.tasks(self.engine, self.service.id)
            nodes = await swarm.nodes(self.engine) if not self.node_names or any(t.node_id not in self.node_names for t in tasks) else None
        except EngineError as exc:
            self.say(exc.message, error=True)
            return
        if not self.alive:
            return
        if svc is None:
            self.gone = True
            self.say(f"Service {self.service.name} no longer exists.", error=True)
            self.after_reload()
            return
        self.show(svc, tasks, nodes)
        self.after_reload()

    def show(self, svc: Service, tasks: list[Task], nodes: list[Node] | None = None) -> None:
        """Draw these (the snapshot test pins them)."""
        self.service, self.tasks = svc, by_slot(tasks)
        if nodes is not None:
            self.node_names = {n.id: n.hostname for n in nodes}
        seen: set[tuple[int, str]] = set()
        rows = []
        for t in self.tasks:
            key = (t.slot, t.node_id if not t.slot else "")
            rows.append((t.id, task_cells(svc, t, self.node_names.get(t.node_id, t.node_id[:12]), key not in seen)))
            seen.add(key)
        sync_table(self.table, rows)
        self.query_one("#service-head", Static).update(self.head())

    def head(self) -> Text:
        svc = self.service
        text = Text()
        text.append(one_line(svc.name, 80), style="bold")
        text.append(f"  {svc.mode}  ")
        text.append_text(replicas_cell(svc))
        text.append(f" running  image {one_line(svc.image, 80)}")
        if svc.stack:
            text.append(f"  stack {one_line(svc.stack, 40)}")
        if svc.ports:
            text.append(f"  ports {one_line(', '.join(svc.ports), 80)}")
        words = update_text(svc, self.tasks)
        if words:
            text.append("\nupdate: ", style="bold")
            text.append(words, style="yellow" if svc.update and svc.update.in_progress else "")
            if svc.update and svc.update.in_progress:
                p = update_progress(svc, self.tasks)
                width = 20
                filled = width * p.done // max(1, p.total)
                text.append(f"  [{'█' * filled}{'░' * (width - filled)}]", style="yellow")
            if svc.update and svc.update.message:
                text.append(f"  ({one_line(svc.update.message, 120)})", style="dim")
        return text

    def action_logs(self) -> None:
        self.app.push_screen(ServiceLogsScreen(self.engine, self.service, self, tail=self._tail()))

    def _tail(self) -> int:
        return int(getattr(getattr(self.app, "settings", None), "log_tail", 0) or 1000)


class ServiceLogsScreen(LogsScreen):
    """A service's logs through the logs view: every task's lines, prefixed ``web.2@node``."""

    def __init__(self, engine: Engine, service: Service, owner: ServiceScreen | None = None, tail: int = 200) -> None:
        super().__init__(engine, None, tail=tail)  # type: ignore[arg-type]
        self.service = service
        self.owner = owner
        self._task_of = {t.id: t for t in owner.tasks} if owner else {}
        self._node_of = dict(owner.node_names) if owner else {}

    @property
    def label(self) -> str:
        return self.service.name

    def state_text(self) -> str:
        return f"service {self.service.name} ({self.service.replicas_text} running)"

    def end_text(self) -> str:
        return "the service's log stream ended"

    def _label(self, task_id: str, node_id: str) -> str:
        if self.owner is not None and task_id not in self._task_of:
            self._task_of.update({t.id: t for t in self.owner.tasks})
            self._node_of.update(self.owner.node_names)
        return task_label(self.service, self._task_of.get(task_id), task_id, self._node_of.get(node_id, node_id[:10]))

    def open_stream(self) -> AsyncIterator[list[LogLine]]:
        return swarm.service_logs(self.engine, self.service, self.tail, self._label)


__all__ = ["ServiceLogsScreen", "ServiceScreen", "task_label"]
