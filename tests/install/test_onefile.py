"""The one-file program: it runs in a container that holds only it and the C library, it unpacks
once and then starts as fast as the wheel's install, and the README says what it needs."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import docker
import pytest

import dockertui
from bench.terminal import cpu_seconds
from tests.install.conftest import ROOT, Dist, ProgramPty, clean_env

pytestmark = pytest.mark.engine


def libc_files() -> list[Path]:
    """The C library's shared objects, as the libc6 package installs them (the loader included)."""
    out = subprocess.run(["dpkg", "-L", "libc6"], capture_output=True, text=True, check=True).stdout.split()
    return [Path(p) for p in out if re.search(r"\.so(\.\d+)*$", p) and Path(p).is_file() and "/gconv/" not in p]


@pytest.fixture
def scratch_image(dist: Dist, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> str:
    """``FROM scratch`` with the one file and the C library's files copied in: no Python, no shell."""
    ctx = tmp_path / "ctx"
    root = ctx / "rootfs"
    root.mkdir(parents=True)
    shutil.copy(dist.onefile, root / "dockertui")
    for f in libc_files():
        dest = root / f.relative_to("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)  # the file itself, not a link into the host
        dest.chmod(0o755)
    held = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert "dockertui" in held and not [p for p in held if "python" in p or p.endswith(("/sh", "/bash", "/busybox"))], held
    (ctx / "Dockerfile").write_text('FROM scratch\nCOPY rootfs/ /\nENTRYPOINT ["/dockertui"]\n')
    tag = f"dockertui-onefile-test:{run_label}"
    observer.images.build(path=str(ctx), tag=tag, labels={"dockertui.test": run_label}, rm=True)
    layers = observer.images.get(tag).attrs["RootFS"]["Layers"]
    assert len(layers) == 1  # nothing under it: the scratch image is only what we copied
    return tag


def socket_path(engine_host: str) -> str:
    return engine_host.removeprefix("unix://")


def run_in(observer: docker.DockerClient, image: str, args: list[str], engine_host: str, run_label: str) -> str:
    out = observer.containers.run(
        image, args, network_mode="none", remove=True, labels={"dockertui.test": run_label},
        volumes={socket_path(engine_host): {"bind": "/var/run/docker.sock", "mode": "rw"}},
    )
    return out.decode()


def test_the_one_file_runs_in_a_container_with_only_the_c_library(
    scratch_image: str, observer: docker.DockerClient, demo_engine: str, run_label: str, pty_programs: list[ProgramPty]
) -> None:
    assert run_in(observer, scratch_image, ["--version"], demo_engine, run_label).strip() == f"dockertui {dockertui.__version__}"
    tree = run_in(observer, scratch_image, ["tree"], demo_engine, run_label)
    assert "demo/base:latest" in tree and "demo-web" in tree, tree

    # the first screen, on a real terminal: the docker CLI gives the container a pty
    docker_cli = shutil.which("docker")
    assert docker_cli, "the docker CLI comes with docker.io (scripts/engine.sh installs it)"
    app = ProgramPty(
        [docker_cli, "-H", demo_engine, "run", "--rm", "-it", "--network", "none", "--label", f"dockertui.test={run_label}",
         "-e", "TERM=xterm-256color", "-v", f"{socket_path(demo_engine)}:/var/run/docker.sock", scratch_image],
        clean_env(),
    )
    pty_programs.append(app)
    app.wait_for("demo-web", timeout=60)
    app.type("q")
    assert app.wait_exit(timeout=30) == 0


def test_the_one_file_unpacks_once_and_heals_a_damaged_cache(dist: Dist, tmp_path: Path) -> None:
    cache = tmp_path / "bundles"
    env = clean_env(DOCKERTUI_BUNDLE_DIR=str(cache))

    def version() -> str:
        done = subprocess.run([str(dist.onefile), "--version"], capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert version() == f"dockertui {dockertui.__version__}"
    [bundle] = cache.iterdir()
    assert bundle.name.startswith("bundle-") and (bundle / ".complete").exists() and (bundle / "dockertui").exists()
    stamp = (bundle / ".complete").stat().st_mtime_ns, (bundle / "dockertui").stat().st_ino
    version()
    assert [p.name for p in cache.iterdir()] == [bundle.name]  # no second unpacking
    assert ((bundle / ".complete").stat().st_mtime_ns, (bundle / "dockertui").stat().st_ino) == stamp

    (bundle / "dockertui").unlink()  # damaged by hand: unpacked again, once
    assert version() == f"dockertui {dockertui.__version__}"
    assert (bundle / "dockertui").exists() and [p.name for p in cache.iterdir()] == [bundle.name]

    cache.chmod(0o777)  # a cache folder others could write to is refused, not used
    done = subprocess.run([str(dist.onefile), "--version"], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 126 and "writable by you only" in done.stderr


def first_screen(program: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process) from the start to the first screen (a demo
    container's row drawn). The launcher execs the program in its own process, so the CPU figure
    covers the launcher, PyInstaller's bootloader and Python alike."""
    started = time.monotonic()
    app = ProgramPty(program, env, cwd=cwd)
    try:
        app.wait_for("demo-web", timeout=60)
        return time.monotonic() - started, cpu_seconds(app.pid)
    finally:
        app.type("q")
        app.wait_exit(timeout=15)
        app.close()


def test_a_warm_start_of_the_one_file_is_as_quick_as_the_wheel(dist: Dist, wheel_venv: Path, demo_engine: str, tmp_path: Path) -> None:
    """Within 0.2 s of the wheel's start, in CPU seconds: on this shared 2-core machine the wall
    clock swings by seconds with the load of other work, the CPU a start takes does not (the
    README's wall-clock figures were taken on a quiet machine)."""
    env = clean_env(DOCKER_HOST=demo_engine, DOCKERTUI_CACHE_DIR=str(tmp_path / "cache"), DOCKERTUI_CONFIG=str(tmp_path / "none.toml"),
                    DOCKERTUI_BUNDLE_DIR=str(tmp_path / "bundles"))
    first_screen([str(dist.onefile)], env, tmp_path)  # unpacks, and warms the image cache for both
    first_screen([str(wheel_venv / "dockertui")], env, tmp_path)
    onefile, wheel = [], []
    for _ in range(3):  # in turn, so a busy moment of the machine hits both alike
        onefile.append(first_screen([str(dist.onefile)], env, tmp_path))
        wheel.append(first_screen([str(wheel_venv / "dockertui")], env, tmp_path))
    cpu_onefile, cpu_wheel = statistics.median(c for _, c in onefile), statistics.median(c for _, c in wheel)
    assert cpu_onefile <= cpu_wheel + 0.2, f"one file {onefile}, wheel {wheel} (wall s, cpu s)"
    assert len(list((tmp_path / "bundles").iterdir())) == 1  # unpacked once


def test_the_readme_states_what_the_one_file_needs(dist: Dist) -> None:
    readme = (ROOT / "README.md").read_text()
    stated = re.search(r"glibc (\d+\.\d+) or newer", readme)
    assert stated, "the README says which C library the one file needs"
    need = tuple(int(x) for x in dist.glibc.split("."))
    assert tuple(int(x) for x in stated.group(1).split(".")) >= need, f"the one file needs glibc {dist.glibc}"
    # no part of it needs a library from outside the C library
    libc = {p.name for p in libc_files()}
    inside = {p.name for p in dist.folder.rglob("*.so*")}
    for f in [*dist.folder.rglob("*.so*"), dist.folder / "dockertui"]:
        dynamic = subprocess.run(["readelf", "-d", str(f)], capture_output=True, text=True).stdout
        for lib in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic):
            assert lib in inside or lib in libc, f"{f.name} needs {lib}, which is neither bundled nor the C library's"
    assert os.access(dist.onefile, os.X_OK)
