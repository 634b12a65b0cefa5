"""Table cells are measured in terminal cells: wide characters, combining marks and escape bytes
keep the columns straight."""

from __future__ import annotations

from rich.cells import cell_len

from dockertui.model.containers import parse_container
from dockertui.ui.widgets.container_rows import cell, row_cells


def test_wide_and_combining_characters_are_measured_in_cells() -> None:
    assert cell("日本語🐳", 20).cell_len == 8
    assert cell("e\u0301" * 5, 20).cell_len == 5
    cut = cell("日本語" * 20, 11)
    assert cut.cell_len <= 11 and cut.plain.endswith("…")


def test_escape_bytes_become_marks_in_a_row() -> None:
    c = parse_container({"Id": "a" * 64, "Names": ["/x"], "Image": "img", "State": "running", "Status": "Up",
                         "Command": "sh -c \x1b[2J", "Labels": {"com.docker.compose.project": "\x1b]0;PWNED\x07"}})
    cells = row_cells(c)
    plain = "".join(x.plain if hasattr(x, "plain") else x for x in cells)
    assert "\x1b" not in plain and "\x07" not in plain
    assert "␛]0;PWNED␇" in plain
    assert all(cell_len(x.plain if hasattr(x, "plain") else x) <= 60 for x in cells)


def test_a_pods_members_are_marked_in_the_project_column() -> None:
    import dataclasses

    c = parse_container({"Id": "b" * 64, "Names": ["/web"], "Image": "img", "State": "running", "Status": "Up"})
    infra = dataclasses.replace(c, pod="shop", infra=True)
    cells = row_cells(infra)
    assert any(getattr(x, "plain", x) == "pod: shop (infra)" for x in cells)
