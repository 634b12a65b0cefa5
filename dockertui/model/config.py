"""The user's settings (TOML in the config folder): what they hold, and how text becomes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping


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
