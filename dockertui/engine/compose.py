"""Compose projects through the Engine API (start, stop, restart, pause, remove their containers;
their merged logs: works on any engine, over any link), and through the Compose tool where
dockertui runs (up, down, pull, recreate: only when the tool is installed and the project's files
are on this machine)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from ..model.compose import PROJECT, Project, group_projects, number_of, plan
from ..model.containers import Container, parse_container
from ..model.logring import LogLine
from ..model.text import one_line
from .client import Engine
from .errors import EngineError
from .logstream import follow_logs, merge_streams

TOOL_COMMANDS = {
    "up": ["up", "-d"],
    "down": ["down"],
    "pull": ["pull"],
    "recreate": ["up", "-d", "--force-recreate"],
}


async def projects(engine: Engine) -> list[Project]:
    """Every project with a container on this engine (one filtered list call)."""
    raw = await engine.call("GET", "containers/json", "the container list",
                            params={"all": "1", "filters": json.dumps({"label": [PROJECT]})})
    try:
        containers = [parse_container(c) for c in raw or ()]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EngineError(f"The engine's container list has an unexpected shape ({exc}).", kind="api") from None
    return group_projects(containers)


@dataclass(frozen=True, slots=True)
class Done:
    container: Container
    error: str = ""


async def act(engine: Engine, project: Project, verb: str) -> list[Done]:
    """Apply ``verb`` to the project's containers one by one, in :func:`plan`'s order; remove
    stops a running container first. A container that fails does not stop the others."""
    out: list[Done] = []
    for c in plan(project, verb):
        try:
            if verb == "remove" and c.state in ("running", "restarting", "paused"):
                if c.state == "paused":
                    await engine.container_action(c.id, "unpause", c.name)
                await engine.container_action(c.id, "stop", c.name)
            await engine.container_action(c.id, verb, c.name)
        except EngineError as exc:
            if exc.status == 404 and verb in ("remove", "stop"):
                out.append(Done(c))  # already gone: what was asked is true
                continue
            out.append(Done(c, exc.message))
        else:
            out.append(Done(c))
    return out


def source_names(project: Project) -> dict[str, Container]:
    """How each container's lines are prefixed: its service, with the number when the service has
    several containers (``web.2``), ``run`` for a one-off."""
    out: dict[str, Container] = {}
    for svc in project.services:
        for c in svc.containers:
            name = one_line(svc.name, 40)
            if c.labels.get("com.docker.compose.oneoff", "").lower() == "true":
                name = f"{name}.run.{c.id[:6]}"
            elif svc.total - svc.oneoff > 1:
                name = f"{name}.{number_of(c) or c.id[:6]}"
            out[name] = c
    return out


def project_logs(engine: Engine, project: Project, tail: int) -> AsyncIterator[list[LogLine]]:
    """Every container's logs merged, each line's ``source`` its service (bounded by ``tail``
    per container, then live until every container has stopped)."""
    names = source_names(project)
    return merge_streams({name: follow_logs(engine, c.id, tail) for name, c in names.items()})


# -- the Compose tool ------------------------------------------------------------------------------


def find_tool(which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """``docker compose`` (the CLI plugin) when it answers, else ``docker-compose``; None."""
    import subprocess

    docker = which("docker")
    if docker:
        try:
            done = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=10)
            if done.returncode == 0:
                return [docker, "compose"]
        except (OSError, subprocess.TimeoutExpired):
            pass
    legacy = which("docker-compose")
    return [legacy] if legacy else None


def config_paths(project: Project) -> list[str]:
    """The compose files as paths here (Compose v1 records them relative to the working dir)."""
    base = Path(project.working_dir) if project.working_dir else Path.cwd()
    return [str(p if p.is_absolute() else base / p) for p in map(Path, project.config_files)]


def tool_offer(project: Project, tool: list[str] | None) -> str:
    """Why up/down/pull/recreate are not offered for this project (empty when they are)."""
    if tool is None:
        return "up, down, pull and recreate need the Compose tool (docker compose or docker-compose), which is not installed here."
    if not project.config_files:
        return f"Project {project.name}'s containers do not name its compose files: up, down, pull and recreate are not offered."
    missing = [f for f in config_paths(project) if not Path(f).is_file()]
    if project.working_dir and not Path(project.working_dir).is_dir():
        missing.insert(0, project.working_dir)
    if missing:
        return (f"Project {project.name}'s files are not on this machine ({one_line(', '.join(missing), 200)}): "
                "up, down, pull and recreate are not offered.")
    return ""


def tool_note(project: Project, tool: list[str] | None) -> str:
    """:func:`tool_offer` in a few words, for a table cell."""
    why = tool_offer(project, tool)
    if not why:
        return "u up · o down · U pull · R recreate"
    if tool is None:
        return "no Compose tool here: up/down not offered"
    if not project.config_files:
        return "no compose files named: up/down not offered"
    return "compose files not here: up/down not offered"


def tool_argv(project: Project, tool: list[str], command: str) -> list[str]:
    argv = [*tool, "--project-name", project.name]
    for f in config_paths(project):
        argv += ["--file", f]
    if project.working_dir:
        argv += ["--project-directory", project.working_dir]
    return argv + TOOL_COMMANDS[command]


def tool_env(engine: Engine) -> dict[str, str]:
    """The tool talks to the same engine as dockertui."""
    env = {k: v for k, v in os.environ.items() if k not in ("DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")}
    env["DOCKER_HOST"] = engine.endpoint.host
    tls = engine.endpoint.tls
    if tls is not None and tls.ca is not None:
        env["DOCKER_CERT_PATH"] = str(tls.ca.parent)
        if tls.verify:
            env["DOCKER_TLS_VERIFY"] = "1"
    return env


async def run_tool(engine: Engine, project: Project, tool: list[str], command: str, timeout: float = 600) -> tuple[int, str]:
    """Run the tool for ``command``; its exit code and the last of its output."""
    argv = tool_argv(project, tool, command)
    proc = await asyncio.create_subprocess_exec(
        *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env=tool_env(engine), cwd=project.working_dir or None,
    )
    try:
        async with asyncio.timeout(timeout):
            output, _ = await proc.communicate()
    except (TimeoutError, asyncio.CancelledError):
        proc.kill()
        await proc.wait()
        raise
    text = output.decode("utf-8", "replace").strip().splitlines()
    return proc.returncode or 0, "\n".join(text[-8:])
