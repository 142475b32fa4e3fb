"""Writing a site atomically: build beside the target, then swap, so an interrupted build leaves
the previous site as it was. Unchanged files are hard-linked from the previous site, so their
modification times stay.

Every site holds the marker file ``SITE_MARKER``; build.check_output_folder replaces only a folder that
has it (or that a cache manifest describes exactly: a site of an older version), and never a file.

Where the rules are enforced: ``safe_relpath`` (nothing outside the output folder), ``SiteWriter``
(staging folder ``.<name>.building-<pid>`` beside the target, swapped in one step by ``commit``, removed
on any failure), ``_sweep`` (what a killed build left behind)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Self

from microlearn.errors import MicrolearnError
from microlearn.files import checked_relpath, digest

_RENAME_EXCHANGE = 2

# Written into every site: the build replaces an existing folder only when it holds this file (or is
# a site of an older version that its cache manifest describes exactly: build.is_site).
SITE_MARKER = ".microlearn-site"
SITE_MARKER_TEXT = (b"This folder is a site built by microlearn. The next 'microlearn build' replaces it whole: "
                    b"keep nothing else in it.\n")

# What a file of the previous site is known to hold: content hash, size, mtime_ns, inode. When the
# file on disk still has that size, mtime and inode, its bytes need not be read to compare them.
Known = tuple[str, int, int, int, int]


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


def _fail(err: OSError, out: Path) -> MicrolearnError:
    state = "the previous site is unchanged" if out.is_dir() else "nothing was written"
    return MicrolearnError(f"could not write the site: {err.strerror or err}; {state}", out)


class SiteWriter:
    """The next version of a site, staged beside it and swapped in by ``commit``.

    ``write`` stores a file (hard-linking the previous site's file when it holds the same bytes);
    ``keep`` links the previous file without reading it. Both may be called from forked worker
    processes: each call touches only its own path. Leaving the ``with`` block without ``commit``
    removes the staging folder and leaves the previous site untouched.
    """

    def __init__(self, out: Path, known: Mapping[str, Known] | None = None) -> None:
        self.out = out.resolve()
        self.known = known or {}
        self.staging = self.out.parent / f".{self.out.name}.building-{os.getpid()}"
        self.written = 0
        self.kept = 0
        self._folders: set[str] = set()

    def __enter__(self) -> Self:
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            _sweep(self.out)
            self.staging.mkdir()
            return self  # inside the try: an interrupt before the with block starts still cleans up
        except OSError as err:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise _fail(err, self.out) from None
        except BaseException:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise

    def __exit__(self, *exc) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)

    def _target(self, relpath: str) -> tuple[str, str]:
        """Where ``relpath`` goes in the staging folder (its folder made) and where it was before."""
        relpath = checked_relpath(relpath)
        target = os.path.join(self.staging, relpath)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return target, os.path.join(self.out, relpath)

    def unchanged(self, relpath: str) -> bool:
        """The previous site's file is exactly as the last build wrote it."""
        record = self.known.get(relpath)
        if record is None:
            return False
        try:
            st = os.stat(os.path.join(self.out, checked_relpath(relpath)), follow_symlinks=False)
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns) == tuple(record[1:5])

    def write(self, relpath: str, data: bytes) -> str:
        """Stage ``data`` at ``relpath``; returns its content hash."""
        sha = digest(data)
        try:
            target, previous = self._target(relpath)
            record = self.known.get(relpath)
            if (record is not None and record[0] == sha and self.unchanged(relpath)) or _same(Path(previous), data):
                os.link(previous, target)
                self.kept += 1
            else:
                with open(target, "wb") as fh:
                    fh.write(data)
                self.written += 1
        except OSError as err:
            raise _fail(err, self.out) from None
        return sha

    def keep(self, relpath: str) -> None:
        """Stage the previous site's file at ``relpath`` as it is (the caller checked ``unchanged``)."""
        try:
            target, previous = self._target(relpath)
            os.link(previous, target)
        except OSError as err:
            raise _fail(err, self.out) from None
        self.kept += 1

    def staged(self, relpath: str) -> Path:
        return self.staging / checked_relpath(relpath)

    def commit(self) -> None:
        """Put the staged site in place of the previous one, in one step where the system allows."""
        out, staging = self.out, self.staging
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        try:
            if out.is_symlink() or (out.exists() and not out.is_dir()):
                raise MicrolearnError("the output folder is not a folder; nothing was written", out)
            if not out.exists():
                staging.rename(out)
                return
            exchanged = _exchange(staging, out)
            if not exchanged:
                out.rename(old)
                staging.rename(out)
        except OSError as err:
            raise _fail(err, out) from None
        # The new site is in place: what is left of the previous one goes, and if some of it cannot,
        # the next build sweeps it (_sweep); the previous site is gone either way.
        shutil.rmtree(staging if exchanged else old, ignore_errors=True)

    def stats(self) -> dict[str, int]:
        return {"written": self.written, "kept": self.kept}



def file_record(out: Path, relpath: str, sha: str) -> Known:
    st = os.stat(os.path.join(out, checked_relpath(relpath)), follow_symlinks=False)
    return (sha, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


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
