from __future__ import annotations

from dockertui.model.containers import Port, format_ports, parse_container
from dockertui.model.fmt import human_age, human_size, short_id
from dockertui.model.images import norm_id, parse_image
from dockertui.model.system import parse_system


def test_human_size_matches_docker_cli() -> None:
    assert human_size(0) == "0B"
    assert human_size(999) == "999B"
    assert human_size(1985472) == "1.99MB"
    assert human_size(1_500_000_000) == "1.5GB"


def test_human_age() -> None:
    assert [human_age(0, s) for s in (5, 125, 7200, 3 * 86400, 30 * 86400, 800 * 86400)] == ["5s", "2m", "2h", "3d", "4w", "2y"]
    assert human_age(10, 5) == "0s"


def test_ids() -> None:
    assert short_id("sha256:" + "a" * 64) == "a" * 12
    assert norm_id("b" * 64) == "sha256:" + "b" * 64
    assert norm_id("sha256:x") == "sha256:x" and norm_id(None) == ""


def test_ports_dedupe_ipv4_ipv6_and_show_unpublished() -> None:
    ports = [Port(80, "tcp", 8080, "0.0.0.0"), Port(80, "tcp", 8080, "::"), Port(443, "tcp"), Port(53, "udp", 5353, "127.0.0.1")]
    assert format_ports(ports) == "127.0.0.1:5353->53/udp, 8080->80/tcp, 443/tcp"


def test_parse_container_from_real_payload_shape() -> None:
    raw = {
        "Id": "cb70", "Names": ["/demo-web"], "Image": "demo/web:latest", "ImageID": "sha256:7379",
        "Command": "httpd -f", "Created": 1795325537, "State": "running", "Status": "Up 5 minutes",
        "Ports": [{"IP": "127.0.0.1", "PrivatePort": 8080, "PublicPort": 32768, "Type": "tcp"}],
        "Labels": {"com.docker.compose.project": "shop"},
    }
    c = parse_container(raw)
    assert (c.name, c.state, c.ports_text, c.compose_project, c.running) == (
        "demo-web", "running", "127.0.0.1:32768->8080/tcp", "shop", True)


def test_parse_image_drops_none_tags() -> None:
    im = parse_image({"Id": "sha256:1", "RepoTags": ["<none>:<none>"], "RepoDigests": ["<none>@<none>"], "Created": 5, "Size": 3}, ["l1"], 5.25)
    assert (im.tags, im.digests, im.named, im.title, im.created, im.layers) == ((), (), False, "<none>", 5.25, ("l1",))


def test_parse_system_knows_podman() -> None:
    version = {"Version": "4.3.1", "ApiVersion": "1.41", "Components": [{"Name": "Podman Engine"}]}
    info = parse_system(version, {"ID": "x", "Name": "box", "DockerRootDir": "/var/lib/containers/storage"})
    again = parse_system(version, {"ID": "y", "Name": "box", "DockerRootDir": "/var/lib/containers/storage"})
    assert info.product == "Podman" and info.engine_id == again.engine_id, "Podman's ID changes on every call: not the key"
    assert info.engine_id.startswith("podman-box-")
    elsewhere = parse_system(version, {"ID": "x", "Name": "box", "DockerRootDir": "/srv/storage"})
    assert elsewhere.engine_id != info.engine_id
    docker_info = parse_system({"Version": "20.10", "ApiVersion": "1.41"}, {"ID": "ABCD"})
    assert docker_info.product == "Docker" and docker_info.engine_id == "ABCD"
