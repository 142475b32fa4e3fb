"""Find the lesson sources of a project: ``content/<lesson-id>/<lang>.md``."""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path

from microlearn.errors import MicrolearnError
from microlearn.project.config import Config

LESSON_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# A micro-lesson is a few kilobytes; one far larger is a mistake (or an attack: an 80 MB lesson took
# 4.4 GB of memory to build), refused before it is read.
MAX_LESSON_BYTES = 1_000_000


@dataclass(frozen=True)
class LessonFile:
    lesson_id: str
    lang: str
    path: Path


def find_lesson_files(config: Config) -> list[LessonFile]:
    """Every lesson file, sorted; a misnamed folder or file is a MicrolearnError."""
    content = config.root / config.content_dir
    if not content.is_dir():
        raise MicrolearnError(f"no '{config.content_dir}/' folder; lessons go in "
                              f"{config.content_dir}/<lesson-id>/<lang>.md", config.root)
    if not _inside(content, config.root):
        raise MicrolearnError(f"the '{config.content_dir}/' folder links outside the project; lessons must "
                              "be inside the project: copy them in", content)
    found: list[LessonFile] = []
    for folder in sorted(content.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            if folder.suffix == ".md":
                raise MicrolearnError(f"a lesson goes in its own folder: {config.content_dir}/<lesson-id>/"
                                      f"<lang>.md, not directly in {config.content_dir}/", folder)
            continue
        if folder.is_symlink() and not _inside(folder, config.root):
            raise MicrolearnError("this lesson folder links outside the project", folder)
        if not LESSON_ID_RE.match(folder.name):
            raise MicrolearnError(
                "a lesson folder's name is its id: lowercase letters, digits, '-' and '_' (at most 64), "
                "starting with a letter or digit; rename the folder", folder)
        for file in sorted(folder.glob("*.md")):
            lang = file.stem
            if lang not in config.languages:
                raise MicrolearnError(
                    f"'{file.name}' is not a configured language ({', '.join(config.languages)}); name "
                    f"the file <lang>.md or add '{lang}' under 'languages' in microlearn.yml", file, 1)
            if file.is_symlink() and not _inside(file, config.root):
                raise MicrolearnError("this lesson file links outside the project", file)
            check_lesson_file(file)
            found.append(LessonFile(folder.name, lang, file))
    return found


def check_lesson_file(path: Path) -> None:
    """Refuse what cannot be a lesson before anything reads it: a folder, a FIFO or a device (reading one
    would wait forever), a file larger than ``MAX_LESSON_BYTES``."""
    try:
        info = path.stat()
    except OSError as err:
        raise MicrolearnError(f"cannot read this lesson file: {err.strerror}", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise MicrolearnError(f"'{path.name}' is a folder, not a lesson file; rename it or move it out of "
                              f"{path.parent.name}/", path, 1)
    if not stat.S_ISREG(info.st_mode):
        raise MicrolearnError(f"'{path.name}' is not a regular file (a pipe, socket or device?); a lesson "
                              "is a text file", path, 1)
    if info.st_size > MAX_LESSON_BYTES:
        raise MicrolearnError(f"the lesson is {info.st_size:,} bytes; the limit is {MAX_LESSON_BYTES:,}: "
                              "split it into several lessons", path, 1)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False
