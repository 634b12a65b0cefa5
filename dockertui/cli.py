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
    from .ui.app import EngineTarget

EXIT_ENGINE = 1
EXIT_USAGE = 2


def _common(sub: bool) -> argparse.ArgumentParser:
    """The engine options, before a subcommand or after it (``dockertui -H X tree`` and
    ``dockertui tree -H X``). The subcommand's copies have no defaults: argparse would otherwise
    overwrite what was parsed before the subcommand with them."""
    quiet = {"default": argparse.SUPPRESS} if sub else {}
    common = argparse.ArgumentParser(add_help=False)
    target = common.add_argument_group("engine")
    none = {} if sub else {"default": None}
    target.add_argument("-H", "--host", action="append", **(quiet or none),
                        help="engine to talk to, e.g. unix:///var/run/docker.sock or tcp://host:2376; give it more than once for several")
    target.add_argument("-c", "--context", action="append", **(quiet or none),
                        help="docker context to use (see 'docker context ls'); more than once for several")
    target.add_argument("--docker-config", metavar="DIR", **quiet,
                        help="the docker config folder for contexts and registry logins (default: $DOCKER_CONFIG, else ~/.docker)")
    common.add_argument("--no-cache", action="store_true", help="do not read or write the on-disk image cache", **quiet)
    # ssh:// engines; SUPPRESS: a subcommand's copy does not overwrite what was given before it
    target.add_argument("--ssh-config", metavar="FILE", default=argparse.SUPPRESS,
                        help="ssh:// engines: the ssh client config file to use instead of ~/.ssh/config")
    target.add_argument("--ssh-option", metavar="KEY=VALUE", action="append", default=argparse.SUPPRESS,
                        help="ssh:// engines: an extra ssh option (as ssh -o takes it); repeatable")
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
    add_layers_parser(sub)
    return parser


def use_docker_config(folder: str | None) -> None:
    """``--docker-config DIR``: one folder for everything the docker CLI keeps there (contexts and
    registry logins alike), so it becomes $DOCKER_CONFIG for the whole process and its helpers."""
    if folder:
        import os

        os.environ["DOCKER_CONFIG"] = str(Path(folder).expanduser().resolve())
