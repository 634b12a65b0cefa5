"""The fix for an engine that is not there, fitted to where dockertui looked and how it was
installed. Pure: the socket path and the checkout (or None) come in, one or two sentences out."""

from __future__ import annotations

ELSEWHERE = "Or point dockertui at a running engine: -H unix:///path/to/docker.sock, --context NAME, or DOCKER_HOST."


def start_engine_fix(socket_path: str, checkout: str | None = None) -> str:
    """No engine behind ``socket_path`` (missing, or nothing listening): how to start one."""
    if "podman" in socket_path:
        if socket_path.startswith("/run/user/"):
            start = "Start your Podman API service: 'systemctl --user start podman.socket'."
        else:
            start = "Start the Podman API service: 'sudo systemctl start podman.socket'."
    elif socket_path.startswith("/run/user/") or "rootless" in socket_path:
        start = "Start your rootless engine: 'systemctl --user start docker' (Podman: 'systemctl --user start podman.socket')."
    else:
        start = "Start the engine: 'sudo systemctl start docker' (Podman: 'systemctl --user start podman.socket')."
    out = f"{start} {ELSEWHERE}"
    if checkout:
        out += " From this checkout, 'make demo' starts a private demo engine and opens dockertui on it."
    return out


def permission_fix() -> str:
    """The socket is there but this user may not use it."""
    return ("Add your user to the 'docker' group and log in again ('sudo usermod -aG docker $USER'), or run dockertui as "
            "root; rootless Podman: -H unix://$XDG_RUNTIME_DIR/podman/podman.sock.")
