#!/usr/bin/env bash
# Real image registries for pull/push/login tests and the demo: Debian's docker-registry on loopback
# (127.0.0.0/8, which the engine treats as insecure: plain HTTP). Two flavours, each with its own
# state folder, storage and port:
#   open   .engine/registry        anyone may pull and push
#   auth   .engine/registry-auth   htpasswd (bcrypt, made with htpasswd -B) with one user, "dockertui",
#                                  whose password is generated once and kept in the folder (mode 0600)
# The port is picked free on first start and recorded in the folder (several checkouts run their
# tests at once on one machine: no fixed port), and kept across restarts while it stays free.
#
#   scripts/registry.sh start [open|auth]        install what is missing (root on Debian), start or reuse
#   scripts/registry.sh stop [open|auth]         end exactly the registry named by its pidfile
#   scripts/registry.sh host [open|auth]         print 127.0.0.1:PORT (of a started registry)
#   scripts/registry.sh credentials [auth]       print "dockertui PASSWORD"
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
flavour=${2:-open}
case $flavour in
open) state=${DOCKERTUI_ENGINE_DIR:-$here/.engine}/registry ;;
auth) state=${DOCKERTUI_ENGINE_DIR:-$here/.engine}/registry-auth ;;
*) echo "registry: unknown flavour '$flavour' (open or auth)" >&2; exit 2 ;;
esac
pidfile="$state/registry.pid"
portfile="$state/port"
user=dockertui
say() { printf 'registry(%s): %s\n' "$flavour" "$*" >&2; }
# shellcheck source=scripts/lib.sh
. "$here/scripts/lib.sh"

addr() { printf '127.0.0.1:%s' "$(<"$portfile")"; }

# any answer (200 or 401) from /v2/ means a registry listens there
up() { [[ -f $portfile ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$(addr)/v2/" 2>/dev/null) =~ ^(200|401)$ ]]; }

running_pid() { pidfile_pid "$pidfile" docker-registry; }

install() {
    local missing=()
    command -v docker-registry >/dev/null || missing+=(docker-registry)
    if [[ $flavour == auth ]] && ! command -v htpasswd >/dev/null; then missing+=(apache2-utils); fi
    apt_install "${missing[@]}"
}

start() {
    mkdir -p "$state/data"
    chmod 700 "$state"
    if running_pid >/dev/null && up; then
        return 0
    fi
    stop_quietly
    install
    if [[ ! -f $portfile ]] || ! port_free "$(<"$portfile")"; then
        free_port >"$portfile"
    fi
    local auth_yaml=""
    if [[ $flavour == auth ]]; then
        if [[ ! -s $state/password ]]; then
            (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$state/password")
        fi
        htpasswd -Bbc "$state/htpasswd" "$user" "$(<"$state/password")" 2>/dev/null
        auth_yaml="auth:
  htpasswd:
    realm: dockertui-test
    path: $state/htpasswd"
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
  addr: $(addr)
$auth_yaml
YAML
    setsid docker-registry serve "$state/config.yml" >"$state/registry.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
        up && { say "ready at $(addr) (pid $(<"$pidfile"))"; return 0; }
        sleep 0.1
    done
    say "did not come up; see $state/registry.log"
    exit 1
}

stop_quietly() {
    local pid
    if pid=$(running_pid); then
        kill "$pid"
        rm -f "$pidfile"
        say "stopped (pid $pid)"
    fi
}

case ${1:-} in
start) start ;;
stop) stop_quietly ;;
host)
    [[ -f $portfile ]] || { say "not started (scripts/registry.sh start $flavour)"; exit 1; }
    addr
    echo
    ;;
credentials)
    [[ -s $state/password ]] || { say "no password yet (scripts/registry.sh start auth)"; exit 1; }
    printf '%s %s\n' "$user" "$(<"$state/password")"
    ;;
*) echo "usage: $0 start|stop|host|credentials [open|auth]" >&2; exit 2 ;;
esac
