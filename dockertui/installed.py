"""How dockertui was installed: from a checkout of its source (the Makefile and the private-engine
script beside the package), or as a package (a wheel in a virtualenv, pipx, uv, the one-file
program). Fixes that name ``make demo`` are offered only in a checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def checkout_root(package: Path = PACKAGE) -> Path | None:
    """The checkout the package runs from, or None (an installed package has no Makefile beside it)."""
    root = package.parent
    try:
        makefile = (root / "Makefile").read_text(errors="replace")
    except OSError:
        return None
    if (root / "scripts" / "engine.sh").is_file() and "\ndemo:" in f"\n{makefile}":
        return root
    return None
