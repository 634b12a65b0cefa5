"""What the dashboard's lower pane shows: the selected object's details, the selected container's
logs, or nothing (more rows for the table). Pure: the session's choice and the rule for a short
terminal."""

from __future__ import annotations

from dataclasses import dataclass

DETAILS, LOGS, HIDDEN = "details", "logs", "hidden"
CYCLE = (DETAILS, LOGS, HIDDEN)  # what `b` steps through
SHORT = 30  # terminal rows under which the pane starts hidden: at 80x24 the table needs the room

PANE_TAIL = 200  # lines asked of the engine when the pane opens a container's logs
PANE_LINES = 1_000  # the pane's ring: the newest lines kept while following
PANE_CHARS = 1_000_000


@dataclass
class LowerPaneChoice:
    """One per session (every engine's dashboard reads it): until the user presses `b`, the pane
    follows the terminal's height; once they have, their choice holds."""

    chosen: str | None = None

    def mode(self, rows: int) -> str:
        if self.chosen is not None:
            return self.chosen
        return HIDDEN if rows < SHORT else DETAILS

    def cycle(self, rows: int) -> str:
        """The next mode after the one in force; it becomes the session's choice."""
        current = self.mode(rows)
        self.chosen = CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)]
        return self.chosen


def logs_subtitle(lines: int, dropped: int, state: str) -> str:
    """The logs pane's status: ``120 lines · 3,000 older dropped · following``."""
    older = f" · {dropped:,} older dropped" if dropped else ""
    return f"{lines:,} lines{older} · {state}"
