#!/usr/bin/env bash
# make dist: everything a user installs, in dist/ (build/ holds the intermediate steps; nothing is
# cached outside the checkout):
#   dockertui-<v>-py3-none-any.whl, dockertui-<v>.tar.gz   (python -m build, then twine check --strict)
#   dockertui-<v>-linux-<arch>                              one file that needs only the C library: the
#       PyInstaller one-folder build behind a small launcher (scripts/onefile/launcher.c) that unpacks
#       it once into the user's cache, so only the first start pays for unpacking.
# The build tools come from the lock (constraints.txt, the `dist` extra); gcc and zlib's static
# library are installed when missing (root on Debian), as scripts/engine.sh does for the engine.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
py=${1:-$here/.venv/bin/python}
cd "$here"
say() { printf 'dist: %s\n' "$*" >&2; }

need=()
command -v gcc >/dev/null || need+=(gcc libc6-dev)
command -v objdump >/dev/null || need+=(binutils)
[[ -f /usr/lib/$(uname -m)-linux-gnu/libz.a || -f /usr/lib/libz.a ]] || need+=(zlib1g-dev)
if ((${#need[@]})); then
    if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
        say "missing: ${need[*]}; install them (Debian: apt-get install ${need[*]}) and try again"
        exit 1
    fi
    say "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

version=$("$py" -c 'import dockertui; print(dockertui.__version__)')
arch=$(uname -m)
onefile="dist/dockertui-$version-linux-$arch"
rm -rf dist build/onefile/dist
mkdir -p dist build/onefile

# 1. sdist, then the wheel built from that sdist (so a file missing from the sdist fails here)
say "wheel and sdist"
"$py" -m build --no-isolation --outdir dist . >build/build.log 2>&1 || { tail -n 30 build/build.log >&2; exit 1; }
"$py" -m twine check --strict dist/*.whl dist/*.tar.gz

# 2. the one-folder build; PyInstaller's own cache stays in build/ too
say "one-folder build (PyInstaller)"
export PYINSTALLER_CONFIG_DIR=$here/build/onefile/config
# textual imports its widgets lazily, rich its unicode tables: collect them all
"$py" -m PyInstaller --noconfirm --log-level WARN --onedir --strip --name dockertui \
    --distpath build/onefile/dist --workpath build/onefile/work --specpath build/onefile \
    --paths . --collect-data dockertui --collect-submodules textual --collect-submodules rich \
    scripts/onefile/entry.py >build/onefile/pyinstaller.log 2>&1 ||
    { tail -n 30 build/onefile/pyinstaller.log >&2; exit 1; }

# 3. the launcher (zlib linked in statically), then launcher + folder + trailer = one file
say "one file"
gcc -O2 -s -Wall -Wextra -Werror -o build/onefile/launcher scripts/onefile/launcher.c -l:libz.a
"$py" scripts/onefile/pack.py build/onefile/launcher build/onefile/dist/dockertui "$onefile" >/dev/null

# the newest C library symbol version any part needs: the oldest glibc the file runs with
glibc=$(find build/onefile/dist/dockertui build/onefile/launcher -type f \( -name '*.so*' -o -perm -u+x \) -print0 |
    xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u -V | tail -n 1)
echo "${glibc#GLIBC_}" >build/onefile/glibc
size() { du -sb "$1" | cut -f1 | awk '{printf "%.1f MiB", $1 / 1048576}'; }
say "$(ls dist/*.whl) $(size dist/*.whl); $(ls dist/*.tar.gz) $(size dist/*.tar.gz)"
say "$onefile $(size "$onefile") (unpacked: $(size build/onefile/dist/dockertui)), needs glibc >= ${glibc#GLIBC_}"
