"""The registry client's pure parts: challenges, repository names, loopback, tag lists."""

from __future__ import annotations

import pytest

from dockertui.engine.errors import EngineError
from dockertui.engine.registry import is_loopback, parse_challenge, parse_tags, split_repository


def test_challenges() -> None:
    c = parse_challenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"')
    assert c is not None and c.scheme == "bearer"
    assert c.params == {"realm": "https://auth.docker.io/token", "service": "registry.docker.io", "scope": "repository:library/busybox:pull"}
    basic = parse_challenge('Basic realm="dockertui-test"')
    assert basic is not None and basic.scheme == "basic" and basic.params == {"realm": "dockertui-test"}
    assert parse_challenge("") is None


def test_repositories() -> None:
    assert split_repository("busybox") == ("docker.io", "library/busybox")
    assert split_repository("busybox:1.36") == ("docker.io", "library/busybox")
    assert split_repository("team/app:1") == ("docker.io", "team/app")
    assert split_repository("127.0.0.1:5000/team/app:2") == ("127.0.0.1:5000", "team/app")
    assert split_repository("127.0.0.1:5000/team/app") == ("127.0.0.1:5000", "team/app")
    assert split_repository("localhost/app@sha256:" + "0" * 64) == ("localhost", "app")


def test_loopback() -> None:
    assert is_loopback("127.0.0.1:5000") and is_loopback("127.1.2.3") and is_loopback("localhost:5000") and is_loopback("[::1]:5000")
    assert not is_loopback("registry.example.com:5000") and not is_loopback("docker.io") and not is_loopback("10.0.0.1:5000")


def test_tag_lists() -> None:
    assert parse_tags({"name": "x", "tags": ["2", "1"]}, "x") == ["2", "1"]
    assert parse_tags({"name": "x", "tags": None}, "x") == []
    with pytest.raises(EngineError):
        parse_tags(["1"], "x")
    with pytest.raises(EngineError):
        parse_tags({"tags": "1"}, "x")
