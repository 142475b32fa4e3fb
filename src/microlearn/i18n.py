"""Languages: catalogs, direction, plural choice, digits and number/duration formatting.

Everything language-specific comes from CLDR through Babel or from the project's catalogs; the tables
here are the digits of CLDR's numeric numbering systems, which Babel does not ship, and how a few
languages join the parts of a duration where Babel's list data reads wrong (see DURATION_LISTS).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from babel.support import Translations
from babel.units import format_unit

from .errors import MicrolearnError

# First digit (zero) of CLDR's numeric numbering systems (common/supplemental/numberingSystems.xml);
# the other nine follow it in Unicode order for every system listed here.
NUMBERING_ZERO = {
    "latn": "0", "arab": "\u0660", "arabext": "\u06f0", "deva": "\u0966", "beng": "\u09e6",
    "guru": "\u0a66", "gujr": "\u0ae6", "orya": "\u0b66", "tamldec": "\u0be6", "telu": "\u0c66",
    "knda": "\u0ce6", "mlym": "\u0d66", "thai": "\u0e50", "laoo": "\u0ed0", "tibt": "\u0f20",
    "mymr": "\u1040", "khmr": "\u17e0", "mong": "\u1810", "nkoo": "\u07c0", "rohg": "\U00010d30",
    "adlm": "\U0001e950", "bali": "\u1b50", "java": "\ua9d0", "olck": "\u1c50", "sund": "\u1bb0",
    "vaii": "\ua620", "fullwide": "\uff10", "hanidec": None,
}
_HANIDEC = "〇一二三四五六七八九"


def digits_of(system: str) -> str:
    """The ten digits of a CLDR numbering system, '0123456789' for 'latn'."""
    if system == "hanidec":
        return _HANIDEC
    zero = NUMBERING_ZERO.get(system)
    if zero is None:
        raise KeyError(system)
    return "".join(chr(ord(zero) + i) for i in range(10))


def babel_locale(code: str) -> Locale:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise MicrolearnError(f"'{code}' is not a language CLDR knows; use a code such as 'el', 'fa' or 'pt-BR'") from None


# Typography by script (ISO 15924), which the theme's CSS reads from <html data-typography>:
# "joined": letters join, so no letter-spacing and no case transforms would tear them apart;
# "upright": no true italic (a browser would only shear the letters), so emphasis is bold;
# "tall": marks stack above and below the letters, so lines need more room.
JOINED_SCRIPTS = frozenset({"Arab", "Syrc", "Mong", "Nkoo", "Adlm", "Rohg"})
TYPOGRAPHY = (("joined", JOINED_SCRIPTS), ("upright", JOINED_SCRIPTS | {"Hebr", "Thaa"}),
              ("tall", JOINED_SCRIPTS | {"Thaa"}))


@dataclass(frozen=True)
class LanguageInfo:
    """What pages need to know about one language: code, direction, digits, CLDR names."""

    code: str
    direction: str  # "ltr" or "rtl"
    numbering: str
    digits: str
    name: str  # the language's name in itself, e.g. "Ελληνικά"
    script: str  # ISO 15924 script it is written in, e.g. "Arab" for ur (CLDR); themes style by it

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def typography(self) -> str:
        """The script's traits the theme styles by, e.g. "joined upright tall" for Arabic script."""
        return " ".join(trait for trait, scripts in TYPOGRAPHY if self.script in scripts)


def script_of(locale: Locale) -> str:
    """The script a code names ('uz_Arab'), else CLDR's likely one ('ur' → 'Arab', 'pa_PK' → 'Arab')."""
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags")
    for key in (f"{locale.language}_{locale.territory}" if locale.territory else "", locale.language):
        if key in likely:
            return parse_locale(likely[key])[2] or "Zzzz"
    return "Zzzz"  # ISO 15924's 'uncoded script'


@lru_cache(maxsize=64)
def language_info(code: str, numbering: str | None = None) -> LanguageInfo:
    locale = babel_locale(code)
    system = numbering or locale.default_numbering_system
    try:
        digits = digits_of(system)
    except KeyError:
        raise MicrolearnError(f"numbering '{system}' of language '{code}' is not a numeric CLDR numbering "
                              f"system; use one of {', '.join(sorted(NUMBERING_ZERO))}") from None
    name = locale.get_display_name(locale) or code
    # HTML's dir knows ltr and rtl only; CLDR says "ttb" for vertical Mongolian script, whose lines are
    # laid out left to right when set horizontally, as they are here.
    direction = "rtl" if locale.text_direction == "rtl" else "ltr"
    return LanguageInfo(code, direction, system, digits, name[:1].upper() + name[1:], script_of(locale))


