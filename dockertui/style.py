"""Presentation shared by the TUI and the plain-text CLI (rich styles only, no textual)."""

from __future__ import annotations

from rich.text import Text

from .model.containers import Counts
from .model.fmt import human_age, human_size, short_id
from .model.forest import Forest

STATE_STYLE = {
    "running": "green",
    "paused": "yellow",
    "restarting": "magenta",
    "created": "cyan",
    "exited": "red",
    "dead": "bold red",
    "removing": "magenta",
}


def image_text(forest: Forest, image_id: str, counts: Counts | None, now: float) -> Text:
    """An image as one line, in the tree of the TUI and of ``dockertui tree``: tags, short ID, age,
    size, what it adds over its parent, containers running/total."""
    image = forest.images[image_id]
    text = Text()
    text.append(image.title, style="bold" if image.named else "dim italic")
    text.append("  ")
    text.append(short_id(image.id), style="dim")
    text.append(f"  {human_age(image.created, now)}  {human_size(image.size)}")
    if forest.parent.get(image_id):
        text.append(" ")
        text.append(f"+{human_size(forest.own_size(image_id))}", style="dim")
    if counts is not None and counts.total:
        text.append("  ")
        text.append(f"{counts.running}/{counts.total}", style="green" if counts.running else "dim")
    return text
