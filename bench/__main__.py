"""``make bench``: the pure-model figures, then the real app in a real terminal on a synthetic
host (300 containers / 100 images; ``--big`` adds 1,000 / 300) on the bench's own private engine.
Prints a table with the targets, appends a JSON line to bench/results/results.jsonl and writes
bench/results/latest.md for the README. ``--quick``: a small host and short windows (for tests).
``--clean``: remove the synthetic host."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import docker

from .model import bench_events, bench_forest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

# (key, label, unit, target at 300/100)
MEASURES: list[tuple[str, str, str, str]] = [
    ("first_screen_s", "first screen (cold cache)", "s", "<= 0.45"),
    ("first_screen_warm_s", "first screen (warm cache)", "s", ""),
    ("startup_requests", "API requests until the first screen settles", "", ""),
    ("startup_inspects", "image inspects at a cold start", "", ""),
    ("warm_startup_inspects", "image inspects at a warm start", "", "0"),
    ("idle_cpu_s", "own CPU, 30 s idle", "s", "<= 0.2"),
    ("idle_bytes", "terminal output, 30 s idle", "B", "<= 1024"),
    ("idle_requests", "API requests, 30 s idle (streams excluded)", "", "0"),
    ("cpu_ms_per_event", "own CPU per engine event (start/stop every 200 ms)", "ms", "<= 10"),
    ("toggle_bytes_per_event", "terminal output per engine event", "B", ""),
    ("latency_ms_median", "event-to-screen latency, median", "ms", ""),
    ("latency_ms_p99", "event-to-screen latency, p99", "ms", "<= 150"),
    ("rss_mib_20s", "resident memory after 20 s", "MiB", "<= 60"),
    ("rss_mib_peak", "resident memory, peak", "MiB", ""),
    ("engine_idle_cpu_s_no_app", "engine CPU, 30 s idle, no app", "s", ""),
    ("engine_idle_cpu_s_with_app", "engine CPU, 30 s idle, app open", "s", "<= no app + 0.3"),
    ("view_run_first_s", "key to view, 80x24: R run form, first / again / with events", "s", "<= 0.3"),
    ("view_networks_first_s", "key to view, 80x24: N networks, first / again / with events", "s", "<= 0.3"),
    ("view_events_first_s", "key to view, 80x24: E events (1,000 rows), first / again / with events", "s", "<= 0.3"),
    ("quit_s", "q to process exit, median / max of 3 (one with events)", "s", "<= 0.3"),
    ("load_average", "machine load average (1 min), start / end of the run", "", ""),
]
# shown next to the measure in the same cell: "first / again", "median / max"
PAIRED = {"view_run_first_s": ("view_run_s", "view_run_busy_s"), "view_networks_first_s": ("view_networks_s", "view_networks_busy_s"),
          "view_events_first_s": ("view_events_s", "view_events_busy_s"), "quit_s": ("quit_s_max",)}


def engine_sh(state: Path, *args: str) -> str:
    env = {**os.environ, "DOCKERTUI_ENGINE_DIR": str(state)}
    out = subprocess.run([str(ROOT / "scripts" / "engine.sh"), *args], check=True, capture_output=True, text=True, env=env)
    return out.stdout.strip()


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, Any]:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpus": os.cpu_count(), "cpu": model, "kernel": platform.release(), "python": platform.python_version()}


def host_run(state: Path, n: int, m: int, window: float, samples: int, views_only: bool = False) -> dict[str, Any]:
    from .relay import Relay
    from .synth import ensure
    from .terminal import first_running_name, measure
    from .views import measure_views

    host = engine_sh(state, "host")
    client = docker.DockerClient(base_url=host, timeout=300)
    t0 = time.monotonic()
    ensure(client, n, m)
    setup_s = round(time.monotonic() - t0, 1)
    pid = int((state / "docker.pid").read_text())
    relay = Relay(state / "relay.sock", Path(host.removeprefix("unix://")))
    relay.start()
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as cache:
        figures = {} if views_only else measure(client, relay, pid, Path(cache), window, samples)
        env = {"DOCKER_HOST": f"unix://{relay.listen}", "DOCKERTUI_CACHE_DIR": cache, "DOCKERTUI_CONFIG": str(Path(cache) / "none.toml")}
        light = {"repeats": 2, "quits": 1, "burst": 5} if window < 30 else {}  # --quick: the path, not the figure
        figures.update(measure_views(client, env, first_running_name(client), **light))
    figures["load_average"] = [round(load0, 2), round(os.getloadavg()[0], 2)]  # the machine's business meanwhile
    info = client.info()
    figures.update(containers=info["Containers"], images=len(client.images.list()), host_setup_s=setup_s)
    client.close()
    return figures


def table(runs: dict[str, dict[str, Any]], model: dict[str, Any]) -> str:
    sizes = list(runs)
    head = ["Measure", *sizes, "target (300 / 100)"]
    rows = [head, ["---"] * len(head)]
    rows.append(["forest build, 5,000 images (median)", *[""] * len(sizes), "< 50 ms"])
    rows[-1][1] = f"{model['forest']['median_ms']} ms"
    rows.append(["10,000 events parsed and planned (pure model)", *[""] * len(sizes), ""])
    rows[-1][1] = f"{model['events']['ms']} ms"
    for key, label, unit, target in MEASURES:
        cells = []
        for size in sizes:
            value = runs[size].get(key)
            if isinstance(value, list):
                cells.append(" / ".join(str(v) for v in value))
                continue
            if key in PAIRED and value is not None:
                cells.append(" / ".join(str(runs[size].get(k)) for k in (key, *PAIRED[key])) + f" {unit}")
                continue
            cells.append("n/a" if value is None else f"{value:,}{' ' + unit if unit else ''}" if isinstance(value, int) else f"{value}{' ' + unit if unit else ''}")
        rows.append([label, *cells, target])
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="20 containers / 12 images, 5 s windows")
    parser.add_argument("--big", action="store_true", help="also 1,000 containers / 300 images")
    parser.add_argument("--ssh", action="store_true", help="only the ssh:// figures: first screen over ssh on loopback next to the local one, and the relay's cost per request")
    parser.add_argument("--views", action="store_true", help="only key-to-view and quit times (80x24), on the 300 / 100 host")
    parser.add_argument("--clean", action="store_true", help="remove the synthetic host and stop the bench engine")
    parser.add_argument("--state", default=str(ROOT / ".engine-bench"), help="the bench engine's folder")
    parser.add_argument("--results", default=str(RESULTS), help="where results.jsonl and latest.md go")
    parser.add_argument("--layers", action="store_true", help="only the layers measurement (a 50,000-file layer, 200,000 files for memory)")
    parser.add_argument("--host", help="--layers: use this engine instead of the bench's own (.engine-bench-layers/)")
    args = parser.parse_args(argv)
    state = Path(args.state)
    if args.layers:
        return layers_main(args, state)
    if args.clean:
        from .synth import remove

        for folder in sorted(state.parent.glob(f"{state.name}-*x*")):
            if (folder / "docker.pid").exists():
                client = docker.DockerClient(base_url=engine_sh(folder, "host"), timeout=300)
                remove(client)
            engine_sh(folder, "stop")
        return 0

    record: dict[str, Any] = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": commit(), "machine": machine()}
    t0 = time.monotonic()
    if args.ssh:
        return ssh_main(args, state, record, t0)
    record["forest"] = bench_forest()
    record["events"] = bench_events()
    sizes = [(20, 12, 5.0, 5)] if args.quick else [(300, 100, 30.0, 30)] + ([(1000, 300, 30.0, 30)] if args.big else [])
    runs: dict[str, dict[str, Any]] = {}
    for n, m, window, samples in sizes:
        # each size is a host of its own (an engine folder per size): a rerun finds it built
        folder = state.parent / f"{state.name}-{n}x{m}"
        print(f"bench: {n} containers / {m} images on {folder.name} …", file=sys.stderr, flush=True)
        engine_sh(folder, "start")
        runs[f"{n} / {m}"] = host_run(folder, n, m, window, samples, views_only=args.views)
        if len(sizes) > 1:
            engine_sh(folder, "stop")  # the next size measures alone
    record["runs"] = runs
    record["quick"] = args.quick
    record["views_only"] = args.views
    record["seconds"] = round(time.monotonic() - t0, 1)
    md = table(runs, record)
    print(md)
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    with (results / "results.jsonl").open("a") as f:
        f.write(json.dumps(record) + "\n")
    if not args.quick and not args.views:
        loads = ", ".join(f"{size}: {' then '.join(str(v) for v in run.get('load_average', []))}" for size, run in runs.items())
        stamp = f"\n\n{record['date'][:10]}, commit {record['commit']}, {record['machine']['cpus']} cores ({record['machine']['cpu']}), load average {loads}, {record['seconds']:.0f} s in all.\n"
        (results / "latest.md").write_text(md + stamp)
    return 0


def ssh_main(args: argparse.Namespace, state: Path, record: dict[str, Any], t0: float) -> int:
    from .ssh import ssh_run, ssh_table

    n, m, samples = (20, 12, 1) if args.quick else (300, 100, 5)
    folder = state.parent / f"{state.name}-{n}x{m}"
    print(f"bench: ssh:// next to local, {n} containers / {m} images on {folder.name} …", file=sys.stderr, flush=True)
    engine_sh(folder, "start")
    load_before = os.getloadavg()[0]
    figures = ssh_run(folder, n, m, samples)
    record["ssh"] = {f"{n} / {m}": figures}
    record["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]  # the machine's business meanwhile
    record["quick"] = args.quick
    record["seconds"] = round(time.monotonic() - t0, 1)
    md = ssh_table(figures, n, m)
    print(md)
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    with (results / "results.jsonl").open("a") as f:
        f.write(json.dumps(record) + "\n")
    if not args.quick:
        stamp = f"\n\n{record['date'][:10]}, commit {record['commit']}, {record['machine']['cpus']} cores ({record['machine']['cpu']}), median of {samples} runs each, load average {record['load_average'][0]} then {record['load_average'][1]}, {record['seconds']:.0f} s in all.\n"
        (results / "latest-ssh.md").write_text(md + stamp)
def layers_main(args: argparse.Namespace, state: Path) -> int:
    from . import layers

    folder = state.parent / f"{state.name}-layers"
    if args.clean:
        if args.host:
            layers.remove(docker.DockerClient(base_url=args.host, timeout=300))
        elif (folder / "docker.pid").exists():
            layers.remove(docker.DockerClient(base_url=engine_sh(folder, "host"), timeout=300))
            engine_sh(folder, "stop")
        return 0
    if args.host:
        host = args.host
    else:
        engine_sh(folder, "start")
        host = engine_sh(folder, "host")
    files, memory = (2_000, 8_000) if args.quick else (50_000, 200_000)
    print(f"bench: layers, {files:,} files / {memory:,} for memory, on {host} …", file=sys.stderr, flush=True)
    record: dict[str, Any] = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": commit(),
                              "machine": machine(), "quick": args.quick}
    record["layers"] = layers.run(host, files, memory)
    md = layers.table(record["layers"])
    print(md)
    results = Path(args.results)
    layers.results_line(record, results / "results.jsonl")
    if not args.quick:
        stamp = f"\n\n{record['date'][:10]}, commit {record['commit']}, {record['machine']['cpus']} cores ({record['machine']['cpu']}).\n"
        (results / "layers.md").write_text(md + stamp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
