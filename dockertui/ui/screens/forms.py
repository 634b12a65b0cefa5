"""Small forms (commit, tag, run): each field says what is wrong with it, and nothing is done
until everything is right."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...engine.errors import EngineError
from ...model.forms import FormError


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""


Submit = Callable[[dict[str, str]], Awaitable[str]]


class FormScreen(ModalScreen[str | None]):
    """``submit`` gets the values and returns the success message; it raises FormError for a field
    or EngineError for the whole form. Enter on the last field (or ctrl+s) submits."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "submit", "Submit", id="form-submit"),
    ]

    def __init__(self, title: str, fields: list[Field], submit: Submit, *, verb: str = "Submit") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.submit = submit
        self.verb = verb
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(self.title_text, id="form-title")
            with VerticalScroll(id="form-fields"):
                for f in self.fields:
                    yield Label(f.label, classes="form-label")
                    yield Input(f.value, placeholder=f.placeholder, id=f"field-{f.key}")
                    yield Label("", id=f"error-{f.key}", classes="form-error")
            yield Label("", id="form-error", classes="form-error")
            yield Static(f"[b]enter[/b] on the last field or [b]ctrl+s[/b]: {self.verb}    [b]esc[/b]: cancel", id="form-keys")

    def on_mount(self) -> None:
        self.query_one(f"#field-{self.fields[0].key}", Input).focus()

    @property
    def values(self) -> dict[str, str]:
        return {f.key: self.query_one(f"#field-{f.key}", Input).value for f in self.fields}

    def error_of(self, key: str) -> str:
        return str(self.query_one(f"#error-{key}" if key else "#form-error", Label).content)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        if event.input.id == f"field-{self.fields[-1].key}":
            self.action_submit()
        else:
            self.focus_next()

    def action_submit(self) -> None:
        if not self.busy:
            self._submit(self.values)

    @work(exclusive=True, group="form")
    async def _submit(self, values: dict[str, str]) -> None:
        for f in self.fields:
            self.query_one(f"#error-{f.key}", Label).update("")
        general = self.query_one("#form-error", Label)
        general.update("working…")
        self.busy = True
        try:
            message = await self.submit(values)
        except FormError as exc:
            general.update("")
            target = f"#error-{exc.field}" if any(f.key == exc.field for f in self.fields) else "#form-error"
            self.query_one(target, Label).update(Text(exc.message))
            if target != "#form-error":
                self.query_one(f"#field-{exc.field}", Input).focus()
            return
        except EngineError as exc:
            general.update(Text(exc.message))
            return
        finally:
            self.busy = False
        self.dismiss(message)

    def action_cancel(self) -> None:
        self.dismiss(None)
