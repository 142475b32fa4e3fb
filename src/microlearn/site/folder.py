"""The output folder: what may be replaced by a build, and what the CLI says when a build stopped."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from microlearn.errors import MicrolearnError, shown_path
from microlearn.project.config import CONFIG_NAME, Config, load_config
from microlearn.site.cache import CACHE_DIR, BuildCache
from microlearn.site.writer import SITE_MARKER


def check_output_folder(target: Path, config: Config, given: bool = True,
                        known: Mapping[str, tuple] | None = None) -> None:
    """The build replaces its output folder whole: never let that be a file, the project, its sources,
    the cache, or a folder that holds something other than a site we built (one with our marker file,
    or a site an older microlearn built whose files are exactly those its cache manifest lists).

    ``given``: the folder came from -o (else from 'output_dir' in microlearn.yml), for the message."""
    shown = f"'{shown_path(target)}'"
    where = "-o" if given else f"'output_dir' in {CONFIG_NAME}"
    resolved = target.resolve()
    root = config.root.resolve()
    if target.is_symlink() and not target.exists():
        raise MicrolearnError(f"the output folder {shown} ({where}) is a broken symbolic link; remove it or "
                              "choose another folder")
    if target.exists() and not target.is_dir():
        raise MicrolearnError(f"the output folder {shown} ({where}) is a file, not a folder; the build would "
                              "replace it: choose a new or empty folder")
    if resolved == root:
        raise MicrolearnError(f"the output folder {shown} ({where}) is the project itself; the build "
                              "replaces the whole folder: choose a new one, such as 'site'")
    if root.is_relative_to(resolved):
        raise MicrolearnError(f"the output folder {shown} ({where}) contains the project; the build replaces "
                              "the whole folder: choose a new one, such as 'site'")
    for name in (config.content_dir, "themes", "locales", CACHE_DIR):
        source = (root / name).resolve()
        if resolved == source or resolved.is_relative_to(source) or source.is_relative_to(resolved):
            raise MicrolearnError(f"the output folder {shown} ({where}) would overwrite the project's "
                                  f"{name}/; choose another folder, such as 'site'")
    if target.is_dir() and any(target.iterdir()) and not is_site(target, known or {}):
        raise MicrolearnError(
            f"the output folder exists and is not a site microlearn built: {shown} ({where}) has no "
            f"{SITE_MARKER} file; choose a new or empty folder (the build replaces the whole folder). If it "
            "is a site an older microlearn built, delete it and build again")


def stopped_note(root: Path, out: Path | None) -> str:
    """What the CLI says after a build stopped: whether a previous site stands (a failed build never
    touches it) or nothing was written."""
    try:
        config = load_config(root)
        target = out or (config.root / config.output_dir)
        known = BuildCache(config.root, target).known_files()
    except (MicrolearnError, OSError):
        if out is None:
            return "build stopped; nothing was written"
        target, known = out, {}
    if is_site(target, known):
        return "build stopped; the previous site is unchanged"
    return "build stopped; nothing was written"


def is_site(folder: Path, known: Mapping[str, tuple]) -> bool:
    """``folder`` holds a site microlearn built: it has our marker file, or (a site of a version before
    the marker) its files are exactly those the cache manifest of the last build lists, sizes included."""
    if not folder.is_dir():
        return False
    if (folder / SITE_MARKER).is_file():
        return True
    if not known or "index.html" not in known:
        return False
    base = folder.resolve()
    found: dict[str, int] = {}
    for dirpath, _dirs, names in os.walk(base):
        for name in names:
            path = os.path.join(dirpath, name)
            try:
                size = os.stat(path, follow_symlinks=False).st_size
                found[os.path.relpath(path, base).replace(os.sep, "/")] = size
            except OSError:
                return False
    try:
        return found == {relpath: int(record[1]) for relpath, record in known.items()}
    except (TypeError, ValueError, IndexError):
        return False
