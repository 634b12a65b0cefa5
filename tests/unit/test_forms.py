"""The commit, tag and run forms' parsing: good input becomes an Engine API body, bad input a
sentence for its field."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from dockertui.model.forms import FormError, PortSpec, parse_pairs, parse_ports, parse_ref, parse_restart, parse_volumes, run_body, run_defaults


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("myapp", ("myapp", "latest")),
        ("myapp:1.0", ("myapp", "1.0")),
        ("127.0.0.1:5000/team/app:v2", ("127.0.0.1:5000/team/app", "v2")),
        ("localhost:5000/app", ("localhost:5000/app", "latest")),
    ],
)
def test_refs(text: str, expected: tuple[str, str]) -> None:
    assert parse_ref(text) == expected


@pytest.mark.parametrize("text", ["", "MyApp", "app:", "app:bad tag", "a@sha256:00", "-app"])
def test_bad_refs_say_why(text: str) -> None:
    with pytest.raises(FormError) as err:
        parse_ref(text, "ref")
    assert err.value.field == "ref" and err.value.message


def test_ports_in_every_docker_style() -> None:
    assert parse_ports("80, 8080:80 127.0.0.1:9000:90/udp 127.0.0.1::70 [::1]:8443:443") == [
        PortSpec(80), PortSpec(80, "tcp", 8080), PortSpec(90, "udp", 9000, "127.0.0.1"), PortSpec(70, "tcp", None, "127.0.0.1"),
        PortSpec(443, "tcp", 8443, "::1"),
    ]


@pytest.mark.parametrize("text", ["80:", "abc", "70000", "1:2:3:4", "80/xyz", "0"])
def test_bad_ports(text: str) -> None:
    with pytest.raises(FormError) as err:
        parse_ports(text)
    assert err.value.field == "ports" and text.split(":")[0] in err.value.message or err.value.message


def test_pairs_volumes_restart() -> None:
    assert parse_pairs('A=1 B="two words" C', "env") == {"A": "1", "B": "two words", "C": ""}
    assert [(m.source, m.target, m.read_only) for m in parse_volumes("/srv:/data:ro cache:/cache")] == [
        ("/srv", "/data", True), ("cache", "/cache", False)]
    assert parse_restart("on-failure:3") == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert parse_restart("") == {"Name": ""}
    for bad, field in (("relative:/x", None), ("/x:data", "volumes")):
        if field:
            with pytest.raises(FormError):
                parse_volumes(bad)
    with pytest.raises(FormError):
        parse_restart("sometimes")
    with pytest.raises(FormError):
        parse_restart("always:3")


def test_run_body() -> None:
    name, body = run_body("demo/web:latest", {"name": "web1", "command": "httpd -f -p 8080", "ports": "127.0.0.1::8080",
                                              "env": "MODE=prod", "labels": "team=a", "volumes": "", "restart": "unless-stopped"})
    assert name == "web1"
    assert body["Cmd"] == ["httpd", "-f", "-p", "8080"]
    assert body["ExposedPorts"] == {"8080/tcp": {}}
    assert body["HostConfig"]["PortBindings"] == {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]}
    assert body["HostConfig"]["RestartPolicy"] == {"Name": "unless-stopped"}
    assert body["Env"] == ["MODE=prod"] and body["Labels"] == {"team": "a"}
    with pytest.raises(FormError) as err:
        run_body("x", {"name": "bad name!"})
    assert err.value.field == "name"
    assert run_defaults({"Cmd": ["httpd", "-f"], "ExposedPorts": {"8080/tcp": {}}})["ports"] == "8080"


@given(st.dictionaries(st.sampled_from(["name", "command", "ports", "env", "labels", "volumes", "restart"]), st.text(max_size=40)))
def test_the_run_form_never_crashes(values: dict[str, str]) -> None:
    try:
        run_body("img", values)
    except FormError as exc:
        assert exc.field in values and exc.message
