"""Where the config file lives and reading it: the only I/O around settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from platformdirs import user_config_dir

from .model.config import Settings, parse_settings


def config_path() -> Path:
    """``$DOCKERTUI_CONFIG``, else ``config.toml`` in the user's config folder."""
    override = os.environ.get("DOCKERTUI_CONFIG")
    return Path(override) if override else Path(user_config_dir("dockertui")) / "config.toml"


def load_settings(
    path: Path,
    binding_ids: frozenset[str] | None = None,
    *,
    default_keys: Mapping[str, str] | None = None,
    themes: frozenset[str] | None = None,
) -> tuple[Settings, list[str]]:
    """A missing file means the defaults; an unreadable one, the defaults and a problem.
    The other arguments are ``parse_settings``'s."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), [f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}; using the defaults"]
    settings, problems = parse_settings(text, binding_ids, default_keys=default_keys, themes=themes)
    return settings, [f"{path}: {p}" for p in problems]
