#!/usr/bin/env bash
# Make a virtualenv with a Python >= 3.11, installing Debian's python3-venv when we are root and it is missing.
set -euo pipefail
venv=${1:-.venv}
py=""
for cand in python3.13 python3.12 python3.11 python3; do
    if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        py=$cand
        break
    fi
done
if [[ -z $py ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
        py=python3
    else
        echo "bootstrap: dockertui needs Python >= 3.11" >&2
        exit 1
    fi
fi
if [[ ! -x $venv/bin/python ]]; then
    if ! "$py" -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
            ver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
            apt-get update -qq >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python$ver-venv" >/dev/null 2>&1 ||
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        fi
        "$py" -m venv "$venv"
    fi
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
