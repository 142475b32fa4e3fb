"""The site's pages: each lesson version's deck, handout and images, each language's catalog, the root
page and the theme's assets."""

from __future__ import annotations

from microlearn.errors import MicrolearnError
from microlearn.lessons.model import Lesson
from microlearn.outputs.context import OutputContext
from microlearn.render import layout
from microlearn.render.theme import PACKAGE_ONLY

NAME = "pages"
LANGUAGE_UNIT = "catalog"
AFTER_LESSONS = False


def enabled(ctx: OutputContext) -> bool:
    return True


def lesson_paths(lesson: Lesson) -> list[str]:
    return [layout.deck(lesson), layout.handout(lesson)]


def lesson_files(lesson: Lesson, ctx: OutputContext, files: dict[str, bytes]) -> dict[str, bytes]:
    """A lesson version's deck, handout and images, by site path."""
    project, renderer = ctx.project, ctx.renderer
    versions = project.versions(lesson.id)
    outdated = project.is_outdated(lesson)
    made = {layout.deck(lesson): renderer.deck(lesson, versions, outdated).encode("utf-8"),
            layout.handout(lesson): renderer.handout(lesson, versions, outdated).encode("utf-8")}
    reserved = ctx.reserved(lesson)
    for image in lesson.images:
        relpath = layout.image(lesson, image.path.name)
        if relpath in reserved:  # parse.check_image allows no such name; a file we generate is ours
            raise MicrolearnError(f"image '{image.src}' has the name of a file the build makes; rename it",
                                  lesson.path, image.line)
        made[relpath] = image.path.read_bytes()
    return made


def bundled_files(lesson: Lesson, ctx: OutputContext, made: dict[str, bytes]) -> dict[str, bytes]:
    """The deck and handout as a zip holds them: the deck with its CSS and script inlined, the handout
    without links out of the lesson's folder."""
    project, renderer = ctx.project, ctx.renderer
    versions, outdated = project.versions(lesson.id), project.is_outdated(lesson)
    return {layout.deck(lesson): renderer.deck(lesson, versions, outdated, inline_assets=True).encode("utf-8"),
            layout.handout(lesson): renderer.handout(lesson, versions, outdated, bundled=True).encode("utf-8")}


def language_inputs(lang: str, entries: list) -> list[str]:
    """A catalog page shows its lessons and only the titles of their other versions."""
    return [f"{lesson.id}:{outdated}:" + "\0".join(f"{code}={other.title}" for code, other in versions.items()
                                                   if code != lang)
            for lesson, versions, outdated in entries]


def language_files(lang: str, entries: list, ctx: OutputContext, staged) -> dict[str, bytes]:
    return {layout.catalog(lang): ctx.renderer.catalog(lang, entries).encode("utf-8")}


def site_files(ctx: OutputContext) -> dict[str, bytes]:
    files = {layout.asset(name): data for name, data in ctx.renderer.static_files.items()
             if name not in PACKAGE_ONLY}  # the learner's deck is inlined in the SCORM packages alone
    by_lang = ctx.project.catalog_entries
    files[layout.root_index()] = ctx.renderer.root_index({k: len(v) for k, v in by_lang.items()}).encode("utf-8")
    return files
