"""PDF handouts through WeasyPrint (optional: without it the rest of the site still builds).

The PDF is the handout's own HTML laid out by its print styles (A4, running title, page numbers in the
language's digits). WeasyPrint shapes Persian and Arabic with HarfBuzz and orders mixed-direction lines
with the Unicode bidi algorithm, so text extracted from the PDF reads in logical order; pdf_joiners keeps
Persian's zero-width non-joiners in that text.
"""

from __future__ import annotations

import os
import time

from microlearn.lessons.model import Lesson
from microlearn.lessons.project import Project
from microlearn.outputs.context import OutputContext
from microlearn.outputs.pdf_joiners import keep_joiners
from microlearn.render import layout

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


NAME = "pdf"
LANGUAGE_UNIT = None


def enabled(ctx: OutputContext) -> bool:
    return ctx.make_pdfs


def lesson_paths(lesson: Lesson) -> list[str]:
    return [layout.handout_pdf(lesson)]


def lesson_files(lesson: Lesson, ctx: OutputContext, files: dict[str, bytes]) -> dict[str, bytes]:
    return {layout.handout_pdf(lesson): handout_pdf(lesson, ctx.project, ctx.renderer, ctx.epoch)}


def site_files(ctx: OutputContext) -> dict[str, bytes]:
    return {}


def html_to_pdf(html: str, *, identifier: str, epoch: int) -> bytes:
    """One handout page as PDF bytes, identical for identical input.

    Plain arguments only, so a process pool can call it. The creation and modification dates are
    ``epoch`` (SOURCE_DATE_EPOCH), and the file identifier is ``identifier`` plus a hash of the content,
    instead of anything taken from the clock. Title, author and language come from the page's
    <title>, <meta name=author> and <html lang>.
    """
    from weasyprint import HTML

    with keep_joiners():
        # No base URL: images are already data: URIs, and nothing is read from wherever the build runs:
        # the fetcher refuses every other address (file: and http: in raw HTML or an attachment included).
        # Presentational hints: WeasyPrint then honours what HTML attributes mean for layout as browsers
        # do, <ol start> and <li value> among them (a list continued after '---' keeps its numbers).
        document = HTML(string=html, base_url=None, url_fetcher=data_only_fetcher()).render(
            presentational_hints=True)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
        document.metadata.created = stamp
        document.metadata.modified = stamp
        return document.write_pdf(pdf_identifier=identifier.encode("utf-8"))


def data_only_fetcher():
    """A WeasyPrint URL fetcher that reads data: URIs only (the handout's images and nothing else)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 66: a fetcher is a function
        from weasyprint import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.lower().startswith("data:"):
                raise ValueError(f"microlearn's PDF reads no {url.partition(':')[0]}: address")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch

    class DataOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.lower().startswith("data:"):
                raise ValueError(f"microlearn's PDF reads no {url.partition(':')[0]}: address")
            return super().fetch(url, headers)

    return DataOnly(allowed_protocols=("data",), allow_redirects=False)


def handout_pdf(lesson: Lesson, project: Project, renderer, epoch: int) -> bytes:
    html = renderer.handout(lesson, project.versions(lesson.id), project.is_outdated(lesson), for_pdf=True)
    return html_to_pdf(html, identifier=f"microlearn:{lesson.lang}/{lesson.id}", epoch=epoch)
