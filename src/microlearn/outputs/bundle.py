"""Download bundles: one zip per lesson and language, one per language, byte-for-byte reproducible.

A bundle is what a trainer copies to a USB stick: each lesson's folder holds the deck with its CSS and
script inlined, the handout and the trainer's guide (HTML, and PDF when built), the EPUB, the question bank
for Moodle (when the lesson has questions) and the images, so it opens from the unzipped folder with no
network. Links that would lead out of the folder (the site's catalog, the zip itself) are left out of the
bundled pages. A language's zip is made of its lessons' zips, so it carries all of that too.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from microlearn.errors import MicrolearnError
from microlearn.lessons.model import Lesson
from microlearn.outputs.context import OutputContext
from microlearn.render import layout
from microlearn.render.renderer import Renderer


def zip_bytes(entries: dict[str, bytes], epoch: int, stored_first: tuple[str, ...] = ()) -> bytes:
    """A zip of ``entries`` (archive path → bytes): sorted names, every timestamp ``epoch``, fixed modes.
    The names of ``stored_first`` come first, in that order, and uncompressed (an EPUB's ``mimetype``)."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in [*stored_first, *sorted(set(entries) - set(stored_first))]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name in stored_first else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the mode above is read
            zf.writestr(info, entries[name], compresslevel=9)
    return buf.getvalue()


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
    return _zip_of_stored(renamed)


def _zip_of_stored(members: list[tuple[str, Path | bytes, zipfile.ZipInfo]]) -> bytes:
    """A zip of members copied as they are stored (still compressed), in the layout zipfile writes:
    local header and data for each, then the central directory and the end record. A language's zip
    stays far below the 4 GiB and 65,535 entries where the zip64 records would be needed."""
    buf = io.BytesIO()
    central = []
    for name, origin, info in members:
        raw = _raw_member(origin, info)
        member = zipfile.ZipInfo(name, date_time=info.date_time)
        for attr in ("compress_type", "external_attr", "create_system", "create_version", "extract_version",
                     "CRC", "compress_size", "file_size", "internal_attr", "extra", "comment"):
            setattr(member, attr, getattr(info, attr))
        member.flag_bits = 0
        member.header_offset = buf.tell()
        buf.write(member.FileHeader(False))
        buf.write(raw)
        central.append(member)
    start = buf.tell()
    for member in central:
        try:
            filename, flags = member.filename.encode("ascii"), member.flag_bits
        except UnicodeEncodeError:
            filename, flags = member.filename.encode("utf-8"), member.flag_bits | 0x800
        dt = member.date_time
        buf.write(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", member.create_version, member.create_system,
                              member.extract_version, 0, flags, member.compress_type,
                              dt[3] << 11 | dt[4] << 5 | dt[5] // 2, (dt[0] - 1980) << 9 | dt[1] << 5 | dt[2],
                              member.CRC, member.compress_size, member.file_size, len(filename),
                              len(member.extra), len(member.comment), 0, member.internal_attr,
                              member.external_attr, member.header_offset))
        buf.write(filename + member.extra + member.comment)
    end = buf.tell()
    if len(central) > 0xFFFF or end > 0xFFFFFFFF:
        raise MicrolearnError("a language's zip would exceed 65,535 files or 4 GiB; split the language's "
                              "lessons into smaller courses")
    buf.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), end - start, start, 0))
    return buf.getvalue()


def _raw_member(origin: Path | bytes, info) -> bytes:
    """A zip member's compressed bytes, as stored."""
    with (open(origin, "rb") if isinstance(origin, Path) else io.BytesIO(origin)) as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        return fh.read(info.compress_size)
