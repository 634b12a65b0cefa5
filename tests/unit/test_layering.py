"""The architecture as a test: model is pure, engine is the only aiodocker user, nothing below ui imports textual."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "dockertui"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level and path.is_relative_to(PKG):  # relative: resolve against the file's package
                parts = path.relative_to(PKG.parent).with_suffix("").parts[: -node.level]
                target = ".".join(parts + tuple((node.module or "").split(".")))
                names.add(target.rstrip("."))
            elif node.module:
                names.add(node.module.split(".")[0])
    return names


def files(sub: str) -> list[Path]:
    return sorted((PKG / sub).rglob("*.py"))


@pytest.mark.parametrize("path", files("model"), ids=lambda p: p.name)
def test_model_is_pure(path: Path) -> None:
    bad = {n for n in imports_of(path) if n.split(".")[0] in {"textual", "aiodocker", "aiohttp", "docker", "rich"}}
    bad |= {n for n in imports_of(path) if n.startswith(("dockertui.engine", "dockertui.ui"))}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", files("engine"), ids=lambda p: p.name)
def test_engine_has_no_ui(path: Path) -> None:
    bad = {n for n in imports_of(path) if n.split(".")[0] == "textual" or n.startswith("dockertui.ui")}
    assert not bad, f"{path.name} imports {bad}"


def test_only_engine_imports_aiodocker() -> None:
    offenders = [
        str(p.relative_to(PKG))
        for p in PKG.rglob("*.py")
        if "aiodocker" in imports_of(p) and p.parent.name != "engine"
    ]
    assert offenders == []
    assert any("aiodocker" in imports_of(p) for p in files("engine"))


def test_layering_check_sees_violations(tmp_path: Path) -> None:
    """The checker itself: absolute and relative imports are both seen."""
    bad = tmp_path / "bad.py"
    bad.write_text("import textual.widgets\nfrom aiodocker import Docker\n")
    assert {"textual", "aiodocker"} <= imports_of(bad)
    assert "dockertui.engine.errors" in imports_of(PKG / "ui" / "screens" / "main.py")
    assert "textual" not in imports_of(PKG / "model" / "fmt.py")


def test_no_rest_in_ui_and_one_raw_request_path() -> None:
    """ui/ builds no REST path and touches no aiodocker session; aiodocker's private _query calls
    sit in engine/client.py only (its call/stream helpers)."""
    ui_offenders = [
        str(p.relative_to(PKG)) for p in files("ui")
            if re.search(r"\.call\(|\._query|\bengine\.docker\b|\.docker\.(containers|images|system)", p.read_text())
    ]
    assert ui_offenders == []
    raw = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py") if "._query" in p.read_text()]
    assert raw == ["engine/client.py"]


def test_every_binding_has_an_id_and_ids_are_unique() -> None:
    """The config's [keys] rebinds by id: every key of every screen can be rebound."""
    seen: dict[str, str] = {}
    for path in files("ui"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding":
                ids = [kw.value.value for kw in node.keywords if kw.arg == "id" and isinstance(kw.value, ast.Constant)]
                assert ids, f"a Binding in {path.name} (line {node.lineno}) has no id"
                assert ids[0] not in seen or seen[ids[0]] == path.name, f"id {ids[0]!r} in {path.name} and {seen[ids[0]]}"
                seen[ids[0]] = path.name
    from dockertui.ui.app import binding_ids

    assert {"logs-search", "inspect-reveal", "quit"} <= binding_ids()
