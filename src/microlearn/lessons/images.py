"""What a lesson may publish as an image: a raster or SVG file whose bytes are what its extension says,
and an SVG that only draws (no script, event handler, foreignObject, or reference to another file).

An image is copied next to the deck and served from the site's origin, so anything else there (an
HTML page, a script, an SVG with a <script>) would run as the site. The rules are checked where the
lesson's references are collected (parse._collect_ref), so ``check`` and ``build`` say the same thing
at the reference's line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from microlearn.errors import MicrolearnError

# extension -> (format name, does the start of the file say so)
_RASTER = {
    ".png": ("PNG", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("JPEG", lambda b: b.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("JPEG", lambda b: b.startswith(b"\xff\xd8\xff")),
    ".gif": ("GIF", lambda b: b[:6] in (b"GIF87a", b"GIF89a")),
    ".webp": ("WebP", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
    ".avif": ("AVIF", lambda b: b[4:8] == b"ftyp" and b[8:12] in (b"avif", b"avis")),
}
EXTENSIONS = (*_RASTER, ".svg")
MAX_SVG = 5_000_000  # bytes; an SVG is parsed to check it

_SVG_NS = "{http://www.w3.org/2000/svg}"
_XHTML_NS = "{http://www.w3.org/1999/xhtml}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^'\")\s]*)", re.I)
_IMPORT = re.compile(r"@import", re.I)
_EMBEDDED = re.compile(r"data:image/(?:gif|png|jpeg|webp);base64,", re.I)
_ANIMATION = {"set", "animate", "animateMotion", "animateTransform", "discard"}


def check_image(file: Path, src: str, path: Path, line: int, col: int | None = None) -> None:
    """``file`` (which ``src`` names, in lesson ``path`` at ``line`` and ``col``) may be published as an
    image."""
    suffix = file.suffix.lower()
    if suffix not in EXTENSIONS:
        raise MicrolearnError(f"image '{src}' is not an image file; use a .png, .jpg, .gif, .webp, .avif or "
                              ".svg file", path, line, col)
    try:
        with open(file, "rb") as fh:
            head = fh.read(MAX_SVG + 1 if suffix == ".svg" else 16)
    except OSError as err:
        raise MicrolearnError(f"image '{src}' cannot be read: {err.strerror or err}", path, line,
                              col) from None
    if suffix in _RASTER:
        name, matches = _RASTER[suffix]
        if not matches(head):
            raise MicrolearnError(f"image '{src}' is not a {name} file, as its name says; save it as {name} "
                                  "or give it the extension of its format", path, line, col)
        return
    if len(head) > MAX_SVG:
        raise MicrolearnError(f"image '{src}' is larger than {MAX_SVG:,} bytes; an SVG that big is better "
                              "saved as PNG", path, line, col)
    problem = svg_problem(head)
    if problem:
        raise MicrolearnError(f"image '{src}' {problem}; an SVG image may only draw: remove scripts, event "
                              "handlers (on…), <foreignObject> and references to other files, or save it as "
                              "PNG", path, line, col)


def svg_problem(data: bytes) -> str | None:
    """Why ``data`` may not be published as an SVG image, or None if it only draws."""
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data, re.I):
        return "has a <!DOCTYPE> or <!ENTITY> declaration"
    if re.search(rb"<\?xml-stylesheet", data, re.I):
        return "links a style sheet"
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError):
        return "is not a well-formed SVG file"
    if root.tag != f"{_SVG_NS}svg":
        return "is not an SVG file (its root element is not <svg> in the SVG namespace)"
    for element in root.iter():
        problem = _element_problem(element)
        if problem:
            return problem
    return None


def _element_problem(element: ET.Element) -> str | None:
    """Why one element of an SVG may not be published, or None."""
    tag = element.tag if isinstance(element.tag, str) else ""
    local = tag.rpartition("}")[2]
    if local.lower() in ("script", "foreignobject", "iframe", "embed", "object") or tag.startswith(_XHTML_NS):
        return f"contains <{local}>"
    animated = (element.get("attributeName") or "").lower() if local in _ANIMATION else ""
    if animated.rpartition(":")[2] == "href" or animated.startswith("on"):
        return f"contains <{local}> that changes a link or an event handler"
    for name, value in element.attrib.items():
        problem = _attribute_problem(name, value)
        if problem:
            return problem
    if local == "style":
        text = "".join(element.itertext())
        if _IMPORT.search(text):
            return "imports a style sheet"
        return _url_problem(text)
    return None


def _attribute_problem(name: str, value: str) -> str | None:
    """Why an attribute of an SVG element may not be published, or None."""
    attr = name.rpartition("}")[2].lower()
    if attr.startswith("on"):
        return f"has an event handler ({attr}=…)"
    # A link may go to a fragment of this drawing, or to a picture embedded in it (as Inkscape does).
    if (attr == "href" or name == _XLINK_HREF) and not (value.strip().startswith("#")
                                                        or _EMBEDDED.match(value.strip())):
        return f"refers to another file or address ({attr}=\"{value[:40]}\")"
    return _url_problem(value)


def _url_problem(text: str) -> str | None:
    """Why a ``url(…)`` in ``text`` may not be published (it is not a fragment of this drawing), or None."""
    for target in _URL.findall(text):
        if not target.startswith("#"):
            return f"refers to another file or address (url({target[:40]}))"
    return None
