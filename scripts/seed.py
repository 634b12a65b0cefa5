"""Seed the private engine with demo images and containers, built locally (no registry).

Images grow from one base made of Debian's static busybox (``FROM scratch``), so the image
tree has real families; containers cover every state. Everything carries the label
``dockertui.demo=1``. Running it again changes nothing that is already there.

Usage: ``DOCKER_HOST=unix://... python scripts/seed.py demo``. Tests import ``build_image``.
"""

from __future__ import annotations

import io
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

import docker
from docker.errors import ImageNotFound, NotFound
from docker.models.containers import Container

DEMO_LABEL = "dockertui.demo"
BUSYBOX = Path("/bin/busybox")
BASE_DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["sh"]
"""


def build_image(
    client: docker.DockerClient,
    dockerfile: str,
    tag: str | None,
    labels: dict[str, str],
    with_busybox: bool = False,
) -> str:
    """Build with the classic builder from an in-memory context; return the image ID."""
    with tempfile.TemporaryDirectory() as tmp:
        ctx = Path(tmp)
        (ctx / "Dockerfile").write_text(dockerfile)
        if with_busybox:
            shutil.copy2(BUSYBOX, ctx / "busybox")
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for item in sorted(ctx.iterdir()):
                tar.add(item, arcname=item.name)
        buf.seek(0)
        image, _ = client.images.build(
            fileobj=buf, custom_context=True, tag=tag, labels=labels, rm=True, forcerm=True
        )
    return image.id


def base_image(client: docker.DockerClient, tag: str, labels: dict[str, str]) -> str:
    return build_image(client, BASE_DOCKERFILE, tag, labels, with_busybox=True)


DEMO_IMAGES: list[tuple[str | None, str]] = [
    (
        "demo/web:latest",
        "FROM demo/base:latest\n"
        "RUN mkdir -p /www && echo '<h1>dockertui demo</h1>' > /www/index.html\n"
        "EXPOSE 8080\n"
        'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
    ),
    (
        "demo/web:v2",
        "FROM demo/web:latest\nRUN echo v2 > /www/version.txt\n",
    ),
    (
        "demo/worker:latest",
        "FROM demo/base:latest\n"
        "RUN printf 'while true; do echo \"working $(date)\"; echo \"tick\" >&2; sleep 5; done\\n'"
        " > /worker.sh\n"
        'CMD ["sh", "/worker.sh"]\n',
    ),
    # Same layers as demo/worker, another label: a sibling, not a child.
    ("demo/worker:debug", "FROM demo/worker:latest\nLABEL mode=debug\n"),
    # Untagged with no children: a dangling image.
    (None, "FROM demo/base:latest\nRUN echo old-build > /build.txt\n"),
]

NETWORK = "demo-net"


def seed_demo(client: docker.DockerClient) -> None:
    labels = {DEMO_LABEL: "1"}
    base_image(client, "demo/base:latest", labels)
    for tag, dockerfile in DEMO_IMAGES:
        build_image(client, dockerfile, tag, labels)
    try:
        client.networks.get(NETWORK)
    except NotFound:
        client.networks.create(NETWORK, driver="bridge", labels=labels)

    def ensure(name: str, image: str, **kwargs: object) -> tuple[bool, Container]:
        try:
            return False, client.containers.get(name)
        except NotFound:
            pass
        extra: dict[str, str] = dict(kwargs.pop("labels", {}))  # type: ignore[call-overload]
        container = client.containers.create(
            image, name=name, labels={**labels, **extra}, **kwargs
        )
        return True, container

    # The commit: a container of demo/worker with one file more becomes demo/worker:snapshot.
    new, source = ensure("demo-snapshot-source", "demo/worker:latest", command=["sh", "-c", "echo snap > /snapshot.txt"])
    if new:
        source.start()
        source.wait()
    try:
        client.images.get("demo/worker:snapshot")
    except ImageNotFound:
        source.commit(
            repository="demo/worker",
            tag="snapshot",
            message="demo commit",
            author="dockertui seed",
            changes=['CMD ["sh", "/worker.sh"]'],
        )

    def converge(name: str, image: str, want: str, **kwargs: object) -> None:
        """Create the container if missing and bring it to the wanted state (after an engine
        restart, running containers come back exited)."""
        new, c = ensure(name, image, **kwargs)
        c.reload()
        state = c.attrs["State"]
        try:  # another seeding (a second session, a parallel test run) may get there first: 409
            if want in ("running", "paused") and not state["Running"]:
                c.start()
            if want == "paused" and not c.attrs["State"]["Paused"]:
                c.reload()
                if not c.attrs["State"]["Paused"]:
                    c.pause()
        except docker.errors.APIError as exc:
            if exc.status_code != 409:
                raise
        if want == "exited" and new:
            c.start()
            c.wait()

    converge("demo-web", "demo/web:latest", "running", network=NETWORK, ports={"8080/tcp": ("127.0.0.1", None)})
    shop = {"com.docker.compose.project": "shop"}
    converge(
        "shop-api-1",
        "demo/web:v2",
        "running",
        labels={**shop, "com.docker.compose.service": "api"},
        healthcheck={
            "test": ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
            "interval": 5_000_000_000,
            "timeout": 2_000_000_000,
            "retries": 3,
        },
    )
    converge("shop-worker-1", "demo/worker:latest", "running", labels={**shop, "com.docker.compose.service": "worker"})
    converge("demo-paused", "demo/worker:latest", "paused")
    converge("demo-batch-ok", "demo/base:latest", "exited", command=["true"])
    converge("demo-batch-failed", "demo/base:latest", "exited", command=["sh", "-c", "exit 3"])
    converge("demo-created", "demo/worker:debug", "created")
    converge("demo-snapshot", "demo/worker:snapshot", "running")


def main(argv: list[str]) -> int:
    if argv[1:] != ["demo"]:
        print("usage: seed.py demo", file=sys.stderr)
        return 2
    client = docker.from_env(timeout=120)
    seed_demo(client)
    containers = client.containers.list(all=True, filters={"label": f"{DEMO_LABEL}=1"})
    images = client.images.list(filters={"label": f"{DEMO_LABEL}=1"})
    print(f"seed: demo engine has {len(images)} demo images and {len(containers)} demo containers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
