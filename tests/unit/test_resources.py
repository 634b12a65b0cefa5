"""Volumes and networks with the containers that use them, from list payloads shaped like the
engine's (API 1.41)."""

from __future__ import annotations

from dockertui.model.resources import parse_networks, parse_volumes, unused_networks, unused_volumes

CONTAINERS = [
    {"Id": "c1" * 32, "Names": ["/web"], "Mounts": [{"Type": "volume", "Name": "data"}, {"Type": "bind", "Source": "/srv"}],
     "NetworkSettings": {"Networks": {"demo-net": {"NetworkID": "n1"}}}},
    {"Id": "c2" * 32, "Names": ["/batch"], "Mounts": [{"Type": "volume", "Name": "data"}],
     "NetworkSettings": {"Networks": {"none": {"NetworkID": "n0"}}}},
]


def test_volumes_know_their_users() -> None:
    raw = {"Volumes": [{"Name": "data", "Driver": "local"}, {"Name": "f" * 64, "Driver": "local"}, {"Name": "spare", "Driver": "local"}]}
    vols = parse_volumes(raw, CONTAINERS)
    assert [(v.name, v.users) for v in vols] == [("data", ("batch", "web")), ("spare", ()), ("f" * 64, ())]
    assert vols[-1].anonymous and not vols[0].anonymous
    assert [v.name for v in unused_volumes(vols)] == ["spare", "f" * 64]


def test_networks_know_their_users_and_never_offer_predefined_ones() -> None:
    raw = [
        {"Id": "n0", "Name": "none", "Driver": "null"},
        {"Id": "n1", "Name": "demo-net", "Driver": "bridge", "IPAM": {"Config": [{"Subnet": "172.30.0.0/16"}]}},
        {"Id": "n2", "Name": "idle-net", "Driver": "bridge"},
        {"Id": "n3", "Name": "host", "Driver": "host"},
    ]
    nets = parse_networks(raw, CONTAINERS)
    assert [n.name for n in nets] == ["host", "none", "demo-net", "idle-net"]
    assert nets[2].users == ("web",) and nets[2].subnet == "172.30.0.0/16"
    assert [n.name for n in unused_networks(nets)] == ["idle-net"]


def test_removal_plans_offer_only_what_can_succeed() -> None:
    from dockertui.model.removal import plan_network_removal, plan_volume_removal

    states = [dict(c, State=s) for c, s in zip(CONTAINERS, ("running", "exited"))]
    data = parse_volumes({"Volumes": [{"Name": "data"}, {"Name": "spare"}]}, states)[0]
    plan = plan_volume_removal(data, "data")
    assert plan.blocked and plan.items == ("container batch (exited)", "container web (running)") and not plan.remove_holders
    stopped = parse_volumes({"Volumes": [{"Name": "data"}]}, [dict(c, State="exited") for c in CONTAINERS])[0]
    plan = plan_volume_removal(stopped, "data")
    assert not plan.blocked and [h.name for h in plan.remove_holders] == ["batch", "web"] and not plan.option
    assert plan.items[-1] == "volume data: removed"
    assert not plan_volume_removal(parse_volumes({"Volumes": [{"Name": "spare"}]}, states)[0], "spare").remove_holders

    nets = parse_networks([{"Id": "n1", "Name": "demo-net"}], states)
    assert plan_network_removal(nets[0]).blocked  # web runs on it
    nets = parse_networks([{"Id": "n1", "Name": "demo-net"}], [dict(CONTAINERS[0], State="exited")])
    plan = plan_network_removal(nets[0])
    assert not plan.blocked and plan.option and [h.name for h in plan.remove_holders] == ["web"]


def test_image_removal_offers_only_what_the_engine_does() -> None:
    from dockertui.model.removal import plan_image_removal
    from dockertui.model.resources import Holder

    plain = plan_image_removal("app:1", ("app:1", "app:2"), [], [], force=False)
    assert not plain.force and not plain.blocked and plain.title == "Remove image app:1?"
    assert plain.items == ("image app:1", "tag app:2")
    many = plan_image_removal("app:1", ("app:1", "other/app:1"), [], ["child:1"], force=False)
    assert many.force and "2 repositories" in many.title and "parent of child:1" in many.items
    stopped = plan_image_removal("app:1", ("app:1",), [Holder("c" * 64, "web", "exited")], [], force=False)
    assert stopped.force and stopped.option and [h.name for h in stopped.remove_holders] == ["web"]
    running = plan_image_removal("app:1", ("app:1",), [Holder("c" * 64, "web", "running")], [], force=True)
    assert running.blocked and running.items == ("image app:1", "container web (running)")
