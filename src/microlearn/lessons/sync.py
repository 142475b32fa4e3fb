"""Lesson translations kept in step with their source: which versions are translated, outdated or
missing, and ``i18n done``, which records the source's content hash in a translation's front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from microlearn.errors import Diagnostic, MicrolearnError
from microlearn.files import replace_file
from microlearn.lessons.model import Lesson
from microlearn.lessons.parse import read_source
from microlearn.lessons.project import Project

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
        return Diagnostic("warning", f"translation may be outdated: {lesson.translation_of}.md changed since "
                          f"it was marked done; update it, then run {done}", str(lesson.path), line, 1,
                          "outdated")
    if project.is_unmarked(lesson):
        return Diagnostic("warning", "translation never marked done: when it matches "
                          f"{lesson.translation_of}.md, run {done}", str(lesson.path), line, 1, "unmarked")
    return None


def matrix(project: Project) -> dict[str, dict[str, Cell]]:
    """lesson id -> language -> cell, for every lesson and every configured language."""
    return {lesson_id: {lang: cell(project, lesson_id, lang) for lang in project.config.languages}
            for lesson_id in project.lessons}


_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _value_end(lines: list[str], key: int, end: int) -> int:
    """The line after the value of the key on line ``key``: its value may go on over indented lines."""
    at = key + 1
    while at < end and lines[at][:1] in (" ", "\t"):
        at += 1
    return at


def _front_matter(lines: list[str], end: int, path: Path) -> dict:
    from microlearn.project.yamldoc import load

    data, _lines = load("".join(lines[1:end]), path, 2)
    return dict(data) if isinstance(data, dict) else {}


def _translation(project: Project, lesson_id: str, lang: str) -> tuple[Lesson, Lesson]:
    """The ``lang`` version of lesson ``lesson_id``, and the version it was translated from."""
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
    return lesson, versions[lesson.translation_of]


def _set_revision(lines: list[str], end: int, value: str, newline: str) -> None:
    """Replace the ``source_revision`` line of the front matter (lines 1 to ``end``), or add it after
    ``translation_of`` (else last)."""
    existing = next((i for i in range(1, end) if re.match(r"^source_revision\s*:", lines[i])), None)
    if existing is not None:
        ending = lines[existing][len(lines[existing].rstrip("\r\n")):] or newline
        lines[existing:_value_end(lines, existing, end)] = [f"source_revision: {value}{ending}"]
        return
    anchor = next((i for i in range(1, end) if re.match(r"^translation_of\s*:", lines[i])), None)
    at = _value_end(lines, anchor, end) if anchor is not None else end  # else last in the front matter
    if not lines[at - 1].endswith(("\n", "\r")):
        lines[at - 1] += newline
    lines.insert(at, f"source_revision: {value}{newline}")


def mark_done(project: Project, lesson_id: str, lang: str) -> tuple[Lesson, str, bool]:
    """Write ``source_revision: <hash of the source now>`` into the translation's front matter.

    Only that one line changes (or is added after ``translation_of``); every other byte of the file,
    its line ends and a BOM included, stays as it was. Returns (lesson, revision, changed).
    """
    lesson, source = _translation(project, lesson_id, lang)
    revision = read_source(source.path).revision
    try:
        data = lesson.path.read_bytes()
    except OSError as err:
        raise MicrolearnError(f"cannot read the lesson: {err.strerror or err}", lesson.path) from None
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    # Lines end at \n, \r\n or \r only: U+2028 or U+0085 inside a title is text, not a line end.
    lines = _LINE.findall(text)
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i].rstrip("\r\n"))), None)
    if not lines or lines[0].rstrip("\r\n").strip() != "---" or end is None:
        raise MicrolearnError("cannot find the front matter between '---' lines", lesson.path, 1)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\r" if lines[0].endswith("\r") else "\n"
    value = revision if isinstance(yaml.safe_load(revision), str) else f"'{revision}'"
    before = _front_matter(lines, end, lesson.path)
    _set_revision(lines, end, value, newline)
    try:
        after = _front_matter(lines, next(i for i in range(1, len(lines))
                                          if _FENCE.match(lines[i].rstrip("\r\n"))), lesson.path)
    except MicrolearnError:
        after = None
    if after != {**before, "source_revision": revision}:
        # A front matter written in a form a line edit cannot keep (a flow mapping {...}, a value
        # folded over lines): say what to add, change nothing.
        raise MicrolearnError(
            "cannot add source_revision to this front matter without changing what it says (is it written as "
            f"one {{...}} mapping?); add the line 'source_revision: {value}' to it yourself, or write it as "
            "one 'key: value' per line; nothing was changed", lesson.path, 1)
    out = "".join(lines).encode("utf-8")
    if bom:
        out = b"\xef\xbb\xbf" + out
    changed = out != data
    if changed:
        try:
            replace_file(lesson.path, out)
        except OSError as err:
            raise MicrolearnError(f"cannot write the lesson: {err.strerror or err}; nothing was changed",
                                  lesson.path) from None
    return lesson, revision, changed

