"""Download bundles: one zip per lesson and language, one per language, byte-for-byte reproducible.

A bundle is what a trainer copies to a USB stick: each lesson's folder holds the deck with its CSS and
script inlined, the handout and the trainer's guide (HTML, and PDF when built), the EPUB, the question bank
for Moodle (when the lesson has questions) and the images, so it opens from the unzipped folder with no
network. Links that would lead out of the folder (the site's catalog, the zip itself) are left out of the
bundled pages. A language's zip is made of its lessons' zips, so it carries all of that too.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from microlearn.errors import MicrolearnError
from microlearn.lessons.model import Lesson
from microlearn.outputs.archive import zip_bytes, zip_of_stored
from microlearn.outputs.context import OutputContext
from microlearn.render import layout
from microlearn.render.renderer import Renderer

NAME = "bundle"
LANGUAGE_UNIT = "zip"
AFTER_LESSONS = True  # a language's zip is assembled from its lessons' zips


def enabled(ctx: OutputContext) -> bool:
    return True


def lesson_paths(lesson: Lesson) -> list[str]:
    return [layout.lesson_zip(lesson)]


def lesson_files(lesson: Lesson, ctx: OutputContext, files: dict[str, bytes]) -> dict[str, bytes]:
    """``<lang>/<id>/<id>-<lang>.zip``, holding the folder ``<id>-<lang>/``."""
    entries = lesson_entries(lesson, ctx, files, f"{lesson.id}-{lesson.lang}/")
    return {layout.lesson_zip(lesson): zip_bytes(entries, ctx.epoch)}


def language_inputs(lang: str, entries: list) -> list[str]:
    return []  # only its lessons (their keys) and the catalogs


def language_files(lang: str, entries: list, ctx: OutputContext, staged: Callable[[str], Path]) -> dict[str, bytes]:
    if not entries:
        return {}
    return {layout.language_zip(lang): language_zip_from_lessons(lang, entries, ctx.renderer, staged, ctx.epoch)}


def site_files(ctx: OutputContext) -> dict[str, bytes]:
    return {}


def lesson_entries(lesson: Lesson, ctx: OutputContext, files: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    """A lesson's folder as it stands on a USB stick, under ``prefix``: every file the outputs before the
    bundle made in the lesson's folder, each output's pages in their bundled form where it has one
    (``bundled_files``: the deck with its assets inlined, handout and guide without links out of the folder)."""
    folder = layout.lesson_dir(lesson.lang, lesson.id)
    made = {path: data for path, data in files.items() if path.startswith(folder)}
    for output in ctx.outputs:
        if output.NAME == NAME:
            break
        bundled = getattr(output, "bundled_files", None)
        if bundled is not None:
            made.update(bundled(lesson, ctx, made))
    return {prefix + path[len(folder):]: data for path, data in made.items()}


def language_zip_from_lessons(lang: str, entries: list, renderer: Renderer, staged: Callable[[str], Path],
                              epoch: int) -> bytes:
    """The language's zip as bundle.language_zip makes it, assembled from its lessons' zips (already in
    the staged site, where ``staged`` finds them): their members are copied still compressed, so neither
    the lessons' bundled pages nor their compression are done twice."""

    top = f"microlearn-{lang}/"
    index = zip_bytes({top + layout.ROOT_INDEX: renderer.bundle_index(lang, entries).encode("utf-8")}, epoch)
    members: list[tuple[str, Path | bytes, zipfile.ZipInfo]] = []
    origins: list[Path | bytes] = [staged(layout.lesson_zip(lesson)) for lesson, _, _ in entries] + [index]
    for origin in origins:
        with zipfile.ZipFile(origin if isinstance(origin, Path) else io.BytesIO(origin)) as zf:
            for info in zf.infolist():
                members.append((info.filename, origin, info))
    renamed = []
    for name, origin, info in members:
        if origin is not index:
            lesson_folder, _, rest = name.partition("/")
            lesson_id = lesson_folder[: -len(lang) - 1]
            if lesson_folder != f"{lesson_id}-{lang}" or not rest:
                raise MicrolearnError(f"unexpected entry {name} in a lesson zip")
            name = f"{top}{lesson_id}/{rest}"
        renamed.append((name, origin, info))
    renamed.sort(key=lambda m: m[0])
    return zip_of_stored(renamed)
