"""Where a push goes, read as the docker CLI reads a reference (model.refs)."""

from __future__ import annotations

import pytest

from dockertui.model.refs import destination


@pytest.mark.parametrize("ref, full, public", [
    ("app:1", "docker.io/library/app:1", True),
    ("app", "docker.io/library/app:latest", True),
    ("team/app:2", "docker.io/team/app:2", True),
    ("docker.io/app:1", "docker.io/library/app:1", True),
    ("index.docker.io/team/app:1", "docker.io/team/app:1", True),
    ("127.0.0.1:5000/team/app:1", "127.0.0.1:5000/team/app:1", False),
    ("localhost/app", "localhost/app:latest", False),
    ("localhost:5000/app:3", "localhost:5000/app:3", False),
    ("ghcr.io/org/app:v1.2", "ghcr.io/org/app:v1.2", False),
    ("registry.example.com:8443/a/b/c:x", "registry.example.com:8443/a/b/c:x", False),
])
def test_the_destination_of_a_reference(ref: str, full: str, public: bool) -> None:
    d = destination(ref)
    assert d.full == full and d.public is public
