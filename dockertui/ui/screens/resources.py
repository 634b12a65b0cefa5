"""Volumes and networks: what exists, who uses it; create, remove (asks), prune (asks, exact)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...engine import resources as engine_resources
from ...engine.client import Engine
from ...engine.errors import EngineError
from ...model.events import EngineEvent
from ...model.forms import FormError, parse_pairs
from ...model.removal import Removal, plan_network_removal, plan_volume_removal
from ...model.resources import (Holder, Network, Volume, unused_networks,
                                 unused_volumes)
from ..app_access import tui
from ..readonly import ReadOnlyRule
from .confirm import ConfirmScreen
from .forms import Field, FormScreen
from ..widgets.lists import ListTable

if TYPE_CHECKING:
    from ..hostfeed import HostFeed


class ResourcesScreen(ReadOnlyRule, Screen[None]):
    """The shared frame: a table, a status line, the keys. Subclasses say what a row is. On a
    read-only engine create, remove and prune are hidden from the footer and refused."""

    MUTATING = frozenset({"create", "remove", "prune"})
    KIND = "resource"
    COLUMNS: tuple[str, ...] = ()
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="resources-pop-screen"),
        Binding("n", "create", "Create", id="resources-create"),
        Binding("d", "remove", "Remove", id="resources-remove"),
        Binding("P", "prune", "Prune unused", id="resources-prune"),
        Binding("r,f5", "reload", "Reload", id="resources-reload"),
    ]

    def __init__(self, engine: Engine, only_label: str | None = None, host: HostFeed | None = None) -> None:
        """``only_label`` ("key=value") narrows the view to objects with that label; ``host``: the
        engine followed live (one re-list per burst of volume or network events while open)."""
        super().__init__()
        self.engine = engine
        self.host = host
        self.only_label = only_label
        self.rows: list[Any] = []

    def compose(self) -> ComposeResult:
        table: DataTable[Text | str] = ListTable(cursor_type="row", id="resources")
        table.auto_links = False
        yield table
        yield Static("", id="resources-status")
        yield Footer()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#resources", DataTable)

    def on_mount(self) -> None:
        for label in self.COLUMNS:
            self.table.add_column(label, key=label)
        self.table.border_title = self.KIND.capitalize() + "s"
        self.table.loading = True
        self.reload()
        if self.host is not None:
            self.host.events_arrived.subscribe(self, self._events)

    def _events(self, events: list[EngineEvent]) -> None:
        if any(e.type in ("volume", "network") for e in events):
            self.reload()

    def action_reload(self) -> None:
        self.reload()

    @work(exclusive=True, group="list")
    async def reload(self) -> None:
        try:
            rows = await self.fetch()
            if self.only_label:
                key, _, value = self.only_label.partition("=")
                rows = [r for r in rows if r.labels.get(key) == value]
            self.rows = rows
        except EngineError as exc:
            self.say(exc.message, error=True)
            return
        finally:
            self.table.loading = False
        keep = self.current
        self.table.clear()
        for row in self.rows:
            self.table.add_row(*(c if isinstance(c, Text) else Text(c) for c in self.cells(row)), key=self.key(row))
        if keep is not None and any(self.key(r) == self.key(keep) for r in self.rows):
            self.table.move_cursor(row=[self.key(r) for r in self.rows].index(self.key(keep)))
        unused = len(self.unused(self.rows))
        self.table.border_subtitle = f"{len(self.rows)} {self.KIND}s, {unused} unused"

    @property
    def current(self) -> Any | None:
        row = self.table.cursor_row
        return self.rows[row] if self.rows and 0 <= row < len(self.rows) else None

    def say(self, message: str, error: bool = False) -> None:
        if error:
            message = tui(self).named(message)  # the engine's refusals name objects by name
        self.query_one("#resources-status", Static).update(Text(message, style="bold red" if error else ""))

    def _read_only(self) -> bool:
        if self.read_only:
            self.notify("Read-only mode: changes are disabled.", severity="warning")
            return True
        return False

    # -- remove and prune: ask with the exact list, then remove by name, one by one ------------------

    def action_remove(self) -> None:
        """Asks with exactly what is touched, and offers only what can succeed: an object in use
        names its containers (running or not) and offers nothing the engine would refuse."""
        row = self.current
        if row is None or self._read_only():
            return
        if self.protected(row):
            self.notify(f"{self.label(row)} is built in: it can't be removed.", severity="warning")
            return
        self._ask_removal(self.key(row))

    @work(exclusive=True, group="ask-removal")
    async def _ask_removal(self, key: str) -> None:
        """Read the object and its users again (a container may have started or stopped since the
        list), then ask."""
        try:
            fresh = [r for r in await self.fetch() if self.key(r) == key]
        except EngineError as exc:
            self.say(exc.message, error=True)
            return
        if not fresh:
            self.say(f"That {self.KIND} is gone.")
            self.reload()
            return
        row = fresh[0]
        plan = self.plan(row)
        if plan.blocked:
            self.app.push_screen(ConfirmScreen(plan.title, list(plan.items), yes=None))
            return
        options = (("c", plan.option, False),) if plan.option else ()
        yes = f"remove the {len(plan.remove_holders)} container(s) and the {self.KIND}" if plan.remove_holders and not plan.option else "remove"

        def confirmed(chosen: frozenset[str] | None) -> None:
            if chosen is None:
                return
            holders = plan.remove_holders if not plan.option or "c" in chosen else ()
            self._remove([row], holders)

        self.app.push_screen(ConfirmScreen(plan.title, list(plan.items), options, yes=yes), confirmed)

    def action_prune(self) -> None:
        if self._read_only():
            return
        unused = self.unused(self.rows)
        if not unused:
            self.notify(f"No unused {self.KIND}s.")
            return
        title = f"Remove these {len(unused)} unused {self.KIND}(s)? Nothing else is touched."
        if self.KIND == "volume":
            title = f"DATA LOSS: remove these {len(unused)} unused volume(s) and everything stored in them?"
        self.app.push_screen(
            ConfirmScreen(title, [self.describe(r) for r in unused]),
            lambda ok: self._remove(unused) if ok is not None else None,
        )

    @work(group="remove")
    async def _remove(self, rows: list[Any], holders: tuple[Holder, ...] = ()) -> None:
        removed: list[str] = []
        refused: list[str] = []
        for h in holders:  # the stopped containers named in the question, by ID, never forced
            try:
                await self.engine.container_action(h.id, "remove", h.name)
            except EngineError as exc:
                refused.append(f"container {h.name}: {exc.message}")
            else:
                removed.append(f"container {h.name}")
        if refused:  # one of them could not go (started meanwhile?): the object stays
            refused += [f"{self.KIND} {self.label(r)}: kept, its containers were not all removed" for r in rows]
            rows = []
        for row in rows:  # one by one, by name: an object made after the question is never touched
            try:
                await self.delete(row)
            except EngineError as exc:
                refused.append(f"{self.label(row)}: {exc.message}")
            else:
                removed.append(self.label(row))
        lines = [f"Removed {', '.join(removed)}."] if removed else []
        lines += [f"Skipped {r}" for r in refused]
        self.say("\n".join(lines), error=bool(refused))
        self.reload()

    # -- per kind --------------------------------------------------------------------------------------

    async def fetch(self) -> list[Any]:
        raise NotImplementedError

    def cells(self, row: Any) -> tuple[Text | str, ...]:
        raise NotImplementedError

    def key(self, row: Any) -> str:
        raise NotImplementedError

    def label(self, row: Any) -> str:
        return str(row.name)

    def describe(self, row: Any) -> str:
        return self.label(row)

    def protected(self, row: Any) -> bool:
        return False

    def plan(self, row: Any) -> Removal:
        raise NotImplementedError

    def unused(self, rows: list[Any]) -> list[Any]:
        raise NotImplementedError

    async def delete(self, row: Any) -> None:
        raise NotImplementedError


def _users(users: tuple[str, ...]) -> Text:
    if not users:
        return Text("unused", style="dim")
    return Text(", ".join(users[:3]) + (f" +{len(users) - 3}" if len(users) > 3 else ""))


class VolumesScreen(ResourcesScreen):
    KIND = "volume"
    COLUMNS = ("Name", "Driver", "Used by", "Created", "Mountpoint")

    async def fetch(self) -> list[Volume]:
        return await engine_resources.volumes(self.engine)

    def cells(self, row: Volume) -> tuple[Text | str, ...]:
        name = Text(row.name[:24] + "…" if row.anonymous else row.name, style="dim" if row.anonymous else "bold")
        return (name, row.driver, _users(row.users), row.created[:19].replace("T", " "), row.mountpoint)

    def key(self, row: Volume) -> str:
        return row.name

    def unused(self, rows: list[Volume]) -> list[Volume]:
        return unused_volumes(rows)

    def plan(self, row: Volume) -> Removal:
        return plan_volume_removal(row, self.label(row))

    async def delete(self, row: Volume) -> None:
        await engine_resources.remove_volume(self.engine, row.name)

    def action_create(self) -> None:
        if self._read_only():
            return

        async def submit(values: dict[str, str]) -> str:
            name = values["name"].strip()
            labels = parse_pairs(values["labels"], "labels")
            if name and any(ch.isspace() or ch == "/" for ch in name):
                raise FormError("name", "A volume name has no spaces or slashes.")
            made = await engine_resources.create_volume(self.engine, name, labels)
            self.reload()
            return f"Created volume {made}."

        fields = [Field("name", "Name", placeholder="empty: the engine picks one"), Field("labels", "Labels", placeholder="key=value")]
        self.app.push_screen(FormScreen("Create a volume", fields, submit, verb="create"), lambda m: self.say(m or ""))


class NetworksScreen(ResourcesScreen):
    KIND = "network"
    COLUMNS = ("Name", "Driver", "Scope", "Subnet", "Used by", "ID")

    async def fetch(self) -> list[Network]:
        return await engine_resources.networks(self.engine)

    def cells(self, row: Network) -> tuple[Text | str, ...]:
        name = Text(row.name, style="dim" if row.predefined else "bold")
        driver = row.driver + (" (internal)" if row.internal else "")
        return (name, driver, row.scope, row.subnet, _users(row.users), row.id[:12])

    def key(self, row: Network) -> str:
        return row.id

    def protected(self, row: Network) -> bool:
        return row.predefined

    def unused(self, rows: list[Network]) -> list[Network]:
        return unused_networks(rows)

    def plan(self, row: Network) -> Removal:
        return plan_network_removal(row)

    async def delete(self, row: Network) -> None:
        await engine_resources.remove_network(self.engine, row.id, row.name)

    def action_create(self) -> None:
        if self._read_only():
            return

        async def submit(values: dict[str, str]) -> str:
            name = values["name"].strip()
            if not name:
                raise FormError("name", "A network needs a name.")
            internal = values["internal"].strip().lower() in ("y", "yes", "true", "1")
            await engine_resources.create_network(self.engine, name, values["driver"].strip(), parse_pairs(values["labels"], "labels"), internal)
            self.reload()
            return f"Created network {name}."

        fields = [Field("name", "Name"), Field("driver", "Driver", "bridge"), Field("internal", "Internal (no outside access)", "no"),
                  Field("labels", "Labels", placeholder="key=value")]
        self.app.push_screen(FormScreen("Create a network", fields, submit, verb="create"), lambda m: self.say(m or ""))


__all__ = ["NetworksScreen", "VolumesScreen"]
