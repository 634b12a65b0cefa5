"""Typed access to the app from screens and actions (imported late: the app imports the screens)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .app import DockerTUI


def tui(node: object) -> DockerTUI:
    """The app, typed, from any widget or screen."""
    return cast("DockerTUI", node.app)  # type: ignore[attr-defined]
