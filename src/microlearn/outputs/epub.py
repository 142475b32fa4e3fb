"""The EPUB handout: ``<lang>/<id>/handout.epub``, the learner's handout as an EPUB 3.3 book that a
phone's reading app keeps offline, with the reader's own font size, night mode and bookmarks.

The documents come from the theme's ``templates/epub/`` (``Renderer.epub_documents``); here they are
packed as the OCF container wants them: ``mimetype`` first and uncompressed, ``META-INF/container.xml``,
the publication in ``EPUB/`` with the lesson's images in ``EPUB/images/``. Byte-for-byte reproducible:
the zip is ``archive.zip_bytes``'s (sorted names, every timestamp SOURCE_DATE_EPOCH), the identifier is a
UUID derived from the lesson's id and language, ``dcterms:modified`` is SOURCE_DATE_EPOCH.

No font is embedded: Greek, Cyrillic and the Arabic script (Persian, Arabic) are in the default fonts of
Android's and iOS's reading apps, and a reader's own font choice is part of why a learner reads an EPUB.
"""

from __future__ import annotations

import time
import uuid

from microlearn.lessons.model import Lesson
from microlearn.outputs.archive import zip_bytes
from microlearn.outputs.context import OutputContext
from microlearn.render import epub, layout

NAME = "epub"
LANGUAGE_UNIT = None

MIMETYPE = b"application/epub+zip"
CONTAINER = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
             b'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
             b'  <rootfiles>\n'
             b'    <rootfile full-path="' + (epub.FOLDER + epub.PACKAGE).encode("ascii")
             + b'" media-type="application/oebps-package+xml"/>\n'
             b'  </rootfiles>\n'
             b'</container>\n')
# The namespace of the books' UUIDs: uuid5(NAMESPACE_URL, "microlearn:epub"), fixed for good, so a
# rebuilt book keeps its identifier and a reading app knows it for the same book.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "microlearn:epub")


def enabled(ctx: OutputContext) -> bool:
    return True


def lesson_paths(lesson: Lesson) -> list[str]:
    return [layout.handout_epub(lesson)]


def lesson_files(lesson: Lesson, ctx: OutputContext, files: dict[str, bytes]) -> dict[str, bytes]:
    return {layout.handout_epub(lesson): handout_epub(lesson, ctx)}


def site_files(ctx: OutputContext) -> dict[str, bytes]:
    return {}


def identifier(lesson: Lesson) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{lesson.lang}/{lesson.id}')}"


def handout_epub(lesson: Lesson, ctx: OutputContext) -> bytes:
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ctx.epoch))
    entries = {epub.FOLDER + name: data
               for name, data in ctx.renderer.epub_documents(lesson, identifier(lesson), modified).items()}
    by_src = {image.src: image.path for image in lesson.images}
    by_src.update({layout.LOGOS + logo.name: logo.path for logo in ctx.project.config.brand.logos}
                  if ctx.project.config.brand else {})
    for image in epub.images(lesson) + epub.logos(ctx.project.config):
        entries[epub.FOLDER + image.href] = by_src[image.src].read_bytes()
    entries["META-INF/container.xml"] = CONTAINER
    entries["mimetype"] = MIMETYPE
    return zip_bytes(entries, ctx.epoch, stored_first=("mimetype",))
