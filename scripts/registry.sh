#!/usr/bin/env bash
# A real image registry for pull/push tests and the demo: Debian's docker-registry, on loopback
# (127.0.0.1:5000, which the private engine treats as insecure), storage under .engine/registry.
#
#   scripts/registry.sh start   install it if missing (root on Debian), start or reuse ours
#   scripts/registry.sh stop    end exactly the registry named by our pidfile
#   scripts/registry.sh host    print 127.0.0.1:5000
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${DOCKERTUI_ENGINE_DIR:-$here/.engine}/registry
addr=127.0.0.1:5000
pidfile="$state/registry.pid"
say() { printf 'registry: %s\n' "$*" >&2; }

up() { curl -sf --max-time 2 "http://$addr/v2/" >/dev/null 2>&1; }

running_pid() {
    [[ -f $pidfile ]] || return 1
    local pid
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -q docker-registry "/proc/$pid/cmdline" 2>/dev/null || return 1
    printf '%s' "$pid"
}

start() {
    mkdir -p "$state/data"
    if running_pid >/dev/null && up; then
        return 0
    fi
    if up; then
        say "something else answers at $addr; using it"
        return 0
    fi
    if ! command -v docker-registry >/dev/null; then
        if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
            say "docker-registry is missing; install it (Debian: apt-get install docker-registry)"
            exit 1
        fi
        say "installing docker-registry"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends docker-registry >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends docker-registry >/dev/null; }
    fi
    cat >"$state/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state/data
  delete:
    enabled: true
http:
  addr: $addr
YAML
    setsid docker-registry serve "$state/config.yml" >"$state/registry.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
        up && { say "ready at $addr (pid $(<"$pidfile"))"; return 0; }
        sleep 0.1
    done
    say "did not come up; see $state/registry.log"
    exit 1
}

stop() {
    local pid
    if pid=$(running_pid); then
        kill "$pid"
        rm -f "$pidfile"
        say "stopped (pid $pid)"
    fi
}

case ${1:-} in
start) start ;;
stop) stop ;;
host) printf '%s\n' "$addr" ;;
*) echo "usage: $0 start|stop|host" >&2; exit 2 ;;
esac
