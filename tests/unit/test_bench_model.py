from bench.model import bench_forest, synthetic_images
from dockertui.model.forest import build_forest


def test_synthetic_host_has_deep_families_and_untagged_images() -> None:
    images = synthetic_images(600)
    forest = build_forest(images, show_intermediate=True)
    depths = [d for d, _ in forest.walk()]
    assert len(images) == 600 and 3 <= max(depths) <= 6
    assert any(not i.named for i in images) and any(i.named for i in images)


def test_bench_forest_reports_figures() -> None:
    figures = bench_forest(n=200, runs=2)
    assert figures["images"] == 200 and 0 < figures["median_ms"] <= figures["max_ms"]
