"""The user's settings (TOML in the config folder): what they hold, and how text becomes them.
Pure: a bad key or value becomes a sentence naming its line, and the default stays."""

from __future__ import annotations

import re
import shlex
import tomllib
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, Mapping


@dataclass(frozen=True, slots=True)
class Settings:
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # binding id -> keys
    theme: str = "textual-dark"
    exec_shell: tuple[str, ...] = ()  # empty: /bin/bash when present, else /bin/sh
    log_tail: int = 1000
    read_only: bool = False
    mouse: bool = False
    events_keep: int = 1000  # the events view keeps the last N events
    usage_every: float = 3.0  # seconds between samples of the CPU/mem column (off until %)
    reconcile_every: float = 60.0  # seconds between the slow background re-lists that heal missed events


EXAMPLE = """\
# dockertui settings. Every entry is optional.
theme = "textual-dark"      # any Textual theme: textual-dark, textual-light, nord, gruvbox, ansi-dark, ...
read_only = false           # true: every change is refused (production hosts)
mouse = false

[exec]
shell = ""                  # empty: /bin/bash when the container has it, else /bin/sh; or e.g. "/bin/sh -l"

[logs]
tail = 1000                 # lines of history when the logs open

[events]
keep = 1000                 # events the events view keeps

[keys]                      # binding id = "key[,key...]"; `?` in the app lists the ids in force
# logs = "l,L"
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
}
_KEY = re.compile(r"^(?:(?:ctrl|shift|alt|meta|super)\+)*[a-z0-9_]+$|^[!-~]$")
_DEFAULTS = Settings()


def _line_of(text: str, table: str, key: str) -> int:
    """The line where ``key`` is set inside ``[table]`` (0 when not found)."""
    current = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[] ")
            continue
        name = line.split("=", 1)[0].strip().strip('"\'')
        if current == table and "=" in line and name == key:
            return number
    return 0


def valid_key(keys: str) -> bool:
    return bool(keys.strip()) and all(_KEY.match(k.strip()) for k in keys.split(","))


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


def parse_settings(text: str, binding_ids: frozenset[str] | None = None) -> tuple[Settings, list[str]]:
    """Settings from TOML text, and the problems found (each naming its line)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return _DEFAULTS, [f"not valid TOML: {exc}; using the defaults"]
    problems: list[str] = []
    changes: dict[str, Any] = {}
    for table_key, value in data.items():
        tables = {table_key: value} if isinstance(value, dict) else None
        if tables is None:
            _one(text, "", table_key, value, changes, problems)
            continue
        for key, item in value.items():
            if table_key == "keys":
                _binding(text, key, item, binding_ids, changes, problems)
            else:
                _one(text, table_key, key, item, changes, problems)
    keys = changes.pop("keys", None)
    settings = replace(_DEFAULTS, **changes)
    if keys:
        settings = replace(settings, keys=MappingProxyType(keys))
    return settings, problems


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
        shown = " ".join(default) if isinstance(default, tuple) else default
        problems.append(f"{_where(text, table, key)} {error}; using {shown!r}")
        return
    changes[name] = coerced


def _binding(text: str, key: str, value: Any, binding_ids: frozenset[str] | None, changes: dict[str, Any], problems: list[str]) -> None:
    if binding_ids is not None and key not in binding_ids:
        problems.append(f"{_where(text, 'keys', key)}: no binding has that id (see ? in the app); ignored")
        return
    if not isinstance(value, str) or not valid_key(value):
        problems.append(f"{_where(text, 'keys', key)}: {value!r} is not a key list like \"l\" or \"ctrl+l,L\"; keeping the default")
        return
    changes.setdefault("keys", {})[key] = ",".join(k.strip() for k in value.split(","))


SETTING_FIELDS = tuple(f.name for f in fields(Settings))
