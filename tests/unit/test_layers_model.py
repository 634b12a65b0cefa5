"""The layers model on archives made here with tarfile: the push tar parser against tarfile's own
reading, classic and OCI image archives (gzip layers included), whiteouts and opaque
directories, and the waste figures as dive computes them."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile

from hypothesis import given, settings
from hypothesis import strategies as st

from dockertui.model.imagearchive import ImageArchive, LayerTable, history_of
from dockertui.model.layers import ImageLayers
from dockertui.model.layerviews import ChangesView, LayerView, MergedView
from dockertui.model.tarstream import Member, TarStream

# -- building archives ------------------------------------------------------------------------

Spec = list[tuple[str, str, int]]  # (name, kind f/d/l, size) ; for l the size is ignored


def layer_tar(spec: Spec, fmt: int = tarfile.PAX_FORMAT, mode: int = 0o644) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for name, kind, size in spec:
            info = tarfile.TarInfo(name)
            if kind == "d":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif kind == "l":
                info.type, info.linkname = tarfile.SYMTYPE, "target"
                tar.addfile(info)
            else:
                info.size, info.mode = size, mode
                tar.addfile(info, io.BytesIO(b"x" * size))
    return buf.getvalue()


def add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def classic_archive(layers: list[bytes], history: list[str]) -> tuple[bytes, list[str]]:
    """``docker save`` as Docker 20.10 writes it: layer folders first, config, manifest last."""
    buf = io.BytesIO()
    diff_ids = ["sha256:" + hashlib.sha256(data).hexdigest() for data in layers]
    config = {"rootfs": {"type": "layers", "diff_ids": diff_ids},
              "history": [{"created_by": h} for h in history] + [{"created_by": "CMD sh", "empty_layer": True}]}
    with tarfile.open(fileobj=buf, mode="w") as tar:
        names = []
        for n, data in enumerate(layers):
            folder = f"{n:064x}"
            add(tar, f"{folder}/VERSION", b"1.0")
            add(tar, f"{folder}/json", b"{}")
            add(tar, f"{folder}/layer.tar", data)
            names.append(f"{folder}/layer.tar")
        add(tar, "c0ffee.json", json.dumps(config).encode())
        add(tar, "manifest.json", json.dumps([{"Config": "c0ffee.json", "RepoTags": ["t:1"], "Layers": names}]).encode())
    return buf.getvalue(), diff_ids


def oci_archive(layers: list[bytes], history: list[str], compress: bool) -> tuple[bytes, list[str]]:
    """The OCI layout (Docker 25+, Podman): content-addressed blobs, index.json, blobs before index."""
    buf = io.BytesIO()
    diff_ids = ["sha256:" + hashlib.sha256(data).hexdigest() for data in layers]
    blobs = [gzip.compress(d) if compress else d for d in layers]
    digests = ["sha256:" + hashlib.sha256(b).hexdigest() for b in blobs]
    config = json.dumps({"rootfs": {"diff_ids": diff_ids}, "history": [{"created_by": h} for h in history]}).encode()
    cdig = "sha256:" + hashlib.sha256(config).hexdigest()
    manifest = json.dumps({"schemaVersion": 2, "config": {"digest": cdig},
                           "layers": [{"digest": d, "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip"} for d in digests]}).encode()
    mdig = "sha256:" + hashlib.sha256(manifest).hexdigest()
    index = json.dumps({"schemaVersion": 2, "manifests": [{"digest": mdig, "annotations": {"org.opencontainers.image.ref.name": "t:2"}}]}).encode()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        add(tar, "oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
        for dig, blob in reversed(list(zip(digests, blobs))):  # any order: the manifest decides
            add(tar, f"blobs/sha256/{dig[7:]}", blob)
        add(tar, f"blobs/sha256/{cdig[7:]}", config)
        add(tar, f"blobs/sha256/{mdig[7:]}", manifest)
        add(tar, "index.json", index)
    return buf.getvalue(), diff_ids


def read(data: bytes, chunk: int = 7777) -> tuple[ImageArchive, list[LayerTable]]:
    got: list[LayerTable] = []
    archive = ImageArchive(got.append)
    for pos in range(0, len(data), chunk):
        archive.feed(data[pos : pos + chunk])
    return archive, got


def stack(data: bytes, diff_ids: list[str] | None = None) -> ImageLayers:
    archive, tables = read(data)
    index = archive.index()
    order = [archive.layers[b] for b in index.layer_blobs]
    image = ImageLayers([t.diff_id for t in order], history_of(index.config, len(order)))
    if diff_ids is not None:
        assert [t.diff_id for t in order] == diff_ids
    for n, t in enumerate(order):
        image.add(n, t.entries, tar_bytes=t.tar_bytes, error=t.error)
    return image


# -- the tar parser ---------------------------------------------------------------------------

names = st.text(alphabet="abcdé_-.", min_size=1, max_size=12)
paths = st.lists(names, min_size=1, max_size=12).map("/".join)  # up to ~150 characters: long names too


@settings(max_examples=60, deadline=None)
@given(
    files=st.lists(st.tuples(paths, st.integers(0, 3000)), min_size=0, max_size=12, unique_by=lambda f: f[0]),
    fmt=st.sampled_from([tarfile.GNU_FORMAT, tarfile.PAX_FORMAT]),
    chunk=st.integers(1, 5000),
)
def test_the_push_parser_reads_what_tarfile_wrote(files: list[tuple[str, int]], fmt: int, chunk: int) -> None:
    data = layer_tar([(p, "f", s) for p, s in files], fmt)
    seen: list[Member] = []

    def member(m: Member) -> None:
        seen.append(m)

    stream = TarStream(member)  # type: ignore[arg-type]
    for pos in range(0, len(data), chunk):
        stream.feed(data[pos : pos + chunk])
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        expected = [(t.name, t.size, t.mode) for t in tar.getmembers()]
    assert [(m.name, m.size, m.mode) for m in seen] == expected
    assert stream.done or not files


def test_a_stream_that_is_not_a_tar_fails_clearly() -> None:
    import pytest

    from dockertui.model.tarstream import TarError

    with pytest.raises(TarError, match="not a tar"):
        TarStream(lambda m: None).feed(b"<html>" + b"x" * 1000)


# -- layers, whiteouts, waste -----------------------------------------------------------------

BASE: Spec = [("bin", "d", 0), ("bin/sh", "f", 1000), ("etc", "d", 0), ("etc/conf", "f", 100),
              ("data", "d", 0), ("data/a", "f", 10), ("data/b", "f", 20), ("data/sub", "d", 0), ("data/sub/c", "f", 30),
              ("tmp", "d", 0), ("tmp/x", "f", 5), ("tmp/y", "f", 6)]
OVERWRITE: Spec = [("etc", "d", 0), ("etc/conf", "f", 300), ("new", "f", 7)]
DELETE: Spec = [("etc", "d", 0), ("etc/.wh.conf", "f", 0), ("data", "d", 0), ("data/.wh.sub", "f", 0),
                ("tmp", "d", 0), ("tmp/.wh..wh..opq", "f", 0), ("tmp/z", "f", 9), ("bin", "d", 0), ("bin/.wh.sh", "f", 0)]
HISTORY = ["COPY busybox /bin/sh", "RUN echo > /etc/conf", "RUN rm ..."]


def three_layers() -> tuple[list[bytes], list[str]]:
    layers = [layer_tar(BASE), layer_tar(OVERWRITE), layer_tar(DELETE)]
    return layers, ["sha256:" + hashlib.sha256(d).hexdigest() for d in layers]


def check_three(image: ImageLayers) -> None:
    assert [i.created_by for i in image.layers] == HISTORY
    assert [i.size for i in image.layers] == [1171, 307, 9]
    view1 = LayerView(image, 1)
    etc = {r.name: r for r in view1.rows(None)}
    assert set(etc) == {"etc", "new"} and etc["new"].change == "added"
    conf = view1.rows(etc["etc"].key)
    assert [(r.name, r.change, r.size, r.detail) for r in conf] == [("conf", "changed", 300, "was 100 B")]
    assert image.deleted(2) == ["/bin/sh", "/data/sub", "/etc/conf", "/tmp/*"]
    assert image.deleted(1) == []
    # the whole filesystem after the last layer: deleted things gone, the opaque dir's old files hidden
    merged = MergedView(image, 2)
    top = {r.name: r for r in merged.rows(None)}
    assert set(top) == {"bin", "etc", "data", "tmp", "new"}
    assert [r.name for r in merged.rows(top["tmp"].key)] == ["z"]
    assert [r.name for r in merged.rows(top["data"].key)] == ["a", "b"]
    assert merged.rows(top["etc"].key) == [] and merged.rows(top["bin"].key) == []
    # after layer 0 everything of the base is there
    assert len(MergedView(image, 0).rows(image.find("/data"))) == 3
    waste = image.waste()
    # dive: /etc/conf is a leaf in 3 layers (100 + 300 + whiteout of a file: 0) -> 400 wasted;
    # /bin/sh 1000 + 0; the whiteout of the directory /data/sub is one leaf worth 30 (not waste);
    # the opaque /tmp is ignored by dive (x and y stay leaves of one layer each).
    assert waste.wasted == 1400
    assert [(p, c, n) for p, c, n in waste.inefficiencies] == [("/bin/sh", 1000, 2), ("/etc/conf", 400, 3)]
    total_cum = 1000 + 400 + 10 + 20 + 30 + 30 + 5 + 6 + 7 + 9
    total_min = 0 + 0 + 10 + 20 + 30 + 30 + 5 + 6 + 7 + 9
    assert abs(waste.efficiency - total_min / total_cum) < 1e-12
    # what the final filesystem no longer shows: sh, both versions of conf, sub/c, tmp/x and tmp/y
    assert waste.hidden == 1000 + 100 + 300 + 30 + 5 + 6
    assert waste.hidden_by_layer == [1000 + 100 + 30 + 11, 300, 0]
    assert waste.user_size == 316 and abs(waste.wasted_user_percent - 1400 / 316) < 1e-12


def test_classic_archive_layers_changes_and_waste() -> None:
    layers, diff_ids = three_layers()
    data, ids = classic_archive(layers, HISTORY)
    assert ids == diff_ids
    check_three(stack(data, diff_ids))


def test_oci_archive_with_gzip_layers_gives_the_same_figures() -> None:
    layers, diff_ids = three_layers()
    data, _ = oci_archive(layers, HISTORY, compress=True)
    archive, tables = read(data, chunk=1000)
    assert {t.compression for t in tables} == {"gzip"}
    assert sorted(t.diff_id for t in tables) == sorted(diff_ids), "diff IDs from the uncompressed bytes"
    assert archive.index().tags == ["t:2"]
    check_three(stack(data, diff_ids))


def test_oci_archive_uncompressed() -> None:
    layers, diff_ids = three_layers()
    data, _ = oci_archive(layers, HISTORY, compress=False)
    check_three(stack(data, diff_ids))


def test_dive_efficiency_example() -> None:
    """dive's own TestEfficiency: score 0.75, one inefficiency worth 7000 bytes."""
    image = ImageLayers(["a", "b", "c"])
    image.add(0, [("etc/nginx/nginx.conf", "f", 2000, 0o644, ""), ("etc/nginx/public", "f", 3000, 0o644, "")])
    image.add(1, [("etc/nginx/nginx.conf", "f", 5000, 0o644, ""), ("etc/athing", "f", 10000, 0o644, "")])
    image.add(2, [("etc/.wh.nginx", "f", 0, 0o644, "")])
    waste = image.waste()
    assert waste.efficiency == 0.75
    assert [(p, c) for p, c, _ in waste.inefficiencies] == [("/etc/nginx/nginx.conf", 7000)]
    scratch = ImageLayers(["a", "b", "c"])
    scratch.add(0, [("nothing", "f", 0, 0o644, "")])
    scratch.add(1, [])
    scratch.add(2, [])
    assert scratch.waste().efficiency == 1.0 and scratch.waste().inefficiencies == []


