"""The site plan: the units a site is made of, each with a key computed from what it is made from.

    before   each language's catalog page (and any other per-language unit that does not read the
             lessons' files)
    lessons  each lesson version: the files every enabled output makes for it (deck, handout, images,
             PDF, zip)
    after    each language's zip (per-language units that read the lessons' files)

plus the site files made on every build (assets, root page, sitemap: cheap, and they depend on
everything). ``site.build.build`` walks the plan into a new site folder; ``site.build.Builder.update``
(serve) walks it again after a save and writes what changed in place. A unit whose key is the one the
previous build recorded is not rendered again: its files are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from microlearn.lessons.model import Lesson
from microlearn.outputs.context import OutputContext
from microlearn.site.cache import Keys, hash_parts


@dataclass
class Unit:
    """One piece of the site, rendered (or kept) as a whole."""

    name: str  # "el/intro" (a lesson version), "catalog:el", "zip:el"
    key: str
    lesson: Lesson | None = None
    output: ModuleType | None = None  # the output of a per-language unit
    lang: str = ""
    entries: list = field(default_factory=list)


@dataclass
class SitePlan:
    before: list[Unit]
    lessons: list[Unit]
    after: list[Unit]

    def units(self) -> list[Unit]:
        return [*self.before, *self.lessons, *self.after]


def lesson_unit_name(lesson: Lesson) -> str:
    return f"{lesson.lang}/{lesson.id}"


def plan(ctx: OutputContext, keys: Keys, source_keys: dict[Path, str]) -> SitePlan:
    project = ctx.project
    lessons = [Unit(lesson_unit_name(lesson),
                    keys.unit(lesson.lang, source_keys[lesson.path], sorted(project.versions(lesson.id)),
                              project.is_outdated(lesson)), lesson=lesson)
               for lesson in project.all_lessons()]
    key_of = {unit.name: unit.key for unit in lessons}
    before: list[Unit] = []
    after: list[Unit] = []
    by_lang = project.catalog_entries
    for output in ctx.outputs:
        if not output.LANGUAGE_UNIT:
            continue
        for lang, entries in by_lang.items():
            # Rendered again when one of its lessons, what it shows of their other versions, the
            # catalogs, the theme or the config changed.
            key = hash_parts(output.LANGUAGE_UNIT, keys.env, keys.catalogs(lang),
                             *output.language_inputs(lang, entries),
                             *(key_of[lesson_unit_name(lesson)] for lesson, _, _ in entries))
            unit = Unit(f"{output.LANGUAGE_UNIT}:{lang}", key, output=output, lang=lang, entries=entries)
            (after if output.AFTER_LESSONS else before).append(unit)
    return SitePlan(before, lessons, after)


def lesson_files(lesson: Lesson, ctx: OutputContext) -> dict[str, bytes]:
    """Everything the enabled outputs make for one lesson version, in their order (the zip packs the PDF)."""
    files: dict[str, bytes] = {}
    for output in ctx.outputs:
        files.update(output.lesson_files(lesson, ctx, files))
    return files


def site_files(ctx: OutputContext) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for output in ctx.outputs:
        files.update(output.site_files(ctx))
    return files
