"""Languages: catalogs, direction, plural choice, digits and number/duration formatting.

Everything language-specific comes from CLDR through Babel or from the project's catalogs; the tables
here are the digits of CLDR's numeric numbering systems, which Babel does not ship, and how a few
languages join the parts of a duration where Babel's list data reads wrong (see DURATION_LISTS)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.lists import format_list as babel_format_list
from babel.numbers import format_decimal
from babel.numbers import format_percent as format_percent_babel
from babel.units import format_unit

from microlearn.errors import MicrolearnError

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
        raise MicrolearnError(f"'{code}' is not a language CLDR knows; use a code such as 'el', 'fa' or "
                              "'pt-BR'") from None


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


def format_clock(seconds: int, info: LanguageInfo) -> str:
    """A time of day or an offset from a start on a clock face, '0:05' or '1:02:30' (seconds only when
    there are any), in the language's digits; the hours are not padded."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
    return localize_digits(text, info.digits)


@lru_cache(maxsize=256)
def format_percent(value: int, info: LanguageInfo) -> str:
    """'80%', '80 %' (ru), '۸۰٪' (fa): a whole percentage with the language's pattern, sign and digits."""
    locale = babel_locale(info.code)
    text = format_percent_babel(value / 100, locale=locale)
    symbols = locale.number_symbols.get(info.numbering) or {}
    sign = str(symbols.get("percentSign", "%"))
    # the bidi marks CLDR puts around some signs are dropped: our pages isolate runs themselves.
    text = text.replace("%", sign)
    for mark in ("\u200e", "\u200f", "\u061c"):
        text = text.replace(mark, "")
    return localize_digits(text, info.digits)


# Lists of things (a lesson's materials) where Babel's CLDR data reads unlike a native writer: Persian
# puts no comma before "و", Arabic separates with its comma and joins the last item with "و".
LIST_PATTERNS = {
    "fa": ("{0} و {1}", "{0}، {1}", "{0} و {1}"),
    "ar": ("{0} و{1}", "{0}، {1}", "{0} و{1}"),
}


def format_list(items: list[str], info: LanguageInfo) -> str:
    """'a, b and c' as the language writes a list (CLDR's standard list), without CLDR's bidi marks."""
    if not items:
        return ""
    locale = babel_locale(info.code)
    own = LIST_PATTERNS.get(locale.language)
    if own and len(items) > 1:
        two, middle, end = own
        text = two.format(*items) if len(items) == 2 else items[0]
        if len(items) > 2:
            for item in items[1:-1]:
                text = middle.format(text, item)
            text = end.format(text, items[-1])
        return text
    text = babel_format_list(items, style="standard", locale=locale)
    for mark in ("\u200e", "\u200f", "\u061c"):
        text = text.replace(mark, "")
    return text


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
