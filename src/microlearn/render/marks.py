"""Finishing rendered HTML: text from another language wrapped in <span lang dir>, and a lesson's
images inlined as data: URIs for the self-contained handout."""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

from markupsafe import escape

from microlearn.i18n.gettext import MARK_CLOSE, MARK_OPEN, MARK_SEP
from microlearn.i18n.language import language_info
from microlearn.lessons.model import Lesson

_MARKED = re.compile(f"{MARK_OPEN}([A-Za-z]{{2,3}}(?:-[A-Za-z0-9]+)*){MARK_SEP}([^{MARK_CLOSE}]*){MARK_CLOSE}")
_RAW_TEXT = re.compile(r"(<(script|style|title|textarea)\b[^>]*>)(.*?)(</\2>)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def mark_languages(html: str, direction: str = "ltr") -> str:
    """Element text from another language gets ``<span lang dir>``. Where no element can go (attributes,
    <title>, the strings a script puts on the page) the marks are dropped, and text of the other direction
    than the page's (``direction``) is kept in order by Unicode isolates (LRI or RLI ... PDI), so English in
    a Persian page's presenter view reads "No narration for this slide.", not ".No narration…"."""
    if MARK_OPEN not in html and MARK_SEP not in html and MARK_CLOSE not in html:
        return html

    def plain(text: str) -> str:
        def isolated(m: re.Match) -> str:
            rtl = language_info(m.group(1)).rtl
            if rtl == (direction == "rtl"):
                return m.group(2)
            return ("\u2067" if rtl else "\u2066") + m.group(2) + "\u2069"
        return _MARKED.sub(isolated, text)

    def spans(text: str) -> str:
        def span(m: re.Match) -> str:
            code = m.group(1)
            direction = "rtl" if language_info(code).rtl else "ltr"
            return f'<span lang="{code}" dir="{direction}">{m.group(2)}</span>'
        return _MARKED.sub(span, text)

    out, pos = [], 0
    for raw in _RAW_TEXT.finditer(html):
        out.append(_outside_raw_text(html[pos:raw.start()], plain, spans))
        out.append(raw.group(1) + plain(raw.group(3)) + raw.group(4))
        pos = raw.end()
    out.append(_outside_raw_text(html[pos:], plain, spans))
    # What the marks did not match (they never should) is dropped: they are ours, never the reader's.
    return "".join(out).translate(_NO_MARKS)


_NO_MARKS = str.maketrans("", "", MARK_OPEN + MARK_SEP + MARK_CLOSE)


def _outside_raw_text(html: str, plain, spans) -> str:
    out, pos = [], 0
    for tag in _TAG.finditer(html):
        out.append(spans(html[pos:tag.start()]))
        out.append(plain(tag.group(0)))
        pos = tag.end()
    out.append(spans(html[pos:]))
    return "".join(out)


def image_data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_images(html: str, lesson: Lesson) -> str:
    """Replace the lesson's image sources with data: URIs, so the page stands alone."""
    for image in lesson.images:
        html = html.replace(f'src="{escape(image.src)}"', f'src="{image_data_uri(image.path)}"')
    return html
