"""Inspect payloads: secrets masked, the tree's nodes, search."""

from __future__ import annotations

from dockertui.model.jsontree import MASK, mask, search, walk

PAYLOAD = {
    "Id": "abc",
    "Config": {"Env": ["PATH=/bin", "SECRET_TOKEN=hunter2", "EMPTY"], "Labels": {"db_password": "pw", "team": "a"}},
    "HostConfig": {"RestartPolicy": {"Name": "always", "MaximumRetryCount": 0}, "Privileged": False},
    "Mounts": [],
}


def test_env_values_and_secret_labels_are_masked_and_the_rest_kept() -> None:
    masked = mask(PAYLOAD)
    assert masked["Config"]["Env"] == ["PATH=" + MASK, "SECRET_TOKEN=" + MASK, "EMPTY"]
    assert masked["Config"]["Labels"] == {"db_password": MASK, "team": "a"}
    assert masked["HostConfig"] == PAYLOAD["HostConfig"]
    assert PAYLOAD["Config"]["Env"][1] == "SECRET_TOKEN=hunter2", "the original is untouched"


def test_walk_labels_and_search() -> None:
    nodes = list(walk(PAYLOAD))
    labels = [n.label for n in nodes]
    assert labels[:3] == ["Id: abc", "Config {2}", "Env [3]"]
    assert "Privileged: false" in labels and "Mounts [0]" in labels
    hits = search(nodes, "restartpolicy")
    assert [nodes[i].path for i in hits] == [("HostConfig", "RestartPolicy")]
    assert search(nodes, "") == []
