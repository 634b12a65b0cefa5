"""ssh:// engines through a real sshd on loopback (scripts/sshd.sh) and a real `docker system
dial-stdio`; the client side uses only the test's own ssh config (--ssh-config), never ~/.ssh.
What the app does is verified through the SDK on the local socket (the observer)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import docker
import pytest

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import Endpoint, resolve_endpoint
from dockertui.engine.errors import EngineError
from dockertui.ui.app import DockerTUI
from dockertui.ui.screens.logview import LogsScreen

from ..conftest import Sshd
from ..helpers import wait_loaded, wait_until
from ..ptyapp import PtyApp
from .test_actions import make, only_mine, status

pytestmark = pytest.mark.engine


def ours(marker: str) -> list[str]:
    """Command lines of the live processes that mention ``marker`` (a test's own ssh config path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline and "ssh" in cmdline:
            found.append(f"{entry.name}: {cmdline}")
    return found


def relay_dirs() -> set[str]:
    return {p.name for p in Path("/tmp").glob("dockertui-ssh-*")}


def endpoint(sshd: Sshd, engine_host: str, config: Path, url: str | None = None) -> Endpoint:
    return replace(resolve_endpoint(host=url or sshd.url(engine_host), env={}), ssh_config=str(config))


async def failure(ep: Endpoint) -> EngineError:
    engine = Engine(ep, use_disk_cache=False)
    try:
        with pytest.raises(EngineError) as err:
            await engine.snapshot()
    finally:
        await engine.close()
    return err.value


async def test_dashboard_over_ssh_shows_and_acts(demo_engine: str, sshd: Sshd, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    c = make(observer, run_label, "viassh")
    observer.containers.run("demo/base:latest", ["sh", "-c", "echo hello-over-ssh"], detach=True,
                            name=f"said-{run_label}", labels={"dockertui.test": run_label}).wait(timeout=30)
    config = sshd.client_config(tmp_path / "ssh")
    before = relay_dirs()
    app = DockerTUI(endpoint(sshd, demo_engine, config), cache_root=tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_loaded(pilot)
        assert app.engine is not None and "dial-stdio" in app.engine.via
        assert any("dial-stdio" in str(n.message) for n in app._notifications), "the app says which way is in use"
        screen = await only_mine(pilot, run_label, 2)
        names = [screen.containers[cid].name for cid in screen.table.containers]
        assert sorted(names) == sorted([f"viassh-{run_label}", f"said-{run_label}"])
        said = next(cid for cid in screen.table.containers if cid != c.id)

        async def cursor_to(cid: str) -> None:
            await pilot.press("g")
            for _ in range(3):
                current = screen.table.current
                if current is not None and current.id == cid:
                    return
                await pilot.press("j")
            raise AssertionError("the cursor did not reach the row")

        await cursor_to(c.id)  # stop and start our running container
        await pilot.press("s")
        await wait_until(pilot, lambda: status(observer, c.id) == "exited", 20, "the stop through ssh")
        await wait_until(pilot, lambda: screen.containers[c.id].state == "exited", 10, "the row: exited (an event over ssh)")
        await wait_until(pilot, lambda: c.id not in screen.doing, 10, "the stop to finish")
        await pilot.press("s")
        await wait_until(pilot, lambda: status(observer, c.id) == "running", 20, "the start through ssh")
        await wait_until(pilot, lambda: c.id not in screen.doing, 10, "the start to finish")
        await cursor_to(said)  # the logs of the other one
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LogsScreen), 5, "the logs screen")
        logs = app.screen
        assert isinstance(logs, LogsScreen)
        await wait_until(pilot, lambda: [line.text for line in logs.ring] == ["hello-over-ssh"], 15, "the logs over ssh")
        assert ours(str(config)), "the master and channels run while the app does"
    assert not ours(str(config)), "an ssh process outlived the app"
    assert relay_dirs() <= before, "the relay folder is left behind"


async def test_wrong_host_key_refused_key_and_chatty_login_each_say_so(demo_engine: str, sshd: Sshd, tmp_path: Path) -> None:
    wrong = await failure(endpoint(sshd, demo_engine, sshd.client_config(tmp_path / "a", known_hosts="known_hosts_wrong")))
    assert wrong.kind == "ssh-hostkey" and "has changed" in wrong.message and f"ssh-keygen -R [127.0.0.1]:{sshd.port}" in wrong.fix
    unknown = await failure(endpoint(sshd, demo_engine, sshd.client_config(tmp_path / "b", known_hosts=None)))
    assert unknown.kind == "ssh-hostkey" and "not known" in unknown.message and f"ssh ssh://root@127.0.0.1:{sshd.port}" in unknown.fix
    refused = await failure(endpoint(sshd, demo_engine, sshd.client_config(tmp_path / "c", key="id_refused")))
    assert refused.kind == "ssh-auth" and "refused the ssh authentication (it offers: publickey)" in refused.message
    chatty = await failure(endpoint(sshd, demo_engine, sshd.client_config(tmp_path / "d", key="id_chatty")))
    assert chatty.kind == "ssh-shell" and "'Welcome to the box'" in chatty.message and "~/.bashrc" in chatty.fix
    gone = await failure(endpoint(sshd, demo_engine, sshd.client_config(tmp_path / "e"), url=f"ssh://root@127.0.0.1:{sshd.port}/no/such.sock"))
    assert gone.kind == "unreachable" and "cannot reach an engine at /no/such.sock" in gone.message
    for marker in "abcde":
        assert not ours(str(tmp_path / marker)), "an ssh process outlived a failed start"


async def test_without_a_docker_cli_the_socket_is_forwarded(demo_engine: str, sshd: Sshd, tmp_path: Path) -> None:
    config = sshd.client_config(tmp_path / "ssh", key="id_nodocker")
    engine = Engine(endpoint(sshd, demo_engine, config), use_disk_cache=False)
    try:
        info, _, containers = await engine.snapshot()
        assert containers and info.server_version
        assert "forwarded (no docker CLI on the remote)" in engine.via and demo_engine.removeprefix("unix://") in engine.via
    finally:
        await engine.close()
    # and no socket at the forwarded path: the sentence names what was tried
    engine = Engine(endpoint(sshd, demo_engine, config, url=f"ssh://root@127.0.0.1:{sshd.port}/no/such.sock"), use_disk_cache=False)
    try:
        with pytest.raises(EngineError) as err:
            await engine.snapshot()
    finally:
        await engine.close()
    assert err.value.kind == "ssh-no-docker" and "no docker CLI" in err.value.message and "/no/such.sock" in err.value.message
    assert not ours(str(config))


def run_cli(*args: str, config: str = "/nonexistent/config.toml") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCKERTUI_CONFIG": config}
    env.pop("DOCKER_HOST", None)
    return subprocess.run([sys.executable, "-m", "dockertui", *args], capture_output=True, text=True, timeout=60, env=env)


def test_check_and_tree_over_ssh(demo_engine: str, sshd: Sshd, tmp_path: Path) -> None:
    config = sshd.client_config(tmp_path / "ssh")
    url = sshd.url(demo_engine)
    out = run_cli("--check", "-H", url, "--ssh-config", str(config))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"ok: ssh://root@127.0.0.1:{sshd.port}/") and " Docker " in out.stdout
    assert out.stdout.rstrip().endswith("(via ssh, 'docker system dial-stdio' on the remote)")
    settings = tmp_path / "config.toml"  # the ssh settings from the config file's [ssh] this time
    settings.write_text(f'[ssh]\nconfig = "{config}"\noptions = ["ServerAliveInterval=20"]\n')
    out = run_cli("tree", "-H", url, "--format", "json", config=str(settings))
    assert out.returncode == 0, out.stderr
    assert "demo/base:latest" in out.stdout
    bad = run_cli("--check", "-H", url, "--ssh-config", str(config), "--ssh-option", f"UserKnownHostsFile={sshd.dir / 'known_hosts_wrong'}")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "host key" in bad.stderr
    assert run_cli("--check", "-H", url, "--ssh-option", "nonsense").returncode == 2
    assert not ours(str(config))


