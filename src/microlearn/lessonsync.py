"""Lesson translations kept in step with their source: which versions are translated, outdated or
missing, and ``i18n done``, which records the source's content hash in a translation's front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Diagnostic, MicrolearnError
from .output import replace_file
from .lesson import Lesson
from .parse import read_source
from .project import Project

STATES = ("source", "translated", "outdated", "unmarked", "missing")


@dataclass(frozen=True)
class Cell:
    """One lesson in one language."""

    state: str  # one of STATES
    path: str | None = None
    translation_of: str | None = None
    source_revision: str | None = None  # as recorded in the translation
    current_revision: str | None = None  # the source's revision now

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def cell(project: Project, lesson_id: str, lang: str) -> Cell:
    lesson = project.lessons.get(lesson_id, {}).get(lang)
    if lesson is None:
        return Cell("missing")
    if not lesson.translation_of:
        return Cell("source", str(lesson.path))
    source = project.lessons[lesson_id][lesson.translation_of]
    state = ("outdated" if project.is_outdated(lesson) else
             "unmarked" if project.is_unmarked(lesson) else "translated")
    return Cell(state, str(lesson.path), lesson.translation_of, lesson.source_revision, source.revision)


def sync_warning(project: Project, lesson: Lesson) -> Diagnostic | None:
    """The warning for a translation behind its source or never marked done, as check and status say it."""
    line = lesson.lines.get("translation_of", 1)
    done = f"'microlearn i18n done {lesson.id} {lesson.lang}'"
    if project.is_outdated(lesson):
        return Diagnostic("warning", f"translation may be outdated: {lesson.translation_of}.md changed since it "
                          f"was marked done; update it, then run {done}", str(lesson.path), line, 1, "outdated")
    if project.is_unmarked(lesson):
        return Diagnostic("warning", f"translation never marked done: when it matches {lesson.translation_of}.md, "
                          f"run {done}", str(lesson.path), line, 1, "unmarked")
    return None


def matrix(project: Project) -> dict[str, dict[str, Cell]]:
    """lesson id -> language -> cell, for every lesson and every configured language."""
    return {lesson_id: {lang: cell(project, lesson_id, lang) for lang in project.config.languages}
            for lesson_id in project.lessons}


_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def mark_done(project: Project, lesson_id: str, lang: str) -> tuple[Lesson, str, bool]:
    """Write ``source_revision: <hash of the source now>`` into the translation's front matter.

    Only that one line changes (or is added after ``translation_of``); every other byte of the file,
    its line ends and a BOM included, stays as it was. Returns (lesson, revision, changed).
    """
    versions = project.lessons.get(lesson_id)
    if versions is None:
        known = ", ".join(project.lessons) or "none"
        raise MicrolearnError(f"no lesson '{lesson_id}' (lessons: {known})")
    lesson = versions.get(lang)
    if lesson is None:
        raise MicrolearnError(f"lesson '{lesson_id}' has no {lang} version (it has: {', '.join(versions)})")
    if not lesson.translation_of:
        raise MicrolearnError("this version does not say what it was translated from; add a line "
                              "'translation_of: <language>' (e.g. 'translation_of: el') to its front matter",
                              lesson.path, 1)
    revision = read_source(versions[lesson.translation_of].path).revision
    data = lesson.path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    lines = text.splitlines(keepends=True)
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i].rstrip("\r\n"))), None)
    if not lines or lines[0].rstrip("\r\n").strip() != "---" or end is None:
        raise MicrolearnError("cannot find the front matter between '---' lines", lesson.path, 1)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\r" if lines[0].endswith("\r") else "\n"
    new_line = f"source_revision: {revision}{newline}"
    existing = next((i for i in range(1, end) if re.match(r"^source_revision\s*:", lines[i])), None)
    if existing is not None:
        ending = lines[existing][len(lines[existing].rstrip("\r\n")):] or newline
        lines[existing] = f"source_revision: {revision}{ending}"
    else:
        anchor = next((i for i in range(1, end) if re.match(r"^translation_of\s*:", lines[i])), None)
        if anchor is None:  # translation_of written in a form we do not edit around: put it last
            anchor = end - 1
        lines.insert(anchor + 1, new_line)
    out = "".join(lines).encode("utf-8")
    if bom:
        out = b"\xef\xbb\xbf" + out
    changed = out != data
    if changed:
        replace_file(lesson.path, out)
    return lesson, revision, changed

