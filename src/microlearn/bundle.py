"""Download bundles: one zip per lesson and language, one per language, byte-for-byte reproducible."""

from __future__ import annotations

import io
import time
import zipfile

from .lesson import Lesson


def _zip(entries: dict[str, bytes]) -> bytes:
    from .build import source_date_epoch

    stamp = time.gmtime(source_date_epoch())[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, entries[name])
    return buf.getvalue()


def lesson_entries(lesson: Lesson, project, renderer, files: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    """A lesson's folder as it stands on a USB stick: the deck (assets inlined), handouts, images."""
    versions = project.versions(lesson.id)
    outdated = project.is_outdated(lesson)
    base = f"{lesson.lang}/{lesson.id}/"
    entries = {
        prefix + "index.html": renderer.deck(lesson, versions, outdated, inline_assets=True).encode("utf-8"),
        prefix + "handout.html": files[base + "handout.html"],
    }
    if base + "handout.pdf" in files:
        entries[prefix + "handout.pdf"] = files[base + "handout.pdf"]
    for image in lesson.images:
        entries[prefix + image.path.name] = files[base + image.path.name]
    return entries


def lesson_zip(lesson: Lesson, project, renderer, files: dict[str, bytes]) -> dict[str, bytes]:
    name = f"{lesson.id}-{lesson.lang}"
    entries = lesson_entries(lesson, project, renderer, files, f"{name}/")
    return {f"{lesson.lang}/{lesson.id}/{name}.zip": _zip(entries)}


def language_zip(lang: str, entries_in: list, project, renderer, files: dict[str, bytes]) -> dict[str, bytes]:
    entries: dict[str, bytes] = {}
    top = f"microlearn-{lang}/"
    for lesson, _versions, _outdated in entries_in:
        entries.update(lesson_entries(lesson, project, renderer, files, f"{top}{lesson.id}/"))
    if not entries:
        return {}
    return {f"{lang}/microlearn-{lang}.zip": _zip(entries)}
