"""The user's settings (TOML in the config folder): what they hold, and how text becomes them.
Pure: a bad key or value becomes a sentence naming its line, and the default stays."""

from __future__ import annotations

import re
import shlex
import tomllib
import unicodedata
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, Mapping


@dataclass(frozen=True, slots=True)
class EngineSpec:
    """One engine of the config's ``[[engines]]`` list: a name, and a host URL or a docker context."""

    name: str
    host: str = ""
    context: str = ""
    read_only: bool = False


@dataclass(frozen=True, slots=True)
class Settings:
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # binding id -> keys
    theme: str = "auto"
    exec_shell: tuple[str, ...] = ()  # empty: /bin/bash when present, else /bin/sh
    log_tail: int = 1000
    read_only: bool = False
    mouse: bool = False
    events_keep: int = 1000  # the events view keeps the last N events
    usage_every: float = 3.0  # seconds between samples of the CPU/mem column (off until %)
    reconcile_every: float = 60.0  # seconds between the slow background re-lists that heal missed events
    engines: tuple[EngineSpec, ...] = ()  # [[engines]]: opened together when no -H/--context is given
    ssh_config: str = ""  # ssh:// engines: the ssh client's config file ("": the user's own ~/.ssh/config)
    ssh_options: tuple[str, ...] = ()  # ssh:// engines: extra ssh options, "Key=Value" each


EXAMPLE = """\
# dockertui settings. Every entry is optional.
theme = "auto"              # auto: textual-dark, or ansi-dark on 16-colour terminals; any Textual theme: textual-light, nord, ...
read_only = false           # true: every change is refused (production hosts)
mouse = false

[exec]
shell = ""                  # empty: /bin/bash when the container has it, else /bin/sh; or e.g. "/bin/sh -l"

[logs]
tail = 1000                 # lines of history when the logs open

[events]
keep = 1000                 # events the events view keeps

[ssh]                       # ssh:// engines (-H ssh://[user@]host[:port][/path/to/docker.sock])
config = ""                 # the ssh client's config file; empty: your own ~/.ssh/config
options = []                # extra ssh options, e.g. ["ServerAliveInterval=30", "ProxyJump=bastion"]

[keys]                      # binding id = "key[,key...]"; `?` in the app lists the ids in force
# logs = "l,L"

# Engines opened together (H lists them) when no -H / --context is given; each a host or a context.
# [[engines]]
# name = "prod"
# host = "ssh://admin@prod.example"
# read_only = true
# [[engines]]
# name = "local"
# context = "default"
"""

# Where each setting lives in the file: (table, key) -> (field, kind)
_PLACES: dict[tuple[str, str], tuple[str, str]] = {
    ("", "theme"): ("theme", "str"),
    ("", "read_only"): ("read_only", "bool"),
    ("", "mouse"): ("mouse", "bool"),
    ("exec", "shell"): ("exec_shell", "command"),
    ("logs", "tail"): ("log_tail", "positive"),
    ("events", "keep"): ("events_keep", "positive"),
    ("stats", "every"): ("usage_every", "seconds"),
    ("live", "reconcile_every"): ("reconcile_every", "seconds"),
    ("ssh", "config"): ("ssh_config", "path"),
    ("ssh", "options"): ("ssh_options", "ssh-options"),
}
_SSH_OPTION = re.compile(r"^[A-Za-z][A-Za-z0-9]*(=|\s+)\S.*$")
_KEY = re.compile(r"^(?:(?:ctrl|shift|alt|meta|super)\+)*[a-z0-9_]+$|^[!-~]$")
_DEFAULTS = Settings()


def _line_of(text: str, table: str, key: str) -> int:
    """The line where ``key`` is set inside ``[table]``, or as ``table.key`` (0 when not found)."""
    current = ""
    for number, raw in enumerate(text.split("\n"), 1):  # TOML's lines: only \n ends one
        line = raw.strip()
        if line.startswith("["):  # [table] or [[table]], maybe with a comment after it
            current = ".".join(part.strip().strip('"\'') for part in line.split("#", 1)[0].strip().strip("[]").split("."))
            continue
        if "=" not in line or line.startswith("#"):
            continue
        name = ".".join(part.strip().strip('"\'') for part in line.split("=", 1)[0].split("."))
        if (f"{current}.{name}" if current else name) == (f"{table}.{key}" if table else key):
            return number
    return 0


