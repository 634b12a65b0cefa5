"""The command palette (`:` or ctrl+p): every action of the screen it was opened on, with its keys,
read from that screen's ACTIVE bindings (``keys.key_rows``): rebindings show, and what a read-only
engine hides (``ui/readonly.py``) is not offered. On the dashboard the entries name what they act
on ("Logs of web-1", "Remove image app:1"). Choosing one runs the binding's action on the binding's
node, as its key would. Textual's own commands follow the app's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

from .keys import NAVIGATION, KeyRow, key_rows

# binding id -> its name with the container it acts on ({c}: the marked ones, else the selected one)
_ON_CONTAINER = {
    "start-stop": "Start/stop {c}", "restart": "Restart {c}", "pause": "Pause/unpause {c}", "kill": "Kill {c}",
    "remove": "Remove {c}", "force-remove": "Force remove {c}", "exec": "Shell in {c}", "logs": "Logs of {c}",
    "inspect": "Inspect {c}", "stats": "Stats of {c}", "commit": "Commit {c}", "measure": "Size of {c}",
    "mark": "Mark {c}", "layers": "Changes in {c}", "copy": "Copy from {c}",
}
_BULK = frozenset({"start-stop", "restart", "pause", "kill", "remove", "force-remove"})  # act on the marked ones
# binding id -> its name with the image it acts on; where the id is in both, the image when the tree has focus
_ON_IMAGE = {
    "remove": "Remove image {i}", "force-remove": "Force remove image {i}", "inspect": "Inspect image {i}",
    "layers": "Layers of {i}", "copy": "Copy from image {i}", "tag": "Tag {i}", "run": "Run {i}",
    "push": "Push {i}", "save": "Save {i}", "pull": "Pull {i}",
}
_NAMES = {"prune": "Prune…"}  # binding id -> a better name than the footer's short word

_FIRST = ("Views", NAVIGATION)  # what the empty palette lists first: opens or moves, changes nothing
_SYSTEM_SHARE = 0.5  # Textual's own commands score below every app command that matches as well


@dataclass(frozen=True)
class Selection:
    """What the dashboard's keys act on, named."""

    container: str | None  # the selected container's name
    marked: int  # how many containers are marked
    image: str | None  # the selected image's name (a tag, else a short ID)
    on_image: bool  # the image tree has focus: the keys acting on either act on the image


def dashboard_selection(screen: Screen[object]) -> Selection | None:
    """The dashboard's selection, from its public parts (the table's current row, the tree's
    selected image, the marks); None on other screens."""
    from .screens.main import MainScreen

    if not isinstance(screen, MainScreen):
        return None
    current = screen.table.current
    image = screen.host.state.forest.images.get(screen.tree.selected)
    image_name = None if image is None else image.name if image.named else image.id.removeprefix("sha256:")[:12]
    return Selection(current.name if current else None, len(screen.marks), image_name, screen.tree.has_focus)


def entry_name(row: KeyRow, selection: Selection | None) -> str:
    """The palette's name for a row: with what it acts on where there is a selection."""
    bid = row.binding_id
    if selection is not None:
        if bid in _ON_IMAGE and (selection.on_image or bid not in _ON_CONTAINER):
            return _ON_IMAGE[bid].format(i=selection.image) if selection.image else _NAMES.get(bid, row.description)
        if bid in _ON_CONTAINER:
            if bid in _BULK and selection.marked > 1:
                return _ON_CONTAINER[bid].format(c=f"{selection.marked} marked containers")
            if selection.container:
                return _ON_CONTAINER[bid].format(c=selection.container)
    return _NAMES.get(bid, row.description)


@dataclass(frozen=True)
class Entry:
    name: str
    keys: str
    help: str
    run: Callable[[], Awaitable[object]]
    system: bool = False
    words: str = ""  # matched too: the key's own description ("Shell" for "Shell in web-1")
    group: str = ""


class AppCommands(Provider):
    """The app's commands for the screen the palette was opened on, then Textual's."""

    def entries(self) -> Iterator[Entry]:
        screen, app = self.screen, self.app
        focused = screen.focused
        selection = dashboard_selection(screen)
        names: set[str] = set()
        for row in key_rows(screen.active_bindings):
            if row.motion or row.binding_id in ("palette", ""):
                continue  # cursor moves, the palette itself, Textual's own keys
            name = entry_name(row, selection)
            names.add(name.lower())
            yield Entry(name, row.key_text, f"{row.group} · {row.description}", _runner(screen, focused, row),
                        words=row.description, group=row.group)
        yield Entry("Switch theme", "", "General · choose one of the themes", _call(app.action_change_theme))
        for command in app.get_system_commands(screen):
            if command.title.lower() in names or command.title == "Theme":
                continue  # the app's own entry does it ("Quit" where q quits, "Switch theme")
            yield Entry(command.title, "", f"Textual · {command.help}", _call(command.callback), system=True)

    async def discover(self) -> Hits:
        # Enter in an empty palette runs the first entry: views and moves first, never "Start/stop"
        entries = sorted(self.entries(), key=lambda e: _FIRST.index(e.group) if e.group in _FIRST else len(_FIRST))
        for entry in entries:
            yield DiscoveryHit(self._prompt(Content(entry.name), entry), entry.run, text=entry.name,
                               help=Content(entry.help))  # type: ignore[arg-type] # Content: never read as markup

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self.entries():
            score = max(matcher.match(entry.name), matcher.match(entry.words) * 0.8 if entry.words else 0)
            if score <= 0:
                continue
            if entry.system:
                score *= _SYSTEM_SHARE
            else:
                score = _SYSTEM_SHARE + score * (1 - _SYSTEM_SHARE)
            yield Hit(score, self._prompt(self._highlight(matcher, entry.name), entry), entry.run, text=entry.name,
                      help=Content(entry.help))  # type: ignore[arg-type] # Content: never read as markup

    def _highlight(self, matcher, name: str) -> Content:  # noqa: ANN001 - textual's Matcher
        """The matched letters marked, the name itself never read as markup (container names)."""
        content = Content(name)
        _, offsets = matcher.fuzzy_search.match(matcher.query, name)
        for offset in offsets:
            if not name[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
        return content

    @staticmethod
    def _prompt(name: Content, entry: Entry) -> Content:
        if not entry.keys:
            return name
        return Content.assemble(name, "  ", (entry.keys, Style(bold=True)))


def _runner(screen: Screen[object], focused: Widget | None, row: KeyRow) -> Callable[[], Awaitable[object]]:
    async def run() -> None:
        # as the key would: with the focus the screen had when the palette opened
        if focused is not None and focused.is_attached and screen.focused is not focused:
            screen.set_focus(focused)
        await screen.app.run_action(row.action, row.node)

    return run


def _call(callback: Callable[[], object]) -> Callable[[], Awaitable[object]]:
    async def run() -> None:
        result = callback()
        if isinstance(result, Awaitable):
            await result

    return run
