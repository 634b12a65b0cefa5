"""The one mapping from binding id to group (ui/keys.py) covers every binding of the app."""

from __future__ import annotations

from dockertui.ui.app import binding_ids
from dockertui.ui.keys import GROUP_OF, ORDER, TEXTUAL, display_key, group_of


def test_every_binding_id_has_a_group_and_no_group_names_a_stranger() -> None:
    ids = binding_ids()
    assert ids - GROUP_OF.keys() == set(), "give these bindings a group in ui/keys.py"
    assert GROUP_OF.keys() - ids == set(), "ui/keys.py names bindings that no longer exist"


def test_textuals_own_keys_are_their_own_last_group() -> None:
    assert ORDER[-1] == TEXTUAL and group_of(None) == TEXTUAL and group_of("") == TEXTUAL
    assert group_of("a-binding-added-later") == "General", "an app key without a group yet still shows with the app's"
    assert ORDER.index("Container") < ORDER.index("Navigation") < ORDER.index("General")
    assert group_of("logs") == "Container" and group_of("image-tree-cursor-down") == "Navigation"
    assert display_key("question_mark") == "?" and display_key("j") == "j"


def test_palette_names_follow_the_selection() -> None:
    from dockertui.ui.commands import TREE_FOCUS, entry_name
    from dockertui.ui.keys import KeyRow

    def row(binding_id: str, description: str) -> KeyRow:
        return KeyRow(["x"], description, binding_id, "Container", node=object(), action="a")  # type: ignore[arg-type]

    both = {"container": "web-1", "containers": "web-1", "image": "app:1"}
    assert entry_name(row("logs", "Logs"), both) == "Logs of web-1"
    assert entry_name(row("remove", "Remove"), both) == "Remove web-1"
    assert entry_name(row("remove", "Remove"), {**both, TREE_FOCUS: "yes"}) == "Remove image app:1"
    assert entry_name(row("remove", "Remove"), {TREE_FOCUS: "yes"}) == "Remove", "no image: the plain word"
    assert entry_name(row("restart", "Restart"), {**both, "containers": "3 marked containers"}) == "Restart 3 marked containers"
    assert entry_name(row("exec", "Shell"), {}) == "Shell" and entry_name(row("prune", "Prune"), both) == "Prune…"
    assert entry_name(row("swarm-scale", "Scale"), {"service": "web"}) == "Scale web"
