"""Safe site paths and one-step file writes: the bottom of the writing side."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

from microlearn.errors import MicrolearnError


def safe_relpath(relpath: str) -> PurePosixPath:
    """A site path that cannot leave the output folder."""
    p = PurePosixPath(relpath)
    if p.is_absolute() or ".." in p.parts or not p.parts or "\\" in relpath or "\x00" in relpath:
        raise MicrolearnError(f"refusing to write '{relpath}' outside the output folder")
    return p


def checked_relpath(relpath: str) -> str:
    """``relpath`` if it is a safe site path (as safe_relpath decides, on the string: called per file)."""
    if not relpath or relpath[0] == "/" or "\\" in relpath or "\x00" in relpath or \
            ".." in relpath.split("/") or not relpath.strip("/."):
        raise MicrolearnError(f"refusing to write '{relpath}' outside the output folder")
    return relpath


def replace_file(path: Path, data: bytes) -> None:
    """Write ``path`` in one step: a reader sees the old bytes or the new ones, never half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
