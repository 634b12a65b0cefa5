"""The fix shown when no engine is there fits the socket and the install (model.hints, installed)."""

from __future__ import annotations

import shutil
from pathlib import Path

from dockertui.installed import PACKAGE, checkout_root
from dockertui.model.hints import permission_fix, start_engine_fix


def test_a_package_install_is_never_told_to_make_demo() -> None:
    fix = start_engine_fix("/var/run/docker.sock", None)
    assert "make demo" not in fix
    for needed in ("sudo systemctl start docker", "podman.socket", "-H ", "--context", "DOCKER_HOST"):
        assert needed in fix, needed


def test_a_checkout_is_offered_its_demo_engine_too() -> None:
    fix = start_engine_fix("/var/run/docker.sock", "/src/dockertui")
    assert "make demo" in fix and "sudo systemctl start docker" in fix
    assert "/src/dockertui" not in fix  # the same words in every checkout (the snapshot of the screen holds them)


def test_the_socket_says_which_service() -> None:
    assert "systemctl --user start podman.socket" in start_engine_fix("/run/user/1000/podman/podman.sock").split(" Or ")[0]
    assert "sudo systemctl start podman.socket" in start_engine_fix("/run/podman/podman.sock")
    assert "systemctl --user start docker" in start_engine_fix("/run/user/1000/docker.sock")
    assert "docker' group" in permission_fix() and "podman.sock" in permission_fix()


def test_the_checkout_is_told_from_an_installed_package(tmp_path: Path) -> None:
    assert checkout_root() == PACKAGE.parent  # the tests run from the checkout
    site = tmp_path / "site-packages"
    shutil.copytree(PACKAGE, site / "dockertui", ignore=shutil.ignore_patterns("__pycache__"))
    assert checkout_root(site / "dockertui") is None  # a package's folder has no Makefile beside it
    (site / "Makefile").write_text("all:\n\ttrue\n")  # some other project's Makefile: still not ours
    assert checkout_root(site / "dockertui") is None