def test_quit_sighup_and_sigkill_leave_no_ssh_process(demo_engine: str, sshd: Sshd, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    """The app in a real terminal over ssh: exec works; after q and after SIGHUP no ssh process of ours
    and no relay folder remains; after SIGKILL the kernel ends the ssh children (PR_SET_PDEATHSIG)."""
    c = observer.containers.run("demo/base:latest", ["sleep", "600"], detach=True, name=f"aaa-sshx-{run_label}",
                                labels={"dockertui.test": run_label})
    for how in ("quit", "hangup", "kill"):
        before = relay_dirs()
        config = sshd.client_config(tmp_path / how)
        env = {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache"), "DOCKERTUI_CONFIG": str(tmp_path / "none.toml")}
        app = PtyApp(["-H", sshd.url(demo_engine), "--ssh-config", str(config)], env)
        try:
            app.wait_for(f"aaa-sshx-{run_label}", timeout=30)
            assert ours(str(config))
            if how == "quit":
                app.type("/", *f"aaa-sshx-{run_label}", "enter")
                mark = app.mark()
                app.type("e")
                app.wait_for("/ # ", since=mark, timeout=40)  # a loaded machine: exec over ssh takes a few channels
                app.type("touch /proof-over-ssh; exit\r")
                app.wait_for("exited with code 0", since=mark, timeout=40)
                app.wait_for("Start/stop", since=mark, timeout=20)
                assert c.exec_run("test -f /proof-over-ssh").exit_code == 0
                app.type("q")
                assert app.wait_exit() == 0
            elif how == "hangup":
                os.kill(app.pid, signal.SIGHUP)
                assert app.wait_exit() == 128 + signal.SIGHUP  # the app ends itself on SIGHUP, as on q
            else:
                os.kill(app.pid, signal.SIGKILL)
                assert app.wait_exit() == -signal.SIGKILL
            deadline = time.monotonic() + 5
            while ours(str(config)) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not ours(str(config)), f"after {how}: {ours(str(config))}"
            left = relay_dirs() - before
            if how == "kill":  # nobody could remove it: only the (empty of processes) folder stays
                for name in left:
                    subprocess.run(["rm", "-rf", f"/tmp/{name}"], check=True)
            else:
                assert not left, f"after {how}: relay folder {left} left behind"
        finally:
            app.close()


def test_ssh_asks_on_the_real_terminal_then_the_dashboard_comes_back(demo_engine: str, sshd: Sshd, tmp_path: Path) -> None:
    """Without BatchMode and with the host unknown, ssh asks about the host key on the terminal;
    the answer is typed once, the key is recorded, and the dashboard comes up."""
    config = sshd.client_config(tmp_path / "ask", known_hosts=None, batch=False)
    env = {"DOCKERTUI_CACHE_DIR": str(tmp_path / "cache"), "DOCKERTUI_CONFIG": str(tmp_path / "none.toml")}
    app = PtyApp(["-H", sshd.url(demo_engine), "--ssh-config", str(config)], env)
    try:
        app.wait_for("Are you sure you want to continue connecting", timeout=30)
        app.type("yes\r")
        app.wait_for("demo-web", timeout=30)
        assert "127.0.0.1" in (tmp_path / "ask" / "known_hosts").read_text()
        app.type("q")
        assert app.wait_exit() == 0
    finally:
        app.close()
    assert not ours(str(config))


async def test_streams_and_transfers_over_ssh(demo_engine: str, sshd: Sshd, registry: str, observer: docker.DockerClient, run_label: str, tmp_path: Path) -> None:
    """Build, save, load, push, pull, stats and top through the relay, checked through the SDK."""
    from dockertui.engine.metrics import Sampler, top
    from dockertui.engine.transfer import build, load, pull, push, save

    config = sshd.client_config(tmp_path / "ssh")
    engine = Engine(endpoint(sshd, demo_engine, config), use_disk_cache=False)
    try:
        await engine.connect()
        context = tmp_path / "ctx"
        context.mkdir()
        (context / "Dockerfile").write_text(f"FROM demo/base:latest\nLABEL dockertui.test={run_label}\nRUN echo built > /built-over-ssh\n")
        ref = f"{registry}/dtt-{run_label}/viassh:1"
        async for _ in build(engine, context, ref):
            pass
        built = observer.images.get(ref)
        tar = tmp_path / "image.tar"
        async for _ in save(engine, ref, tar):
            pass
        assert tar.stat().st_size > 10_000
        async for _ in push(engine, ref):
            pass
        observer.images.remove(ref, force=True)
        async for _ in load(engine, tar):
            pass
        assert observer.images.get(ref).id == built.id
        observer.images.remove(ref, force=True)
        async for _ in pull(engine, ref):
            pass
        assert observer.images.get(ref).id == built.id
        c = observer.containers.run(ref, ["sleep", "600"], detach=True, name=f"stats-{run_label}", labels={"dockertui.test": run_label})
        stats = await Sampler(engine).sample([c.id])
        assert c.id in stats
        titles, rows = await top(engine, c.id)
        assert any("sleep 600" in " ".join(row) for row in rows), (titles, rows)
    finally:
        await engine.close()
    assert not ours(str(config))
