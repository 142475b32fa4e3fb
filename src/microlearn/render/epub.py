"""The EPUB handout's documents: which documents a lesson's book has, and its HTML made XHTML.

A book is a title page, the introduction (when the lesson has one), one document per stage, the
discussion prompts (when there are any) and the follow-up activity with the credits; the navigation
document lists them all. The pages are rendered from ``templates/epub/`` by ``Renderer.epub_documents``;
what the lesson's Markdown became (HTML) is written again as XML here (``to_xhtml``), since a reading app
parses each document as XHTML: void elements closed, every attribute quoted, no entity but XML's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from microlearn.lessons.model import Lesson, Stage
from microlearn.project.config import Config
from microlearn.render import layout

STYLESHEET = "epub.css"
NAV = "nav.xhtml"
PACKAGE = "package.opf"
FOLDER = "EPUB/"  # the publication's folder inside the zip
IMAGES = "images/"

# EPUB 3.3's core media types for images; another format (AVIF) would need a fallback no reading app
# is sure to show, so the book carries its text alternative instead.
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Document:
    id: str
    href: str
    kind: str  # "title", "intro", "stage", "discussion", "follow-up": the template's name
    title: str = ""  # plain text: the document's <title> (and its entry in the contents, but for stages)
    stage: Stage | None = None


@dataclass(frozen=True)
class BookImage:
    id: str
    href: str  # inside the publication's folder
    media_type: str
    src: str  # as the lesson names it


def documents(lesson: Lesson, titles: dict[str, str]) -> list[Document]:
    """The book's documents in reading order; ``titles``: the interface's words for the fixed parts."""
    docs = [Document("title", "title.xhtml", "title", lesson.title)]
    if lesson.intro_html:
        docs.append(Document("intro", "intro.xhtml", "intro", titles["intro"]))
    for stage in lesson.stages:
        docs.append(Document(f"stage-{stage.number:02d}", f"stage-{stage.number:02d}.xhtml", "stage",
                             stage.title, stage))
    if lesson.discussion:
        docs.append(Document("discussion", "discussion.xhtml", "discussion", titles["discussion"]))
    docs.append(Document("follow-up", "follow-up.xhtml", "follow-up", titles["follow-up"]))
    return docs


def logos(config: Config) -> list[BookImage]:
    """The logos of ``brand.logos`` the book carries (those of EPUB's core media types), in
    ``images/brand/``; ``src`` as the pages name them (layout.LOGOS + name)."""
    found: list[BookImage] = []
    for logo in config.brand.logos if config.brand else ():
        media_type = IMAGE_TYPES.get(logo.path.suffix.lower())
        if media_type is not None:
            src = layout.LOGOS + logo.name
            found.append(BookImage(f"logo-{len(found) + 1}", IMAGES + src, media_type, src))
    return found


def images(lesson: Lesson) -> list[BookImage]:
    """The lesson's images the book carries (those of EPUB's core media types), in the lesson's order."""
    found: list[BookImage] = []
    seen: set[str] = set()
    for image in lesson.images:
        media_type = IMAGE_TYPES.get(image.path.suffix.lower())
        name = image.path.name
        if media_type is None or name in seen:
            continue
        seen.add(name)
        found.append(BookImage(f"img-{len(found) + 1}", IMAGES + name, media_type, image.src))
    return found


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})
# What the HTML parser reports lower-cased but SVG and MathML spell in camel case (inline <svg> in a lesson).
_CASED = {name.lower(): name for name in (
    "viewBox", "preserveAspectRatio", "gradientUnits", "gradientTransform", "patternUnits", "markerWidth",
    "markerHeight", "refX", "refY", "textLength", "lengthAdjust", "stdDeviation", "clipPath", "linearGradient",
    "radialGradient", "foreignObject", "textPath")}


_HEADING = re.compile(r"<(/?)h([3-6])\b")


def raised_headings(html: str) -> str:
    """The lesson's HTML with its headings one level up: a stage's ``###`` are h3 under the handout's h2
    stage title, but in the book each stage is a document of its own whose title is its h1."""
    return _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) - 1}", html)


def to_xhtml(html: str, sources: dict[str, str | None]) -> str:
    """``html`` (a rendered page, the lesson's HTML in it) in XHTML's syntax. An image whose ``src`` is
    in ``sources`` gets the source it has in the book, or, mapped to None, becomes its alt text."""
    writer = _XhtmlWriter(sources)
    writer.feed(html)
    writer.close()
    return writer.result()


class _XhtmlWriter(HTMLParser):
    def __init__(self, sources: dict[str, str | None]) -> None:
        super().__init__(convert_charrefs=True)
        self.sources = sources
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], close: bool) -> None:
        tag = _CASED.get(tag, tag)
        values = dict(attrs)
        if tag == "img" and values.get("src") in self.sources:
            src = self.sources[values["src"] or ""]
            if src is None:
                self.out.append(f'<span class="img-alt">{escape(values.get("alt") or "", quote=False)}</span>')
                return
            values["src"] = src
        text = "".join(f' {_CASED.get(name, name)}="{escape(value if value is not None else name)}"'
                       for name, value in values.items())
        if tag in VOID or close:
            self.out.append(f"<{tag}{text}/>")
        else:
            self.out.append(f"<{tag}{text}>")
            self.open.append(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        tag = _CASED.get(tag, tag)
        if tag in VOID or tag not in self.open:
            return  # </br>, or an end tag nothing opened: HTML ignores it too
        while self.open:
            name = self.open.pop()
            self.out.append(f"</{name}>")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        pass  # nothing of a comment reaches the reader

    def result(self) -> str:
        self.out.extend(f"</{name}>" for name in reversed(self.open))
        self.open = []
        return _BLANK_LINES.sub("\n", "".join(self.out))


_BLANK_LINES = re.compile(r"\n\s*\n")
