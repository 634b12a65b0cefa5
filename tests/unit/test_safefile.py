"""Files written for the user: created new, never through an existing name or link, owner-only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dockertui.safefile import create_new, free_name, publish


def test_created_new_and_private(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with create_new(tmp_path / "a.log") as out:
            out.write("secret\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.log").stat().st_mode) == 0o600
    assert (tmp_path / "a.log").read_text() == "secret\n"


def test_never_through_an_existing_file_or_link(tmp_path: Path) -> None:
    target = tmp_path / "precious"
    target.write_text("keep")
    link = tmp_path / "x.log"
    link.symlink_to(target)
    with pytest.raises(FileExistsError):
        create_new(link)
    dangling = tmp_path / "y.log"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        create_new(dangling)
    assert not (tmp_path / "nowhere").exists() and target.read_text() == "keep"
    assert free_name(link) == tmp_path / "x-1.log"


def test_publish_never_replaces(tmp_path: Path) -> None:
    part, final = tmp_path / "img.tar.part", tmp_path / "img.tar"
    part.write_text("new")
    final.write_text("old")
    with pytest.raises(FileExistsError):
        publish(part, final)
    assert final.read_text() == "old"
    final.unlink()
    publish(part, final)
    assert final.read_text() == "new" and not part.exists()
