from dockertui.model.events import parse_event, plan_refresh


def ev(type_: str, action: str, actor: str, t: int = 1):  # noqa: ANN201
    return parse_event({"Type": type_, "Action": action, "Actor": {"ID": actor, "Attributes": {"name": "x"}}, "timeNano": t})


def test_parse_real_event_shapes() -> None:
    e = parse_event({"status": "die", "id": "abc", "Type": "container", "Action": "die",
                     "Actor": {"ID": "abc", "Attributes": {"exitCode": "3"}}, "time": 1795325536, "timeNano": 1795325536123456789})
    assert (e.type, e.action, e.actor_id, e.attributes["exitCode"]) == ("container", "die", "abc", "3")
    assert e.since == "1795325536.123456789"
    health = parse_event({"Type": "container", "Action": "health_status: unhealthy", "Actor": {"ID": "a"}})
    assert health.action == "health_status" and health.attributes["health_status"] == "unhealthy"


def test_a_burst_reads_each_object_once() -> None:
    burst = [ev("container", a, "c1") for a in ("create", "start", "die", "stop")] + [ev("container", "start", "c2")]
    burst += [ev("image", "tag", "i1"), ev("image", "untag", "i1"), ev("network", "connect", "n1")]
    plan = plan_refresh(burst)
    assert plan.containers == {"c1", "c2"} and plan.images == {"i1"} and not plan.gone_containers


def test_network_connect_rereads_the_container_it_names() -> None:
    connect = parse_event({"Type": "network", "Action": "connect", "Actor": {"ID": "n1", "Attributes": {"container": "c9", "name": "demo-net"}}})
    assert plan_refresh([connect]).containers == {"c9"}
    assert not plan_refresh([parse_event({"Type": "volume", "Action": "create", "Actor": {"ID": "v1"}})])


def test_destroy_wins_over_earlier_changes_and_create_after_destroy_revives() -> None:
    plan = plan_refresh([ev("container", "start", "c1"), ev("container", "destroy", "c1")])
    assert plan.gone_containers == {"c1"} and not plan.containers
    plan = plan_refresh([ev("container", "destroy", "c1"), ev("container", "create", "c1")])
    assert plan.containers == {"c1"} and not plan.gone_containers
    assert not plan_refresh([ev("container", "exec_start", "c1")])
