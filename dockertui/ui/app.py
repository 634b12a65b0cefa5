"""The dockertui application: connect, then show the main screen, or a problem screen."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from dataclasses import dataclass
from collections.abc import Awaitable, Callable
from pathlib import Path


from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.signal import Signal

from ..engine.client import Engine
from ..engine.endpoint import Endpoint, EndpointError, list_contexts, resolve_endpoint
from ..engine.errors import EngineError
from ..model.config import Settings
from ..model.host import FAILED
from ..model.ids import name_ids
from ..model.lowerpane import LowerPaneChoice
from ..model.text import clean
from .commands import AppCommands
from .hostfeed import HostFeed
from .keyorder import KeyOrder
from .keys import key_rows
from .screens.main import MainScreen
from .charset import ascii_driver, wants_ascii
from .signals import silence_terminal, terminal_alive
from .quitting import quick_exit_driver
from .screens.problem import ProblemScreen


@dataclass(frozen=True)
class EngineTarget:
    """An engine the session opens: its name, its endpoint (or why there is none), read-only."""

    name: str
    endpoint: Endpoint | EndpointError
    read_only: bool = False


CLOSE_WAIT = 1.0  # seconds the quit waits for the engines' sessions to close


class DockerTUI(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "dockertui"
    COMMANDS = {AppCommands}  # the screen's own commands first, then Textual's (ui/commands.py)
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        # its own action: a binding to command_palette would replace Textual's ctrl+p (and its hint);
        # priority, as ctrl+p is: keys typed right after it are the search, not the screen's keys
        Binding("colon", "palette", "Commands", show=False, id="palette", priority=True),
        Binding("H", "engines", "Engines", show=False, id="engines"),
    ]

    def __init__(
        self,
        endpoint: Endpoint | EndpointError,
        use_disk_cache: bool = True,
        cache_root: Path | None = None,
        settings: Settings | None = None,
        config_problems: list[str] | None = None,
        config_path: str = "",
        targets: list[EngineTarget] | None = None,
    ) -> None:
        """``endpoint``: the engine to show; ``targets``: several engines at once (the first shown),
        each a name, an endpoint (or why there is none) and whether it is read-only."""
        self.ascii_only = wants_ascii()
        super().__init__()
        self.key_order = KeyOrder(self)  # keys of a burst act in the order typed (ui/keyorder.py)
        self.endpoint = endpoint
        self.settings = settings or Settings()
        self.config_problems = config_problems or []
        self.config_path = config_path
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        self.shell_active = False  # a container's shell owns the terminal: events wait
        self._cache_root, self._use_disk_cache = cache_root, use_disk_cache
        self.targets = targets or [EngineTarget(endpoint.short_name if isinstance(endpoint, Endpoint) else "engine", endpoint)]
        self.engine: Engine | None = None  # the first engine's client
        if isinstance(self.targets[0].endpoint, Endpoint):
            self.engine = self._engine(self.targets[0].endpoint)
        self.hosts: list[HostFeed] = []
        self.shown = 0
        self.lower_pane = LowerPaneChoice()  # the dashboard's lower pane: details, logs or hidden, for every engine
        self.problems_changed: Signal[int] = Signal(self, "problems-changed")  # the count over all engines

    def _engine(self, endpoint: Endpoint) -> Engine:
        engine = Engine(endpoint, cache_root=self._cache_root, use_disk_cache=self._use_disk_cache)
        if endpoint.ssh is not None:
            engine.ssh_prompt = self.ssh_prompt  # ssh's questions are answered on the real terminal
        return engine

    @property
    def host(self) -> HostFeed | None:
        """The engine shown."""
        return self.hosts[self.shown] if self.hosts else None

    @property
    def problem_count(self) -> int:
        """Problems on every engine of the session: the header's badge."""
        return sum(len(h.state.problems) for h in self.hosts)

    def read_only_for(self, node: object) -> bool:
        """Read-only for the engine a screen shows (per engine in the config), else the app's."""
        host = getattr(node, "host", None)
        return host.read_only if isinstance(host, HostFeed) else self.settings.read_only

    def get_driver_class(self) -> type[Driver]:
        base = super().get_driver_class()
        if base.__name__ == "LinuxDriver":
            base = quick_exit_driver(base)
        if self.ascii_only and base.__name__ in ("QuickExitLinuxDriver", "WindowsDriver"):
            return ascii_driver(base)
        return base

    def exit(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        """As Textual's; the driver's last stop does not wait for its input thread (ui/quitting.py)."""
        driver = self._driver
        if driver is not None and hasattr(driver, "exiting"):
            driver.exiting = True
        super().exit(*args, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self._catch_signals()
        # Textual's Footer keeps the watchers of its removed keys (see widgets/footer.py): prune
        # the footers of every screen in the stack now and then, so a long session stays flat
        self.set_interval(2.0, self._prune_footers, name="prune-footers")
        if self.settings.theme == "auto":
            # 16 colours (TERM=xterm, the linux console): the theme made of the terminal's own colours
            few = not self.is_headless and self.console.color_system in (None, "standard", "windows")
            self.theme = "ansi-dark" if few else "textual-dark"
        elif self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.config_problems.append(f"theme {self.settings.theme!r} is unknown (known: {', '.join(sorted(self.available_themes))})")
        if self.config_problems:
            self.notify("\n".join(["Config problems (defaults used):", *self.config_problems]), severity="warning", timeout=15)
        first = self.targets[0].endpoint
        if isinstance(first, EndpointError) and len(self.targets) == 1:
            self.push_screen(ProblemScreen("The engine configuration is not usable", "-", first.message, first.fix, can_retry=False))
            return
        unusable = [f"{t.name}: {t.endpoint.message}" for t in self.targets if isinstance(t.endpoint, EndpointError)]
        if unusable:
            self.notify("\n".join(["Engines that cannot be opened:", *unusable]), severity="error", timeout=15)
        for target in self.targets:
            if isinstance(target.endpoint, Endpoint):
                engine = self.engine if target is self.targets[0] and self.engine is not None else self._engine(target.endpoint)
                self.add_host(target.name, engine, target.read_only)
        if self.hosts:
            self.show_host(0)

    def add_host(self, name: str, engine: Engine, read_only: bool = False) -> HostFeed:
        """Follow one more engine: its own state, stream and main screen (a mode of its own)."""
        host = HostFeed(self, name, engine, self.settings, read_only=read_only)
        self.hosts.append(host)
        host.connection_changed.subscribe(self, lambda connection: self._connection(host, connection))
        host.changed.subscribe(self, lambda change: self.problems_changed.publish(self.problem_count) if change.problems else None)
        self.add_mode(f"engine-{len(self.hosts) - 1}", lambda: MainScreen(host))
        host.connect()
        return host

    def show_host(self, index: int) -> None:
        """Show this engine's dashboard (its screens stay as they were)."""
        self.shown = index
        self.switch_mode(f"engine-{index}")

    def jump_to(self, name: str, target: tuple[str, str]) -> None:
        """Show the engine called ``name`` and, on its dashboard, the container or image."""
        for index, host in enumerate(self.hosts):
            if host.name == name:
                self.show_host(index)
                screen = self.screen
                if isinstance(screen, MainScreen):
                    self.call_after_refresh(screen.jump, target)
                return
        self.notify(f"No engine called {name} any more.", severity="warning")

    def action_engines(self) -> None:
        from .screens.engines import EnginesScreen

        if not self.hosts or isinstance(self.screen, EnginesScreen):
            return
        opened = {h.engine.endpoint.context for h in self.hosts if h.engine.endpoint.context}
        contexts = [(name, host) for name, host in list_contexts() if name not in opened and name != "default"]
        self.push_screen(EnginesScreen(self.hosts, self.shown, contexts), self._engine_chosen)

    def _engine_chosen(self, choice: tuple[str, str] | None) -> None:
        if choice is None:
            return
        kind, value = choice
        if kind == "engine":
            self.show_host(int(value))
            return
        try:
            endpoint = resolve_endpoint(context=value)
        except EndpointError as exc:
            self.notify(f"Context {value}: {exc.message} {exc.fix}", severity="error", timeout=10)
            return
        self.add_host(value, self._engine(endpoint))
        self.show_host(len(self.hosts) - 1)

    async def ssh_prompt(self, run: Callable[[], Awaitable[bool]]) -> bool:
        """ssh needs the user (host key, password, one-time code): hand it the real terminal while
        the master opens, then come back."""
        with self.suspend():
            return await run()

    def _connection(self, host: HostFeed, connection: str) -> None:
        if connection == FAILED and host.error is not None and not host.state.loaded and host is self.host:
            self.show_problem(host, host.error)

    def connect(self) -> None:
        """Try the shown engine again."""
        if self.host is not None:
            self.host.connect()

    def show_problem(self, host: HostFeed, exc: EngineError) -> None:
        endpoint = host.engine.endpoint
        title = {
            "permission": "Permission denied on the engine's socket",
            "not-docker": "That endpoint is not a Docker Engine",
            "lost": "Lost the connection to the engine",
            "unreadable": "The engine's answer could not be read",
            "tls": "TLS problem",
            "ssh-hostkey": "ssh: the host key is not trusted",
            "ssh-auth": "ssh: authentication refused",
            "ssh-no-docker": "ssh: no way to the engine on the remote",
            "ssh-shell": "ssh: the remote shell talks into the connection",
            "ssh": "ssh problem",
        }.get(exc.kind, "Cannot reach the Docker engine")
        where = f"{endpoint.label} (from {endpoint.source})"

        def retry(_: None) -> None:
            host.connect()

        self.push_screen(ProblemScreen(title, where, exc.message, exc.fix), retry)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications quote engine texts (names, errors): never markup, never control. In a
        warning or an error, object IDs read as names (else short IDs)."""
        if severity in ("error", "warning"):
            message = self.named(message)
        super().notify(clean(message, keep="\n"), title=clean(title), severity=severity, timeout=timeout, markup=False)

    def named(self, text: str) -> str:
        """``text`` with every object ID as the object's name where an engine of the session
        knows it, else as its 12-character short ID."""
        names: dict[str, str] = {}
        for host in self.hosts:
            names.update(host.state.id_names())
        return name_ids(text, names)

    def _catch_signals(self) -> None:
        """SIGTERM, SIGHUP and SIGINT end the app the way ``q`` does: the terminal restored (when
        there still is one), streams and children ended, no traceback."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._signalled, signum)

    def _signalled(self, signum: int) -> None:
        if not terminal_alive():
            silence_terminal()  # the terminal hung up: nothing may be written to it any more
        self.exit(return_code=128 + signum)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        fresh = not event.is_forwarded  # read from the terminal, not on its way back up
        if fresh and not self.key_order.admit(event):
            return  # held: it is routed when the key before it has acted
        await super().on_event(event)
        if not (fresh and event.is_forwarded):  # acted on here, or back from the focused widget
            self.key_order.settled(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On a screen where typing filters (``TYPE_TO_FILTER``, the events view), `:` and `?` and
        `H` are letters for its filter: off there (help stays in ctrl+p)."""
        if action in ("palette", "help", "engines") and getattr(self.screen, "TYPE_TO_FILTER", False):
            return False
        return True

    async def action_palette(self) -> None:
        from textual.widgets import Input

        if isinstance(self.focused, Input):  # a priority key: in a text box, it is just a ":"
            self.focused.insert_text_at_cursor(":")
            return
        await self.action_command_palette()

    async def action_command_palette(self) -> None:
        """Textual's, but the keys typed right after `:` wait until the palette is there: they are
        the search (":log" then Enter shows the logs), not lost (then Enter ran the first command)."""
        from textual.command import CommandInput, CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            palette = CommandPalette(id="--command-palette")
            await self.push_screen(palette)
            palette.set_focus(palette.query_one(CommandInput))  # now, not on the next resume

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(key_rows(self.active_bindings), self.config_path or "the config file"))

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
        """Every engine's streams and session closed at once, within a bound: a slow cleanup (a
        stalled remote, an ssh master) must not hold the quit; the process ends right after."""
        if not self.hosts:
            return
        closing = asyncio.gather(*(host.close() for host in self.hosts), return_exceptions=True)
        with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(closing, CLOSE_WAIT)


def binding_ids() -> frozenset[str]:
    """Every binding id the config file's [keys] table may name: those of every screen and widget,
    read from the source (so checking a config imports none of the screens behind keys)."""
    import ast

    ids = {b.id for b in DockerTUI.BINDINGS if isinstance(b, Binding) and b.id}
    for path in Path(__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding":
                for kw in node.keywords:
                    if kw.arg == "id" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                        ids.add(kw.value.value)
    return frozenset(ids)
