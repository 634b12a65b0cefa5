"""The command palette (`:` or ctrl+p): every action of the screen it was opened on, with its keys,
read from that screen's ACTIVE bindings (``keys.key_rows``): rebindings show, and what a read-only
engine hides (``ui/readonly.py``) is not offered. Where a screen has a selection the entries name
what they act on ("Logs of web-1", "Remove image app:1", "Scale web"). Choosing one runs the binding's action on the binding's
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

# binding id -> (what it acts on, its name with it); "containers": the marked ones, else the selected one
_NAMED: dict[str, tuple[str, str]] = {
    "start-stop": ("containers", "Start/stop {}"), "restart": ("containers", "Restart {}"),
    "pause": ("containers", "Pause/unpause {}"), "kill": ("containers", "Kill {}"),
    "remove": ("containers", "Remove {}"), "force-remove": ("containers", "Force remove {}"),
    "exec": ("container", "Shell in {}"), "logs": ("container", "Logs of {}"), "inspect": ("container", "Inspect {}"),
    "stats": ("container", "Stats of {}"), "commit": ("container", "Commit {}"), "measure": ("container", "Size of {}"),
    "mark": ("container", "Mark {}"), "layers": ("container", "Changes in {}"), "copy": ("container", "Copy from {}"),
    "tag": ("image", "Tag {}"), "run": ("image", "Run {}"), "push": ("image", "Push {}"), "save": ("image", "Save {}"),
    "pull": ("image", "Pull {}"),
    "resources-remove": ("resource", "Remove {}"),
    "compose-start": ("project", "Start {}"), "compose-stop": ("project", "Stop {}"),
    "compose-restart": ("project", "Restart {}"), "compose-pause": ("project", "Pause/unpause {}"),
    "compose-remove": ("project", "Remove {}"), "compose-logs": ("project", "Logs of {}"),
    "compose-up": ("project", "Up {}"), "compose-down": ("project", "Down {}"), "compose-pull": ("project", "Pull {}"),
    "compose-recreate": ("project", "Recreate {}"),
    "swarm-scale": ("service", "Scale {}"), "swarm-force-update": ("service", "Rolling restart of {}"),
    "swarm-rollback": ("service", "Roll back {}"), "swarm-remove": ("service", "Remove {}"),
    "service-scale": ("service", "Scale {}"), "service-force-update": ("service", "Rolling restart of {}"),
    "service-rollback": ("service", "Roll back {}"), "service-remove": ("service", "Remove {}"),
    "service-logs": ("service", "Logs of {}"),
    "swarm-drain": ("node", "Drain {}"), "swarm-pause-node": ("node", "Pause {}"), "swarm-activate": ("node", "Activate {}"),
}
# where the dashboard's image tree has focus these act on the image, not the container
_ON_IMAGE = {
    "remove": "Remove image {}", "force-remove": "Force remove image {}", "inspect": "Inspect image {}",
    "layers": "Layers of {}", "copy": "Copy from image {}",
}
_NAMES = {"prune": "Prune…"}  # binding id -> a better name than the footer's short word
TREE_FOCUS = "tree-focus"  # in subjects: the dashboard's image tree has focus

_FIRST = ("Views", NAVIGATION)  # what the empty palette lists first: opens or moves, changes nothing
_SYSTEM_SHARE = 0.5  # Textual's own commands score below every app command that matches as well


def subjects_of(screen: Screen[object]) -> dict[str, str]:
    """What the screen's keys act on, by kind, named; read from the screens' public selection (the
    dashboard's current row, image and marks; a list's current volume, project, service or node)."""
    from .screens.compose import ComposeScreen
    from .screens.main import MainScreen
    from .screens.resources import ResourcesScreen

    found: dict[str, str] = {}
    if isinstance(screen, MainScreen):
        current = screen.table.current
        if current is not None:
            found["container"] = found["containers"] = current.name
        marked = [screen.host.state.containers[i].name for i in screen.marks if i in screen.host.state.containers]
        if marked:  # lifecycle keys act on the marked ones
            found["containers"] = marked[0] if len(marked) == 1 else f"{len(marked)} marked containers"
        image = screen.host.state.forest.images.get(screen.tree.selected)
        if image is not None:
            found["image"] = image.name if image.named else image.id.removeprefix("sha256:")[:12]
        if screen.tree.has_focus:
            found[TREE_FOCUS] = "yes"
    elif isinstance(screen, ResourcesScreen):
        resource = screen.current
        if resource is not None:
            found["resource"] = f"{screen.KIND} {resource.name}"
    elif isinstance(screen, ComposeScreen):
        project = screen.selected()
        if project is not None:
            found["project"] = project.name
    service = getattr(screen, "selected_service", None)  # the swarm's screens
    node = getattr(screen, "selected_node", None)
    if callable(service) and (svc := service()) is not None:
        found["service"] = svc.name
    if callable(node) and (nd := node()) is not None:
        found["node"] = nd.hostname
    return found


def entry_name(row: KeyRow, subjects: dict[str, str]) -> str:
    """The palette's name for a row: with what it acts on where the screen has a selection."""
    bid = row.binding_id
    if TREE_FOCUS in subjects and bid in _ON_IMAGE:
        return _ON_IMAGE[bid].format(subjects["image"]) if "image" in subjects else row.description
    kind, template = _NAMED.get(bid, ("", ""))
    if kind in subjects:
        return template.format(subjects[kind])
    return _NAMES.get(bid, row.description)


TYPED = frozenset({"help", "engines"})  # app keys that are letters on a type-to-filter screen


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
        subjects = subjects_of(screen)
        names: set[str] = set()
        typing = getattr(screen, "TYPE_TO_FILTER", False)
        for row in key_rows(screen.active_bindings):
            if row.motion or row.binding_id in ("palette", ""):
                continue  # cursor moves, the palette itself, Textual's own keys
            if typing and row.binding_id in TYPED:
                continue  # their keys type there: run from here below, without a key
            name = entry_name(row, subjects)
            names.add(name.lower())
            yield Entry(name, row.key_text, f"{row.group} · {row.description}", _runner(screen, focused, row),
                        words=row.description, group=row.group)
        if typing:  # `?` and `H` type there (app.check_action): help and the engines are here
            yield Entry("Help", "", "General · the keys of this screen, grouped", _call(app.action_help),  # type: ignore[attr-defined]
                        group="General")
            yield Entry("Engines", "", "Views · every engine of the session", _call(app.action_engines),  # type: ignore[attr-defined]
                        group="Views")
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
