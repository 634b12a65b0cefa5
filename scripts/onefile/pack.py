"""Make the one-file program: the launcher (launcher.c) followed by a folder, compressed, and a
trailer (the format is described at the top of launcher.c).

    python scripts/onefile/pack.py LAUNCHER FOLDER OUT
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import struct
import sys
from pathlib import Path

MAGIC = b"DTUIPACK"


def records(folder: Path) -> bytes:
    """The folder as records, in a stable order (directories before what they hold)."""
    out = io.BytesIO()

    def name(p: Path) -> bytes:
        rel = p.relative_to(folder).as_posix().encode()
        return struct.pack("<I", len(rel)) + rel

    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        here = Path(dirpath)
        for d in dirnames:
            p = here / d
            if p.is_symlink():
                target = os.readlink(p).encode()
                out.write(b"L" + name(p) + struct.pack("<I", len(target)) + target)
            else:
                out.write(b"D" + struct.pack("<I", stat.S_IMODE(p.stat().st_mode)) + name(p))
        dirnames[:] = [d for d in dirnames if not (here / d).is_symlink()]
        for f in sorted(filenames):
            p = here / f
            if p.is_symlink():
                target = os.readlink(p).encode()
                out.write(b"L" + name(p) + struct.pack("<I", len(target)) + target)
                continue
            data = p.read_bytes()
            out.write(b"F" + struct.pack("<I", stat.S_IMODE(p.stat().st_mode)) + name(p) + struct.pack("<Q", len(data)) + data)
    out.write(b"E")
    return out.getvalue()


def pack(launcher: Path, folder: Path, dest: Path) -> str:
    payload = gzip.compress(records(folder), compresslevel=9, mtime=0)
    ident = hashlib.sha256(payload).hexdigest()[:32]
    head = launcher.read_bytes()
    trailer = MAGIC + struct.pack("<QQ", len(head), len(payload)) + ident.encode() + b"\0" * 8
    assert len(trailer) == 64
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.write_bytes(head + payload + trailer)
    tmp.chmod(0o755)
    tmp.replace(dest)
    return ident


if __name__ == "__main__":
    launcher, folder, dest = (Path(a) for a in sys.argv[1:4])
    print(pack(launcher, folder, dest))
