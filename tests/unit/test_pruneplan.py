"""The prune preview's rules and the re-check before each removal."""

from __future__ import annotations

from dockertui.model.pruneplan import Now, PruneItem, disk_summary, plan_prune, still_prunable

DF = {
    "LayersSize": 5000,
    "Images": [
        {"Id": "sha256:base", "RepoTags": ["base:1"], "ParentId": "", "Size": 1000, "SharedSize": 0, "Containers": 0},
        {"Id": "sha256:app", "RepoTags": ["app:1"], "ParentId": "sha256:base", "Size": 1200, "SharedSize": 1000, "Containers": 1},
        {"Id": "sha256:old", "RepoTags": ["<none>:<none>"], "ParentId": "", "Size": 300, "SharedSize": 0, "Containers": 0},
        {"Id": "sha256:lone", "RepoTags": ["lone:1"], "ParentId": "", "Size": 50, "SharedSize": 0, "Containers": 1},
    ],
    "Containers": [
        {"Id": "c-run", "Names": ["/web"], "ImageID": "sha256:app", "State": "running", "NetworkSettings": {"Networks": {"front": {}}}},
        {"Id": "c-done", "Names": ["/batch"], "ImageID": "sha256:lone", "State": "exited", "SizeRw": 10,
         "NetworkSettings": {"Networks": {"back": {}}}},
        {"Id": "c-paused", "Names": ["/p"], "ImageID": "sha256:app", "State": "paused"},
    ],
    "Volumes": [{"Name": "v-free", "UsageData": {"RefCount": 0, "Size": 70}}, {"Name": "v-used", "UsageData": {"RefCount": 1, "Size": 5}}],
    "BuildCache": [{"ID": "b1", "InUse": False, "Size": 40, "Type": "regular"}],
}
NETWORKS = [{"Id": "n-front", "Name": "front"}, {"Id": "n-back", "Name": "back"}, {"Id": "n-idle", "Name": "idle"}, {"Id": "n-br", "Name": "bridge"}]


def test_the_preview() -> None:
    plan = plan_prune(DF, NETWORKS)
    by = {(i.category, i.name) for i in plan.items}
    assert by == {("containers", "batch"), ("dangling", "old"), ("images", "lone:1"), ("networks", "back"), ("networks", "idle"),
                  ("volumes", "v-free"), ("build-cache", "b1")}
    # base is app's parent, app is used, paused is not stopped; off by default: unused images, volumes
    assert {i.category for i in plan.chosen()} == {"containers", "dangling", "networks", "build-cache"}
    assert plan.total() == 10 + 300 + 40
    assert plan.toggle_category("volumes").total() == 420
    assert plan.toggle_item("c-done").total() == 340
    details = {i.name: i.detail for i in plan.items}
    assert details["lone:1"] == "used only by batch, removed above"  # not "no container uses it"


def test_an_ancestor_through_intermediates_is_never_unused() -> None:
    df = {"Images": [
        {"Id": "sha256:base", "RepoTags": ["base:1"], "ParentId": "", "Size": 1, "Containers": 0},
        {"Id": "sha256:step", "RepoTags": [], "ParentId": "sha256:base", "Size": 1, "Containers": 0},
        {"Id": "sha256:top", "RepoTags": ["top:1"], "ParentId": "sha256:step", "Size": 1, "Containers": 0},
    ], "Containers": []}
    assert [(i.category, i.name) for i in plan_prune(df, []).items] == [("images", "top:1")]
    # df leaves the build step out; the full image list has it
    step = df["Images"].pop(1)
    assert [i.name for i in plan_prune(df, []).items] == ["base:1", "top:1"]
    assert [i.name for i in plan_prune(df, [], all_images=[step]).items] == ["top:1"]


def test_only_label_narrows_everything() -> None:
    df = {**DF, "Containers": [{**c, "Labels": {"t": "1"} if c["Id"] == "c-done" else {}} for c in DF["Containers"]]}
    plan = plan_prune(df, NETWORKS, only_label="t=1")
    assert [(i.category, i.name) for i in plan.items] == [("containers", "batch")]


def test_recheck_before_removal() -> None:
    item = PruneItem("containers", "c-done", "batch", 10)
    assert still_prunable(item, Now(), {"State": {"Status": "exited"}}) is None
    assert still_prunable(item, Now(), {"State": {"Status": "running"}}) == "it is running now"
    assert still_prunable(item, Now(), None) == "gone already"
    image = PruneItem("dangling", "sha256:old", "old", 300)
    now = Now([{"Id": "new", "Names": ["/late"], "ImageID": "sha256:old"}])
    assert still_prunable(image, now, {"RepoTags": []}) == "now used by container late"
    now.removed.add("new")
    assert still_prunable(image, now, {"RepoTags": []}) is None
    assert still_prunable(image, Now(), {"RepoTags": ["x:1"]}) == "tagged since: x:1"


def test_disk_summary() -> None:
    rows = {r.kind: r for r in disk_summary(DF)}
    assert (rows["Images"].total, rows["Images"].active, rows["Images"].size) == (4, 2, 5000)
    assert rows["Images"].reclaimable == 1000 + 300
    assert (rows["Containers"].active, rows["Containers"].reclaimable) == (1, 10)
    assert (rows["Local volumes"].size, rows["Local volumes"].reclaimable) == (75, 70)
    assert rows["Build cache"].reclaimable == 40
