"""Files dockertui writes for the user (saved logs, saved image tars): always created new, never
through an existing file or symbolic link of that name (a root process writing a predictable name
in a shared folder such as /tmp could otherwise be pointed at any file), readable by the owner
only (container logs hold secrets often enough)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
MODE = 0o600


def create_new(path: Path, binary: bool = False) -> IO:  # type: ignore[type-arg]
    """Open ``path`` for writing; FileExistsError when anything (a file, a link) has that name."""
    fd = os.open(path, FLAGS, MODE)
    try:
        os.fchmod(fd, MODE)  # whatever the umask
        return os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"}))
    except BaseException:
        os.close(fd)
        raise


def free_name(path: Path) -> Path:
    """``path``, or ``name-1.ext``, ``name-2.ext``… when something already has that name."""
    candidate, n = path, 0
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def publish(part: Path, path: Path) -> None:
    """Give the finished ``part`` its final name, without replacing anything that has it now."""
    os.link(part, path, follow_symlinks=False)  # FileExistsError if the name was taken meanwhile
    part.unlink()
