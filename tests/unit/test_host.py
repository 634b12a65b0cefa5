"""HostState: one engine's state outside any screen; listings and refresh answers in, changes out."""

from __future__ import annotations

from dockertui.model.actions import STOP
from dockertui.model.containers import parse_container
from dockertui.model.events import Refresh
from dockertui.model.host import HostState
from dockertui.model.images import parse_image
from dockertui.model.system import SystemInfo

INFO = SystemInfo("id", "host", "20.10", "1.41", "linux", "amd64", 2, 1, 1)
IMG = parse_image({"Id": "sha256:" + "a" * 64, "RepoTags": ["base:1"], "Created": 1, "Size": 5}, ["sha256:l1"])


def container(cid: str, state: str = "running", status: str = "Up 1 second") -> object:
    return parse_container({"Id": cid * 64, "Names": [f"/{cid}"], "Image": "base:1", "ImageID": IMG.id, "State": state,
                            "Status": status, "Created": 1})


def test_first_listing_then_only_what_differs() -> None:
    state = HostState()
    a, b = container("a"), container("b", "exited", "Exited (0) 1 second ago")
    first = state.load(INFO, [IMG], [a, b])
    assert first.first and first.images and first.containers == {a.id, b.id}
    again = state.load(INFO, [IMG], [a, b])
    assert not again  # nothing changed: nothing to redraw
    b2 = container("b")
    later = state.load(INFO, [IMG], [a, b2])
    assert not later.images and later.containers == {b.id}
    assert state.counts == (2, 2)


def test_refresh_answers_name_what_changed() -> None:
    state = HostState()
    a, b = container("a"), container("b")
    state.load(INFO, [IMG], [a, b])
    change = state.apply(Refresh(containers=frozenset({a.id}), gone_containers=frozenset({b.id})), [container("a", "exited")], {})
    assert change.containers == {a.id, b.id} and not change.images
    assert b.id not in state.containers and state.containers[a.id].state == "exited"
    gone = state.apply(Refresh(images=frozenset({IMG.id})), [], {IMG.id: None})
    assert gone.images and IMG.id not in state.forest.images


def test_an_action_in_progress_and_its_end() -> None:
    state = HostState()
    a = container("a")
    state.load(INFO, [IMG], [a])
    state.begin(a.id, STOP.doing)
    assert state.busy(a.id) == "stopping…"
    state.end(a.id, failed=True)  # the engine refused or went away: nothing will change
    assert state.busy(a.id) is None and a.id not in state.doing
    state.begin(a.id, STOP.doing)
    state.end(a.id, failed=False)  # done: the note stays until the re-read says what happened
    assert a.id in state.doing and state.busy(a.id) is None
    state.apply(Refresh(containers=frozenset({a.id})), [container("a", "exited")], {})
    assert a.id not in state.doing


def test_a_reconnect_listing_clears_notes_of_calls_that_ended() -> None:
    state = HostState()
    a = container("a")
    state.load(INFO, [IMG], [a])
    state.begin(a.id, STOP.doing)
    state.end(a.id, failed=False)
    state.load(INFO, [IMG], [a])
    assert not state.doing
