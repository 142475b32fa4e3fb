"""Writing a site atomically: build beside the target, then swap, so an interrupted build leaves
the previous site as it was. Unchanged files are hard-linked from the previous site, so their
modification times stay."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
from pathlib import Path, PurePosixPath

from .errors import MicrolearnError

_RENAME_EXCHANGE = 2


def safe_relpath(relpath: str) -> PurePosixPath:
    """A site path that cannot leave the output folder."""
    p = PurePosixPath(relpath)
    if p.is_absolute() or ".." in p.parts or not p.parts or "\\" in relpath or "\x00" in relpath:
        raise MicrolearnError(f"refusing to write '{relpath}' outside the output folder")
    return p


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def write_site(files: dict[str, bytes], out: Path) -> dict[str, int]:
    """Replace ``out`` with exactly ``files``; return counts of written and kept files."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    _sweep(out)
    written = kept = 0
    try:
        for relpath in sorted(files):
            data = files[relpath]
            rel = safe_relpath(relpath)
            target = tmp.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = out.joinpath(*rel.parts)
            if _same(previous, data):
                os.link(previous, target)
                kept += 1
            else:
                with open(target, "wb") as fh:
                    fh.write(data)
                written += 1
        if out.exists():
            if not _exchange(tmp, out):
                out.rename(old)
                tmp.rename(out)
            else:
                tmp, old = out, tmp  # after the swap the old site sits at the temporary name
                shutil.rmtree(old)
                return {"written": written, "kept": kept}
        else:
            tmp.rename(out)
        if old.exists():
            shutil.rmtree(old)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise MicrolearnError(f"could not write the site: {err.strerror or err}; the previous site is "
                              "unchanged", out) from None
    finally:
        if tmp.exists() and tmp != out:
            shutil.rmtree(tmp, ignore_errors=True)
    return {"written": written, "kept": kept}


def _sweep(out: Path) -> None:
    """Remove what builds of ``out`` killed before they could clean up left beside it (their process
    is gone); a build still running keeps its folder."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(?:building|old)-(\d+)$")
    for entry in out.parent.iterdir():
        match = pattern.match(entry.name)
        if match and (int(match.group(1)) == os.getpid() or not _alive(int(match.group(1)))):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False
