"""Which engine to talk to, resolved as the docker CLI does.

Order: ``--context`` > ``-H/--host`` > ``DOCKER_HOST`` > ``DOCKER_CONTEXT`` > ``currentContext``
in ``$DOCKER_CONFIG/config.json`` (default ``~/.docker``) > the default socket. aiodocker's own
resolution differs (context before ``DOCKER_HOST``, no ``DOCKER_CONFIG``), so we resolve here
and hand it a URL and an SSL context.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "unix:///var/run/docker.sock"
DEFAULT_CONTEXT = "default"


class EndpointError(Exception):
    """The configuration does not name a usable engine; ``fix`` tells the user what to do."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class TLS:
    verify: bool
    ca: Path | None = None
    cert: Path | None = None
    key: Path | None = None


@dataclass(frozen=True)
class SshTarget:
    """``ssh://[user@]host[:port][/path/to/socket]``, taken apart."""

    host: str
    user: str | None = None
    port: int | None = None
    socket: str | None = None  # the engine's socket on the remote; None: the remote CLI's default

    @property
    def display(self) -> str:
        return f"{self.user + '@' if self.user else ''}{self.host}{':' + str(self.port) if self.port else ''}"


@dataclass(frozen=True)
class Endpoint:
    host: str  # unix:///path, tcp://host:port or ssh://[user@]host[:port][/path]
    source: str  # which setting chose it, for messages: "--host", "DOCKER_HOST", "context foo"...
    context: str = DEFAULT_CONTEXT
    tls: TLS | None = None
    # ssh:// only: the ssh client's config file (None: the user's own) and extra -o options
    ssh_config: str | None = None
    ssh_options: tuple[str, ...] = ()

    @property
    def ssh(self) -> SshTarget | None:
        return parse_ssh_url(self.host, self.source) if self.host.startswith("ssh://") else None

    @property
    def label(self) -> str:
        """How the header names the engine."""
        if self.context != DEFAULT_CONTEXT:
            return f"{self.context} ({self.host})"
        return self.host

    @property
    def short_name(self) -> str:
        """A short name for the engines overview: the context, else the ssh or tcp host, else
        "local" for a unix socket (its full path is the endpoint column)."""
        if self.context != DEFAULT_CONTEXT:
            return self.context
        scheme, _, rest = self.host.partition("://")
        if scheme in ("ssh", "tcp"):
            return rest.split("/", 1)[0]
        return "local"

    @property
    def socket_path(self) -> str | None:
        return self.host.removeprefix("unix://") if self.host.startswith("unix://") else None


def config_dir(env: Mapping[str, str]) -> Path:
    if env.get("DOCKER_CONFIG"):
        return Path(env["DOCKER_CONFIG"]).expanduser()
    home = env.get("HOME") or str(Path.home())
    return Path(home) / ".docker"


