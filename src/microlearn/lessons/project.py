"""A whole project read into the model: the config and every lesson, grouped by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from microlearn.errors import BuildFailed, Diagnostic, MicrolearnError
from microlearn.i18n.collation import title_key
from microlearn.i18n.language import language_info
from microlearn.lessons.brand import check_brand
from microlearn.lessons.model import Lesson
from microlearn.lessons.parse import parse_lesson
from microlearn.project.config import Config, load_config
from microlearn.project.sources import LessonFile, find_lesson_files


@dataclass
class Project:
    config: Config
    lessons: dict[str, dict[str, Lesson]]  # lesson id -> lang -> lesson, both sorted
    warnings: list[Diagnostic] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # ids of lessons with a version that could not be read

    @cached_property
    def catalog_entries(self) -> dict[str, list[tuple[Lesson, dict[str, Lesson], bool]]]:
        """Each configured language's lessons as its catalog lists them: (lesson, versions, outdated),
        in the config's course order, then by title as the language sorts it ("Урок 2" before "Урок 10")."""
        by_lang: dict[str, list] = {code: [] for code in self.config.languages}
        for lesson in self.all_lessons():
            by_lang[lesson.lang].append((lesson, self.versions(lesson.id), self.is_outdated(lesson)))
        place = {lesson_id: i for i, lesson_id in enumerate(self.config.order)}
        for entries in by_lang.values():
            entries.sort(key=lambda e: (place.get(e[0].id, len(place)), title_key(e[0].title, e[0].lang), e[0].id))
        return by_lang

    def versions(self, lesson_id: str) -> dict[str, Lesson]:
        return self.lessons[lesson_id]

    def all_lessons(self) -> list[Lesson]:
        return [lesson for versions in self.lessons.values() for lesson in versions.values()]

    def is_outdated(self, lesson: Lesson) -> bool:
        """A translation whose source changed since the translator last marked it done."""
        if not lesson.translation_of or lesson.source_revision is None:
            return False
        source = self.lessons[lesson.id].get(lesson.translation_of)
        return source is not None and lesson.source_revision != source.revision

    def is_unmarked(self, lesson: Lesson) -> bool:
        """A translation never marked done, so nobody can tell whether it matches its source."""
        return bool(lesson.translation_of) and lesson.source_revision is None


def original_language(versions: dict[str, Lesson], default_language: str) -> str | None:
    """The version a lesson's others were translated from: its hreflang x-default.

    The one version with no ``translation_of``; when several stand on their own, the project's default
    language among them; otherwise none (no version speaks for the others).
    """
    originals = [lang for lang, lesson in versions.items() if not lesson.translation_of]
    if len(originals) == 1:
        return originals[0]
    return default_language if default_language in originals else None


def language_is_rtl(config: Config, lang: str) -> bool:
    settings = config.languages[lang]
    return language_info(lang, settings.numbering).rtl


def read_project(root: Path, config: Config | None = None, parse=None,
                 files: list[LessonFile] | None = None) -> tuple[Project, list[Diagnostic]]:
    """The one loader: the config and every lesson read into the model, with every author mistake found
    on the way. A lesson that cannot be read is left out of the project and its errors are among the
    diagnostics, so one broken file does not hide the mistakes in the others (``check``, ``build`` and
    ``serve`` all read a project through here).

    ``parse`` stands in for parse_lesson (same arguments and result): the build passes one that takes
    unchanged lessons from its cache; ``files``, the lesson files when the caller has just found them."""
    config = config or load_config(root)
    parse = parse or parse_lesson
    found: list[Diagnostic] = list(config.warnings)
    found.extend(check_brand(config))  # its logos as images, its accent on the theme's backgrounds
    lessons: dict[str, dict[str, Lesson]] = {}
    unreadable: set[str] = set()
    for file in find_lesson_files(config) if files is None else files:
        try:
            lesson, warnings = parse(file.path, file.lesson_id, file.lang,
                                     rtl=language_is_rtl(config, file.lang), raw_html=config.raw_html)
        except MicrolearnError as err:
            found.extend(err.diagnostics("lesson"))
            unreadable.add(file.lesson_id)
            continue
        found.extend(warnings)
        lessons.setdefault(file.lesson_id, {})[file.lang] = lesson
    for versions in lessons.values():
        for lesson in list(versions.values()):
            if lesson.translation_of and lesson.translation_of not in versions and lesson.id not in unreadable:
                found.append(Diagnostic(
                    "error", f"translation_of: there is no '{lesson.translation_of}.md' in this lesson's folder",
                    str(lesson.path), lesson.lines.get("translation_of", 1), 1, "translation-of"))
                versions.pop(lesson.lang)
    project = Project(config, {k: v for k, v in lessons.items() if v},
                      [d for d in found if d.level != "error"], unreadable)
    return project, found


def load_project(root: Path, config: Config | None = None, parse=None) -> Project:
    """``read_project`` for a caller that needs every lesson: any author mistake raises BuildFailed
    (a MicrolearnError at the first one, carrying them all)."""
    project, found = read_project(root, config, parse)
    errors = [d for d in found if d.level == "error"]
    if errors:
        raise BuildFailed(errors)
    return project
