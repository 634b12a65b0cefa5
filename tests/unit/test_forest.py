"""The image forest: property tests over random layer families, and the rules one by one."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dockertui.model.containers import Container
from dockertui.model.forest import DANGLING, MISSING, ROOT, build_forest, containers_for, direct_counts
from dockertui.model.images import Image


def img(i: str, layers: str, tags: tuple[str, ...] = ("t",), parent: str = "", created: float = 0) -> Image:
    return Image(id=i, tags=tags if tags != ("t",) else (f"{i}:latest",), layers=tuple(layers), parent_id=parent, created=created)


def ctr(cid: str, image_id: str, state: str = "running") -> Container:
    return Container(id=cid, name=cid, image_id=image_id, image=image_id, state=state, status="", created=0)


@st.composite
def families(draw: st.DrawFn) -> list[Image]:
    n = draw(st.integers(min_value=0, max_value=40))
    images: list[Image] = []
    fresh = iter(range(10_000))
    for k in range(n):
        kind = draw(st.sampled_from(["root", "child", "child", "child", "sibling"])) if images else "root"
        if kind == "root":
            layers = tuple(f"L{next(fresh)}" for _ in range(draw(st.integers(0, 3))))
            builder = ""
        else:
            base = draw(st.sampled_from(images))
            builder = base.id
            layers = base.layers if kind == "sibling" else base.layers + tuple(f"L{next(fresh)}" for _ in range(draw(st.integers(1, 2))))
        hint = draw(st.sampled_from(["none", "builder", "random", "missing", "self"]))
        parent = {"none": "", "builder": builder, "missing": "sha256:gone", "self": f"i{k}"}.get(hint, "")
        if hint == "random" and images:
            parent = draw(st.sampled_from(images)).id
        tagged = draw(st.booleans())
        images.append(
            Image(id=f"i{k}", tags=(f"r{k}:latest",) if tagged else (), layers=layers, parent_id=parent,
                  created=float(draw(st.integers(0, 5))))
        )
    return images


@settings(max_examples=300, deadline=None)
@given(families(), st.booleans())
def test_every_image_once_and_parents_are_prefixes(images: list[Image], show_intermediate: bool) -> None:
    forest = build_forest(images, show_intermediate=show_intermediate)
    shown = [i for _, i in forest.walk()]
    everything = shown + list(forest.dangling) + sorted(forest.hidden)
    assert sorted(everything) == sorted(i.id for i in images)
    assert len(everything) == len(set(everything))
    if show_intermediate:
        assert not forest.hidden
    for child in shown:
        parent = forest.parent[child]
        if parent is not None:
            p, c = forest.images[parent].layers, forest.images[child].layers
            assert len(p) < len(c) and c[: len(p)] == p
    for d in forest.dangling:
        assert not forest.images[d].named


@settings(max_examples=100, deadline=None)
@given(families(), st.randoms(use_true_random=False))
def test_order_does_not_depend_on_input_order(images: list[Image], rnd: random.Random) -> None:
    shuffled = list(images)
    rnd.shuffle(shuffled)
    a, b = build_forest(images), build_forest(shuffled)
    assert list(a.walk()) == list(b.walk())
    assert a.dangling == b.dangling


def test_longest_prefix_wins_and_label_only_images_are_siblings() -> None:
    a = img("a", "1")
    b = img("b", "12", created=1)
    b_label = img("b2", "12", parent="b", created=2)  # LABEL-only child by ParentId: still a sibling
    c = img("c", "123", created=3)
    d = img("d", "124", parent="b", created=4)  # committed from a container of b
    forest = build_forest([d, c, b_label, b, a])
    assert list(forest.walk()) == [(0, "a"), (1, "b"), (2, "c"), (2, "d"), (1, "b2")]


def test_parent_id_is_honoured_when_its_layers_are_a_prefix() -> None:
    a = img("a", "1", created=0)
    a2 = img("a2", "1", created=1)  # same layers, newer
    child = img("c", "12", parent="a2", created=2)
    forest = build_forest([a, a2, child])
    assert forest.parent["c"] == "a2"
    # without the hint the oldest of the group is chosen
    assert build_forest([a, a2, img("c", "12", created=2)]).parent["c"] == "a"


def test_parent_id_pointing_at_a_longer_image_is_ignored() -> None:
    a = img("a", "1")
    b = img("b", "12", parent="c")
    c = img("c", "123", parent="b")  # a cycle in the hints cannot make a cycle in the tree
    forest = build_forest([a, b, c])
    assert forest.parent == {"a": None, "b": "a", "c": "b"}


def test_untagged_intermediates_hidden_and_dangling_grouped() -> None:
    base = img("base", "1")
    mid = img("mid", "12", tags=())  # untagged with a child: hidden
    leaf = img("leaf", "123")
    dangling = img("dang", "15", tags=())
    forest = build_forest([base, mid, leaf, dangling])
    assert forest.parent["leaf"] == "base"
    assert forest.hidden == {"mid"} and forest.owner == {"mid": "base"}
    assert forest.dangling == ("dang",)
    shown = build_forest([base, mid, leaf, dangling], show_intermediate=True)
    assert shown.parent["leaf"] == "mid" and shown.parent["mid"] == "base"


def test_digest_only_images_are_not_dangling() -> None:
    pulled = Image(id="p", digests=("repo@sha256:abc",), layers=("1",))
    assert build_forest([pulled]).roots() == ("p",)


def test_own_size_is_over_the_shown_parent() -> None:
    a = Image(id="a", tags=("a",), layers=("1",), size=100)
    b = Image(id="b", tags=("b",), layers=("1", "2"), size=130)
    forest = build_forest([a, b])
    assert forest.own_size("a") == 100 and forest.own_size("b") == 30


def test_containers_of_selection() -> None:
    a, b, c = img("a", "1"), img("b", "12"), img("c", "123")
    dang = img("x", "19", tags=())
    cs = [ctr("ca", "a"), ctr("cb", "b", "exited"), ctr("cc", "c"), ctr("cx", "x"), ctr("gone", "sha256:deleted")]
    forest = build_forest([a, b, c, dang])
    names = lambda sel, only=False: sorted(x.name for x in containers_for(forest, cs, sel, only))  # noqa: E731
    assert names(ROOT) == ["ca", "cb", "cc", "cx", "gone"]
    assert names("a") == ["ca", "cb", "cc"]
    assert names("a", only=True) == ["ca"]
    assert names("b") == ["cb", "cc"]
    assert names(MISSING) == ["gone"]
    assert names(DANGLING) == ["cx"]
    counts = direct_counts(forest, cs)
    assert (counts["b"].running, counts["b"].total) == (0, 1)
    assert counts[MISSING].total == 1


def test_containers_of_hidden_intermediate_count_for_owner() -> None:
    base, mid, leaf = img("base", "1"), img("mid", "12", tags=()), img("leaf", "123")
    forest = build_forest([base, mid, leaf])
    cs = [ctr("on-mid", "mid")]
    assert [c.name for c in containers_for(forest, cs, "base", only_this=True)] == ["on-mid"]
    assert direct_counts(forest, cs)["base"].total == 1


def test_empty_and_layerless_inputs() -> None:
    assert list(build_forest([]).walk()) == []
    forest = build_forest([Image(id="s", tags=("scratch-label",))])
    assert forest.roots() == ("s",)


def test_classic_build_steps_with_same_layers_do_not_steal_children() -> None:
    """As `docker images -a` lists a classic build: COPY and RUN steps add layers, LABEL/CMD/EXPOSE
    steps repeat them. The tagged image belongs under the tagged image it was built FROM."""
    steps = [
        Image(id="copy", layers=("1",), created=1),
        Image(id="run", layers=("1", "2"), parent_id="copy", created=2),
        Image(id="base", tags=("base:1",), layers=("1", "2"), parent_id="run", created=3),  # CMD step
        Image(id="mkdir", layers=("1", "2", "3"), parent_id="base", created=4),
        Image(id="expose", layers=("1", "2", "3"), parent_id="mkdir", created=5),
        Image(id="web", tags=("web:1",), layers=("1", "2", "3"), parent_id="expose", created=6),
        Image(id="old", layers=("1", "2", "9"), parent_id="base", created=7),  # untagged, nobody's parent
    ]
    shown = build_forest(steps, show_intermediate=True)
    assert shown.parent["web"] == "base" and shown.parent["base"] == "copy"
    assert shown.dangling == ("old",), "build steps are intermediates, not dangling"
    default = build_forest(steps)
    assert default.roots() == ("base",) and default.kids("base") == ("web",)
    assert default.hidden == {"copy", "run", "mkdir", "expose"}


def test_without_hints_a_named_image_of_the_group_is_the_parent() -> None:
    step = Image(id="step", layers=("1",), created=1)  # older, untagged, same layers
    base = Image(id="base", tags=("base:1",), layers=("1",), created=2)
    child = Image(id="child", tags=("child:1",), layers=("1", "2"), created=3)
    assert build_forest([step, base, child], show_intermediate=True).parent["child"] == "base"