def context_dir_name(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _read_json(path: Path, what: str) -> dict:
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise EndpointError(f"cannot read {what} {path}: {exc.strerror}", "Check the file's permissions.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EndpointError(
            f"{what} {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            f"Fix or remove {path}.",
        ) from None
    if not isinstance(data, dict):
        raise EndpointError(f"{what} {path} is not a JSON object", f"Fix or remove {path}.")
    return data


def normalize_host(host: str, source: str, tls: bool = False) -> str:
    """Check a host URL the way the CLI accepts it; refuse what we can't reach yet."""
    host = host.strip()
    if host.startswith("/"):
        return "unix://" + host
    scheme, sep, rest = host.partition("://")
    if not sep:
        scheme, rest = "tcp", host
    scheme = scheme.lower()
    if scheme == "unix":
        if not rest:
            raise EndpointError(f"{source}: '{host}' names no socket path", "Use unix:///path/to/docker.sock.")
        return f"unix://{rest}"
    if scheme in ("tcp", "http", "https"):
        hostport = rest.rstrip("/")
        if not hostport:
            raise EndpointError(f"{source}: '{host}' names no host", "Use tcp://HOST:PORT.")
        if ":" not in hostport.rsplit("]", 1)[-1]:
            hostport += ":2376" if tls or scheme == "https" else ":2375"
        return f"tcp://{hostport}"
    if scheme == "ssh":
        target = parse_ssh_url(f"ssh://{rest}", source)
        path = target.socket or ""
        return f"ssh://{target.display}{path}"
    if scheme in ("npipe", "fd"):
        raise EndpointError(
            f"{source}: {scheme}:// endpoints are not supported ({host})",
            "Use a unix://, tcp:// (with TLS) or ssh:// endpoint.",
        )
    raise EndpointError(f"{source}: unknown scheme in '{host}'", "Use unix:///path or tcp://host:port.")


_SSH_HOST = re.compile(r"^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])$")


def parse_ssh_url(url: str, source: str = "--host") -> SshTarget:
    """Take ``ssh://[user@]host[:port][/path]`` apart, as the docker CLI accepts it (no password,
    no query)."""
    usage = "Use ssh://[user@]host[:port][/path/to/docker.sock]."
    rest = url.strip()[len("ssh://"):]
    hostpart, slash, path = rest.partition("/")
    if "?" in rest or "#" in rest:
        raise EndpointError(f"{source}: '{url}' has a query or fragment, which ssh:// does not take", usage)
    user = None
    if "@" in hostpart:
        user, _, hostpart = hostpart.rpartition("@")
        if ":" in user:
            raise EndpointError(f"{source}: '{url}' has a password in it", "Leave the password out: ssh asks for it, "
                                "or use a key. " + usage)
        if not user:
            raise EndpointError(f"{source}: '{url}' has an empty user name", usage)
    port = None
    host = hostpart
    bracket_end = hostpart.rfind("]")
    if ":" in hostpart[bracket_end + 1:]:
        host, _, port_text = hostpart.rpartition(":")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise EndpointError(f"{source}: '{url}' has a bad port {port_text!r}", usage)
        port = int(port_text)
    if not host or not _SSH_HOST.match(host) or host.startswith("-"):
        raise EndpointError(f"{source}: '{url}' names no usable host", usage)
    socket = "/" + path if slash and path.strip("/") else None
    return SshTarget(host=host, user=user, port=port, socket=socket)


def _env_tls(env: Mapping[str, str], cfg: Path) -> TLS | None:
    verify = bool(env.get("DOCKER_TLS_VERIFY"))
    if not verify and not env.get("DOCKER_TLS"):
        return None
    cert_dir = Path(env["DOCKER_CERT_PATH"]).expanduser() if env.get("DOCKER_CERT_PATH") else cfg

    def existing(name: str) -> Path | None:
        p = cert_dir / name
        return p if p.is_file() else None

    return TLS(verify=verify, ca=existing("ca.pem"), cert=existing("cert.pem"), key=existing("key.pem"))


def load_context(name: str, cfg: Path) -> Endpoint:
    digest = context_dir_name(name)
    meta_path = cfg / "contexts" / "meta" / digest / "meta.json"
    try:
        meta = _read_json(meta_path, f"context '{name}' metadata")
    except FileNotFoundError:
        raise EndpointError(
            f"context '{name}' does not exist (no {meta_path})",
            "List contexts with 'docker context ls', or choose another with --context or DOCKER_CONTEXT.",
        ) from None
    docker_ep = (meta.get("Endpoints") or {}).get("docker")
    if not isinstance(docker_ep, dict) or not docker_ep.get("Host"):
        raise EndpointError(
            f"context '{name}' has no docker endpoint in {meta_path}",
            f"Recreate it with 'docker context create {name} --docker host=...'.",
        )
    tls_dir = cfg / "contexts" / "tls" / digest / "docker"
    tls = None
    files = {n: tls_dir / f"{n}.pem" for n in ("ca", "cert", "key")}
    if any(p.is_file() for p in files.values()):
        tls = TLS(
            verify=not docker_ep.get("SkipTLSVerify", False),
            **{n: (p if p.is_file() else None) for n, p in files.items()},
        )
    host = normalize_host(str(docker_ep["Host"]), f"context '{name}'", tls is not None)
    return Endpoint(host=host, source=f"context '{name}'", context=name, tls=tls)


def resolve_endpoint(
    context: str | None = None,
    host: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Endpoint:
    env = os.environ if env is None else env
    if context and host:
        raise EndpointError(
            "conflicting options: both --context and --host are given", "Give one of --context or --host."
        )
    cfg = config_dir(env)

    def default(chosen: str | None, source: str) -> Endpoint:
        tls = _env_tls(env, cfg)
        return Endpoint(host=normalize_host(chosen or DEFAULT_HOST, source, tls is not None), source=source, tls=tls)

    if context:
        return default(None, "--context default") if context == DEFAULT_CONTEXT else load_context(context, cfg)
    if host:
        return default(host, "--host")
    if env.get("DOCKER_HOST"):
        return default(env["DOCKER_HOST"], "DOCKER_HOST")
    if env.get("DOCKER_CONTEXT"):
        name = env["DOCKER_CONTEXT"]
        return default(None, "DOCKER_CONTEXT=default") if name == DEFAULT_CONTEXT else load_context(name, cfg)
    config_path = cfg / "config.json"
    try:
        config = _read_json(config_path, "docker config")
    except FileNotFoundError:
        config = {}
    current = config.get("currentContext")
    if current and current != DEFAULT_CONTEXT:
        if not isinstance(current, str):
            raise EndpointError(f"currentContext in {config_path} is not a string", f"Fix {config_path}.")
        return load_context(current, cfg)
    return default(None, "default socket")


def list_contexts(env: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(name, docker host) of every context in the docker config folder, as `docker context ls`
    lists them, "default" first; an unreadable context is listed with why."""
    env = os.environ if env is None else env
    cfg = config_dir(env)
    out = [(DEFAULT_CONTEXT, env.get("DOCKER_HOST") or DEFAULT_HOST)]
    meta_root = cfg / "contexts" / "meta"
    try:
        folders = sorted(p for p in meta_root.iterdir() if p.is_dir())
    except OSError:
        return out
    found = []
    for folder in folders:
        try:
            meta = _read_json(folder / "meta.json", "context metadata")
        except (FileNotFoundError, EndpointError):
            continue
        name = meta.get("Name")
        host = ((meta.get("Endpoints") or {}).get("docker") or {}).get("Host", "")
        if isinstance(name, str) and name:
            found.append((name, str(host)))
    return out + sorted(found)
