"""PDF handouts through WeasyPrint (optional: without it the rest of the site still builds).

The PDF is the handout's own HTML laid out by its print styles (A4, running title, page numbers in the
language's digits). WeasyPrint shapes Persian and Arabic with HarfBuzz and orders mixed-direction lines
with the Unicode bidi algorithm, so text extracted from the PDF reads in logical order; pdf_joiners keeps
Persian's zero-width non-joiners in that text.
"""

from __future__ import annotations

import os
import time

from .lesson import Lesson
from .pdf_joiners import keep_joiners
from .project import Project

# Fontconfig picks the font for a generic family (an SVG's font-family="sans-serif") by the language of
# the machine's locale (FC_LANG, else LC_ALL, LC_CTYPE, LANG), read once when it starts: under fa_IR or
# ar_EG it embedded another font, so PDFs differed from one translator's machine to the next. The theme
# chooses the fonts of the text; for the rest the language is fixed here, before WeasyPrint starts it.
os.environ["FC_LANG"] = "en"

MISSING_MESSAGE = ("PDF handouts skipped: WeasyPrint is not installed. Install it with "
                   "'pip install \"microlearn[pdf]\"' (or 'pip install weasyprint'); see README.md.")


def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def pdf_path(lesson: Lesson) -> str:
    return f"{lesson.lang}/{lesson.id}/handout.pdf"


def html_to_pdf(html: str, *, identifier: str, epoch: int) -> bytes:
    """One handout page as PDF bytes, identical for identical input.

    Plain arguments only, so a process pool can call it. The creation and modification dates are
    ``epoch`` (SOURCE_DATE_EPOCH), and the file identifier is ``identifier`` plus a hash of the content,
    instead of anything taken from the clock. Title, author and language come from the page's
    <title>, <meta name=author> and <html lang>.
    """
    from weasyprint import HTML

    with keep_joiners():
        # No base URL: images are already data: URIs, and nothing is read from wherever the build runs.
        document = HTML(string=html, base_url=None).render()
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
        document.metadata.created = stamp
        document.metadata.modified = stamp
        return document.write_pdf(pdf_identifier=identifier.encode("utf-8"))


def handout_pdf(lesson: Lesson, project: Project, renderer, epoch: int) -> bytes:
    html = renderer.handout(lesson, project.versions(lesson.id), project.is_outdated(lesson), for_pdf=True)
    return html_to_pdf(html, identifier=f"microlearn:{lesson.lang}/{lesson.id}", epoch=epoch)


def render_pdfs(project: Project, renderer) -> dict[str, bytes]:
    """handout.pdf beside every handout.html, by site path."""
    from .build import source_date_epoch

    epoch = source_date_epoch()
    return {pdf_path(lesson): handout_pdf(lesson, project, renderer, epoch) for lesson in project.all_lessons()}
