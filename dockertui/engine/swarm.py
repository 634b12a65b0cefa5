"""Swarm through the Engine API (on a manager): services, tasks, nodes; scale, force a rolling
restart, roll back, remove; a node's availability; a service's logs. Replies become
``model.swarm`` values under the error translation."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from ..model.logring import LogLine
from ..model.swarm import (
    Node,
    Service,
    SwarmRole,
    Task,
    availability_spec,
    forced_spec,
    parse_nodes,
    parse_services,
    parse_swarm_role,
    parse_tasks,
    scaled_spec,
)
from .client import Engine
from .errors import EngineError
from .logstream import stream_lines

# What the cluster views follow: service and node events come from the managers; a task shows
# itself through its container's events on this node.
SWARM_EVENT_TYPES = ("service", "node", "container")


def _parsed(what: str, parse: Callable[[Any], Any], raw: Any) -> Any:
    """A reply of an odd shape is one sentence, not a KeyError."""
    try:
        return parse(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EngineError(f"The engine's answer for {what} has an unexpected shape ({exc.__class__.__name__}: {exc}).",
                          kind="api") from None


def _swarm_error(exc: EngineError, what: str) -> EngineError:
    """The engine's answers that mean "not here": a worker (503) or no swarm at all."""
    low = exc.message.lower()
    if exc.status == 503 or "not a swarm manager" in low or "not part of a swarm" in low:
        if "not part of a swarm" in low:
            return EngineError(f"This engine is not part of a swarm: no {what} to show.", status=exc.status, kind="no-swarm")
        return EngineError(
            f"This engine is not a swarm manager: {what} can only be read on a manager.",
            "Connect to one of the swarm's managers (-H / --context).",
            status=exc.status,
            kind="not-manager",
        )
    if "out of sequence" in low:  # the version we read is no longer the current one (a 500 on 20.10)
        return EngineError(
            f"Someone else changed {what} meanwhile; nothing was done. The view is refreshed: look and try again.",
            status=409,
            kind="conflict",
        )
    return exc


async def _call(engine: Engine, method: str, path: str, what: str, **kw: Any) -> Any:
    try:
        return await engine.call(method, path, what, **kw)
    except EngineError as exc:
        raise _swarm_error(exc, what) from None


async def role(engine: Engine) -> SwarmRole:
    """The engine's place in a swarm, read now (it changes with ``swarm init``/``leave``)."""
    info = await engine.call("GET", "info", "the engine")
    return _parsed("/info", parse_swarm_role, info if isinstance(info, dict) else {})


async def services(engine: Engine) -> list[Service]:
    raw = await _call(engine, "GET", "services", "the services", params={"status": "1"})
    return _parsed("the services", parse_services, raw)


async def service(engine: Engine, service_id: str) -> Service | None:
    """One service, with its task counts; None once it is gone."""
    raw = await _call(engine, "GET", "services", f"service {service_id[:25]}",
                      params={"status": "1", "filters": json.dumps({"id": [service_id]})})
    found = [s for s in _parsed("the service", parse_services, raw) if s.id == service_id]
    return found[0] if found else None


async def tasks(engine: Engine, service_id: str | None = None) -> list[Task]:
    params = {"filters": json.dumps({"service": [service_id]})} if service_id else None
    raw = await _call(engine, "GET", "tasks", "the tasks", params=params)
    return _parsed("the tasks", parse_tasks, raw)


async def nodes(engine: Engine) -> list[Node]:
    raw = await _call(engine, "GET", "nodes", "the nodes")
    return _parsed("the nodes", parse_nodes, raw)


async def _update(engine: Engine, svc: Service, spec: dict[str, Any], what: str, rollback: bool = False) -> list[str]:
    """POST the spec with the version it was read at: if someone changed the service since, the
    engine refuses (said as a conflict). Returns the engine's warnings."""
    params = {"version": str(svc.version)}
    if rollback:
        params["rollback"] = "previous"
    answer = await _call(engine, "POST", f"services/{svc.id}/update", f"service {svc.name}", params=params, body=spec)
    warnings = (answer or {}).get("Warnings") if isinstance(answer, dict) else None
    return [str(w) for w in warnings or ()]


async def scale(engine: Engine, svc: Service, replicas: int) -> list[str]:
    try:
        spec = scaled_spec(svc, replicas)
    except ValueError as exc:
        raise EngineError(f"Cannot scale {svc.name}: {exc}.", kind="refused") from None
    return await _update(engine, svc, spec, "scale")


async def force_update(engine: Engine, svc: Service) -> list[str]:
    """A rolling restart: every task replaced, by the service's own update policy."""
    return await _update(engine, svc, forced_spec(svc), "force-update")


async def rollback(engine: Engine, svc: Service) -> list[str]:
    if not svc.previous:
        raise EngineError(f"{svc.name} has no previous spec to roll back to.", kind="refused")
    return await _update(engine, svc, dict(svc.spec), "rollback", rollback=True)


async def remove_service(engine: Engine, svc: Service) -> None:
    await _call(engine, "DELETE", f"services/{svc.id}", f"service {svc.name}")


async def set_availability(engine: Engine, node: Node, availability: str) -> None:
    """Drain, pause or activate a node (with the version it was read at)."""
    try:
        spec = availability_spec(node, availability)
    except ValueError as exc:
        raise EngineError(f"Cannot change node {node.hostname}: {exc}.", kind="refused") from None
    await _call(engine, "POST", f"nodes/{node.id}/update", f"node {node.hostname}",
                params={"version": str(node.version)}, body=spec)


def parse_details(text: str) -> tuple[dict[str, str], str]:
    """``com.docker.swarm.node.id=…,com.docker.swarm.task.id=… message`` → (details, message)."""
    head, sep, rest = text.partition(" ")
    if not sep and "=" not in head:
        return {}, text
    details: dict[str, str] = {}
    for pair in head.split(","):
        key, eq, value = pair.partition("=")
        if not eq:
            return {}, text
        details[key] = value
    return details, rest


async def service_logs(
    engine: Engine, svc: Service, tail: int, label: Callable[[str, str], str], follow: bool = True
) -> AsyncIterator[list[LogLine]]:
    """A service's logs, every task's, each line's ``source`` set by ``label(task_id, node_id)``
    (e.g. ``web.2@node1``). The engine sends the task and node as details before the message."""
    tty = bool((svc.spec.get("TaskTemplate") or {}).get("ContainerSpec", {}).get("TTY"))
    params = {"stdout": "1", "stderr": "1", "timestamps": "1", "details": "1", "tail": str(max(0, tail)),
              "follow": "1" if follow else "0"}
    try:
        async for batch in stream_lines(engine, f"services/{svc.id}/logs", params, tty, f"the logs of service {svc.name}"):
            out = []
            for line in batch:
                details, message = parse_details(line.text)
                source = label(details.get("com.docker.swarm.task.id", ""), details.get("com.docker.swarm.node.id", ""))
                out.append(LogLine(line.stream, line.timestamp, message, source))
            yield out
    except EngineError as exc:
        raise _swarm_error(exc, f"the logs of service {svc.name}") from None
