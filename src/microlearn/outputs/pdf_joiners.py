"""Keep zero-width joiner controls in the text layer of WeasyPrint's PDFs.

Persian writes the zero-width non-joiner (U+200C) inside words: "می‌خواهم" must not become "میخواهم"
when a learner copies it out of a handout, searches it or has it read aloud. HarfBuzz treats the joiner
controls as default-ignorable and Pango shapes them to its empty glyph, which WeasyPrint leaves out of
the page's text, so the character is lost although the letters around it are shaped right.

While a PDF is laid out, ``keep_joiners`` replaces Pango's empty glyph, wherever the text under it is
U+200C or U+200D, by an empty glyph of the same font: no outline, zero advance. Nothing on the page moves
or appears, and WeasyPrint's ToUnicode map gives that glyph the joiner's character, as it does for every
other glyph. The joiner's own glyph is used when it is empty; Noto Sans Arabic draws its joiners as
visible marks, so there the glyph of another default-ignorable character (U+200B, U+2060, U+FEFF,
U+034F) is borrowed: Pango never draws those (they too become its empty glyph), so the borrowed glyph
stands for the joiner alone. A font with no empty glyph keeps Pango's, and its joiners stay out of the
text layer.

This wraps one WeasyPrint method (``Layout.get_first_line``, the line every PDF text run is drawn from)
for the duration of the ``with`` block. tests/test_pdf.py reads the joiners back from real PDFs, so a
WeasyPrint release that moves this method fails there instead of silently dropping the characters.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

JOINERS = {"\u200c".encode(): 0x200C, "\u200d".encode(): 0x200D}  # by their UTF-8 bytes, as Pango counts
BORROWABLE = (0x200B, 0x2060, 0xFEFF, 0x034F)  # default-ignorable, so Pango never draws their glyphs
HARFBUZZ_NAMES = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")


class _GlyphExtents(ctypes.Structure):
    _fields_ = [("x_bearing", ctypes.c_int32), ("y_bearing", ctypes.c_int32),
                ("width", ctypes.c_int32), ("height", ctypes.c_int32)]


@cache
def _harfbuzz() -> ctypes.CDLL | None:
    """The HarfBuzz library WeasyPrint loaded, with the three glyph queries used here declared."""
    names = [*HARFBUZZ_NAMES, ctypes.util.find_library("harfbuzz")]
    for name in filter(None, names):
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        library.hb_font_get_nominal_glyph.argtypes = [ctypes.c_void_p, ctypes.c_uint32,
                                                      ctypes.POINTER(ctypes.c_uint32)]
        library.hb_font_get_nominal_glyph.restype = ctypes.c_int
        library.hb_font_get_glyph_extents.argtypes = [ctypes.c_void_p, ctypes.c_uint32,
                                                      ctypes.POINTER(_GlyphExtents)]
        library.hb_font_get_glyph_extents.restype = ctypes.c_int
        library.hb_font_get_glyph_h_advance.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        library.hb_font_get_glyph_h_advance.restype = ctypes.c_int32
        return library
    return None


def _empty_glyphs(harfbuzz: ctypes.CDLL, font: int) -> dict[int, int]:
    """Joiner code point -> an empty, zero-advance glyph of ``font`` to draw it with."""
    found, extents = ctypes.c_uint32(), _GlyphExtents()

    def empty_glyph(codepoint: int) -> int | None:
        if not harfbuzz.hb_font_get_nominal_glyph(font, codepoint, ctypes.byref(found)):
            return None
        glyph = found.value
        if harfbuzz.hb_font_get_glyph_h_advance(font, glyph):
            return None
        if not harfbuzz.hb_font_get_glyph_extents(font, glyph, ctypes.byref(extents)):
            return None
        return glyph if extents.width == 0 and extents.height == 0 else None

    spare = [glyph for glyph in map(empty_glyph, BORROWABLE) if glyph is not None]
    chosen: dict[int, int] = {}
    for joiner in JOINERS.values():
        own = empty_glyph(joiner)
        if own is not None:
            chosen[joiner] = own
        elif spare:
            chosen[joiner] = spare.pop(0)
    return chosen


def _show_joiners(layout: Any, line: Any, fonts: dict[int, dict[int, int]]) -> None:
    """Give every empty glyph that stands for a joiner control in ``line`` an empty glyph of its font."""
    from weasyprint.text.ffi import ffi, pango

    harfbuzz = _harfbuzz()
    if harfbuzz is None:
        return
    text = layout.text.encode()
    run = line.runs
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        glyphs = glyph_item.glyphs
        for index in range(glyphs.num_glyphs):
            glyph = glyphs.glyphs[index]
            if glyph.glyph != pango.PANGO_GLYPH_EMPTY:
                continue
            start = glyph_item.item.offset + glyphs.log_clusters[index]
            codepoint = JOINERS.get(text[start:start + 3])
            if codepoint is None:
                continue
            font = int(ffi.cast("uintptr_t", pango.pango_font_get_hb_font(glyph_item.item.analysis.font)))
            if font not in fonts:
                fonts[font] = _empty_glyphs(harfbuzz, font)
            if codepoint in fonts[font]:
                glyph.glyph = fonts[font][codepoint]


@contextmanager
def keep_joiners() -> Iterator[None]:
    """Within the block, PDFs written by WeasyPrint keep U+200C and U+200D in their text."""
    from weasyprint.text.line_break import Layout

    original = Layout.get_first_line
    fonts: dict[int, dict[int, int]] = {}  # HarfBuzz font -> its glyphs for the joiners

    def get_first_line(self: Any) -> tuple[Any, int | None]:
        line, index = original(self)
        if "\u200c" in self.text or "\u200d" in self.text:
            _show_joiners(self, line, fonts)
        return line, index

    Layout.get_first_line = get_first_line
    try:
        yield
    finally:
        Layout.get_first_line = original
