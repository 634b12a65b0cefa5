"""The dockertui application: connect, then show the main screen, or a problem screen."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding

from ..engine.client import Engine
from ..engine.endpoint import Endpoint, EndpointError
from ..engine.errors import EngineError
from ..model.config import Settings
from .screens.main import MainScreen
from .screens.problem import ProblemScreen


class DockerTUI(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "dockertui"
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        # its own action: a binding to command_palette would replace Textual's ctrl+p (and its hint)
        Binding("colon", "palette", "Commands", show=False, id="palette"),
    ]

    def __init__(
        self,
        endpoint: Endpoint | EndpointError,
        use_disk_cache: bool = True,
        cache_root: Path | None = None,
        settings: Settings | None = None,
        config_problems: list[str] | None = None,
        config_path: str = "",
    ) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.settings = settings or Settings()
        self.config_problems = config_problems or []
        self.config_path = config_path
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        self.shell_active = False
        self.engine: Engine | None = None
        if isinstance(endpoint, Endpoint):
            self.engine = Engine(endpoint, cache_root=cache_root, use_disk_cache=use_disk_cache)

    def on_mount(self) -> None:
        # Textual's Footer keeps the watchers of its removed keys (see widgets/footer.py): prune
        # the footers of every screen in the stack now and then, so a long session stays flat
        self.set_interval(2.0, self._prune_footers, name="prune-footers")
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.config_problems.append(f"theme {self.settings.theme!r} is unknown (known: {', '.join(sorted(self.available_themes))})")
        if self.config_problems:
            self.notify("\n".join(["Config problems (defaults used):", *self.config_problems]), severity="warning", timeout=15)
        if isinstance(self.endpoint, EndpointError):
            self.push_screen(
                ProblemScreen("The engine configuration is not usable", "-", self.endpoint.message, self.endpoint.fix, can_retry=False)
            )
            return
        assert self.engine is not None
        self.push_screen(MainScreen(self.engine))
        self.connect()

    @work(exclusive=True, group="connect")
    async def connect(self) -> None:
        assert self.engine is not None
        try:
            info, images, containers = await self.engine.snapshot()
        except EngineError as exc:
            await self.engine.close()
            self.show_problem(exc)
            return
        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.load(info, images, containers)

    def show_problem(self, exc: EngineError) -> None:
        assert isinstance(self.endpoint, Endpoint)
        title = {
            "permission": "Permission denied on the engine's socket",
            "not-docker": "That endpoint is not a Docker Engine",
            "lost": "Lost the connection to the engine",
            "unreadable": "The engine's answer could not be read",
            "tls": "TLS problem",
        }.get(exc.kind, "Cannot reach the Docker engine")
        where = f"{self.endpoint.label} (from {self.endpoint.source})"

        def retry(_: None) -> None:
            self.connect()

        self.push_screen(ProblemScreen(title, where, exc.message, exc.fix), retry)

    def action_palette(self) -> None:
        self.action_command_palette()

    def action_help(self) -> None:
        from .screens.help import HelpScreen, binding_rows

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(binding_rows(self.active_bindings), self.config_path or "the config file"))

    def _prune_footers(self) -> None:
        from .widgets.footer import prune_footers

        prune_footers(list(self.screen_stack))

    def _fatal_error(self) -> None:
        """A crash report WITHOUT local variables: Textual's default traceback prints them, and
        they can hold credentials (registry passwords, TLS keys, auth headers). The app then closes
        the way it always does, so the terminal is restored before the report is printed."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        self._close_messages_no_wait()

    def action_quit_with_error(self) -> None:
        self.exit(return_code=1)

    async def on_unmount(self) -> None:
        if self.engine is not None:
            await self.engine.close()


def binding_ids() -> frozenset[str]:
    """Every binding id the config file's [keys] table may name."""
    ids = {b.id for b in DockerTUI.BINDINGS if isinstance(b, Binding) and b.id}
    ids |= {b.id for b in MainScreen.BINDINGS if isinstance(b, Binding) and b.id}
    return frozenset(ids)