def localize_digits(text: str, digits: str) -> str:
    if digits == "0123456789":
        return text
    return text.translate(str.maketrans("0123456789", digits))


@lru_cache(maxsize=4096)  # called for every stage of every page
def format_number(value: int | float, info: LanguageInfo) -> str:
    return localize_digits(format_decimal(value, locale=babel_locale(info.code)), info.digits)


def format_counter(value: int, info: LanguageInfo, width: int = 1) -> str:
    """A plain counter such as a stage number '01' or a slide number, in the language's digits."""
    return localize_digits(str(value).zfill(width), info.digits)


def _unit(value: int, unit: str, locale: Locale) -> str:
    """'4 λεπτά'; where Babel's CLDR data lacks the long form (fa gives '4 duration-minute'), the short one."""
    text = format_unit(value, unit, length="long", locale=locale)
    if unit in text:
        text = format_unit(value, unit, length="short", locale=locale)
    return text


# How the parts of a duration are joined, as (two parts, between earlier parts, before the last part), for
# languages whose CLDR list data in Babel reads unlike what a native writer puts in a lesson plan:
# Babel's Arabic 'unit' list falls back to a 'unit-short' list without a pattern for two parts and repeats
# the last part ("ساعة، و10 دقائق، و10 دقائق"); Greek joins two parts with a comma but three with "και";
# Persian puts a serial comma before "و"; Hebrew's conjunction differs between Babel releases. Every other
# language gets CLDR's unit list (then its standard list), read as CLDR's TR35 says.
DURATION_LISTS = {
    "el": ("{0} και {1}", "{0}, {1}", "{0} και {1}"),
    "fa": ("{0} و {1}", "{0} و {1}", "{0} و {1}"),
    "ar": ("{0} و{1}", "{0} و{1}", "{0} و{1}"),
    "he": ("{0} ו{1}", "{0}, {1}", "{0} ו{1}"),
}
# Hebrew writes a hyphen between the conjunction ו and a number in digits ("שעה ו-10 דקות").
_HEBREW_AND_DIGIT = re.compile(r"(?<= )ו(?=\d)")


def _list_patterns(locale: Locale, count: int) -> tuple[str, str, str]:
    """(two, middle, end) for a list of ``count`` parts: the first of CLDR's unit, unit-short and standard
    lists that has the patterns this count needs (Babel keeps only what a locale itself defines)."""
    own = DURATION_LISTS.get(locale.language)
    if own:
        return own
    for style in ("unit", "unit-short", "standard"):
        try:
            patterns = locale.list_patterns[style]
        except KeyError:
            continue
        needed = ("2",) if count == 2 else ("start", "middle", "end")
        if all(key in patterns for key in needed):
            two = patterns["2"] if "2" in patterns else patterns["end"]
            return (two, patterns["middle"] if count > 2 else two, patterns["end"] if count > 2 else two)
    return ("{0}, {1}", "{0}, {1}", "{0}, {1}")


def join_parts(parts: list[str], locale: Locale) -> str:
    """'1 ώρα και 10 λεπτά': a duration's parts joined as the language joins them."""
    if len(parts) == 1:
        return parts[0]
    two, middle, end = _list_patterns(locale, len(parts))
    if len(parts) == 2:
        text = two.format(*parts)
    else:
        text = parts[0]
        for part in parts[1:-1]:
            text = middle.format(text, part)
        text = end.format(text, parts[-1])
    if locale.language == "he":
        text = _HEBREW_AND_DIGIT.sub("ו-", text)
    return text


@lru_cache(maxsize=4096)  # called for every stage of every page
def format_duration(seconds: int | None, info: LanguageInfo) -> str:
    """'1 ώρα και 10 λεπτά': each unit spelled by CLDR, so Arabic keeps its dual ('دقيقتان').

    Not babel.dates.format_timedelta: it rounds to one unit (90 minutes become '2 hours' in ru).
    """
    if seconds is None:
        return ""
    locale = babel_locale(info.code)
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    for value, unit in ((hours, "duration-hour"), (minutes, "duration-minute"), (secs, "duration-second")):
        if value:
            parts.append(_unit(value, unit, locale))
    if not parts:
        parts.append(_unit(0, "duration-minute", locale))
    # the bidi marks some locales put around list parts are dropped: our pages isolate runs themselves.
    text = join_parts(parts, locale).replace("\u200f", "").replace("\u200e", "")
    return localize_digits(text, info.digits)


