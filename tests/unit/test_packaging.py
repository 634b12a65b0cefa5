"""pyproject.toml states ranges; constraints.txt pins the exact set inside them, and that set is
what this environment runs the suite with."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins() -> dict[str, Version]:
    out = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            m = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line)
            assert m, f"constraints.txt: not an exact pin: {line!r}"
            out[canonicalize_name(m.group(1))] = Version(m.group(2))
    return out


def requirements() -> list[Requirement]:
    extras = PROJECT["optional-dependencies"]
    return [Requirement(r) for r in [*PROJECT["dependencies"], *extras["test"], *extras["dist"]]]


def test_runtime_dependencies_are_ranges_below_the_next_break() -> None:
    for req in map(Requirement, PROJECT["dependencies"]):
        ops = {s.operator for s in req.specifier}
        assert ops == {">=", "<"}, f"{req}: a range with a lower and an upper bound, not a pin"


def test_license_is_an_spdx_string_and_python_versions_are_stated() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["requires-python"] == ">=3.11"
    stated = {c.rsplit(" ", 1)[1] for c in PROJECT["classifiers"] if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)}
    assert "3.11" in stated


def test_the_lock_pins_every_requirement_inside_its_range() -> None:
    locked = pins()
    for req in requirements():
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is not in constraints.txt (run make lock)"
        assert req.specifier.contains(locked[name], prereleases=True), f"constraints.txt pins {name}=={locked[name]}, outside {req}"


def test_this_environment_runs_the_locked_set() -> None:
    wrong = {}
    for name, pinned in pins().items():
        try:
            have = Version(version(name))
        except PackageNotFoundError:
            wrong[name] = (str(pinned), None)
            continue
        if have != pinned:
            wrong[name] = (str(pinned), str(have))
    assert not wrong, f"installed versions differ from constraints.txt (make venv reinstalls): {wrong}"