def add_layers_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``layers``: its copies of -H/--context default to SUPPRESS, so they never overwrite the
    global ones given before the subcommand (``dockertui -H x layers img`` keeps x)."""
    layers = sub.add_parser("layers", help="an image's layers, wasted bytes and efficiency (as dive computes them); "
                            "exit 3 when a threshold is not met")
    layers.add_argument("-H", "--host", default=argparse.SUPPRESS, help="engine to talk to")
    layers.add_argument("-c", "--context", default=argparse.SUPPRESS, help="docker context to use")
    layers.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS, help="do not use the on-disk image cache")
    layers.add_argument("image", help="image name or ID")
    layers.add_argument("--format", choices=("text", "json"), default="text")
    layers.add_argument("--min-efficiency", type=_ratio, metavar="RATIO", help="fail when the efficiency is below it (0-1, dive's lowestEfficiency)")
    layers.add_argument("--max-wasted", type=_size, metavar="BYTES", help="fail when more bytes are wasted (e.g. 20MB, 1GiB; dive's highestWastedBytes)")
    layers.add_argument("--max-user-wasted", type=_ratio, metavar="RATIO",
                        help="fail when wasted bytes over the bytes added on the base layer exceed it (0-1, dive's highestUserWastedPercent)")


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number between 0 and 1") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is outside 0-1")
    return value


def _size(text: str) -> int:
    from .model.layerreport import parse_bytes

    try:
        return parse_bytes(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _endpoint(args: argparse.Namespace) -> Endpoint:
    """The one engine when one is asked for (the first -H/--context, else the CLI's default)."""
    return resolve_endpoint(context=(args.context or [None])[0], host=(args.host or [None])[0])


def _targets(args: argparse.Namespace, settings: Settings | None, path: Path) -> list[EngineTarget]:
    """Every engine of the session: each -H and --context in order; else the config's [[engines]];
    else the engine the docker CLI would use."""
    from .ui.app import EngineTarget

    def target(name: str, **how: str) -> EngineTarget:
        try:
            endpoint = resolve_endpoint(**how)
            return EngineTarget(name, _with_ssh(endpoint, args, path) if endpoint.ssh is not None else endpoint)
        except EndpointError as exc:
            return EngineTarget(name, exc)

    asked = [target(h, host=h) for h in args.host or []] + [target(c, context=c) for c in args.context or []]
    names: dict[str, int] = {}
    for n, t in enumerate(asked):  # short names (local, user@host, the context), unique
        short = t.endpoint.short_name if isinstance(t.endpoint, Endpoint) else t.name
        names[short] = names.get(short, 0) + 1
        asked[n] = EngineTarget(short if names[short] == 1 else f"{short} ({names[short]})", t.endpoint, t.read_only)
    if asked:
        return asked
    if settings is not None and settings.engines:
        out = []
        for spec in settings.engines:
            t = target(spec.name, host=spec.host) if spec.host else target(spec.name, context=spec.context)
            out.append(EngineTarget(t.name, t.endpoint, spec.read_only))
        return out
    return []


def _with_ssh(endpoint: Endpoint, args: argparse.Namespace, path: Path) -> Endpoint:
    """An ssh:// endpoint gets the ssh settings: the command line's first (ssh keeps the first value
    it sees), then the config file's [ssh]; and the ssh children are cleaned up on SIGHUP/SIGTERM."""
    from dataclasses import replace

    from .configfile import load_settings
    from .engine.ssh import install_signal_handlers
    from .model.config import valid_ssh_option

    settings = load_settings(path)[0] if path.exists() else None
    options = list(getattr(args, "ssh_option", None) or [])
    bad = [o for o in options if not valid_ssh_option(o)]
    if bad:
        raise EndpointError(f"--ssh-option {bad[0]!r} is not an ssh option", "Give it as KEY=VALUE, e.g. --ssh-option ServerAliveInterval=30.")
    config = getattr(args, "ssh_config", None) or (settings.ssh_config if settings else "")
    if settings:
        options += settings.ssh_options
    install_signal_handlers()
    return replace(endpoint, ssh_config=str(Path(config).expanduser()) if config else None, ssh_options=tuple(options))


async def _check(endpoint: Endpoint) -> int:
    from .engine.client import Engine
    from .engine.errors import EngineError

    engine = Engine(endpoint, use_disk_cache=False)
    try:
        info = await engine.connect()
        via = f" (via {engine.via})" if engine.via else ""
    except EngineError as exc:
        print(f"dockertui: {exc.message} {exc.fix}".rstrip(), file=sys.stderr)
        return EXIT_ENGINE
    finally:
        await engine.close()
    print(
        f"ok: {endpoint.label} {info.product} {info.server_version} (API {info.api_version}) "
        f"{info.os}/{info.arch}, {info.running}/{info.containers} containers running, {info.images} images{via}"
    )
    return 0


def _each(args: argparse.Namespace, targets: list[EngineTarget]) -> int:
    """--check or tree on several engines: each one headed by its name; the worst exit status."""
    worst = 0
    for n, t in enumerate(targets):
        print(f"{'' if n == 0 else chr(10)}== {t.name}", flush=True)
        if isinstance(t.endpoint, EndpointError):
            print(f"dockertui: {t.endpoint.message} {t.endpoint.fix}", file=sys.stderr, flush=True)
            worst = max(worst, EXIT_USAGE)
            continue
        if args.check:
            code = asyncio.run(_check(t.endpoint))
        else:
            from .treecmd import run_tree

            code = asyncio.run(run_tree(t.endpoint, args.format, args.intermediate, not args.no_cache))
        sys.stdout.flush()
        worst = max(worst, code)
    return worst


def _load_settings(path: Path) -> tuple[Settings, list[str]]:
    """The config file checked against the bindings and themes the app has."""
    from textual.binding import Binding
    from textual.theme import BUILTIN_THEMES

    from .configfile import load_settings
    from .ui.app import DockerTUI, binding_ids
    from .ui.screens.main import MainScreen

    ids = binding_ids()
    defaults = {b.id: b.key for b in [*DockerTUI.BINDINGS, *MainScreen.BINDINGS] if isinstance(b, Binding) and b.id in ids}
    return load_settings(path, ids, default_keys=defaults, themes=frozenset(BUILTIN_THEMES) | {"auto"})


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
    use_docker_config(args.docker_config)
    from .configfile import config_path

    path = Path(args.config) if args.config else config_path()
    if args.config_path:
        print(path)
        return 0
    if args.config_example:
        from .model.config import EXAMPLE

        print(EXAMPLE, end="")
        return 0
    if args.check or args.command == "tree":
        asked = (args.host or []) + (args.context or [])
        configured = _load_settings(path)[0] if not asked and path.exists() else None
        targets = _targets(args, configured, path)
        if len(targets) > 1:
            return _each(args, targets)
    try:
        resolved = _endpoint(args)
        if resolved.ssh is not None:
            resolved = _with_ssh(resolved, args, path)
        endpoint: Endpoint | EndpointError = resolved
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
    if args.command == "layers":
        from .layerscmd import run_layers

        assert isinstance(endpoint, Endpoint)
        return asyncio.run(run_layers(endpoint, args.image, args.format, args.min_efficiency, args.max_wasted,
                                      args.max_user_wasted, not args.no_cache, sys.stderr.isatty()))
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
    app = DockerTUI(endpoint, use_disk_cache=not args.no_cache, settings=settings, config_problems=problems, config_path=str(path),
                    targets=_targets(args, settings, path) or None)
    app.run(mouse=settings.mouse)
    code = app.return_code or 0
    if argv is None:
        end_now(code)  # the program itself: a caller in the same process gets the code back instead
    return code


def end_now(code: int) -> None:
    """End the process as soon as the app has exited: the terminal is restored, the streams and
    children are closed (the app's unmount), the exit handlers run (ssh children ended). Python's
    own teardown after that, freeing every widget and module one by one, took 0.3 to 0.7 s of the
    quit on a 300-container host and does nothing the system does not do at exit."""
    import atexit
    import os

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
