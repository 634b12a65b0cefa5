"""``python -m bench --ssh``: the first screen over ``ssh://`` on loopback next to the local one,
on the bench's synthetic host (300 containers / 100 images), and what one more API request costs
through the ssh relay. The ssh side is the project's private test sshd (scripts/sshd.sh) and a
client config of the bench's own; nothing of the machine's ssh setup is used."""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import docker

ROOT = Path(__file__).resolve().parent.parent
SSHD = str(ROOT / "scripts" / "sshd.sh")

# (key, label, unit, target)
SSH_MEASURES: list[tuple[str, str, str, str]] = [
    ("first_screen_local_cold_s", "first screen, local socket (cold cache)", "s", ""),
    ("first_screen_ssh_cold_s", "first screen, ssh:// on loopback (cold cache)", "s", "<= local + 0.3"),
    ("first_screen_local_warm_s", "first screen, local socket (warm cache)", "s", ""),
    ("first_screen_ssh_warm_s", "first screen, ssh:// on loopback (warm cache)", "s", "<= local + 0.3"),
    ("ssh_connect_ms", "ssh: master, probe and relay up (in process)", "ms", ""),
    ("request_local_ms", "one API request (GET /version), local, kept-alive connection", "ms", ""),
    ("request_ssh_ms", "one API request (GET /version), over the relay, kept-alive connection", "ms", ""),
    ("new_connection_local_ms", "one request on a new connection, local", "ms", ""),
    ("new_connection_ssh_ms", "one request on a new connection over the relay (a new channel)", "ms", ""),
]


def client_config(folder: Path, sshd_dir: Path) -> Path:
    known = folder / "known_hosts"
    known.write_text((sshd_dir / "known_hosts").read_text())
    config = folder / "ssh_config"
    config.write_text(
        f"Host *\n    IdentityFile {sshd_dir / 'id_test'}\n    IdentitiesOnly yes\n    IdentityAgent none\n"
        f"    UserKnownHostsFile {known}\n    GlobalKnownHostsFile /dev/null\n    BatchMode yes\n"
        "    StrictHostKeyChecking yes\n    UpdateHostKeys no\n"
    )
    return config


def first_screen(args: list[str], cache: Path, known: str) -> float | None:
    from .terminal import Terminal

    env = {"DOCKERTUI_CACHE_DIR": str(cache), "DOCKERTUI_CONFIG": str(cache / "none.toml"), "DOCKER_HOST": ""}
    term = Terminal(env, args=args)
    term.watch(known)
    seen = term.seen(known, 60)
    term.quit()
    return round(seen - term.started, 3) if seen else None


def median(values: list[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return round(statistics.median(got), 3) if got else None


async def request_costs(local_host: str, ssh_url: str, config: Path, rounds: int) -> dict[str, Any]:
    from dockertui.engine.client import Engine
    from dockertui.engine.endpoint import resolve_endpoint
    from dockertui.engine.ssh import PING

    async def ping_new(path: str) -> float:
        t0 = time.perf_counter()
        reader, writer = await asyncio.open_unix_connection(path)
        writer.write(PING)
        await writer.drain()
        while await reader.read(65536):
            pass
        writer.close()
        return (time.perf_counter() - t0) * 1000

    out: dict[str, Any] = {}
    local = Engine(resolve_endpoint(host=local_host, env={}), use_disk_cache=False)
    remote = Engine(replace(resolve_endpoint(host=ssh_url, env={}), ssh_config=str(config)), use_disk_cache=False)
    try:
        await local.connect()
        t0 = time.perf_counter()
        await remote.connect()
        out["ssh_connect_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        for name, engine in (("local", local), ("ssh", remote)):
            times = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                await engine._json("version", "the engine", versioned=False)
                times.append((time.perf_counter() - t0) * 1000)
            out[f"request_{name}_ms"] = round(statistics.median(times), 2)
        assert remote._tunnel is not None
        for name, path in (("local", local_host.removeprefix("unix://")), ("ssh", remote._tunnel.socket_path)):
            times = []
            for _ in range(max(5, rounds // 3)):
                times.append(await ping_new(path))
                await asyncio.sleep(0.05)  # let the relay start its spare channel again, as between real requests
            out[f"new_connection_{name}_ms"] = round(statistics.median(times), 1)
    finally:
        await local.close()
        await remote.close()
    return out


def sshd(state: Path, *args: str) -> str:
    """The bench's own sshd (its folder inside the bench engine's), apart from the tests' one."""
    env = {**os.environ, "DOCKERTUI_SSHD_DIR": str(state / "sshd")}
    return subprocess.run([SSHD, *args], check=True, capture_output=True, text=True, timeout=600, env=env).stdout.strip()


def ssh_run(state: Path, n: int, m: int, samples: int) -> dict[str, Any]:
    from .__main__ import engine_sh
    from .synth import ensure
    from .terminal import first_running_name

    host = engine_sh(state, "host")
    client = docker.DockerClient(base_url=host, timeout=300)
    ensure(client, n, m)
    known = first_running_name(client)
    figures: dict[str, Any] = {"containers": client.info()["Containers"], "images": len(client.images.list())}
    client.close()
    sshd(state, "start")
    try:
        port = sshd(state, "port")
        sshd_dir = Path(sshd(state, "dir"))
        url = f"ssh://root@127.0.0.1:{port}{host.removeprefix('unix://')}"
        with tempfile.TemporaryDirectory(prefix="dtui-bench-ssh-") as tmp:
            folder = Path(tmp)
            config = client_config(folder, sshd_dir)
            ways = {"local": ["-H", host], "ssh": ["-H", url, "--ssh-config", str(config)]}
            results: dict[str, list[float | None]] = {f"{w}_{c}": [] for w in ways for c in ("cold", "warm")}
            for i in range(samples):  # alternate, so a busy moment of the machine hits both alike
                for way, args in ways.items():
                    cache = folder / f"cache-{way}-{i}"
                    results[f"{way}_cold"].append(first_screen(args, cache, known))
                    results[f"{way}_warm"].append(first_screen(args, cache, known))
                    shutil.rmtree(cache, ignore_errors=True)
            for key, values in results.items():
                way, cache_state = key.split("_")
                figures[f"first_screen_{way}_{cache_state}_s"] = median(values)
                figures[f"first_screen_{way}_{cache_state}_all"] = values
            figures.update(asyncio.run(request_costs(host, url, config, rounds=30)))
    finally:
        sshd(state, "stop")
    return figures


def ssh_table(figures: dict[str, Any], n: int, m: int) -> str:
    rows = [["Measure", f"{n} / {m}", "target"], ["---"] * 3]
    for key, label, unit, target in SSH_MEASURES:
        value = figures.get(key)
        rows.append([label, "n/a" if value is None else f"{value} {unit}", target])
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)

