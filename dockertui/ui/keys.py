"""What each key acts on: the one mapping from binding id to group, read by `?` (grouped keys) and
by the command palette. The rows come from a screen's ACTIVE bindings, so the config file's
rebindings show and the keys a read-only engine hides (``check_action``) are not there."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.binding import ActiveBinding
from textual.dom import DOMNode

TEXTUAL = "Textual"  # Textual's own keys (scrolling, the tree's extras, ctrl+p, ctrl+q): always last
NAVIGATION = "Navigation"

# group -> the ids of the bindings in it; the order of the groups is the order `?` shows them in.
# Every binding id of the app is here (tests/unit/test_keys.py checks it against the source).
_GROUPS: dict[str, tuple[str, ...]] = {
    "Container": (
        "start-stop", "restart", "pause", "kill", "exec", "logs", "stats", "commit", "measure", "mark", "mark-all",
    ),
    "Container or image": ("remove", "force-remove", "inspect", "layers", "copy"),
    "Image": ("pull", "push", "build", "save", "load", "tag", "run", "only-this-image", "intermediates"),
    "Service": (
        "service-logs", "service-scale", "service-force-update", "service-rollback", "service-remove",
        "swarm-scale", "swarm-force-update", "swarm-rollback", "swarm-remove",
    ),
    "Node": ("swarm-drain", "swarm-pause-node", "swarm-activate"),
    "Compose project": (
        "compose-start", "compose-stop", "compose-restart", "compose-pause", "compose-remove", "compose-logs",
        "compose-up", "compose-down", "compose-pull", "compose-recreate",
    ),
    "Volume or network": ("resources-create", "resources-remove", "resources-prune"),
    "Logs": ("logs-toggle-follow", "logs-toggle-timestamps", "logs-toggle-wrap", "logs-save"),
    "Inspect": ("inspect-reveal", "inspect-expand-all"),
    "Layers": ("layers-merged",),
    "Changes": ("changes-commit",),
    "Prune": ("prune-toggle", "prune-confirm", "prune-reload"),
    "Disk usage": ("disk-usage-prune",),
    "Events": ("events-probes",),
    "Problem": ("problems-acknowledge",),
    "Registry": ("registries-login", "registries-logout"),
    "Views": (
        "volumes", "networks", "prune", "disk-usage", "events", "problems", "swarm", "compose", "registries",
        "engines", "show-all", "usage-column", "lower-pane", "reload",
    ),
    NAVIGATION: (
        # the dashboard
        "filter", "image-tree-cursor-down", "image-tree-cursor-up", "image-tree-first", "image-tree-last",
        "container-table-cursor-up", "container-table-cursor-down", "container-table-page-up",
        "container-table-page-down", "container-table-scroll-top", "container-table-scroll-bottom",
        "container-table-select-cursor",
        # lists of the other views (ui/widgets/lists.py)
        "list-down", "list-up", "list-first", "list-last",
        "swarm-open", "swarm-services", "swarm-nodes",
        "swarm-stacks", "engines-show",
        "events-cursor-down",
        "events-cursor-up", "events-filter", "events-jump", "problems-jump", "inspect-search", "inspect-next-match", "inspect-previous-match",
        "log-view-scroll-down", "log-view-scroll-up", "log-view-scroll-home", "log-view-scroll-end",
        "log-view-page-up", "log-view-page-down", "logs-search", "logs-next-match", "logs-previous-match",
        "layers-filter", "layers-switch", "changes-filter", "files-open", "files-close", "files-down", "files-up",
        "files-page-down", "files-page-up", "files-first", "files-last",
        # leaving a view
        "inspect-close", "resources-pop-screen", "engines-back", "changes-back", "live-back", "layers-back",
        "logs-close", "stats-pop-screen", "compose-back", "disk-usage-close", "prune-pop-screen", "registries-back",
        "events-close", "problems-close", "copy-close", "help-pop-screen", "help-down", "help-up", "help-first",
        "help-last",
    ),
    "General": (
        "help", "palette", "quit", "resources-reload", "live-reload", "compose-reload", "disk-usage-reload",
        "changes-reload", "problem-retry", "problem-quit-with-error", "confirm-confirm", "confirm-cancel",
        "form-cancel", "form-submit", "login-cancel", "login-submit", "transfer-close", "transfer-start",
    ),
}
GROUP_OF: dict[str, str] = {binding_id: group for group, ids in _GROUPS.items() for binding_id in ids}
ORDER: tuple[str, ...] = (*_GROUPS, TEXTUAL)

# Textual's own keys (no id) that move around: shown with the app's navigation, not with Textual's.
_TEXTUAL_NAVIGATION = frozenset({"app.focus_next", "app.focus_previous", "cursor_up", "cursor_down"})

# keys that only move a cursor: `?` lists them, the command palette does not
MOTIONS = frozenset({
    "cursor_up", "cursor_down", "first", "last", "scroll_top", "scroll_bottom", "scroll_home", "scroll_end",
    "scroll_up", "scroll_down", "page_up", "page_down", "move", "page", "edge", "select_cursor",
    "app.focus_next", "app.focus_previous",
})

# what the undescribed app keys (j/k/g/G...) do, by action
_LABELS = {
    "cursor_down": "Down", "cursor_up": "Up", "scroll_down": "Down", "scroll_up": "Up",
    "first": "First", "scroll_top": "First", "scroll_home": "First",
    "last": "Last", "scroll_bottom": "Last", "scroll_end": "Last",
    "page_up": "Page up", "page_down": "Page down", "select_cursor": "Select",
    "move('down')": "Down", "move('up')": "Up", "move('home')": "First", "move('end')": "Last",
}

_KEY_NAMES = {
    "question_mark": "?", "exclamation_mark": "!", "percent_sign": "%", "slash": "/", "colon": ":",
    "asterisk": "*", "space": "space",
}


def display_key(key: str) -> str:
    return _KEY_NAMES.get(key, key)


def group_of(binding_id: str | None) -> str:
    """The group of a binding: every app binding has an id (one not in the table yet is General),
    Textual's own have none."""
    if not binding_id:
        return TEXTUAL
    return GROUP_OF.get(binding_id, "General")


