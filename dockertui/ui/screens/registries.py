"""``Y``: the registries this user has a login for, log in and log out, as ``docker login`` and
``docker logout`` do (the engine checks the login, then it is kept through the configured
credential helper, else in ``auths`` of ``$DOCKER_CONFIG/config.json``, mode 0600).

The password or token is typed into a field that never echoes it; it is taken out of the field as
the check starts and dropped when the call returns, whatever the outcome. It is never logged, and
never appears in a message."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...engine.client import Engine
from ...engine.credentials import Known, folder_of, known
from ...engine.errors import EngineError
from ...engine.login import login, logout, normalise_registry
from ..safe import safe_text
from ..readonly import ReadOnlyRule
from .confirm import ConfirmScreen
from ..widgets.lists import ListOptions


class LoginScreen(ModalScreen[str | None]):
    """Registry, user, password or token. Enter on the password (or ctrl+s) logs in."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="login-cancel"), Binding("ctrl+s", "submit", "Log in", id="login-submit")]

    def __init__(self, engine: Engine, registry: str = "", user: str = "") -> None:
        super().__init__()
        self.engine = engine
        self.registry = registry
        self.user = user
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="login"):
            yield Static(Text("Log in to a registry", style="bold"), id="login-title")
            yield Label("Registry (empty: Docker Hub)")
            yield Input(self.registry, placeholder="docker.io, registry.example.com, 127.0.0.1:5000", id="field-registry")
            yield Label("User")
            yield Input(self.user, id="field-user")
            yield Label("Password or access token (not shown)")
            yield Input(password=True, id="field-password")
            yield Label("", id="login-error", classes="form-error")
            yield Static(Text.from_markup("[b]enter[/b] on the password or [b]ctrl+s[/b]: log in    [b]esc[/b]: cancel"), id="login-keys")

    def on_mount(self) -> None:
        first = "#field-password" if self.registry and self.user else ("#field-user" if self.registry else "#field-registry")
        self.query_one(first, Input).focus()

    @property
    def error(self) -> str:
        return str(self.query_one("#login-error", Label).content)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        if event.input.id == "field-password":
            self.action_submit()
        else:
            self.focus_next()

    def action_submit(self) -> None:
        if self.busy:
            return
        box = self.query_one("#field-password", Input)
        secret, box.value = box.value, ""  # out of the widget before anything else happens
        registry = self.query_one("#field-registry", Input).value
        user = self.query_one("#field-user", Input).value.strip()
        self._login(registry, user, secret)
        del secret

    @work(exclusive=True, group="login", description="login")  # the default description would hold the arguments
    async def _login(self, registry_text: str, user: str, secret: str) -> None:
        label = self.query_one("#login-error", Label)
        self.busy = True
        label.update("checking with the engine…")
        try:
            registry = normalise_registry(registry_text)
            message = await login(self.engine, registry, user, secret)
        except EngineError as exc:
            label.update(safe_text(exc.message))
            self.query_one("#field-password", Input).focus()
            return
        finally:
            secret = ""  # noqa: F841 - the last reference this screen holds goes here
            self.busy = False
        self.dismiss(message)

    def action_cancel(self) -> None:
        self.query_one("#field-password", Input).value = ""
        self.dismiss(None)


class RegistriesScreen(ReadOnlyRule, Screen[None]):
    """The stored logins (where each is kept), ``n`` log in, ``enter`` log in again, ``x`` log out."""

    MUTATING = frozenset({"login", "logout"})

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="registries-back"),
        Binding("n", "login", "Log in", id="registries-login"),
        Binding("x", "logout", "Log out", id="registries-logout"),
    ]

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        super().__init__()
        self.engine = engine
        self.fixed_read_only = read_only
        self.entries: list[Known] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="registries"):
            yield ListOptions(id="registries-list")
            yield Static("", id="registries-status")
            keys = "[b]esc[/b] back   (read-only: logins can't be changed here)" if self.read_only else \
                "[b]n[/b] log in   [b]enter[/b] log in again   [b]x[/b] log out   [b]esc[/b] back"
            yield Static(Text.from_markup(keys), id="registries-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#registries").border_title = f"Registry logins ({folder_of() / 'config.json'})"
        self.refresh_list()
        self.query_one(OptionList).focus()

    @work(exclusive=True, group="registries-list")
    async def refresh_list(self) -> None:
        status = self.query_one("#registries-status", Static)
        try:
            self.entries = await asyncio.to_thread(known)
        except EngineError as exc:
            self.entries = []
            status.update(safe_text(exc.message, style="red"))
        options = self.query_one(OptionList)
        options.clear_options()
        for entry in self.entries:
            line = safe_text(entry.server)
            line.append(f"   {entry.where}", style="dim")
            options.add_option(Option(line, id=entry.server))
        if not self.entries:
            options.add_option(Option(Text("no stored login: n logs in", style="dim"), id="", disabled=True))
        else:
            options.highlighted = 0

    def _current(self) -> Known | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.entries:
            return None
        return self.entries[options.highlighted] if options.highlighted < len(self.entries) else None

    def _refuse(self, what: str) -> bool:
        if self.read_only:
            self.notify(f"Read-only mode: {what} is disabled.", severity="warning")
        return self.read_only

    def action_login(self, registry: str = "") -> None:
        if self._refuse("log in"):
            return
        self.app.push_screen(LoginScreen(self.engine, registry), self._done)

    @on(OptionList.OptionSelected)
    def _again(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_login(event.option.id)

    def action_logout(self) -> None:
        entry = self._current()
        if entry is None or self._refuse("log out"):
            return

        def confirmed(answer: frozenset[str] | None) -> None:
            if answer is not None:
                self._logout(entry.server)

        self.app.push_screen(ConfirmScreen("Log out? The stored login is removed:", [f"{entry.server} ({entry.where})"]), confirmed)

    @work(exclusive=True, group="logout")
    async def _logout(self, server: str) -> None:
        try:
            message = await logout(server)
        except EngineError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self._done(message)

    def _done(self, message: str | None) -> None:
        if message:
            self.query_one("#registries-status", Static).update(safe_text(message))
            self.notify(message, timeout=4, markup=False)
        self.refresh_list()

    def action_close(self) -> None:
        self.app.pop_screen()
