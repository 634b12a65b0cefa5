"""Object IDs in the engine's refusals read as names (else short IDs): model.ids."""

from __future__ import annotations

from dockertui.model.host import HostState
from dockertui.model.ids import known_names, name_ids, short_id
from dockertui.model.images import Image
from dockertui.model.system import SystemInfo

C = "3f2a" + "1" * 60
I = "9c7a" + "2" * 60
OTHER = "abcdef" + "3" * 58
REFUSAL = f'conflict: unable to remove repository reference "app:1" (must force) - container {C} is using its referenced image {I}'


def test_full_ids_become_names_where_known_else_short_ids() -> None:
    names = {C: "web", I: "app:1"}
    assert name_ids(REFUSAL, names) == (
        'conflict: unable to remove repository reference "app:1" (must force) - container web is using its referenced image app:1')
    assert name_ids(REFUSAL, {}) == (
        'conflict: unable to remove repository reference "app:1" (must force) - container 3f2a11111111 is using its referenced image 9c7a22222222')
    assert name_ids(REFUSAL) == name_ids(REFUSAL, {})


def test_the_sha256_prefix_and_brackets_are_handled() -> None:
    assert name_ids(f"remove data: volume is in use - [{C}]", {C: "web"}) == "remove data: volume is in use - [web]"
    assert name_ids(f"image sha256:{I} is in use", {}) == "image 9c7a22222222 is in use"
    assert name_ids(f"image sha256:{I} is in use", {I: "app:1"}) == "image app:1 is in use"


def test_the_engines_own_short_ids_are_named_when_exactly_one_known_id_starts_so() -> None:
    text = f"conflict: unable to delete {I[:12]} (must be forced) - image is being used by stopped container {C[:12]}"
    assert name_ids(text, {C: "web", I: "app:1"}) == (
        "conflict: unable to delete app:1 (must be forced) - image is being used by stopped container web")
    assert name_ids(text, {}) == text  # unknown short IDs stay as they are
    # a cut longer than 12 (our own "image sha256:…"[:40]) is shortened
    assert name_ids(f"Conflict on image sha256:{I[:33]}: x", {}) == "Conflict on image 9c7a22222222: x"


def test_what_is_no_id_stays() -> None:
    for text in ("copied 123456789012345 bytes", "port 8080 in use", f"word{C}", f"{C}x", "deadbeef", "a" * 65):
        assert name_ids(text, {}) == text
    assert name_ids("line one\nline two", {}) == "line one\nline two"


def test_an_ambiguous_short_id_is_not_named() -> None:
    twin = C[:12] + "9" * 52
    assert name_ids(f"container {C[:12]}", {C: "web", twin: "db"}) == f"container {C[:12]}"


def test_short_id_and_known_names() -> None:
    assert short_id(f"sha256:{I}") == I[:12] == short_id(I)
    names = known_names([(C, "web")], [(f"sha256:{I}", "app:1"), (f"sha256:{OTHER}", "<none>")])
    assert names == {C: "web", I: "app:1"}


def test_a_host_names_its_containers_and_images() -> None:
    from dockertui.model.containers import Container

    state = HostState()
    container = Container(id=C, name="web", image="app:1", image_id=f"sha256:{I}", state="exited", status="Exited (0)", created=0.0)
    info = SystemInfo("id", "host", "20.10", "1.41", "linux", "x86_64", 1, 0, 1)
    state.load(info, [Image(id=f"sha256:{I}", tags=("app:1",))], [container])
    assert name_ids(REFUSAL, state.id_names()).endswith("container web is using its referenced image app:1")
