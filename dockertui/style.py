"""Presentation shared by the TUI and the plain-text CLI (rich styles only, no textual)."""

STATE_STYLE = {
    "running": "green",
    "paused": "yellow",
    "restarting": "magenta",
    "created": "cyan",
    "exited": "red",
    "dead": "bold red",
    "removing": "magenta",
}
