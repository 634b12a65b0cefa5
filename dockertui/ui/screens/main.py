"""The main screen: one engine's image tree, the containers of the selected image, details. A
view of its :class:`~dockertui.ui.hostfeed.HostFeed`: it subscribes to the host's signals and
draws what changed; the actions live in ``ui/actions/`` grouped by what they act on."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static, Tree

from ...engine.errors import EngineError
from ...model.config import Settings
from ...model.containers import Container, count_states
from ...model.forest import DANGLING, MISSING, ROOT, containers_for, direct_counts
from ...model.host import CONNECTED, DISCONNECTED, FAILED, Change
from ..actions.containers import CONTAINER_MUTATING, ContainerActions
from ..actions.host import HostActions
from ..actions.images import IMAGE_MUTATING, ImageActions
from ..hostfeed import HostFeed
from ..readonly import ReadOnlyRule
from ..widgets.container_table import ContainerTable
from ..widgets.details import container_details, image_details
from ..widgets.engine_bar import EngineBar
from ..widgets.footer import Footer
from ..widgets.image_tree import ImageTree
from ..widgets.lower_pane import LowerPane, LowerPaneHost
from ..app_access import tui

DETAILS_DELAY = 0.12  # let the cursor settle before asking the engine for details


class MainScreen(LowerPaneHost, ReadOnlyRule, ContainerActions, ImageActions, HostActions, Screen[None]):
    MUTATING = CONTAINER_MUTATING | IMAGE_MUTATING
    # Every binding has an id: the config file's [keys] table rebinds by id (App.set_keymap).
    BINDINGS = [
        Binding("s", "start_stop", "Start/stop", id="start-stop"),
        Binding("r", "restart", "Restart", id="restart"),
        Binding("p", "pause", "Pause", id="pause"),
        Binding("K", "kill", "Kill", show=False, id="kill"),
        Binding("d", "remove", "Remove", id="remove"),
        Binding("D", "force_remove", "Force remove", show=False, id="force-remove"),
        Binding("e", "exec", "Shell", id="exec"),
        Binding("l", "logs", "Logs", id="logs"),
        Binding("i", "inspect", "Inspect", id="inspect"),
        Binding("t", "stats", "Stats", id="stats"),
        Binding("c", "commit", "Commit", show=False, id="commit"),
        Binding("P", "prune", "Prune", show=False, id="prune"),
        Binding("space", "mark", "Mark", show=False, id="mark"),
        Binding("asterisk", "mark_all", "Mark all shown", show=False, id="mark-all"),
        Binding("T", "tag", "Tag", show=False, id="tag"),
        Binding("R", "run", "Run", show=False, id="run"),
        Binding("u", "pull", "Pull", show=False, id="pull"),
        Binding("U", "push", "Push", show=False, id="push"),
        Binding("B", "build", "Build", show=False, id="build"),
        Binding("S", "save", "Save", show=False, id="save"),
        Binding("L", "load", "Load", show=False, id="load"),
        Binding("V", "volumes", "Volumes", show=False, id="volumes"),
        Binding("N", "networks", "Networks", show=False, id="networks"),
        Binding("f", "disk_usage", "Disk usage", show=False, id="disk-usage"),
        Binding("a", "toggle_all", "All/running", show=False, id="show-all"),
        Binding("percent_sign", "toggle_usage", "CPU/mem column", show=False, id="usage-column"),
        Binding("slash", "filter", "Filter", id="filter", priority=True),
        Binding("E", "events", "Events", id="events"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="problems"),
        Binding("o", "toggle_only", "This image only", show=False, id="only-this-image"),
        Binding("I", "toggle_intermediate", "Intermediates", show=False, id="intermediates"),
        Binding("z", "measure", "Size", show=False, id="measure"),
        Binding("W", "swarm", "Swarm", show=False, id="swarm"),
        Binding("C", "compose", "Compose", show=False, id="compose"),
        Binding("F", "layers", "Layers (image) / changes (container)", show=False, id="layers"),
        Binding("f5,ctrl+r", "reload", "Reload", show=False, id="reload"),
        Binding("y", "copy", "Copy", show=False, id="copy"),
        Binding("b", "lower_pane", "Details/logs/hide", show=False, id="lower-pane"),
        Binding("Y", "registries", "Registries", show=False, id="registries"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    # the footer's keys after ? and q, for the focused pane (ui/widgets/footer.py)
    CONTAINER_FOOTER = ("start_stop", "restart", "pause", "remove", "exec", "logs", "inspect", "stats", "filter", "events")
    IMAGE_FOOTER = ("run", "pull", "push", "remove", "inspect", "tag", "layers", "build", "filter", "events")

    def footer_actions(self) -> tuple[str, ...]:
        return self.IMAGE_FOOTER if self.focused is self.query_one(ImageTree) else self.CONTAINER_FOOTER

    def __init__(self, host: HostFeed) -> None:
        super().__init__()
        self.host = host
        self.only_this = False
        self.sizes: dict[str, dict[str, Any]] = {}  # container ID -> inspect with sizes (z)
        self.marks: set[str] = set()  # container IDs marked for a bulk action
        self.running_only = False
        self.filter_text = ""
        self.show_usage = False  # the CPU/mem column (%): off, so an idle dashboard asks nothing

    def compose(self) -> ComposeResult:
        name, label = self.host.name, self.host.label
        alone = len(tui(self).hosts) <= 1
        yield EngineBar(label if alone or name == label else f"{name} · {label}", id="engine-bar")
        with Horizontal(id="panes"):
            yield ImageTree(id="images")
            with Vertical(id="right"):
                yield Input(placeholder="filter containers: name, image, state, project", id="filter")
                yield ContainerTable(id="containers")
                yield LowerPane(self.host, id="lower-pane")  # the details (#details), the logs, or hidden
        yield Footer()

    # -- the host's state, as the screen (and its tests) read it ---------------------------------------

    @property
    def settings(self) -> Settings:
        return tui(self).settings

    @property
    def engine(self):  # noqa: ANN201 - the host's engine
        return self.host.engine

    @property
    def containers(self) -> dict[str, Container]:
        return self.host.state.containers

    @property
    def images(self):  # noqa: ANN201
        return self.host.state.images

    @property
    def forest(self):  # noqa: ANN201
        return self.host.state.forest

    @property
    def doing(self) -> dict[str, str]:
        return self.host.state.doing

    @property
    def problems(self):  # noqa: ANN201
        return self.host.state.problems

    @property
    def journal(self):  # noqa: ANN201
        return self.host.state.journal

    @property
    def tree(self) -> ImageTree:
        return self.query_one(ImageTree)

    @property
    def table(self) -> ContainerTable:
        return self.query_one(ContainerTable)

    @property
    def bar(self) -> EngineBar:
        return self.query_one(EngineBar)

    def on_mount(self) -> None:
        self.tree.border_title = "Images"
        self.table.status_source = self._status_of
        self.table.focus()  # the containers are what one acts on; shift+tab reaches the tree
        self.bar.set_read_only(self.read_only)
        self.host.changed.subscribe(self, self._host_changed)
        tui(self).problems_changed.subscribe(self, self.bar.set_problems)  # the badge counts every engine
        self.host.connection_changed.subscribe(self, self._connection_changed)
        if self.host.state.loaded:
            self._host_changed(Change(images=True, first=True))
        else:
            self.tree.loading = True
        self._connection_changed(self.host.connection)

    def _labels_of(self, c: Container) -> tuple[str, str]:
        """The row's state and status as the table says them, for the details."""
        now = time.time()
        return self.host.state.state_labels([c], now).get(c.id, c.state), self._status_of(c, now)[0]

    def _status_of(self, c: Container, now: float) -> tuple[str, bool]:
        state = self.host.state
        return state.clock.describe(c, now, state.restarts.count(c.id))

    # -- the host's signals ------------------------------------------------------------------------------

    def _host_changed(self, change: Change) -> None:
        """Draw what changed: the tree when the images did (else only the labels whose counts
        moved), the rows that changed, the header, the details of a selected container that changed."""
        state = self.host.state
        if state.info is not None:
            self.bar.set_info(state.info)
        self.tree.loading = False
        containers = list(state.containers.values())
        per_node, total = direct_counts(state.forest, containers), count_states(containers)
        if change.images or change.first:
            self.tree.show(state.forest, per_node, total)
        elif change.containers:
            self.tree.update_counts(state.forest, per_node, total)
        self.bar.set_counts(total.running, total.total, len(state.forest.images))
        self.bar.set_problems(tui(self).problem_count)
        if change.containers or change.images or change.first:
            self.show_containers()
        current = self.table.current
        if current is not None and current.id in change.containers and self.table.has_focus:
            self.show_container_details(current)  # details follow an action on the selected container

    def _connection_changed(self, connection: str) -> None:
        status = self.host.status
        if connection == DISCONNECTED and self.host.state.loaded:
            status = f"{status} · showing the last known state"
        self.bar.set_status(status)
        if connection == FAILED and not self.host.state.loaded:
            self.tree.loading = False

    # -- the table ---------------------------------------------------------------------------------------

    def show_containers(self) -> None:
        selected = self.containers_for_selection()
        shown = [c for c in selected if self._passes(c)]
        self.marks &= self.host.state.containers.keys()
        labels = self.host.state.state_labels(shown, time.time())  # restart loops: "restarting"
        self.table.show(shown, self.marks, {**labels, **self.host.state.doing})
        notes = []
        if self.tree.selected not in (ROOT, MISSING, DANGLING):
            notes.append("this image only" if self.only_this else "with descendants")
        if self.running_only:
            notes.append("running only")
        if self.filter_text:
            notes.append(f"filter: {self.filter_text}")
        if self.marks:
            # short: it shares the border with the filter at 80 columns (space and * are in ?)
            notes.append(f"{len(self.marks)} marked · esc: filter, then marks" if self.filter_text
                         else f"{len(self.marks)} marked · esc clears")
        count = f"{len(shown)}/{len(selected)}" if len(shown) != len(selected) else str(len(shown))
        self.table.set_titles(f"Containers ({count})", " · ".join(notes))

    # kept for callers of the old name
    _show_containers = show_containers

    def _passes(self, c: Container) -> bool:
        if self.running_only and c.state not in ("running", "restarting", "paused"):
            return False
        if not self.filter_text:
            return True
        haystack = f"{c.name} {c.image} {c.state} {c.compose_project} {c.id[:12]}".lower()
        return all(word in haystack for word in self.filter_text.lower().split())

    def containers_for_selection(self) -> list[Container]:
        state = self.host.state
        return containers_for(state.forest, state.containers.values(), self.tree.selected, self.only_this)

    # -- selection and details ---------------------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#images")
    def _image_highlighted(self) -> None:
        self.show_containers()
        self.show_image_details(self.tree.selected)

    @on(ContainerTable.RowHighlighted, "#containers")
    def _container_highlighted(self) -> None:
        if self.table.has_focus:
            self._container_details()

    @on(ContainerTable.RowSelected, "#containers")
    def _container_selected(self) -> None:
        self._container_details()

    def on_descendant_focus(self) -> None:
        if self.table.has_focus:
            self._container_details()
        elif self.tree.has_focus:
            self.show_image_details(self.tree.selected)

    def _container_details(self) -> None:
        c = self.table.current
        if c is not None:
            self.show_container_details(c)

    @work(exclusive=True, group="details")
    async def show_image_details(self, image_id: str) -> None:
        if not self.lower_pane.showing_details:
            return  # nothing asked of the engine for a pane not shown; it asks again when it is
        details = self.query_one("#details", Static)
        forest = self.host.state.forest
        if image_id not in forest.images:
            groups = {ROOT: "Every container on the engine.", DANGLING: "Untagged images nothing is built on.",
                      MISSING: "Containers whose image has been deleted."}
            details.update(Text(groups.get(image_id, "")))
            return
        await asyncio.sleep(DETAILS_DELAY)
        try:
            history = await self.host.engine.history(image_id)
            parent = forest.parent.get(image_id)
            parent_len = len(await self.host.engine.history(parent)) if parent else 0
        except EngineError as exc:
            details.update(Text(f"History unavailable: {exc.message}"))
            return
        details.update(image_details(forest, image_id, history, max(0, len(history) - parent_len)))

    @work(exclusive=True, group="details")
    async def show_container_details(self, c: Container) -> None:
        if not self.lower_pane.showing_details:
            return  # nothing asked of the engine for a pane not shown; it asks again when it is
        details = self.query_one("#details", Static)
        c = self.host.state.containers.get(c.id, c)
        details.update(container_details(c, self.host.state.forest, None, self.sizes.get(c.id), *self._labels_of(c)))
        await asyncio.sleep(DETAILS_DELAY)
        if c.id not in self.host.state.containers:
            details.update(Text(f"{c.name} has been removed.", style="dim"))
            return
        try:
            inspect = await self.host.engine.inspect_container(c.id)
        except EngineError as exc:
            if exc.status == 404:
                details.update(Text(f"{c.name} has been removed.", style="dim"))
            elif self.host.connection == CONNECTED:
                self.notify(exc.message, severity="warning")
            return
        c = self.host.state.containers.get(c.id, c)
        details.update(container_details(c, self.host.state.forest, inspect, self.sizes.get(c.id), *self._labels_of(c)))

    # -- filter, marks -----------------------------------------------------------------------------------

    def action_toggle_all(self) -> None:
        self.running_only = not self.running_only
        self.show_containers()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus:  # the key is a priority binding: in the box, it is just a "/"
            box.insert_text_at_cursor("/")
            return
        box.add_class("shown")
        self.set_focus(box)  # at once: keys typed right after this one go to the box

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.show_containers()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.value.strip():
            box.remove_class("shown")
        self.set_focus(self.table)

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus or self.filter_text:
            box.value = ""
            box.remove_class("shown")
            self.set_focus(self.table)
        elif self.marks:
            self.marks.clear()
            self.show_containers()

    def said(self, message: str | None) -> None:
        if message:
            self.notify(message, timeout=4)

    # -- jumping from the events and problems views -------------------------------------------------------

    def jump(self, target: tuple[str, str] | None) -> None:
        """Show a container (its row, under "all images", filters cleared) or an image."""
        if target is None:
            return
        kind, object_id = target
        if kind == "engine-container":  # a problem on another engine: show that engine, then the row
            name, _, container_id = object_id.partition("\0")
            tui(self).jump_to(name, ("container", container_id))
            return
        if kind == "image":
            if not self.tree.select_image(object_id):
                self.notify("That image is gone.", severity="warning")
                return
            self.tree.focus()
            return
        if object_id not in self.host.state.containers:
            self.notify("That container is gone.", severity="warning")
            return
        self.filter_text, self.running_only = "", False
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("shown")
        self.tree.move_cursor(self.tree.root)
        self.call_after_refresh(self._focus_row, object_id)

    def _focus_row(self, container_id: str) -> None:
        self.show_containers()
        if self.table.select(container_id):
            self.set_focus(self.table)
            self._container_details()
