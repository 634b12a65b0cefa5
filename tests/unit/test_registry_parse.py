"""The registry client's pure parts: challenges, repository names, loopback, tag lists."""

from __future__ import annotations

import pytest

from dockertui.engine.errors import EngineError
from dockertui.engine.registry import insecure_from_info, is_loopback, parse_challenge, parse_tags, split_repository


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


def test_insecure_registries_as_the_engine_says() -> None:
    # the shape of dockerd 20.10's /info RegistryConfig
    info = {"RegistryConfig": {"InsecureRegistryCIDRs": ["127.0.0.0/8", "10.9.0.0/16"],
                               "IndexConfigs": {"docker.io": {"Name": "docker.io", "Secure": True},
                                                "lan.example:5000": {"Name": "lan.example:5000", "Secure": False}}}}
    assert insecure_from_info(info, "lan.example:5000") is True
    assert insecure_from_info(info, "docker.io") is False
    assert insecure_from_info(info, "127.0.0.1:41234") is True
    assert insecure_from_info(info, "10.9.3.4:5000") is True
    assert insecure_from_info(info, "10.8.3.4:5000") is None
    assert insecure_from_info(info, "other.example") is None
    assert insecure_from_info({}, "127.0.0.1:5000") is None
    assert insecure_from_info({"RegistryConfig": {"InsecureRegistryCIDRs": ["bad"]}}, "127.0.0.1") is None