# ---------------------------------------------------------------- interface catalogs


@dataclass
class MissingStrings:
    """Interface strings that fell back to the source text, reported once each."""

    seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, lang: str, msgid: str) -> bool:
        key = (lang, msgid)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po file; a broken one is a MicrolearnError at its line."""
    try:
        data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a byte order mark, as lessons allow
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except OSError as err:
        raise MicrolearnError(f"cannot read catalog: {err.strerror or err}", path) from None
    except PoFileError as err:
        # Babel counts lines from 0 and appends "on <line>" to the message; say it once, from 1.
        lineno = getattr(err, "lineno", None)
        reason = str(err).removesuffix(f" on {lineno}")
        raise MicrolearnError(f"broken catalog: {reason}; fix the line or run 'microlearn i18n update'", path,
                              lineno + 1 if isinstance(lineno, int) else None) from None
    except (UnicodeDecodeError, ValueError) as err:
        raise MicrolearnError(f"cannot read catalog: {err}", path) from None


def catalog_translations(path: Path) -> Translations:
    """Compile a .po in memory (fuzzy entries left out) into gettext Translations."""
    catalog = read_catalog(path)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf)


# A translation that comes from another language than the page's (a fallback catalog, or the English
# source) is wrapped in these Unicode noncharacters (reserved for a program's internal use, so never in
# text we are given; see parse.read_source) with that language's code. mark_languages() then turns the
# wrapped text of element content into <span lang dir>, and strips the marks where an element cannot
# go (attributes, <title>, scripts).
MARK_OPEN, MARK_SEP, MARK_CLOSE = "\ufdd0", "\ufdd1", "\ufdd2"
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


class InterfaceText:
    """gettext/ngettext for one language, through its fallback chain to the source string.

    ``chain`` holds (language code, catalog) pairs, the page's own language first. A string found in
    another language, or left in the English source, comes back marked with that language (see
    mark_languages), so the page can say which language it is in.
    """

    def __init__(self, lang: str, chain: list[tuple[str, Translations]], missing: MissingStrings | None = None,
                 on_missing=None, source_lang: str = "en") -> None:
        self.lang = lang
        self.chain = chain
        self.missing = missing or MissingStrings()
        self.on_missing = on_missing
        self.source_lang = source_lang

    def _miss(self, msgid: str) -> None:
        if self.missing.add(self.lang, msgid) and self.on_missing:
            self.on_missing(self.lang, msgid)

    def _in(self, code: str, text: str) -> str:
        if code.split("-")[0].lower() == self.lang.split("-")[0].lower():
            return text
        return f"{MARK_OPEN}{code}{MARK_SEP}{text}{MARK_CLOSE}"

    def _find(self, key) -> str | None:
        for code, t in self.chain:
            found = t._catalog.get(key)
            if found:
                return self._in(code, found)
        return None

    def gettext(self, message: str) -> str:
        found = self._find(message)
        if found is None:
            self._miss(message)
            return self._in(self.source_lang, message)
        return found

    @staticmethod
    def _form(t: Translations, n: int) -> int | None:
        """The plural form of ``n`` in a catalog; None when its expression cannot compute it (the checks
        report such a Plural-Forms; here the next catalog of the chain, or the source, is used)."""
        try:
            return t.plural(n)
        except (ArithmeticError, RecursionError, ValueError, TypeError):
            return None

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        for code, t in self.chain:
            found = t._catalog.get((singular, self._form(t, n)))
            if found:
                return self._in(code, found)
        self._miss(singular)
        return self._in(self.source_lang, singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        found = self._find(f"{context}\x04{message}")
        if found is None:
            self._miss(message)
            return self._in(self.source_lang, message)
        return found

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        for code, t in self.chain:
            found = t._catalog.get((f"{context}\x04{singular}", self._form(t, n)))
            if found:
                return self._in(code, found)
        self._miss(singular)
        return self._in(self.source_lang, singular if n == 1 else plural)


def catalog_path(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang.replace("-", "_") / "LC_MESSAGES" / "messages.po"
