#!/usr/bin/env bash
# The project's private Docker engine: its own data-root, exec-root, pidfile and unix socket under
# .engine/ (gitignored), its own containerd namespace, no docker0 and no iptables rules, so it never
# fights another engine on the machine. Tests, the demo and the bench only ever talk to this one.
#
#   scripts/engine.sh start    install what is missing (root on Debian), start or reuse the daemon
#   scripts/engine.sh stop     end exactly the daemon named by our pidfile
#   scripts/engine.sh status   say whether it runs and where
#   scripts/engine.sh env      print `export DOCKER_HOST=...` for eval
#   scripts/engine.sh seed     start, then build and run the demo images and containers
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${DOCKERTUI_ENGINE_DIR:-$here/.engine}
mkdir -p "$state"
state=$(cd "$state" && pwd)
sock="$state/docker.sock"
pidfile="$state/docker.pid"
log="$state/dockerd.log"
data="$state/data"
# containerd and shim sockets live under exec-root; a unix socket path is limited to 107 bytes,
# so a checkout deep in the file system keeps its exec-root in /run, linked from .engine/exec.
exec_root="$state/exec"
if ((${#exec_root} > 40)); then
    exec_root="/run/dockertui-$(printf '%s' "$state" | sha256sum | cut -c1-12)"
    ln -sfn "$exec_root" "$state/exec"
fi
ns="dockertui-$(printf '%s' "$state" | sha256sum | cut -c1-8)"
python=${PYTHON:-$here/.venv/bin/python}
ping_timeout=${DOCKERTUI_ENGINE_TIMEOUT:-60}

say() { printf 'engine: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib.sh
. "$here/scripts/lib.sh"

running_pid() {
    local pid
    if [[ -f $pidfile ]]; then
        pid=$(<"$pidfile")
    else
        # pidfile lost (e.g. the folder was removed under a running daemon): find ours by its socket
        pid=$(pgrep -f -- "--host unix://$sock " | head -n 1) || return 1
    fi
    pid_alive "$pid" dockerd || return 1
    printf '%s' "$pid"
}

ping() { curl -sf --max-time 2 --unix-socket "$sock" http://engine/_ping >/dev/null 2>&1; }

install_missing() {
    local need=()
    command -v dockerd >/dev/null || need+=(docker.io)
    [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1 || need+=(busybox-static)
    command -v curl >/dev/null || need+=(curl)
    apt_install "${need[@]}"
}

start() {
    install_missing
    if running_pid >/dev/null && ping; then
        say "reusing private engine (pid $(running_pid)) at unix://$sock"
        return 0
    fi
    if running_pid >/dev/null; then
        say "pid $(running_pid) does not answer; stopping it"
        stop
    fi
    mkdir -p "$data" "$exec_root"
    rm -f "$sock" "$pidfile"
    say "starting dockerd (log: $log)"
    # setsid: the daemon outlives this shell and is not hit by the terminal's signals.
    setsid dockerd \
        --host "unix://$sock" \
        --data-root "$data" \
        --exec-root "$exec_root" \
        --pidfile "$pidfile" \
        --containerd-namespace "$ns" \
        --containerd-plugins-namespace "$ns-plugins" \
        --bridge none \
        --iptables=false \
        --ip6tables=false \
        --ip-masq=false \
        --storage-driver "${DOCKERTUI_STORAGE_DRIVER:-overlay2}" \
        --insecure-registry 127.0.0.1:5000 \
        --log-level warn \
        </dev/null >"$log" 2>&1 &
    local waited=0
    until ping; do
        sleep 0.5
        waited=$((waited + 1))
        if ((waited > ping_timeout * 2)); then
            say "dockerd did not answer within ${ping_timeout}s; last lines of $log:"
            tail -n 20 "$log" >&2
            exit 1
        fi
        if ((waited > 4)) && ! running_pid >/dev/null && ! pgrep -f -- "--host unix://$sock" >/dev/null; then
            say "dockerd exited; last lines of $log:"
            tail -n 20 "$log" >&2
            exit 1
        fi
    done
    say "private engine ready (pid $(running_pid)) at unix://$sock"
}

stop() {
    local pid
    if ! pid=$(running_pid); then
        say "not running"
        rm -f "$pidfile"
        return 0
    fi
    stop_pid "$pid" 30
    say "stopped (pid $pid)"
}

status() {
    local pid
    if pid=$(running_pid) && ping; then
        echo "running pid=$pid host=unix://$sock"
    else
        echo "stopped host=unix://$sock"
        return 3
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) printf 'export DOCKER_HOST=unix://%s\n' "$sock" ;;
    host) printf 'unix://%s\n' "$sock" ;;
    seed)
        start
        DOCKER_HOST="unix://$sock" "$python" "$here/scripts/seed.py" demo
        ;;
    *)
        echo "usage: $0 start|stop|status|env|host|seed" >&2
        exit 2
        ;;
esac
