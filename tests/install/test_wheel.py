"""The wheel and the sdist: what they hold, their metadata, and the wheel installed alone into a
fresh virtualenv, run against the private engine from a folder far from the source tree."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import dockertui
from tests.install.conftest import ROOT, Dist, ProgramPty, clean_env

pytestmark = pytest.mark.engine

PACKAGE = ROOT / "dockertui"


def tracked(under: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", under], cwd=ROOT, capture_output=True, text=True, check=True)
    return {line for line in out.stdout.splitlines() if line}


def package_files() -> set[str]:
    """Every file of the package in the source tree (code and data), as paths from the checkout."""
    return {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_twine_check_passes(dist: Dist) -> None:
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(dist.wheel), str(dist.sdist)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_the_wheel_holds_every_file_of_the_package_and_honest_metadata(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as whl:
        names = set(whl.namelist())
        meta = Parser().parsestr(whl.read(f"dockertui-{dockertui.__version__}.dist-info/METADATA").decode())
        entry = whl.read(f"dockertui-{dockertui.__version__}.dist-info/entry_points.txt").decode()
    data = {f for f in package_files() if not f.endswith(".py")}
    assert "dockertui/ui/app.tcss" in data
    missing = package_files() - names
    assert not missing, f"files of the package not in the wheel: {sorted(missing)}"
    assert not [n for n in names if n.startswith(("tests/", "bench/", "scripts/"))]
    assert meta["License-Expression"] == "MIT"
    assert meta["Requires-Python"] == ">=3.11"
    assert "Programming Language :: Python :: 3.11" in meta.get_all("Classifier")
    requires = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    assert requires and all("<" in r and ">=" in r and "==" not in r for r in requires), requires
    assert "dockertui = dockertui.cli:main" in entry


def test_the_sdist_holds_the_package_the_license_and_the_readme(dist: Dist) -> None:
    prefix = f"dockertui-{dockertui.__version__}/"
    with tarfile.open(dist.sdist) as sdist:
        names = {m.name.removeprefix(prefix) for m in sdist.getmembers()}
    wanted = tracked("dockertui") | {"LICENSE", "README.md", "pyproject.toml"}
    assert not wanted - names, sorted(wanted - names)


@pytest.fixture(scope="session")
def far_away(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder outside the checkout, so nothing can be imported from the source tree."""
    return tmp_path_factory.mktemp("elsewhere")


def run(bin_dir: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "dockertui"), *args], capture_output=True, text=True, timeout=60, cwd=cwd, env=clean_env(**env))


def test_the_wheel_alone_in_a_fresh_virtualenv_runs(wheel_venv: Path, demo_engine: str, far_away: Path) -> None:
    where = subprocess.run(
        [str(wheel_venv / "python"), "-c", "import dockertui, importlib.resources as r; print(dockertui.__file__); "
         "print(r.files('dockertui.ui').joinpath('app.tcss').is_file())"],
        capture_output=True, text=True, cwd=far_away, env=clean_env(), check=True,
    ).stdout.split()
    assert where[0].startswith(str(wheel_venv.parent / "lib")) and str(ROOT) not in where[0], where
    assert where[1] == "True"
    installed = Path(where[0]).parent
    for f in package_files():
        assert (installed.parent / f).is_file(), f"{f} was not installed"

    assert run(wheel_venv, "--version", cwd=far_away).stdout.strip() == f"dockertui {dockertui.__version__}"
    check = run(wheel_venv, "--check", cwd=far_away, DOCKER_HOST=demo_engine)
    assert check.returncode == 0 and check.stdout.startswith(f"ok: {demo_engine} Docker "), check.stderr
    tree = run(wheel_venv, "tree", cwd=far_away, DOCKER_HOST=demo_engine, DOCKERTUI_CACHE_DIR=str(far_away / "cache"))
    assert tree.returncode == 0, tree.stderr
    assert "demo/base:latest" in tree.stdout and "demo-web" in tree.stdout


def test_the_wheel_draws_the_first_screen_on_a_terminal(wheel_venv: Path, demo_engine: str, far_away: Path, pty_programs: list[ProgramPty]) -> None:
    env = clean_env(DOCKER_HOST=demo_engine, DOCKERTUI_CACHE_DIR=str(far_away / "cache"), DOCKERTUI_CONFIG=str(far_away / "none.toml"))
    app = ProgramPty([str(wheel_venv / "dockertui")], env, cwd=far_away)
    pty_programs.append(app)
    app.wait_for("demo-web", timeout=30)
    app.type("q")
    assert app.wait_exit() == 0
