"""Actions on images: pull, push, build, save, load, tag, run, remove, inspect; the tree's toggles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from ...engine.errors import EngineError
from ...model.fmt import human_size
from ...model.forms import FormError, parse_ref, run_body, run_defaults
from ...model.images import Image
from ...model.removal import plan_image_removal
from ...model.resources import Holder
from ..screens.confirm import ConfirmScreen
from ..screens.forms import Field, FormScreen

if TYPE_CHECKING:
    from ..screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

IMAGE_MUTATING = frozenset({"pull", "push", "build", "load", "tag", "run"})


class ImageActions(_Base):
    def _selected_image(self) -> Image | None:
        image = self.host.state.forest.images.get(self.tree.selected)
        if image is None:
            self.notify("Select an image in the tree first.", severity="warning")
        return image

    def action_pull(self) -> None:
        from ..screens.transferview import PullScreen

        image = self.host.state.forest.images.get(self.tree.selected)
        self.app.push_screen(PullScreen(self.host.engine, image.tags[0] if image and image.tags else ""))

    def action_push(self) -> None:
        from ..screens.transferview import PushScreen

        image = self._selected_image()
        if image is not None:
            self.app.push_screen(PushScreen(self.host.engine, image))

    def action_build(self) -> None:
        from ..screens.transferview import BuildScreen

        self.app.push_screen(BuildScreen(self.host.engine))

    def action_save(self) -> None:
        from ..screens.transferview import SaveScreen

        image = self._selected_image()
        if image is not None:
            self.app.push_screen(SaveScreen(self.host.engine, image))

    def action_load(self) -> None:
        from ..screens.transferview import LoadScreen

        self.app.push_screen(LoadScreen(self.host.engine))

    @work(group="inspect")
    async def _inspect_image(self, image_id: str) -> None:
        from ..screens.inspectview import InspectScreen

        try:
            data = await self.host.engine.inspect_image(image_id)
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        self.app.push_screen(InspectScreen(f"image {self.host.state.forest.images[image_id].title}", data))

    def remove_image(self, force: bool) -> None:
        """Ask first, naming the image, its tags, its children and the containers that use it, and
        offering only what the engine will do (model/removal.plan_image_removal)."""
        if self.read_only:
            self.notify("Read-only mode: remove image is disabled.", severity="warning")
            return
        image = self._selected_image()
        if image is None:
            return
        state = self.host.state
        users = [Holder(c.id, c.name, c.state) for c in sorted(state.containers.values(), key=lambda c: c.name) if c.image_id == image.id]
        children = [state.forest.images[k].title or k[7:19] for k in state.forest.kids(image.id) if k in state.forest.images]
        label = f"{image.title or '<untagged>'}  {image.id[7:19]}  {human_size(image.size)}"
        plan = plan_image_removal(image.tags[0] if image.tags else image.id[7:19], image.tags, users, children, force)
        items = [label, *plan.items[1:]]
        if plan.blocked:
            self.app.push_screen(ConfirmScreen(plan.title, items, yes=None))
            return
        options = (("c", plan.option, False),) if plan.option else ()

        def confirmed(chosen: frozenset[str] | None) -> None:
            if chosen is not None:
                self._remove_image(image, plan.force, plan.remove_holders if "c" in chosen else ())

        yes = "force-remove" if plan.force else "remove"
        self.app.push_screen(ConfirmScreen(plan.title, items, options, yes=yes), confirmed)

    @work(group="images")
    async def _remove_image(self, image: Image, force: bool, holders: tuple[Holder, ...] = ()) -> None:
        for h in holders:  # the stopped containers named in the question, by ID, never forced
            try:
                await self.host.engine.container_action(h.id, "remove", h.name)
            except EngineError as exc:
                self.notify(f"{exc.message} The image is kept.", severity="error", timeout=8)
                return
        try:
            await self.host.engine.remove_image(image.id, force=force)
        except EngineError as exc:
            self.notify(exc.message, severity="error", timeout=8)
            return
        gone = f" and {len(holders)} container(s)" if holders else ""
        self.notify(f"Removed image {image.title or image.id[7:19]}{gone}.")

    def action_tag(self) -> None:
        image = self._selected_image()
        if image is None:
            return
        engine = self.host.engine

        async def submit(values: dict[str, str]) -> str:
            repo, tag = parse_ref(values["ref"], "ref")
            await engine.tag_image(image.id, repo, tag)
            return f"Tagged {image.id[7:19]} as {repo}:{tag}."

        default = image.tags[0] if image.tags else ""
        fields = [Field("ref", "New name (repository:tag)", default)]
        self.app.push_screen(FormScreen(f"Tag image {image.title or image.id[7:19]}", fields, submit, verb="tag"), self.said)

    @work(group="images")
    async def action_run(self) -> None:
        image = self._selected_image()
        if image is None:
            return
        engine = self.host.engine
        try:
            inspect = await engine.inspect_image(image.id)
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        defaults = run_defaults(inspect.get("Config") or {})
        ref = image.tags[0] if image.tags else image.id

        async def submit(values: dict[str, str]) -> str:
            name, body = run_body(ref, values)
            try:
                cid = await engine.run_container(name, body)
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
        self.app.push_screen(FormScreen(f"Run a container from {ref}", fields, submit, verb="run"), self.said)

    def action_layers(self) -> None:
        """F: on the container table, what the container changed (its writable layer); on the tree,
        the image's layers file by file."""
        from ..screens.changesview import ChangesScreen
        from ..screens.layersview import LayersScreen

        if self.table.has_focus:
            c = self._target()
            if c is not None:
                image = self.host.state.forest.images.get(c.image_id)
                self.app.push_screen(ChangesScreen(self.host.engine, c, image.name if image else c.image, self.read_only))
            return
        image = self._selected_image()
        if image is not None:
            self.app.push_screen(LayersScreen(self.host.engine, self.host.state.forest, image.id))

    def action_toggle_only(self) -> None:
        self.only_this = not self.only_this
        self.show_containers()
        self.notify("Containers of this image only" if self.only_this else "Containers of this image and its descendants", timeout=2)

    def action_toggle_intermediate(self) -> None:
        self.host.reload(intermediate=not self.host.state.show_intermediate)
