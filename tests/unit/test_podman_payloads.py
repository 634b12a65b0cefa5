"""Recorded real payloads from Podman 4.3's Docker-compatible API (tests/fixtures/podman/README.md)
build the same kind of tree: bare-hex ParentId, null RepoTags, localhost/ names."""

from __future__ import annotations

import json
from pathlib import Path

from dockertui.model.containers import parse_container
from dockertui.model.forest import DANGLING, build_forest, containers_for
from dockertui.model.images import layers_of, norm_id, parse_image
from dockertui.model.system import parse_system

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "podman"


def load(name: str):  # noqa: ANN201
    return json.loads((FIX / name).read_text())


def forest_from(listing: str):  # noqa: ANN201
    images = []
    for summary in load(listing):
        inspect = load(f"inspect/{norm_id(summary['Id']).removeprefix('sha256:')}.json")
        images.append(parse_image(summary, layers_of(inspect)))
    return build_forest(images)


def test_podman_family_tree() -> None:
    forest = forest_from("images.json")
    by_tag = {t: i for i, im in forest.images.items() for t in im.tags}
    base, child, grand = by_tag["localhost/pr/base:1"], by_tag["localhost/pr/child:1"], by_tag["localhost/pr/grand:1"]
    label, committed = by_tag["localhost/pr/child:label"], by_tag["localhost/pr/committed:1"]
    assert forest.roots() == (base,)
    assert forest.parent[child] == base
    assert forest.parent[grand] == child and forest.parent[committed] == child
    assert forest.parent[label] == base, "same layers as child: a sibling, although ParentId names child"
    assert len(forest.dangling) == 1
    assert all(forest.images[i].parent_id.startswith("sha256:") for i in forest.images if forest.images[i].parent_id)


def test_podman_containers_follow_the_tree() -> None:
    forest = forest_from("images.json")
    containers = [parse_container(c) for c in load("containers.json")]
    by_tag = {t: i for i, im in forest.images.items() for t in im.tags}
    names = {c.name for c in containers_for(forest, containers, by_tag["localhost/pr/base:1"])}
    assert {"rec-running", "rec-exited", "rec-created"} <= names
    assert {c.name for c in containers_for(forest, containers, DANGLING)} == set()


def test_podman_intermediates_hidden_by_default() -> None:
    forest = forest_from("images_all.json")
    assert len(forest.hidden) == 2  # the build's untagged intermediates
    assert forest.roots() and all(forest.images[r].named for r in forest.roots())


def test_podman_version_is_recognised() -> None:
    assert parse_system(load("version.json"), load("info.json")).product == "Podman"
