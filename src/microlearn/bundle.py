"""Download bundles: one zip per lesson and language, one per language, byte-for-byte reproducible.

A bundle is what a trainer copies to a USB stick: each lesson's folder holds the deck with its CSS and
script inlined, the handout (HTML, and PDF when built) and the images, so it opens from the unzipped
folder with no network. Links that would lead out of the folder (the site's catalog, the zip itself)
are left out of the bundled pages.
"""

from __future__ import annotations

import io
import time
import zipfile

from .lesson import Lesson
from .pdf import pdf_path


def zip_bytes(entries: dict[str, bytes], epoch: int) -> bytes:
    """A zip of ``entries`` (archive path → bytes): sorted names, every timestamp ``epoch``, fixed modes."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the mode above is read
            zf.writestr(info, entries[name], compresslevel=9)
    return buf.getvalue()


def lesson_zip_path(lesson: Lesson) -> str:
    return f"{lesson.lang}/{lesson.id}/{lesson.id}-{lesson.lang}.zip"


def language_zip_path(lang: str) -> str:
    return f"{lang}/microlearn-{lang}.zip"


def lesson_entries(lesson: Lesson, project, renderer, files: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    """A lesson's folder as it stands on a USB stick: the deck (assets inlined), handouts, images."""
    versions = project.versions(lesson.id)
    outdated = project.is_outdated(lesson)
    base = f"{lesson.lang}/{lesson.id}/"
    entries = {
        prefix + "index.html": renderer.deck(lesson, versions, outdated, inline_assets=True).encode("utf-8"),
        prefix + "handout.html": renderer.handout(lesson, versions, outdated, bundled=True).encode("utf-8"),
    }
    if pdf_path(lesson) in files:
        entries[prefix + "handout.pdf"] = files[pdf_path(lesson)]
    for image in lesson.images:
        entries[prefix + image.path.name] = files[base + image.path.name]
    return entries


def lesson_zip(lesson: Lesson, project, renderer, files: dict[str, bytes]) -> dict[str, bytes]:
    """``<lang>/<id>/<id>-<lang>.zip``, holding the folder ``<id>-<lang>/``."""
    from .build import source_date_epoch

    entries = lesson_entries(lesson, project, renderer, files, f"{lesson.id}-{lesson.lang}/")
    return {lesson_zip_path(lesson): zip_bytes(entries, source_date_epoch())}


def language_zip(lang: str, lessons: list, project, renderer, files: dict[str, bytes]) -> dict[str, bytes]:
    """``<lang>/microlearn-<lang>.zip``: every lesson of the language, one folder each, and a page listing them."""
    from .build import source_date_epoch

    entries: dict[str, bytes] = {}
    top = f"microlearn-{lang}/"
    for lesson, _versions, _outdated in lessons:
        entries.update(lesson_entries(lesson, project, renderer, files, f"{top}{lesson.id}/"))
    if not entries:
        return {}
    entries[top + "index.html"] = renderer.bundle_index(lang, lessons).encode("utf-8")
    return {language_zip_path(lang): zip_bytes(entries, source_date_epoch())}
