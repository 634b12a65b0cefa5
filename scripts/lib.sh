# Shared by the service scripts (engine.sh, podman.sh, registry.sh, sshd.sh): pidfiles, stopping,
# installing Debian packages, free ports. Sourced, not run; the caller defines `say`.

# pid_alive PID PROGRAM: PID is a live process whose command line names PROGRAM (a recycled PID is not ours)
pid_alive() {
    [[ $1 =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null && grep -q -- "$2" "/proc/$1/cmdline" 2>/dev/null
}

# pidfile_pid PIDFILE PROGRAM: print the PID the pidfile names when it is alive and PROGRAM's
pidfile_pid() {
    local pid
    [[ -f $1 ]] || return 1
    pid=$(<"$1")
    pid_alive "$pid" "$2" || return 1
    printf '%s' "$pid"
}

# stop_pid PID SECONDS: SIGTERM, wait up to SECONDS, then SIGKILL
stop_pid() {
    local pid=$1 ticks=$(($2 * 10))
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 "$ticks"); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    say "pid $pid did not stop in $2 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

# apt_install PACKAGE...: install what is missing, as root on Debian; otherwise say what to install.
# Another process may hold the dpkg lock for a while (unattended upgrades, a parallel checkout).
apt_install() {
    (($#)) || return 0
    if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
        say "missing: $*; install them (Debian: apt-get install $*) and try again"
        exit 1
    fi
    say "installing $*"
    export DEBIAN_FRONTEND=noninteractive
    local tries=0
    until apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
        { apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 &&
            apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }; do
        tries=$((tries + 1))
        ((tries < 30)) || { say "could not install $*"; exit 1; }
        sleep 5
    done
}

# free_port: a TCP port on 127.0.0.1 nobody listens on now
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# port_free PORT: nobody listens on 127.0.0.1:PORT
port_free() {
    python3 -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}
