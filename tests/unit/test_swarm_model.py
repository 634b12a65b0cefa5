"""Swarm payloads (recorded shapes of dockerd 20.10's answers) into typed values; the update
column; a worker's answer; the main table's name for a task's container; the specs sent back."""

from __future__ import annotations

import pytest

from dockertui.engine.swarm import parse_details
from dockertui.model.containers import parse_container
from dockertui.model.swarm import (
    availability_spec,
    by_slot,
    forced_spec,
    group_stacks,
    iso_epoch,
    parse_node,
    parse_service,
    parse_swarm_role,
    parse_task,
    running_per_node,
    scaled_spec,
    task_display_name,
    update_progress,
    update_text,
)

SERVICE = {
    "ID": "v4fby125snwqmbtara3keu0ba",
    "Version": {"Index": 11},
    "CreatedAt": "2026-12-01T19:41:08.088668197Z",
    "UpdatedAt": "2026-12-01T19:41:08.088668197Z",
    "Spec": {
        "Name": "shop_web",
        "Labels": {"com.docker.stack.namespace": "shop"},
        "TaskTemplate": {"ContainerSpec": {"Image": "busybox:latest@sha256:abc"}, "ForceUpdate": 2},
        "Mode": {"Replicated": {"Replicas": 5}},
        "EndpointSpec": {"Mode": "vip"},
    },
    "Endpoint": {"Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"}]},
    "ServiceStatus": {"RunningTasks": 4, "DesiredTasks": 5},
    "UpdateStatus": {"State": "updating", "StartedAt": "2026-12-01T20:00:00Z", "Message": "update in progress"},
    "PreviousSpec": {"Name": "shop_web"},
}


def task(tid: str, slot: int, state: str = "running", desired: str = "running", created: str = "2026-12-01T20:00:05Z",
         node: str = "n1") -> dict:
    return {"ID": tid, "Version": {"Index": 3}, "CreatedAt": created, "ServiceID": SERVICE["ID"], "Slot": slot, "NodeID": node,
            "Status": {"Timestamp": created, "State": state, "Message": "started", "Err": "",
                       "ContainerStatus": {"ContainerID": "c" * 64}},
            "DesiredState": desired, "Spec": {"ContainerSpec": {"Image": "busybox:latest"}}}


def test_service_parsed() -> None:
    svc = parse_service(SERVICE)
    assert (svc.name, svc.stack, svc.mode, svc.replicas, svc.replicas_text) == ("shop_web", "shop", "replicated", 5, "4/5")
    assert svc.image == "busybox:latest" and svc.ports == ("8080->80/tcp",)
    assert svc.version == 11 and svc.force_update == 2 and svc.previous and svc.scalable
    assert svc.update is not None and svc.update.in_progress


def test_update_column_says_progress_pause_and_rollback() -> None:
    svc = parse_service(SERVICE)
    tasks = [parse_task(task("a", 1)), parse_task(task("b", 2)),
             parse_task(task("c", 3, created="2026-12-01T19:00:00Z")),  # before the update: old spec
             parse_task(task("d", 4, state="starting"))]
    assert update_progress(svc, tasks).done == 2
    assert update_text(svc, tasks) == "updating 2/5"
    paused = parse_service({**SERVICE, "UpdateStatus": {"State": "paused", "Message":
                            "update paused due to failure or early termination of task x"}})
    assert update_text(paused) == "paused: task failed"
    done = parse_service({**SERVICE, "UpdateStatus": {"State": "rollback_completed", "Message": "rollback completed"}})
    assert update_text(done) == "rollback completed"
    assert update_text(parse_service({**SERVICE, "UpdateStatus": None})) == ""


def test_global_service_and_odd_values() -> None:
    raw = {"ID": "g", "Spec": {"Name": "agent", "Mode": {"Global": {}}, "TaskTemplate": {}}, "ServiceStatus": {"RunningTasks": 3,
                                                                                                          "DesiredTasks": 3}}
    svc = parse_service(raw)
    assert (svc.mode, svc.replicas, svc.replicas_text, svc.scalable) == ("global", None, "3/3", False)
    with pytest.raises(ValueError):
        scaled_spec(svc, 2)
    assert iso_epoch("nonsense") == 0.0 and iso_epoch(None) == 0.0


