"""Container lifecycle actions: which engine call a key means for a container in a given state,
what the row says while it runs, and what the notification says after. Pure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Step:
    """One engine call on one container."""

    verb: str  # the API path's last segment (start, stop, ...), or "remove"
    doing: str  # shown in the row while it runs: "stopping…"
    done: str  # past tense for the notification: "stopped"


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str


START = Step("start", "starting…", "started")
STOP = Step("stop", "stopping…", "stopped")
RESTART = Step("restart", "restarting…", "restarted")
PAUSE = Step("pause", "pausing…", "paused")
UNPAUSE = Step("unpause", "unpausing…", "unpaused")
KILL = Step("kill", "killing…", "killed")
REMOVE = Step("remove", "removing…", "removed")
FORCE_REMOVE = Step("force-remove", "removing…", "removed")

# The actions a key can ask for; each resolves to a step (or a refusal) by the container's state.
ACTIONS = ("start-stop", "restart", "pause", "kill", "remove", "force-remove")
MUTATING = frozenset(ACTIONS) | {"exec", "commit", "prune", "run", "tag", "pull", "push", "build"}


def resolve(action: str, state: str) -> Step | Refusal:
    """What ``action`` does to a container in ``state``, or why it can't."""
    if action == "start-stop":
        if state in ("running", "restarting", "paused"):
            return STOP
        if state in ("created", "exited", "dead"):
            return START
        return Refusal(f"it is {state}")
    if action == "stop":
        return STOP if state in ("running", "restarting", "paused") else Refusal(f"it is {state}, not running")
    if action == "start":
        return START if state in ("created", "exited", "dead") else Refusal(f"it is {state}")
    if action == "restart":
        return RESTART if state != "removing" else Refusal("it is being removed")
    if action == "unpause":
        return UNPAUSE if state == "paused" else Refusal(f"it is {state}, not paused")
    if action == "pause":
        if state == "running":
            return PAUSE
        if state == "paused":
            return UNPAUSE
        return Refusal(f"it is {state}, not running")
    if action == "kill":
        return KILL if state in ("running", "restarting", "paused") else Refusal(f"it is {state}, not running")
    if action == "remove":
        # A running one is the engine's call (409 unless forced): the confirmation offers force.
        return REMOVE if state != "removing" else Refusal("it is already being removed")
    if action == "force-remove":
        return FORCE_REMOVE if state != "removing" else Refusal("it is already being removed")
    raise ValueError(f"unknown action {action!r}")


def bulk_action(action: str, states: list[str]) -> str:
    """On several containers an action has one meaning: start/stop stops them all when any of them
    runs (else starts them all), pause pauses them all when any runs (else unpauses)."""
    if action == "start-stop":
        return "stop" if any(s in ("running", "restarting", "paused") for s in states) else "start"
    if action == "pause":
        return "pause" if "running" in states else "unpause"
    return action


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    step: Step
    error: str | None = None


def summarize(outcomes: list[Outcome]) -> tuple[str, bool]:
    """One notification for a (bulk) action: the message and whether anything failed."""
    ok = [o for o in outcomes if o.error is None]
    failed = [o for o in outcomes if o.error is not None]
    parts: list[str] = []
    if ok:
        verb = ok[0].step.done if all(o.step == ok[0].step for o in ok) else "done"
        names = ", ".join(o.name for o in ok[:5]) + (f" and {len(ok) - 5} more" if len(ok) > 5 else "")
        parts.append(f"{verb.capitalize()} {names}.")
    for o in failed:
        parts.append(f"{o.name}: {o.error}")
    return "\n".join(parts), bool(failed)
