#!/usr/bin/env bash
# A private sshd on loopback for the ssh:// tests and bench: its own config, host key, authorized
# keys, pidfile and log under .engine/sshd/ (gitignored), a free port chosen at start. It never
# reads or changes the machine's own sshd setup or ~/.ssh; clients use the ssh config it writes.
#
#   scripts/sshd.sh start    install openssh-server when missing (root on Debian), start or reuse
#   scripts/sshd.sh stop     end exactly the sshd named by our pidfile
#   scripts/sshd.sh port     the port it listens on
#   scripts/sshd.sh dir      its folder (keys: id_test authorized, id_nodocker authorized with a PATH
#                            without docker, id_chatty whose login prints a line first, id_refused not
#                            authorized; known_hosts, known_hosts_wrong; ssh_config for clients)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${DOCKERTUI_SSHD_DIR:-$here/.engine/sshd}
mkdir -p "$state"
state=$(cd "$state" && pwd)
pidfile="$state/sshd.pid"
log="$state/sshd.log"
conf="$state/sshd_config"

say() { printf 'sshd: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib.sh
. "$here/scripts/lib.sh"

running_pid() { pidfile_pid "$pidfile" sshd; }

install_missing() {
    [[ -x /usr/sbin/sshd ]] && command -v ssh-keygen >/dev/null && command -v docker >/dev/null && return 0
    apt_install openssh-server openssh-client
}

keys() {
    [[ -f $state/host_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C dockertui-test-host -f "$state/host_ed25519"
    [[ -f $state/other_host_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C dockertui-test-other -f "$state/other_host_ed25519"
    for name in id_test id_nodocker id_chatty id_refused; do
        [[ -f $state/$name ]] || ssh-keygen -q -t ed25519 -N '' -C "dockertui-$name" -f "$state/$name"
    done
    {
        cat "$state/id_test.pub"
        # a remote without the docker CLI on its PATH (the socket stays reachable by forwarding)
        printf 'environment="PATH=/nonexistent" %s\n' "$(cat "$state/id_nodocker.pub")"
        # a login that prints text before the command runs (as a chatty ~/.bashrc does)
        printf 'command="echo Welcome to the box; eval \\"$SSH_ORIGINAL_COMMAND\\"" %s\n' "$(cat "$state/id_chatty.pub")"
    } >"$state/authorized_keys"
    chmod 600 "$state"/id_* "$state/authorized_keys"
}

write_config() {
    local port=$1
    cat >"$conf" <<EOF
# dockertui's private test sshd (scripts/sshd.sh); nothing of the machine's own sshd is used
ListenAddress 127.0.0.1:$port
HostKey $state/host_ed25519
PidFile $pidfile
AuthorizedKeysFile $state/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
PermitUserEnvironment yes
AllowStreamLocalForwarding yes
UsePAM no
StrictModes no
PrintMotd no
PrintLastLog no
MaxSessions 10
LogLevel VERBOSE
# the sessions' HOME: an empty folder, so the machine's own ~/.bashrc (and its cost) stays out
SetEnv HOME=$state/home
EOF
    mkdir -p "$state/home"
    printf '%s' "$port" >"$state/port"
    # the client side: only these files, never ~/.ssh
    {
        printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$state/host_ed25519.pub")"
    } >"$state/known_hosts"
    {
        printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$state/other_host_ed25519.pub")"
    } >"$state/known_hosts_wrong"
    cat >"$state/ssh_config" <<EOF
# client config for dockertui's tests: --ssh-config $state/ssh_config
Host *
    IdentityFile $state/id_test
    IdentitiesOnly yes
    IdentityAgent none
    UserKnownHostsFile $state/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    UpdateHostKeys no
    LogLevel ERROR
EOF
}

start() {
    install_missing
    if running_pid >/dev/null && [[ -f $state/port ]]; then
        say "reusing private sshd (pid $(running_pid)) on 127.0.0.1:$(<"$state/port")"
        return 0
    fi
    keys
    mkdir -p /run/sshd  # sshd's privilege separation folder (compiled in)
    local port tries=0
    while :; do
        port=$(free_port)
        write_config "$port"
        rm -f "$pidfile"
        /usr/sbin/sshd -f "$conf" -E "$log"
        for _ in $(seq 1 50); do
            running_pid >/dev/null && break
            sleep 0.1
        done
        if running_pid >/dev/null; then
            say "private sshd ready (pid $(running_pid)) on 127.0.0.1:$port"
            return 0
        fi
        tries=$((tries + 1))
        if ((tries >= 3)); then
            say "sshd did not start; last lines of $log:"
            tail -n 20 "$log" >&2
            exit 1
        fi
    done
}

stop() {
    local pid
    if ! pid=$(running_pid); then
        say "not running"
        rm -f "$pidfile"
        return 0
    fi
    stop_pid "$pid" 5
    rm -f "$pidfile"
    say "stopped"
}

case ${1:-} in
start) start ;;
stop) stop ;;
port) cat "$state/port" ;;
dir) printf '%s\n' "$state" ;;
*)
    echo "usage: $0 start|stop|port|dir" >&2
    exit 2
    ;;
esac