def test_specs_sent_back_keep_everything_else() -> None:
    svc = parse_service(SERVICE)
    scaled = scaled_spec(svc, 7)
    assert scaled["Mode"] == {"Replicated": {"Replicas": 7}} and scaled["Labels"] == SERVICE["Spec"]["Labels"]
    forced = forced_spec(svc)
    assert forced["TaskTemplate"]["ForceUpdate"] == 3
    assert SERVICE["Spec"]["TaskTemplate"]["ForceUpdate"] == 2  # the read spec is untouched
    node = parse_node({"ID": "n1", "Version": {"Index": 9}, "Spec": {"Role": "manager", "Availability": "active", "Labels": {"a": "b"}},
                       "Description": {"Hostname": "vm\x1b[31m", "Engine": {"EngineVersion": "20.10"}},
                       "Status": {"State": "ready", "Addr": "127.0.0.1"}, "ManagerStatus": {"Leader": True}})
    assert node.hostname == "vm␛[31m" and node.leader and node.version == 9
    assert availability_spec(node, "drain") == {"Role": "manager", "Availability": "drain", "Labels": {"a": "b"}}
    with pytest.raises(ValueError):
        availability_spec(node, "off")


def test_tasks_by_slot_newest_first_and_per_node() -> None:
    tasks = [parse_task(task("old", 1, state="shutdown", desired="shutdown", created="2026-12-01T19:00:00Z")),
             parse_task(task("new", 1)), parse_task(task("two", 2, node="n2"))]
    assert [t.id for t in by_slot(tasks)] == ["new", "old", "two"]
    assert running_per_node(tasks) == {"n1": 1, "n2": 1}


def test_stacks_grouped() -> None:
    a = parse_service(SERVICE)
    b = parse_service({**SERVICE, "ID": "x", "Spec": {**SERVICE["Spec"], "Name": "shop_db", "Mode": {"Replicated": {"Replicas": 1}}},
                       "ServiceStatus": {"RunningTasks": 1, "DesiredTasks": 1}})
    c = parse_service({**SERVICE, "ID": "y", "Spec": {"Name": "lone", "Labels": {}}, "ServiceStatus": {"RunningTasks": 0,
                                                                                                       "DesiredTasks": 1}})
    stacks = group_stacks([a, b, c])
    assert [(s.name, s.services, s.running, s.desired) for s in stacks] == [
        ("shop", ("shop_db", "shop_web"), 5, 6), ("", ("lone",), 0, 1)]


def test_roles_manager_worker_none() -> None:
    manager = parse_swarm_role({"Swarm": {"LocalNodeState": "active", "ControlAvailable": True, "NodeID": "n1"}})
    assert manager.usable and manager.why_not() == ""
    worker = parse_swarm_role({"Swarm": {"LocalNodeState": "active", "ControlAvailable": False,
                                         "RemoteManagers": [{"NodeID": "m", "Addr": "10.0.0.1:2377"}]}})
    assert not worker.usable and "swarm worker" in worker.why_not() and "10.0.0.1:2377" in worker.why_not()
    assert "not part of a swarm" in parse_swarm_role({"Swarm": {"LocalNodeState": "inactive"}}).why_not()
    assert "not part of a swarm" in parse_swarm_role({}).why_not()
    assert "locked" in parse_swarm_role({"Swarm": {"LocalNodeState": "locked"}}).why_not()


def test_task_containers_are_named_by_service_and_slot() -> None:
    labels = {"com.docker.swarm.service.name": "web", "com.docker.swarm.task.name": "web.2.r4nd0m1d"}
    assert task_display_name(labels) == "web.2"
    assert task_display_name({"com.docker.swarm.service.name": "agent",
                              "com.docker.swarm.task.name": "agent.n216l8a8rf90tsj1vq3rl9y2q.t4sk"}) == "agent.n216l8a8rf90"
    assert task_display_name({}) == ""
    c = parse_container({"Id": "c1", "Names": ["/web.2.r4nd0m1d"], "Labels": labels})
    assert c.display_name == "web.2" and c.name == "web.2.r4nd0m1d"
    assert parse_container({"Id": "c2", "Names": ["/plain"]}).display_name == "plain"


def test_service_log_details() -> None:
    line = "com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s,com.docker.swarm.task.id=t1 hello world"
    assert parse_details(line) == ({"com.docker.swarm.node.id": "n1", "com.docker.swarm.service.id": "s",
                                    "com.docker.swarm.task.id": "t1"}, "hello world")
    assert parse_details("no details here") == ({}, "no details here")