@dataclass
class KeyRow:
    """One action in force: all its keys, what it does, its id (for [keys]), its group; ``node``
    and ``action`` run it the way its keys do."""

    keys: list[str]
    description: str
    binding_id: str
    group: str
    node: DOMNode = field(repr=False)
    action: str

    @property
    def key_text(self) -> str:
        return ", ".join(self.keys)

    @property
    def motion(self) -> bool:
        return self.action.partition("(")[0] in MOTIONS


def key_rows(active: dict[str, ActiveBinding]) -> list[KeyRow]:
    """The active bindings as one row per (node, action), grouped in ``ORDER``. Textual's own key
    for an action the app also binds on the same node joins the app's row (down beside j)."""
    rows: dict[tuple[int, str], KeyRow] = {}
    for key, active_binding in active.items():
        binding = active_binding.binding
        if binding.system:
            continue
        ours = bool(binding.id)  # the app's bindings all have an id, Textual's none
        slot = (id(active_binding.node), binding.action)
        row = rows.get(slot)
        if row is None:
            if ours:
                group = group_of(binding.id)
            else:
                group = NAVIGATION if binding.action in _TEXTUAL_NAVIGATION else TEXTUAL
            description = binding.description
            if ours and not description:
                description = _LABELS.get(binding.action, binding.action.replace("_", " ").capitalize())
            row = rows[slot] = KeyRow([], description, (binding.id or "") if ours else "", group,
                                      active_binding.node, binding.action)
        elif ours and row.group in (NAVIGATION, TEXTUAL) and not row.binding_id:
            # the app's binding of an action Textual also binds: the app's id, group and words
            row.binding_id, row.group = binding.id or "", group_of(binding.id)
            row.description = binding.description or _LABELS.get(binding.action, row.description)
        row.keys.append(display_key(key))
    rank = {group: n for n, group in enumerate(ORDER)}
    ordered = sorted(rows.values(), key=lambda r: rank[r.group])  # stable: the screen's own order within a group
    return [r for r in ordered if r.description]
