"""Actions on containers: lifecycle (one or many), shell, logs, inspect, stats, commit, size."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from ...engine.errors import EngineError
from ...model.actions import FORCE_REMOVE, Refusal, Step, bulk_action, resolve
from ...model.containers import Container
from ...model.forms import parse_ref
from ..screens.confirm import ConfirmScreen
from ..screens.forms import Field, FormScreen

if TYPE_CHECKING:
    from ..screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

CONTAINER_MUTATING = frozenset({"start_stop", "restart", "pause", "kill", "remove", "force_remove", "exec", "commit"})


class ContainerActions(_Base):
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

    def _targets(self) -> list[Container]:
        """The marked containers, else the one under the cursor."""
        containers = self.host.state.containers
        if self.marks:
            return sorted((containers[i] for i in self.marks if i in containers), key=lambda c: c.name)
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
        """Resolve ``action`` for each target; ask first when it removes; then run it. On several
        containers an action has one meaning (start/stop: stop them all when any runs)."""
        targets = self._targets()
        if not targets:
            return
        if len(targets) > 1:
            action = bulk_action(action, [c.state for c in targets])
        steps: list[tuple[Container, Step]] = []
        skipped: list[str] = []
        for c in targets:
            got = resolve(action, c.state)
            busy = self.host.state.busy(c.id)
            if isinstance(got, Refusal):
                skipped.append(f"{c.name}: {got.reason}")
            elif busy:
                skipped.append(f"{c.name} is already {busy}")
            else:
                steps.append((c, got))
        if skipped:
            verb = action.replace("-", " ")
            self.notify(f"Not {verb}: " + "; ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""),
                        severity="warning")
        if not steps:
            return
        if action in ("remove", "force-remove"):
            self._confirm_removal(steps, forced=action == "force-remove")
            return
        self._run(steps)

    def _confirm_removal(self, steps: list[tuple[Container, Step]], forced: bool) -> None:
        """Only what can succeed is offered: running ones are stopped-and-removed (force) or left."""
        running = [c for c, _ in steps if c.state in ("running", "restarting", "paused")]
        items = [f"{c.name}  {c.id[:12]}  {c.state}  {c.image}" for c, _ in steps]
        options = [("v", "also remove their anonymous volumes", False)]
        if forced or running:
            verb = "Force-remove" if forced else "Stop (kill) and remove"
            title = f"{verb} {len(steps)} container(s)?" + (f" {len(running)} running." if running else "")
            steps = [(c, FORCE_REMOVE) for c, _ in steps]
        else:
            title = f"Remove {len(steps)} container(s)?"

        def confirmed(chosen: frozenset[str] | None) -> None:
            if chosen is not None:
                self._run(steps, volumes="v" in chosen)

        self.app.push_screen(ConfirmScreen(title, items, tuple(options)), confirmed)

    def _run(self, steps: list[tuple[Container, Step]], volumes: bool = False) -> None:
        self.marks.clear()
        # the events these cause are the user's doing, not problems (a stop's exit 137, a start's restart)
        self.host.run_steps(steps, volumes, expect=self.host.state.problems.expect)

    def action_copy(self) -> None:
        """y: the selected container's ID, name, image or IP (or the image's reference) to the local
        clipboard (OSC 52)."""
        from ..screens.copymenu import CopyMenu

        forest = self.host.state.forest
        if self.table.has_focus or self.tree.selected not in forest.images:
            c = self._target()
            if c is not None:
                self.app.push_screen(CopyMenu(self.host.engine, container=c))
        else:
            self.app.push_screen(CopyMenu(self.host.engine, image=forest.images[self.tree.selected]))

    def action_mark(self) -> None:
        c = self.table.current
        if c is None:
            return
        self.marks ^= {c.id}
        self.show_containers()
        if self.table.cursor_row < self.table.row_count - 1:
            self.table.action_cursor_down()

    def action_mark_all(self) -> None:
        """Mark every row shown (filter, mark all, act), or clear the marks when all are marked."""
        shown = set(self.table.containers)
        self.marks = set() if shown and shown <= self.marks else self.marks | shown
        self.show_containers()

    @work(exclusive=True, group="exec")
    async def action_exec(self) -> None:
        from ..terminal import open_shell

        c = self._target()
        if c is not None:
            await open_shell(self.app, self.host.engine, c, self.settings.exec_shell)

    def action_logs(self) -> None:
        from ..screens.logview import LogsScreen

        c = self._target()
        if c is not None:
            self.app.push_screen(LogsScreen(self.host.engine, c, tail=self.settings.log_tail))

    def action_stats(self) -> None:
        from ..screens.statsview import StatsScreen

        c = self._target(running=True)
        if c is not None:
            self.app.push_screen(StatsScreen(self.host.engine, c))

    def action_inspect(self) -> None:
        if self.table.has_focus or self.tree.selected not in self.host.state.forest.images:
            c = self._target()
            if c is not None:
                self._inspect_container(c)
        else:
            self._inspect_image(self.tree.selected)

    @work(group="inspect")
    async def _inspect_container(self, c: Container) -> None:
        from ..screens.inspectview import InspectScreen

        try:
            data = await self.host.engine.inspect_container(c.id)
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        self.app.push_screen(InspectScreen(f"container {c.name}", data))

    @work(exclusive=True, group="size")
    async def action_measure(self) -> None:
        c = self._target()
        if c is None:
            return
        self.notify(f"Measuring the writable layer of {c.name}…", timeout=2)
        try:
            data = await self.host.engine.inspect_container(c.id, size=True)
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        self.sizes[c.id] = data
        self.show_container_details(c)

    def action_commit(self) -> None:
        c = self._target()
        if c is None:
            return
        source = self.host.state.images.get(c.image_id)
        repo = source.tags[0].rsplit(":", 1)[0] if source and source.tags else c.name.lower()
        engine = self.host.engine

        async def submit(values: dict[str, str]) -> str:
            repo_, tag = parse_ref(values["ref"], "ref")
            image_id = await engine.commit(c.id, repo_, tag, comment=values["message"], author=values["author"])
            return f"Committed {c.name} as {repo_}:{tag} ({image_id[7:19]})."

        fields = [
            Field("ref", "New image (repository:tag)", f"{repo}:{c.name.lower()}-snapshot"),
            Field("message", "Message", placeholder="what changed"),
            Field("author", "Author", placeholder="Name <email>"),
        ]
        self.app.push_screen(FormScreen(f"Commit container {c.name} into a new image", fields, submit, verb="commit"), self.said)
