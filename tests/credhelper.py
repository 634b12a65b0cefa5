"""A real ``docker-credential-<name>`` program for tests: the docker credential-helper protocol
(get / store / erase / list on stdin and stdout) over a folder of JSON files, one per server. The
test puts its folder first on PATH; nothing touches the user's own helpers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

SCRIPT = r'''#!{python}
import base64, json, pathlib, sys
store = pathlib.Path({store!r})
store.mkdir(parents=True, exist_ok=True)
def path(server):
    return store / (base64.urlsafe_b64encode(server.encode()).decode() + ".json")
verb = sys.argv[1] if len(sys.argv) > 1 else ""
data = sys.stdin.read()
(store / "calls.log").open("a").write(verb + "\n")
if {fail!r}:
    sys.stderr.write("gpg: keyring chatter on stderr\n")
    print({fail!r}); sys.exit(1)
if verb == "get":
    p = path(data.strip())
    if not p.exists():
        print("credentials not found in native keychain"); sys.exit(1)
    entry = json.loads(p.read_text())
    print(json.dumps({{"ServerURL": data.strip(), "Username": entry["Username"], "Secret": entry["Secret"]}}))
elif verb == "store":
    entry = json.loads(data)
    path(entry["ServerURL"]).write_text(json.dumps(entry))
elif verb == "erase":
    p = path(data.strip())
    if not p.exists():
        print("credentials not found in native keychain"); sys.exit(1)
    p.unlink()
elif verb == "list":
    out = {{}}
    for p in store.glob("*.json"):
        e = json.loads(p.read_text()); out[e["ServerURL"]] = e["Username"]
    print(json.dumps(out))
else:
    print("unknown verb " + verb); sys.exit(1)
'''


def install_helper(bin_dir: Path, name: str, store: Path, *, fail: str = "") -> Path:
    """Write ``bin_dir/docker-credential-<name>`` keeping its secrets in ``store``; ``fail`` makes
    every call print that and exit 1 (a broken helper)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    program = bin_dir / f"docker-credential-{name}"
    program.write_text(SCRIPT.format(python=sys.executable, store=str(store), fail=fail))
    program.chmod(0o755)
    return program


def on_path(bin_dir: Path) -> str:
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


def stored(store: Path) -> dict[str, dict[str, str]]:
    import json

    return {e["ServerURL"]: e for e in (json.loads(p.read_text()) for p in store.glob("*.json"))} if store.exists() else {}
