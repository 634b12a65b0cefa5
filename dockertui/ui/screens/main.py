"""The main screen: the image tree, the containers of the selected image, details."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, Tree

from ...engine.client import Engine
from ...engine.errors import EngineError
from ...model.actions import FORCE_REMOVE, Outcome, Refusal, Step, resolve, summarize
from ...model.config import Settings
from ...model.containers import Container, count_states
from ...model.events import EngineEvent, Refresh, plan_refresh
from ...model.fmt import human_size
from ...model.forest import DANGLING, MISSING, ROOT, build_forest, containers_for, direct_counts
from ...model.forms import FormError, parse_ref, run_body, run_defaults
from ...model.images import Image
from ...model.journal import EventJournal, ProblemTracker
from ...model.system import SystemInfo
from ..widgets.container_table import ContainerTable
from ..widgets.details import container_details, image_details
from ..widgets.engine_bar import EngineBar
from ..widgets.image_tree import ImageTree
from .confirm import ConfirmScreen
from .eventsview import EventsScreen, ProblemsScreen
from .forms import Field, FormScreen

DETAILS_DELAY = 0.12  # let the cursor settle before asking the engine for details
COALESCE = 0.05  # events arriving within this window are applied together, as one repaint
BACKOFF_CAP = 30  # seconds between reconnection attempts, at most


class MainScreen(Screen[None]):
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
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("E", "events", "Events", id="events"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="problems"),
        Binding("o", "toggle_only", "This image only", show=False, id="only-this-image"),
        Binding("I", "toggle_intermediate", "Intermediates", show=False, id="intermediates"),
        Binding("z", "measure", "Size", show=False, id="measure"),
        Binding("F", "layers", "Layers (image) / changes (container)", show=False, id="layers"),
        Binding("f5,ctrl+r", "reload", "Reload", show=False, id="reload"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.images: dict[str, Image] = {}
        self.containers: dict[str, Container] = {}
        self.forest = build_forest([])
        self.only_this = False
        self.show_intermediate = False
        self._sizes: dict[str, dict[str, Any]] = {}
        self._pending: list[EngineEvent] = []
        self._flush_armed = False
        self._apply_lock = asyncio.Lock()
        self._watching = False
        self._loaded = False
        self.marks: set[str] = set()  # container IDs marked for a bulk action
        self.doing: dict[str, str] = {}  # container ID -> the action in progress ("stopping…")
        self._inflight: set[str] = set()  # containers whose engine call has not returned yet
        self.running_only = False
        self.filter_text = ""
        self.show_usage = False  # the CPU/mem column (%): off, so an idle dashboard asks nothing
        self.journal = EventJournal(self.settings.events_keep)
        self.problems = ProblemTracker()

    def compose(self) -> ComposeResult:
        yield EngineBar(self.engine.endpoint.label, id="engine-bar")
        with Horizontal(id="panes"):
            yield ImageTree(id="images")
            with Vertical(id="right"):
                yield Input(placeholder="filter containers: name, image, state, project", id="filter")
                yield ContainerTable(id="containers")
                with VerticalScroll(id="details-scroll"):
                    yield Static("", id="details")
        yield Footer()

    @property
    def settings(self) -> Settings:
        return getattr(self.app, "settings", None) or Settings()

    @property
    def alive(self) -> bool:
        """False once the screen is being torn down (a worker may wake up after that)."""
        return self.is_attached and bool(self.query(ImageTree))

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
        self.query_one("#details-scroll").border_title = "Details"
        self.tree.focus()
        self.tree.loading = True
        self.bar.set_read_only(self.settings.read_only)

    # -- data in ------------------------------------------------------------------------------

    def load(self, info: SystemInfo, images: list[Image], containers: list[Container]) -> None:
        """Take a full listing: the first one, a reconnect's or a reconciliation's. Only what
        differs from the screen is redrawn (the tree only when the images changed)."""
        if not self.alive:
            return  # the app is closing
        self.bar.set_info(info)
        fresh_images = {i.id: i for i in images}
        images_changed = fresh_images != self.images or not self._loaded
        self.images = fresh_images
        self.containers = {c.id: c for c in containers}
        self.tree.loading = False
        if images_changed:
            self._rebuild()
        else:
            self._refresh(images_changed=False)
        if not self._loaded:  # problems already visible in the first listing
            self.problems.seed((c.id, c.name, c.state, c.status) for c in containers)
            self.bar.set_problems(len(self.problems))
        self._loaded = True
        self.bar.set_status("")
        if not self._watching:
            self._watching = True
            self.watch_events(self.engine.connected_since)
            self.set_interval(self.settings.reconcile_every, self.reconcile)

    @work(exclusive=True, group="reconcile")
    async def reconcile(self) -> None:
        """The slow heal: one re-list now and then, in case an event was ever missed. Images are
        inspected only if new (cached by ID), rows change only where the listing differs."""
        if not self.alive or self.bar.disconnected or getattr(self.app, "shell_active", False):
            return
        try:
            async with self._apply_lock:
                info, images, containers = await self.engine.snapshot(self.show_intermediate)
                if self.alive:
                    self.load(info, images, containers)
        except EngineError:
            return  # the event stream notices a lost engine and says so

    def _rebuild(self) -> None:
        self.forest = build_forest(self.images.values(), show_intermediate=self.show_intermediate)
        self._refresh(images_changed=True)

    def _refresh(self, images_changed: bool) -> None:
        """Bring tree, header and table to the current data: a rebuilt tree when the images
        changed, otherwise only the labels whose counts moved."""
        containers = list(self.containers.values())
        per_node, total = direct_counts(self.forest, containers), count_states(containers)
        if images_changed:
            self.tree.show(self.forest, per_node, total)
        else:
            self.tree.update_counts(self.forest, per_node, total)
        self.bar.set_counts(total.running, total.total, len(self.forest.images))
        self._show_containers()

    def _show_containers(self) -> None:
        selected = self.containers_for_selection()
        shown = [c for c in selected if self._passes(c)]
        self.marks &= self.containers.keys()
        self.table.show(shown, self.marks, self.doing)
        notes = []
        if self.tree.selected not in (ROOT, MISSING, DANGLING):
            notes.append("this image only" if self.only_this else "with descendants")
        if self.running_only:
            notes.append("running only")
        if self.filter_text:
            notes.append(f"filter: {self.filter_text}")
        if self.marks:
            notes.append(f"{len(self.marks)} marked")
        count = f"{len(shown)}/{len(selected)}" if len(shown) != len(selected) else str(len(shown))
        self.table.border_title = f"Containers ({count})"
        self.table.border_subtitle = " · ".join(notes)

    def _passes(self, c: Container) -> bool:
        if self.running_only and c.state not in ("running", "restarting", "paused"):
            return False
        if not self.filter_text:
            return True
        haystack = f"{c.name} {c.image} {c.state} {c.compose_project} {c.id[:12]}".lower()
        return all(word in haystack for word in self.filter_text.lower().split())

    def containers_for_selection(self) -> list[Container]:
        return containers_for(self.forest, self.containers.values(), self.tree.selected, self.only_this)

    # -- live: the event stream ----------------------------------------------------------------

    @work(exclusive=True, group="events")
    async def watch_events(self, since: str | None) -> None:
        """Follow /events; on loss, back off, reconnect, resume from the last event, reconcile."""
        backoff = 1
        while True:
            try:
                async for event in self.engine.events(since=since):
                    backoff = 1
                    since = event.since
                    self._queue(event)
                raise EngineError("The engine closed the event stream.", kind="unreachable")
            except EngineError as exc:
                reason = exc.message
            self.notify(f"Lost the engine: {reason}", severity="warning", timeout=4)
            while True:
                for left in range(backoff, 0, -1):
                    self.bar.set_status(f"disconnected: retrying in {left}s")
                    await asyncio.sleep(1)
                backoff = min(backoff * 2, BACKOFF_CAP)
                self.bar.set_status("reconnecting…")
                await self.engine.close()
                try:
                    info, images, containers = await self.engine.snapshot(self.show_intermediate)
                except EngineError as exc:
                    self.bar.set_status(f"disconnected: {exc.message}")
                    continue
                break
            self.load(info, images, containers)  # one cheap re-list: converge to the truth
            self.notify("Reconnected to the engine.", timeout=3)

    def _queue(self, event: EngineEvent) -> None:
        self.journal.add(event)
        self._pending.append(event)
        if not self._flush_armed:
            self._flush_armed = True
            self.set_timer(COALESCE, self._flush)

    def _flush(self) -> None:
        if not self.alive:
            return  # the app is closing
        if getattr(self.app, "shell_active", False):
            self.set_timer(0.25, self._flush)  # the terminal belongs to a shell: apply afterwards
            return
        events, self._pending = self._pending, []
        self._flush_armed = False
        if self.problems.feed(events):
            self.bar.set_problems(len(self.problems))
            if isinstance(self.app.screen, ProblemsScreen):
                self.app.screen.refill()
        if isinstance(self.app.screen, EventsScreen):
            self.app.screen.add_events(events)
        if any(e.type in ("volume", "network") for e in events):
            from .resources import ResourcesScreen

            if isinstance(self.app.screen, ResourcesScreen):
                self.app.screen.reload()  # one re-list per burst, only while that view is open
        plan = plan_refresh(events)
        if plan:
            self.apply_refresh(plan)

    @work(group="refresh")
    async def apply_refresh(self, plan: Refresh) -> None:
        """Re-read only what the events named: one list call for all named containers, one
        inspect per named image."""
        async with self._apply_lock:
            try:
                image_ids = list(plan.images)
                fresh, *read = await asyncio.gather(
                    self.engine.containers_by_id(plan.containers), *(self.engine.image(i) for i in image_ids)
                )
                images = dict(zip(image_ids, read, strict=True))
            except EngineError:
                return  # the stream's own failure handling reconnects and reconciles
            if not self.alive:
                return  # the app is closing
            seen = {c.id for c in fresh}
            for cid in plan.gone_containers | (plan.containers - seen):
                self.containers.pop(cid, None)
                self.doing.pop(cid, None)
            for c in fresh:
                self.containers[c.id] = c
                if c.id not in self._inflight:
                    self.doing.pop(c.id, None)
            for image_id, image in images.items():
                if image is None:
                    self.images.pop(image_id, None)
                else:
                    self.images[image.id] = image
            if plan.images:
                self._rebuild()
            else:
                self._refresh(images_changed=False)

    # -- reactions ----------------------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#images")
    def _image_highlighted(self) -> None:
        self._show_containers()
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
        details = self.query_one("#details", Static)
        if image_id not in self.forest.images:
            groups = {ROOT: "Every container on the engine.", DANGLING: "Untagged images nothing is built on.",
                      MISSING: "Containers whose image has been deleted."}
            details.update(groups.get(image_id, ""))
            return
        await asyncio.sleep(DETAILS_DELAY)
        try:
            history = await self.engine.history(image_id)
            parent = self.forest.parent.get(image_id)
            parent_len = len(await self.engine.history(parent)) if parent else 0
        except EngineError as exc:
            details.update(f"History unavailable: {exc.message}")
            return
        details.update(image_details(self.forest, image_id, history, max(0, len(history) - parent_len)))

    @work(exclusive=True, group="details")
    async def show_container_details(self, c: Container) -> None:
        details = self.query_one("#details", Static)
        details.update(container_details(c, self.forest, None, self._sizes.get(c.id)))
        await asyncio.sleep(DETAILS_DELAY)
        try:
            inspect = await self.engine.inspect_container(c.id)
        except EngineError as exc:
            self.notify(exc.message, severity="warning")
            return
        details.update(container_details(c, self.forest, inspect, self._sizes.get(c.id)))

    # -- actions ------------------------------------------------------------------------------

    def action_toggle_only(self) -> None:
        self.only_this = not self.only_this
        self._show_containers()
        self.notify("Containers of this image only" if self.only_this else "Containers of this image and its descendants", timeout=2)

    def action_toggle_intermediate(self) -> None:
        self.show_intermediate = not self.show_intermediate
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    @work(exclusive=True, group="reload")
    async def reload(self) -> None:
        self.bar.set_status("loading…")
        try:
            info, images, containers = await self.engine.snapshot(self.show_intermediate)
        except EngineError as exc:
            self.bar.set_status("")
            self.notify(f"{exc.message} {exc.fix}".strip(), severity="error", timeout=8)
            return
        self.load(info, images, containers)

    @work(exclusive=True, group="size")
    async def action_measure(self) -> None:
        c = self.table.current
        if c is None:
            self.notify("Select a container first (tab to the container list).", severity="warning")
            return
        self.notify(f"Measuring the writable layer of {c.name}…", timeout=2)
        try:
            data = await self.engine.inspect_container(c.id, size=True)
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        self._sizes[c.id] = data
        self.query_one("#details", Static).update(container_details(c, self.forest, data, data))


    # -- screens of their own -------------------------------------------------------------------

    def action_layers(self) -> None:
        from .layersview import open_layers

        open_layers(self)

    def _target(self, *, running: bool = False) -> Container | None:
        """The container under the cursor, or a message saying why there is none."""
        c = self.table.current
        if c is None:
            self.notify("Select a container first (tab to the container list).", severity="warning")
            return None
        if running and c.state != "running":
            self.notify(f"{c.name} is {c.state}: it needs to be running.", severity="warning")
            return None
        return c

    @work(exclusive=True, group="exec")
    async def action_exec(self) -> None:
        if self._refuse_if_read_only("exec"):
            return
        from ..terminal import open_shell

        c = self._target()
        if c is not None:
            await open_shell(self.app, self.engine, c, self.settings.exec_shell)

    def action_logs(self) -> None:
        from .logview import LogsScreen

        c = self._target()
        if c is not None:
            self.app.push_screen(LogsScreen(self.engine, c, tail=self.settings.log_tail))

    def action_inspect(self) -> None:
        if self.table.has_focus or self.tree.selected not in self.forest.images:
            c = self._target()
            if c is not None:
                self._inspect_container(c)
        else:
            self._inspect_image(self.tree.selected)

    @work(group="inspect")
    async def _inspect_container(self, c: Container) -> None:
        from .inspectview import InspectScreen

        try:
            data = await self.engine.inspect_container(c.id)
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        self.app.push_screen(InspectScreen(f"container {c.name}", data))

    @work(group="inspect")
    async def _inspect_image(self, image_id: str) -> None:
        from .inspectview import InspectScreen

        try:
            data = await self.engine.call("GET", f"images/{image_id}/json", f"image {image_id[:19]}")
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        self.app.push_screen(InspectScreen(f"image {self.forest.images[image_id].title}", data))

    def action_stats(self) -> None:
        from .statsview import StatsScreen

        c = self._target(running=True)
        if c is not None:
            self.app.push_screen(StatsScreen(self.engine, c))

    def action_prune(self) -> None:
        from .pruneview import PruneScreen

        self.app.push_screen(PruneScreen(self.engine))  # read-only: it previews, and refuses to remove

    # -- lifecycle ------------------------------------------------------------------------------

    def _refuse_if_read_only(self, what: str) -> bool:
        if self.settings.read_only:
            self.notify(f"Read-only mode: {what} is disabled.", severity="warning")
            return True
        return False

    def _targets(self) -> list[Container]:
        """The marked containers, else the one under the cursor."""
        if self.marks:
            return sorted((self.containers[i] for i in self.marks if i in self.containers), key=lambda c: c.name)
        c = self._target()
        return [c] if c is not None else []

    def action_start_stop(self) -> None:
        self.lifecycle("start-stop")

    def action_restart(self) -> None:
        self.lifecycle("restart")

    def action_pause(self) -> None:
        self.lifecycle("pause")

    def action_kill(self) -> None:
        self.lifecycle("kill")

    def action_remove(self) -> None:
        if self.tree.has_focus:
            self.remove_image(force=False)
        else:
            self.lifecycle("remove")

    def action_force_remove(self) -> None:
        if self.tree.has_focus:
            self.remove_image(force=True)
        else:
            self.lifecycle("force-remove")

    def lifecycle(self, action: str) -> None:
        """Resolve ``action`` for each target; ask first when it removes; then run it."""
        if self._refuse_if_read_only(action.replace("-", " ")):
            return
        targets = self._targets()
        if not targets:
            return
        steps: list[tuple[Container, Step]] = []
        for c in targets:
            got = resolve(action, c.state)
            if isinstance(got, Refusal):
                self.notify(f"Cannot {action.replace('-', ' ')} {c.name}: {got.reason}.", severity="warning")
            elif c.id in self.doing:
                self.notify(f"{c.name} is already {self.doing[c.id]}", severity="warning")
            else:
                steps.append((c, got))
        if not steps:
            return
        if action in ("remove", "force-remove"):
            forced = action == "force-remove"
            verb = "Force-remove (kills running ones)" if forced else "Remove"
            items = [f"{c.name}  {c.id[:12]}  {c.state}  {c.image}" for c, _ in steps]
            options = [("v", "also remove their anonymous volumes", False)]
            if not forced and any(c.state in ("running", "restarting", "paused") for c, _ in steps):
                options.append(("f", "force: kill the running ones (else the engine refuses them)", False))

            def confirmed(chosen: frozenset[str] | None) -> None:
                if chosen is None:
                    return
                if "f" in chosen:
                    self.run_steps([(c, FORCE_REMOVE) for c, _ in steps], volumes="v" in chosen)
                else:
                    self.run_steps(steps, volumes="v" in chosen)

            self.app.push_screen(ConfirmScreen(f"{verb} {len(steps)} container(s)?", items, tuple(options)), confirmed)
            return
        self.run_steps(steps)

    def run_steps(self, steps: list[tuple[Container, Step]], volumes: bool = False) -> None:
        for c, step in steps:
            self.doing[c.id] = step.doing
        self.marks.clear()
        self._show_containers()
        self._run_steps(steps, volumes)

    @work(group="lifecycle")
    async def _run_steps(self, steps: list[tuple[Container, Step]], volumes: bool) -> None:
        """All at once (a stop that waits out its timeout holds up nothing else); one summary."""

        async def one(c: Container, step: Step) -> Outcome:
            self._inflight.add(c.id)
            try:
                await self.engine.container_action(c.id, step.verb, c.name, volumes=volumes)
            except EngineError as exc:
                self.doing.pop(c.id, None)
                return Outcome(c.name, step, exc.message)
            finally:
                self._inflight.discard(c.id)
            return Outcome(c.name, step)

        outcomes = await asyncio.gather(*(one(c, s) for c, s in steps))
        message, failed = summarize(list(outcomes))
        self.notify(message, severity="error" if failed else "information", timeout=6 if failed else 3)
        # One re-read of the acted-on rows replaces "stopping…" with the engine's truth, whether or
        # not the events for them have been applied already.
        ids = frozenset(c.id for c, _ in steps)
        self.apply_refresh(Refresh(containers=ids))

    def action_mark(self) -> None:
        c = self.table.current
        if c is None:
            return
        self.marks ^= {c.id}
        self._show_containers()
        if self.table.cursor_row < self.table.row_count - 1:
            self.table.action_cursor_down()

    def action_toggle_all(self) -> None:
        self.running_only = not self.running_only
        self._show_containers()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("shown")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._show_containers()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.value.strip():
            box.remove_class("shown")
        self.table.focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus or self.filter_text:
            box.value = ""
            box.remove_class("shown")
            self.table.focus()
        elif self.marks:
            self.marks.clear()
            self._show_containers()

    # -- images: moving them around ---------------------------------------------------------------

    def _selected_image(self) -> Image | None:
        image = self.forest.images.get(self.tree.selected)
        if image is None:
            self.notify("Select an image in the tree first.", severity="warning")
        return image

    def action_pull(self) -> None:
        if self._refuse_if_read_only("pull"):
            return
        from .transferview import PullScreen

        image = self.forest.images.get(self.tree.selected)
        self.app.push_screen(PullScreen(self.engine, image.tags[0] if image and image.tags else ""))

    def action_push(self) -> None:
        if self._refuse_if_read_only("push"):
            return
        from .transferview import PushScreen

        image = self._selected_image()
        if image is not None:
            self.app.push_screen(PushScreen(self.engine, image))

    def action_build(self) -> None:
        if self._refuse_if_read_only("build"):
            return
        from .transferview import BuildScreen

        self.app.push_screen(BuildScreen(self.engine))

    def action_save(self) -> None:
        from .transferview import SaveScreen

        image = self._selected_image()
        if image is not None:
            self.app.push_screen(SaveScreen(self.engine, image))

    def action_load(self) -> None:
        if self._refuse_if_read_only("load"):
            return
        from .transferview import LoadScreen

        self.app.push_screen(LoadScreen(self.engine))

    def action_disk_usage(self) -> None:
        from .diskview import DiskUsageScreen

        self.app.push_screen(DiskUsageScreen(self.engine))

    # -- images: making and naming them -----------------------------------------------------------

    def remove_image(self, force: bool) -> None:
        """Ask first, naming the image, its tags, its children and the containers that use it."""
        if self._refuse_if_read_only("remove image"):
            return
        image = self._selected_image()
        if image is None:
            return
        users = sorted((c for c in self.containers.values() if c.image_id == image.id), key=lambda c: c.name)
        children = self.forest.kids(image.id)
        items = [f"{image.title or '<untagged>'}  {image.id[7:19]}  {human_size(image.size)}"]
        items += [f"used by container {c.name} ({c.state})" for c in users]
        items += [f"parent of {self.forest.images[k].title or k[7:19]}" for k in children if k in self.forest.images]
        options: tuple[tuple[str, str, bool], ...] = ()
        if users and not force:
            options = (("f", f"force: remove it although {len(users)} container(s) use it", False),)

        def confirmed(chosen: frozenset[str] | None) -> None:
            if chosen is not None:
                self._remove_image(image, force or "f" in chosen)

        verb = "Force-remove" if force else "Remove"
        self.app.push_screen(ConfirmScreen(f"{verb} image {image.title or image.id[7:19]}?", items, options), confirmed)

    @work(group="images")
    async def _remove_image(self, image: Image, force: bool) -> None:
        try:
            await self.engine.remove_image(image.id, force=force)
        except EngineError as exc:
            self.notify(exc.message, severity="error", timeout=8)
            return
        self.notify(f"Removed image {image.title or image.id[7:19]}.")

    def action_commit(self) -> None:
        if self._refuse_if_read_only("commit"):
            return
        c = self._target()
        if c is None:
            return
        source = self.images.get(c.image_id)
        repo = (source.tags[0].rsplit(":", 1)[0] if source and source.tags else c.name.lower())

        async def submit(values: dict[str, str]) -> str:
            repo_, tag = parse_ref(values["ref"], "ref")
            image_id = await self.engine.commit(c.id, repo_, tag, comment=values["message"], author=values["author"])
            return f"Committed {c.name} as {repo_}:{tag} ({image_id[7:19]})."

        fields = [
            Field("ref", "New image (repository:tag)", f"{repo}:{c.name.lower()}-snapshot"),
            Field("message", "Message", placeholder="what changed"),
            Field("author", "Author", placeholder="Name <email>"),
        ]
        self.app.push_screen(FormScreen(f"Commit container {c.name} into a new image", fields, submit, verb="commit"), self._said)

    def action_tag(self) -> None:
        if self._refuse_if_read_only("tag"):
            return
        image = self._selected_image()
        if image is None:
            return

        async def submit(values: dict[str, str]) -> str:
            repo, tag = parse_ref(values["ref"], "ref")
            await self.engine.tag_image(image.id, repo, tag)
            return f"Tagged {image.id[7:19]} as {repo}:{tag}."

        default = image.tags[0] if image.tags else ""
        fields = [Field("ref", "New name (repository:tag)", default)]
        self.app.push_screen(FormScreen(f"Tag image {image.title or image.id[7:19]}", fields, submit, verb="tag"), self._said)

    @work(group="images")
    async def action_run(self) -> None:
        if self._refuse_if_read_only("run"):
            return
        image = self._selected_image()
        if image is None:
            return
        try:
            inspect = await self.engine.call("GET", f"images/{image.id}/json", f"image {image.id[7:19]}")
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        defaults = run_defaults(inspect.get("Config") or {})
        ref = image.tags[0] if image.tags else image.id

        async def submit(values: dict[str, str]) -> str:
            name, body = run_body(ref, values)
            try:
                cid = await self.engine.run_container(name, body)
            except EngineError as exc:
                if exc.status == 409 and "name" in exc.message:
                    raise FormError("name", f"The name {name} is already in use.") from None
                if "port" in exc.message.lower():
                    raise FormError("ports", exc.message) from None
                raise
            return f"Started {name or cid[:12]} from {ref}."

        fields = [
            Field("name", "Name", placeholder="empty: the engine picks one"),
            Field("command", "Command", defaults["command"], "empty: the image's default"),
            Field("ports", "Ports (-p style, space separated)", defaults["ports"], "8080:80 127.0.0.1::5000/udp"),
            Field("env", "Environment", placeholder='KEY=value OTHER="with spaces"'),
            Field("volumes", "Volumes", placeholder="/host/path:/in/container[:ro] volume-name:/data"),
            Field("network", "Network", placeholder="empty: the engine's default network"),
            Field("restart", "Restart policy", defaults["restart"], "no | on-failure[:N] | always | unless-stopped"),
            Field("labels", "Labels", placeholder="key=value"),
        ]
        self.app.push_screen(FormScreen(f"Run a container from {ref}", fields, submit, verb="run"), self._said)

    def _said(self, message: str | None) -> None:
        if message:
            self.notify(message, timeout=4)

    def action_volumes(self) -> None:
        from .resources import VolumesScreen

        self.app.push_screen(VolumesScreen(self.engine))

    def action_networks(self) -> None:
        from .resources import NetworksScreen

        self.app.push_screen(NetworksScreen(self.engine))

    # -- the usage column: one-shot stats for the visible running rows, only while it is on --------

    def action_toggle_usage(self) -> None:
        self.show_usage = not self.show_usage
        if self.show_usage:
            self.sample_usage()
            self.notify("CPU · memory of the visible running containers, every few seconds.", timeout=3)
        else:
            self.workers.cancel_group(self, "usage")
            self.table.set_usage({})

    @work(exclusive=True, group="usage")
    async def sample_usage(self) -> None:
        from ...engine.metrics import Sampler

        sampler = Sampler(self.engine, concurrency=4)
        while self.show_usage:
            if not self.alive:
                return
            if not getattr(self.app, "shell_active", False) and not self.bar.disconnected:
                ids = [cid for cid in self.table.visible_ids() if self.containers.get(cid) and self.containers[cid].state == "running"]
                figures = await sampler.sample(ids)
                if not self.alive:
                    return
                self.table.set_usage({cid: f"{s.cpu_percent:.0f}% · {human_size(s.mem_used)}" for cid, s in figures.items()})
            await asyncio.sleep(self.settings.usage_every)

    # -- events and problems ---------------------------------------------------------------------

    def action_events(self) -> None:
        self.app.push_screen(EventsScreen(self.journal), self.jump)

    def action_problems(self) -> None:
        self.app.push_screen(ProblemsScreen(self.problems), self.jump)

    def jump(self, target: tuple[str, str] | None) -> None:
        """Show a container (its row, under "all images", filters cleared) or an image."""
        if target is None:
            return
        kind, object_id = target
        if kind == "image":
            node = self.tree._node_of.get(object_id)
            if node is None:
                self.notify("That image is gone.", severity="warning")
                return
            self.tree.focus()
            self.tree.move_cursor(node)
            return
        if object_id not in self.containers:
            self.notify("That container is gone.", severity="warning")
            return
        self.filter_text, self.running_only = "", False
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("shown")
        self.tree.move_cursor(self.tree.root)
        self.call_after_refresh(self._focus_row, object_id)

    def _focus_row(self, container_id: str) -> None:
        self._show_containers()
        if self.table.select(container_id):
            self.table.focus()
            self._container_details()