def test_layers_can_arrive_out_of_order_and_a_chmod_is_a_change() -> None:
    image = ImageLayers(["a", "b"])
    image.add(1, [("f", "f", 10, 0o755, "")])
    assert not image.ready(1) and not image.ready(0)
    image.add(0, [("f", "f", 10, 0o644, "")])
    assert image.ready(1) and image.complete
    (row,) = LayerView(image, 1).rows(None)
    assert (row.change, row.detail) == ("changed", "mode 0644 -> 0755")


def test_a_filter_keeps_matching_paths_and_their_directories() -> None:
    image = ImageLayers(["a"])
    image.add(0, [(f"d{n % 3}/f{n}", "f", 1, 0o644, "") for n in range(30)])
    view = LayerView(image, 0, text="f1")
    assert view.count == 11  # f1, f10..f19
    dirs = view.rows(None)
    assert sum(len(view.rows(d.key)) for d in dirs) == 11


def test_container_changes_as_a_tree() -> None:
    view = ChangesView([("/etc", 0), ("/etc/hosts", 0), ("/tmp", 0), ("/tmp/new", 1), ("/gone", 2)])
    assert view.counts == {"added": 1, "changed": 3, "deleted": 1}
    top = {r.name: r for r in view.rows(None)}
    assert top["gone"].change == "deleted" and top["etc"].has_kids
    assert [(r.name, r.change) for r in view.rows(top["tmp"].key)] == [("new", "added")]
    assert [r.name for r in ChangesView([("/etc/hosts", 0), ("/tmp/new", 1)], text="new").rows(None)] == ["tmp"]


def test_a_zstd_layer_is_reported_not_guessed_and_a_symlinked_layer_tar_is_followed() -> None:
    buf = io.BytesIO()
    plain = layer_tar([("a", "f", 3)])
    with tarfile.open(fileobj=buf, mode="w") as tar:
        add(tar, "blobs/sha256/" + "1" * 64, b"\x28\xb5\x2f\xfd" + b"\0" * 600)
        add(tar, "one/layer.tar", plain)
        link = tarfile.TarInfo("two/layer.tar")
        link.type, link.linkname = tarfile.SYMTYPE, "../one/layer.tar"
        tar.addfile(link)
        add(tar, "manifest.json", json.dumps([{"Config": "", "Layers": ["one/layer.tar", "two/layer.tar"]}]).encode())
    archive, tables = read(buf.getvalue(), chunk=300)
    zstd = next(t for t in tables if t.blob.startswith("blobs/"))
    assert zstd.compression == "zstd" and "zstd" in zstd.error and not zstd.entries
    assert archive.index().layer_blobs == ["one/layer.tar", "one/layer.tar"]
