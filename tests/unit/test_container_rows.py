"""Which columns of the container table show, and how wide (ui/widgets/container_rows.py)."""

from __future__ import annotations

from dockertui.model.containers import parse_container
from dockertui.ui.widgets.container_rows import KEYS, layout, natural_widths, row_cells, urgent, widths_of

DEMO = [  # the demo engine's rows, as the table shows them (compact status)
    ("demo-snapshot-source", "exited", "exit 0 · 4m", "demo/worker:latest", "", "", "sh -c 'echo snap > /snapshot'"),
    ("demo-web", "running", "up 4m", "demo/web:latest", "127.0.0.1:32772->8080/tcp", "", "httpd -f -p 8080 -h /www"),
    ("shop-api-1", "running", "up 4m healthy", "demo/web:v2", "", "shop", "httpd -f -p 8080 -h /www"),
]


def natural() -> list[int]:
    rows = []
    for name, state, status, image, ports, project, command in DEMO:
        c = parse_container({"Id": name, "Names": [f"/{name}"], "Image": image, "State": state, "Status": "",
                             "Command": command, "Labels": {"com.docker.compose.project": project} if project else {}})
        cells = list(row_cells(c, status=status))
        cells[KEYS.index("ports")] = ports
        rows.append(widths_of(cells))
    return natural_widths(rows)


def shown(width: int, usage: bool = False) -> list[str]:
    return [KEYS[i] for i, _, _ in layout(natural(), width, usage)]


def test_columns_come_by_priority_and_always_fit() -> None:
    assert shown(48) == ["mark", "name", "state", "status"]  # 80x24
    assert shown(73) == ["mark", "name", "state", "status", "image"]  # 120x35
    assert shown(134) == KEYS[:4] + ["image", "ports", "project", "command"]  # 200x50: every column
    for width in range(20, 200, 7):
        placed = layout(natural(), width)
        assert placed[-1][1] + placed[-1][2] <= width, width
        assert [KEYS[i] for i, _, _ in placed][:4] == ["mark", "name", "state", "status"]


def test_the_usage_column_follows_status_only_when_on() -> None:
    assert "usage" not in shown(134)
    on = shown(134, usage=True)
    assert on[on.index("status") + 1] == "usage"
    assert shown(48, usage=True) == ["mark", "name", "state", "status", "usage"], "asked for, it shows in 80 columns too"
    assert sum(w for _, _, w in layout(natural(), 48, True)) + 7 <= 48


def test_soft_caps_first_then_leftover_room() -> None:
    wide = natural()
    wide[KEYS.index("name")] = 60  # a long name takes its cap, and no more while others wait
    placed = {KEYS[i]: w for i, _, w in layout(wide, 60)}
    assert placed["name"] == 24 and "image" in placed  # capped, so the image has room
    placed = {KEYS[i]: w for i, _, w in layout(wide, 73)}
    assert placed["image"] == wide[KEYS.index("image")] and 24 < placed["name"] < 60  # what is left widens it
    placed = {KEYS[i]: w for i, _, w in layout(wide, 400)}
    assert placed["name"] == 60  # room to spare widens it again


def test_narrowing_waits_widening_does_not() -> None:
    before = layout(natural(), 73)
    wide = natural()
    wide[KEYS.index("status")] = 20  # "restarting", "×4 · exit 137"
    after = layout(wide, 73)
    assert urgent(after, before, wide)
    assert not urgent(before, after, natural())  # giving the room back can wait


def test_a_restart_loop_keeps_its_row_among_the_running() -> None:
    from dockertui.ui.widgets.container_table import sort_key

    def box(name: str, state: str):  # noqa: ANN202
        return parse_container({"Id": name, "Names": [f"/{name}"], "Image": "x", "State": state, "Status": ""})
    rows = [box("b-web", "running"), box("a-crashy", "running"), box("c-db", "running"), box("z-old", "exited")]
    before = [c.name for c in sorted(rows, key=sort_key)]
    rows[1] = box("a-crashy", "restarting")  # between two crashes
    assert [c.name for c in sorted(rows, key=sort_key)] == before == ["a-crashy", "b-web", "c-db", "z-old"]
