#!/usr/bin/env bash
# A private Podman service for the tests: Podman's Docker-compatible API on its own unix socket under
# .podman/ (gitignored), with its own storage root, runroot and containers.conf, so it never sees
# or touches another Podman on the machine. Containers get no network (netns none): nothing is
# added to the host's firewall or bridges. No systemd: health checks run only by `podman healthcheck run`.
#
#   scripts/podman.sh start     install what is missing (root on Debian), start or reuse the service
#   scripts/podman.sh stop      end exactly the service named by our pidfile
#   scripts/podman.sh host      print unix://<socket>
#   scripts/podman.sh cli ARGS  run the podman CLI on the private storage (e.g. healthcheck run NAME)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${DOCKERTUI_PODMAN_DIR:-$here/.podman}
mkdir -p "$state"
state=$(cd "$state" && pwd)
sock="$state/podman.sock"
pidfile="$state/podman.pid"
log="$state/podman.log"
conf="$state/containers.conf"
root="$state/storage"
# conmon's attach sockets live under the runroot: a unix socket path is limited to 107 bytes
runroot="$state/run"
if ((${#runroot} > 40)); then
    runroot="/run/dockertui-podman-$(printf '%s' "$state" | sha256sum | cut -c1-12)"
fi
ping_timeout=${DOCKERTUI_ENGINE_TIMEOUT:-60}

say() { printf 'podman: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib.sh
. "$here/scripts/lib.sh"

install_missing() {
    local need=()
    command -v podman >/dev/null || need+=(podman)
    command -v runc >/dev/null || need+=(runc)
    command -v catatonit >/dev/null || [[ -x /usr/libexec/podman/catatonit ]] || need+=(catatonit)
    [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1 || need+=(busybox-static)
    command -v curl >/dev/null || need+=(curl)
    apt_install "${need[@]}"
}

write_conf() {
    # crun fails on this machine's cgroups: runc. The nofile/nproc limits: the container would
    # otherwise inherit the service's, which some kernels refuse.
    cat >"$conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
netns = "none"
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$state/events.log"
tmp_dir = "$runroot/tmp"
EOF
}

podman_cli() {
    CONTAINERS_CONF="$conf" podman --root "$root" --runroot "$runroot" --storage-driver vfs \
        --cgroup-manager cgroupfs --events-backend file --runtime runc "$@"
}

running_pid() { pidfile_pid "$pidfile" podman; }

ping() { curl -sf --max-time 2 --unix-socket "$sock" http://podman/_ping >/dev/null 2>&1; }

start() {
    install_missing
    if running_pid >/dev/null && ping; then
        say "reusing private podman service (pid $(running_pid)) at unix://$sock"
        return 0
    fi
    if running_pid >/dev/null; then
        stop
    fi
    mkdir -p "$root" "$runroot/tmp"
    write_conf
    rm -f "$sock" "$pidfile"
    say "starting podman system service (log: $log)"
    CONTAINERS_CONF="$conf" setsid podman --root "$root" --runroot "$runroot" --storage-driver vfs \
        --cgroup-manager cgroupfs --events-backend file --runtime runc \
        system service --time=0 "unix://$sock" </dev/null >"$log" 2>&1 &
    echo $! >"$pidfile"
    local waited=0
    until ping; do
        sleep 0.5
        waited=$((waited + 1))
        if ((waited > ping_timeout * 2)) || ! running_pid >/dev/null; then
            say "the service did not answer; last lines of $log:"
            tail -n 20 "$log" >&2
            exit 1
        fi
    done
    say "private podman service ready (pid $(running_pid)) at unix://$sock"
}

stop() {
    local pid
    if ! pid=$(running_pid); then
        say "not running"
        rm -f "$pidfile"
        return 0
    fi
    stop_pid "$pid" 10
    rm -f "$pidfile"
    say "stopped (pid $pid)"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    host) printf 'unix://%s\n' "$sock" ;;
    cli)
        shift
        podman_cli "$@"
        ;;
    *)
        echo "usage: $0 start|stop|host|cli ARGS" >&2
        exit 2
        ;;
esac
