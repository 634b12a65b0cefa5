"""The dockertui application: connect, then show the main screen, or a problem screen."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import App

from ..engine.client import Engine
from ..engine.endpoint import Endpoint, EndpointError
from ..engine.errors import EngineError
from ..model.config import Settings
from .screens.main import MainScreen
from .screens.problem import ProblemScreen


class DockerTUI(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "dockertui"

    def __init__(
        self,
        endpoint: Endpoint | EndpointError,
        use_disk_cache: bool = True,
        cache_root: Path | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.settings = settings or Settings()
        self.engine: Engine | None = None
        if isinstance(endpoint, Endpoint):
            self.engine = Engine(endpoint, cache_root=cache_root, use_disk_cache=use_disk_cache)

    def on_mount(self) -> None:
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
            "tls": "TLS problem",
        }.get(exc.kind, "Cannot reach the Docker engine")
        where = f"{self.endpoint.label} (from {self.endpoint.source})"

        def retry(_: None) -> None:
            self.connect()

        self.push_screen(ProblemScreen(title, where, exc.message, exc.fix), retry)

    def action_quit_with_error(self) -> None:
        self.exit(return_code=1)

    async def on_unmount(self) -> None:
        if self.engine is not None:
            await self.engine.close()