def valid_ssh_option(option: str) -> bool:
    """``Key=Value`` (or ``Key Value``) as ``ssh -o`` takes it."""
    return bool(_SSH_OPTION.match(option.strip()))


def valid_key(keys: str) -> bool:
    return bool(keys.strip()) and all(_KEY.match(k.strip()) for k in keys.split(","))


_RENAMED = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at", "hyphen_minus": "minus",
            "plus_sign": "plus", "low_line": "underscore"}


def canonical_key(key: str) -> str:
    """A key as Textual names it: "?" is "question_mark", "/" is "slash"; names stay as they are."""
    key = key.strip()
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key
    return _RENAMED.get(name, name)


def key_clashes(keys: Mapping[str, str], defaults: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(rebound id, key as written, other id) for each key the config gives a binding while another has it
    (by default or by the config too); each pair once."""
    effective = {bid: keys.get(bid, default) for bid, default in defaults.items()}
    owners: dict[str, list[str]] = {}
    for bid, spec in effective.items():
        for key in {canonical_key(k) for k in spec.split(",") if k.strip()}:
            owners.setdefault(key, []).append(bid)
    clashes: list[tuple[str, str, str]] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    for bid, spec in keys.items():
        for written in dict.fromkeys(k.strip() for k in spec.split(",")):
            key = canonical_key(written)
            for other in owners.get(key, []):
                if other != bid and (key, frozenset((bid, other))) not in seen:
                    seen.add((key, frozenset((bid, other))))
                    clashes.append((bid, written, other))
    return clashes


def _coerce(kind: str, value: Any) -> tuple[Any, str | None]:
    if kind == "str":
        return (value, None) if isinstance(value, str) and value else (None, f"must be a text, got {value!r}")
    if kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, f"must be true or false, got {value!r}")
    if kind == "positive":
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value, None
        return None, f"must be a positive whole number, got {value!r}"
    if kind == "seconds":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return float(value), None
        return None, f"must be a positive number of seconds, got {value!r}"
    if kind == "path":
        if isinstance(value, str):
            return value.strip(), None
        return None, f"must be a file path as text, got {value!r}"
    if kind == "ssh-options":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, f"must be a list of ssh options like [\"ServerAliveInterval=30\"], got {value!r}"
        bad = [v for v in value if not valid_ssh_option(v)]
        if bad:
            return None, f"has {bad[0]!r}, which is not an ssh option of the form Key=Value"
        return tuple(v.strip() for v in value), None
    if kind == "command":
        if isinstance(value, str):
            try:
                return tuple(shlex.split(value)), None
            except ValueError as exc:
                return None, f"has unbalanced quotes ({exc})"
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value), None
        return None, f"must be a command as text or a list of texts, got {value!r}"
    raise ValueError(kind)


def parse_settings(
    text: str,
    binding_ids: frozenset[str] | None = None,
    *,
    default_keys: Mapping[str, str] | None = None,
    themes: frozenset[str] | None = None,
) -> tuple[Settings, list[str]]:
    """Settings from TOML text, and the problems found (each naming its line).

    ``binding_ids``: the ids [keys] may name (None: any); ``default_keys``: id -> default keys, to say
    when a rebinding takes a key another binding keeps; ``themes``: the theme names known (None: any)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return _DEFAULTS, [f"not valid TOML: {exc}; using the defaults"]
    problems: list[str] = []
    changes: dict[str, Any] = {}
    for table_key, value in data.items():
        if table_key == "engines":
            engines = _engines(text, value, problems)
            if engines:
                changes["engines"] = engines
            continue
        tables = {table_key: value} if isinstance(value, dict) else None
        if tables is None:
            _one(text, "", table_key, value, changes, problems)
            continue
        for key, item in value.items():
            if table_key == "keys":
                _binding(text, key, item, binding_ids, changes, problems)
            else:
                _one(text, table_key, key, item, changes, problems)
    if themes is not None and "theme" in changes and changes["theme"] not in themes:
        problems.append(
            f"{_where(text, '', 'theme')} {changes.pop('theme')!r} is not a theme (known: {', '.join(sorted(themes))}); "
            f"using {_DEFAULTS.theme!r}"
        )
    keys = changes.pop("keys", None)
    if keys and default_keys is not None:
        for bid, key, other in key_clashes(keys, default_keys):
            problems.append(f"{_where(text, 'keys', bid)}: {key!r} is also the key of {other!r}; only one of them "
                            f"can have it: give {other!r} another key in [keys]")
    problems.sort(key=_line_number)
    settings = replace(_DEFAULTS, **changes)
    if keys:
        settings = replace(settings, keys=MappingProxyType(keys))
    return settings, problems


def _line_number(problem: str) -> int:
    found = re.match(r"line (\d+):", problem)
    return int(found.group(1)) if found else 0


def _where(text: str, table: str, key: str) -> str:
    line = _line_of(text, table, key)
    name = f"{table}.{key}" if table else key
    return f"line {line}: {name}" if line else name


def _one(text: str, table: str, key: str, value: Any, changes: dict[str, Any], problems: list[str]) -> None:
    place = _PLACES.get((table, key))
    if place is None:
        known = ", ".join(sorted(f"{t}.{k}" if t else k for t, k in _PLACES))
        problems.append(f"{_where(text, table, key)} is not a setting (known: {known}, [keys]); ignored")
        return
    name, kind = place
    coerced, error = _coerce(kind, value)
    if error:
        default = getattr(_DEFAULTS, name)
        if name == "exec_shell":
            shown = repr(" ".join(default)) if default else "/bin/bash when the container has it, else /bin/sh"
        elif name == "ssh_options":
            shown = "no extra options"
        elif name == "ssh_config":
            shown = "your own ssh config"
        else:
            shown = repr(default)
        problems.append(f"{_where(text, table, key)} {error}; using {shown}")
        return
    changes[name] = coerced


def _engines(text: str, value: Any, problems: list[str]) -> tuple[EngineSpec, ...]:
    """``[[engines]]``: each with a unique name and exactly one of host or context."""
    line = _line_of(text, "engines", "name") or _line_of(text, "", "engines")
    where = f"line {line}: engines" if line else "engines"
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(f"{where} must be a list of [[engines]] tables; ignored")
        return ()
    out: list[EngineSpec] = []
    for n, entry in enumerate(value, 1):
        name, host, context = entry.get("name"), entry.get("host", ""), entry.get("context", "")
        read_only = entry.get("read_only", False)
        unknown = set(entry) - {"name", "host", "context", "read_only"}
        if unknown:
            problems.append(f"{where} #{n}: {', '.join(sorted(unknown))} is not an engine setting (name, host, context, read_only); ignored")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where} #{n} has no name; this engine is skipped")
            continue
        if not isinstance(host, str) or not isinstance(context, str) or bool(host) == bool(context):
            problems.append(f"{where} {name!r} needs exactly one of host or context; this engine is skipped")
            continue
        if not isinstance(read_only, bool):
            problems.append(f"{where} {name!r}: read_only must be true or false; using false")
            read_only = False
        if any(e.name == name for e in out):
            problems.append(f"{where} {name!r} is named twice; the second is skipped")
            continue
        out.append(EngineSpec(name.strip(), host, context, read_only))
    return tuple(out)


def _binding(text: str, key: str, value: Any, binding_ids: frozenset[str] | None, changes: dict[str, Any], problems: list[str]) -> None:
    if binding_ids is not None and key not in binding_ids:
        problems.append(f"{_where(text, 'keys', key)}: no binding has that id (see ? in the app); ignored")
        return
    if not isinstance(value, str) or not valid_key(value):
        problems.append(f"{_where(text, 'keys', key)}: {value!r} is not a key list like \"l\" or \"ctrl+l,L\"; keeping the default")
        return
    changes.setdefault("keys", {})[key] = ",".join(k.strip() for k in value.split(","))


SETTING_FIELDS = tuple(f.name for f in fields(Settings))
