"""Where an image reference points, the way the docker CLI reads it: ``app:1`` is
``docker.io/library/app:1``, ``team/app`` is ``docker.io/team/app:latest``, ``127.0.0.1:5000/app:1``
and ``localhost/app`` name their own registry. Pure."""

from __future__ import annotations

from dataclasses import dataclass

HUB = "docker.io"
HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


@dataclass(frozen=True, slots=True)
class Destination:
    registry: str  # docker.io, 127.0.0.1:5000, ghcr.io
    repository: str  # library/app, team/app
    tag: str

    @property
    def full(self) -> str:
        return f"{self.registry}/{self.repository}:{self.tag}"

    @property
    def public(self) -> bool:
        """Docker Hub: anyone can pull what is pushed there unless the repository is private."""
        return self.registry in HUB_ALIASES


def destination(ref: str) -> Destination:
    """``repo[:tag]`` → the registry, repository and tag it names (no digest: a push names a tag)."""
    name, tag = ref.strip(), "latest"
    if ":" in name.rsplit("/", 1)[-1]:
        name, tag = name.rsplit(":", 1)
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first, rest
    else:
        registry, repository = HUB, name
    if registry in HUB_ALIASES:
        registry = HUB
        if "/" not in repository:
            repository = f"library/{repository}"
    return Destination(registry, repository, tag)
