"""One read-only rule for every screen: the actions a screen lists as mutating are disabled (and
so hidden from the footer, as k9s does) on a read-only engine; pressing one of their keys says so
in one sentence instead of doing nothing."""

from __future__ import annotations

from textual import events
from textual.dom import DOMNode


class ReadOnlyRule:
    """Mix into a Screen before ``Screen``. ``MUTATING``: its action names that change something."""

    MUTATING: frozenset[str] = frozenset()
    fixed_read_only: bool | None = None  # a screen told by its opener (it has no host of its own)

    @property
    def read_only(self) -> bool:
        from .app_access import tui

        if self.fixed_read_only is not None:
            return self.fixed_read_only
        return tui(self).read_only_for(self)  # type: ignore[arg-type]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MUTATING and self.read_only:
            return False
        return True

    def on_key(self, event: events.Key) -> None:
        if not self.read_only:
            return
        node: DOMNode = self  # type: ignore[assignment]
        # this screen's own bindings (keymap applied): the disabled ones are not in active_bindings
        for binding in node._bindings.key_to_bindings.get(event.key, ()):
            if binding.action in self.MUTATING:
                event.stop()
                node.notify(f"Read-only mode: {binding.description.lower() or binding.action} is disabled.", severity="warning")
                return
