"""Command line: ``dockertui`` opens the dashboard; ``dockertui tree`` prints the image tree."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .engine.endpoint import Endpoint, EndpointError, resolve_endpoint

if TYPE_CHECKING:
    from .model.config import Settings

EXIT_ENGINE = 1
EXIT_USAGE = 2


def _common(sub: bool) -> argparse.ArgumentParser:
    """The engine options, before a subcommand or after it (``dockertui -H X tree`` and
    ``dockertui tree -H X``). The subcommand's copies have no defaults: argparse would otherwise
    overwrite what was parsed before the subcommand with them."""
    quiet = {"default": argparse.SUPPRESS} if sub else {}
    common = argparse.ArgumentParser(add_help=False)
    target = common.add_argument_group("engine")
    target.add_argument("-H", "--host", help="engine to talk to, e.g. unix:///var/run/docker.sock or tcp://host:2376", **quiet)
    target.add_argument("-c", "--context", help="docker context to use (see 'docker context ls')", **quiet)
    common.add_argument("--no-cache", action="store_true", help="do not read or write the on-disk image cache", **quiet)
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common(sub=False)

    parser = argparse.ArgumentParser(
        prog="dockertui",
        description="A keyboard-driven terminal dashboard for the Docker Engine: image trees beside their containers.",
        parents=[common],
        epilog="The engine is chosen as the docker CLI does: --context, -H, DOCKER_HOST, DOCKER_CONTEXT, "
        "then currentContext in $DOCKER_CONFIG/config.json.",
    )
    parser.add_argument("--version", action="version", version=f"dockertui {__version__}")
    parser.add_argument(
        "--check",
        action="store_true",
        help="connect, print one line about the engine and exit (non-zero when it can't be reached)",
    )
    parser.add_argument("--mouse", action=argparse.BooleanOptionalAction, default=None, help="mouse input (default: off, or the config's 'mouse')")
    parser.add_argument("--read-only", action="store_true", help="refuse every change (start, stop, remove, exec, ...); the header says so")
    parser.add_argument("--config", metavar="FILE", help="read settings from FILE instead of the default config file")
    parser.add_argument("--config-path", action="store_true", help="print where the config file is read from and exit")
    parser.add_argument("--config-example", action="store_true", help="print a commented example config file and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    tree = sub.add_parser("tree", parents=[_common(sub=True)], help="print the image tree with its containers and exit")
    tree.add_argument("--format", choices=("text", "json"), default="text")
    tree.add_argument("--intermediate", action="store_true", help="show untagged intermediate images")
    return parser


def _endpoint(args: argparse.Namespace) -> Endpoint:
    return resolve_endpoint(context=args.context, host=args.host)


async def _check(endpoint: Endpoint) -> int:
    from .engine.client import Engine
    from .engine.errors import EngineError

    engine = Engine(endpoint, use_disk_cache=False)
    try:
        info = await engine.connect()
    except EngineError as exc:
        print(f"dockertui: {exc.message} {exc.fix}".rstrip(), file=sys.stderr)
        return EXIT_ENGINE
    finally:
        await engine.close()
    print(
        f"ok: {endpoint.label} {info.product} {info.server_version} (API {info.api_version}) "
        f"{info.os}/{info.arch}, {info.running}/{info.containers} containers running, {info.images} images"
    )
    return 0


def _load_settings(path: Path) -> tuple[Settings, list[str]]:
    """The config file checked against the bindings and themes the app has."""
    from textual.binding import Binding
    from textual.theme import BUILTIN_THEMES

    from .configfile import load_settings
    from .ui.app import DockerTUI, binding_ids
    from .ui.screens.main import MainScreen

    ids = binding_ids()
    defaults = {b.id: b.key for b in [*DockerTUI.BINDINGS, *MainScreen.BINDINGS] if isinstance(b, Binding) and b.id in ids}
    return load_settings(path, ids, default_keys=defaults, themes=frozenset(BUILTIN_THEMES))


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `dockertui tree | head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from .configfile import config_path

    path = Path(args.config) if args.config else config_path()
    if args.config_path:
        print(path)
        return 0
    if args.config_example:
        from .model.config import EXAMPLE

        print(EXAMPLE, end="")
        return 0
    try:
        endpoint: Endpoint | EndpointError = _endpoint(args)
    except EndpointError as exc:
        if args.check or args.command:
            print(f"dockertui: {exc.message} {exc.fix}", file=sys.stderr)
            return EXIT_USAGE
        endpoint = exc
    if args.check:
        assert isinstance(endpoint, Endpoint)
        # The config is checked too (only the engine decides the exit status); checking it against the
        # app's bindings imports the UI (~1 s), so only when there is a file.
        for problem in _load_settings(path)[1] if path.exists() else []:
            print(f"dockertui: config: {problem}", file=sys.stderr)
        return asyncio.run(_check(endpoint))
    if args.command == "tree":
        from .treecmd import run_tree

        assert isinstance(endpoint, Endpoint)
        return asyncio.run(run_tree(endpoint, args.format, args.intermediate, not args.no_cache))

    from dataclasses import replace

    from .ui.app import DockerTUI

    settings, problems = _load_settings(path)
    if args.read_only:
        settings = replace(settings, read_only=True)
    if args.mouse is not None:
        settings = replace(settings, mouse=args.mouse)
    app = DockerTUI(endpoint, use_disk_cache=not args.no_cache, settings=settings, config_problems=problems, config_path=str(path))
    app.run(mouse=settings.mouse)
    return app.return_code or 0
