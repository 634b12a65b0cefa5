"""What people type into the commit, tag and run forms, checked and turned into Engine API
bodies. Pure: every error is a sentence for the field it belongs to."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# A reference as the engine accepts it: [registry[:port]/]path[:tag]; lowercase path components.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?"
_REPO = re.compile(rf"^{_DOMAIN}{_COMPONENT}(?:/{_COMPONENT})*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_NAME = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
RESTART_POLICIES = ("no", "on-failure", "always", "unless-stopped")


class FormError(ValueError):
    """``field`` is the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_ref(text: str, field: str = "ref") -> tuple[str, str]:
    """``repo[:tag]`` → (repo, tag); the tag defaults to ``latest``."""
    text = text.strip()
    if not text:
        raise FormError(field, "A repository name is needed, e.g. myapp:1.0.")
    repo, tag = text, "latest"
    last = text.rsplit("/", 1)[-1]
    if ":" in last:
        repo, tag = text.rsplit(":", 1)
    if "@" in text:
        raise FormError(field, "A digest can't be a new name; use repo:tag.")
    if not _REPO.match(repo):
        raise FormError(field, f"'{repo}' is not a valid repository name (lowercase letters, digits, . _ - and /).")
    if not _TAG.match(tag):
        raise FormError(field, f"'{tag}' is not a valid tag (letters, digits, _ . -, at most 128).")
    return repo, tag


def _words(text: str, field: str) -> list[str]:
    """Items separated by spaces or commas; quotes keep spaces and commas inside one item."""
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace += ","
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError as exc:
        raise FormError(field, f"Unbalanced quotes: {exc}.") from None


@dataclass(frozen=True, slots=True)
class PortSpec:
    container: int
    proto: str = "tcp"
    host_port: int | None = None  # None: a random free port
    host_ip: str = ""


def _port(text: str, spec: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise FormError("ports", f"'{spec}': '{text}' is not a port number (1-65535).")
    return int(text)


def parse_ports(text: str) -> list[PortSpec]:
    """``-p`` style: ``80``, ``8080:80``, ``127.0.0.1:8080:80``, ``127.0.0.1::80``, ``/udp``."""
    out: list[PortSpec] = []
    for spec in _words(text, "ports"):
        body, _, proto = spec.partition("/")
        proto = proto or "tcp"
        if proto not in ("tcp", "udp", "sctp"):
            raise FormError("ports", f"'{spec}': the protocol must be tcp, udp or sctp.")
        if body.startswith("["):  # [::1]:8080:80
            ip, _, rest = body[1:].partition("]")
            parts = [ip, *rest.lstrip(":").split(":")] if rest else [ip]
        else:
            parts = body.split(":")
        if len(parts) == 1:
            out.append(PortSpec(_port(parts[0], spec), proto))
        elif len(parts) == 2:
            out.append(PortSpec(_port(parts[1], spec), proto, _port(parts[0], spec)))
        elif len(parts) == 3:
            host = _port(parts[1], spec) if parts[1] else None
            out.append(PortSpec(_port(parts[2], spec), proto, host, parts[0]))
        else:
            raise FormError("ports", f"'{spec}' is not a port mapping (try 8080:80 or 127.0.0.1:8080:80/tcp).")
    return out


def parse_pairs(text: str, field: str) -> dict[str, str]:
    """``KEY=value`` words (quotes for spaces); a bare ``KEY`` means an empty value."""
    out: dict[str, str] = {}
    for word in _words(text, field):
        key, _, value = word.partition("=")
        if not key or any(ch.isspace() for ch in key):
            raise FormError(field, f"'{word}' is not KEY=value.")
        out[key] = value
    return out


@dataclass(frozen=True, slots=True)
class Mount:
    source: str  # a host path (absolute) or a volume name
    target: str
    read_only: bool = False


def parse_volumes(text: str) -> list[Mount]:
    """``/host:/in/container[:ro]`` or ``volume-name:/in/container[:ro]``."""
    out: list[Mount] = []
    for spec in _words(text, "volumes"):
        parts = spec.split(":")
        mode = ""
        if len(parts) == 3:
            mode = parts.pop()
        if len(parts) != 2 or not parts[0] or not parts[1].startswith("/") or mode not in ("", "ro", "rw"):
            raise FormError("volumes", f"'{spec}' is not SOURCE:/path[:ro] (SOURCE an absolute path or a volume name).")
        out.append(Mount(parts[0], parts[1], mode == "ro"))
    return out


def parse_restart(text: str) -> dict[str, Any]:
    name, _, count = text.strip().partition(":")
    name = name or "no"
    if name not in RESTART_POLICIES:
        raise FormError("restart", f"'{name}' is not a restart policy ({', '.join(RESTART_POLICIES)}).")
    if count and (name != "on-failure" or not count.isdigit()):
        raise FormError("restart", "Only on-failure takes a count, e.g. on-failure:3.")
    policy: dict[str, Any] = {"Name": "" if name == "no" else name}
    if count:
        policy["MaximumRetryCount"] = int(count)
    return policy


def run_body(image: str, values: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    """The run form → (container name, ``POST /containers/create`` body). Raises FormError."""
    name = values.get("name", "").strip()
    if name and not _NAME.match(name):
        raise FormError("name", f"'{name}' is not a valid name (letters, digits, _ . -; starting with a letter or digit).")
    try:
        command = shlex.split(values.get("command", ""))
    except ValueError as exc:
        raise FormError("command", f"Unbalanced quotes: {exc}.") from None
    ports = parse_ports(values.get("ports", ""))
    env = parse_pairs(values.get("env", ""), "env")
    labels = parse_pairs(values.get("labels", ""), "labels")
    mounts = parse_volumes(values.get("volumes", ""))
    restart = parse_restart(values.get("restart", ""))
    bindings: dict[str, list[dict[str, str]]] = {}
    for p in ports:
        bindings.setdefault(f"{p.container}/{p.proto}", []).append(
            {"HostIp": p.host_ip, "HostPort": str(p.host_port) if p.host_port else ""}
        )
    body: dict[str, Any] = {
        "Image": image,
        "Labels": labels,
        "ExposedPorts": {key: {} for key in bindings},
        "HostConfig": {
            "PortBindings": bindings,
            "Binds": [f"{m.source}:{m.target}{':ro' if m.read_only else ''}" for m in mounts],
            "RestartPolicy": restart,
        },
    }
    network = values.get("network", "").strip()
    if network:
        body["HostConfig"]["NetworkMode"] = network
    if command:
        body["Cmd"] = command
    if env:
        body["Env"] = [f"{k}={v}" for k, v in env.items()]
    return name, body


def run_defaults(image_config: Mapping[str, Any]) -> dict[str, str]:
    """The run form's starting values from the image's ``Config``: its command and ports."""
    cmd = image_config.get("Cmd") or []
    exposed = image_config.get("ExposedPorts") or {}
    ports = " ".join(sorted(key.removesuffix("/tcp") for key in exposed))
    return {"command": shlex.join(cmd) if cmd else "", "ports": ports, "restart": "no"}
