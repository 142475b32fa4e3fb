"""Sort keys for lesson titles, as a reader expects a list of them ordered.

Numbers by value ("Урок 2" before "Урок 10"); accents, case and Arabic vowel marks only break ties
("Άσκηση" among the alphas, not after ω); the letters whose code points stand out of alphabetical order in
their language put back in place (Persian پ چ ژ گ, and و before ه). Not the full Unicode Collation
Algorithm, which would need ICU: enough for a catalog of lessons in the languages this project ships,
and deterministic everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NUMBER = re.compile(r"(\d+)")
# Combining marks that make a letter of its own where they are used: the breve of Cyrillic й and ў.
_LETTER_MARKS = frozenset({"\u0306"})
_AFTER = "\uf8ff"  # sorts after every letter: "ب" + _AFTER is a letter placed right after ب
# Persian alphabetical order, where it differs from the order of the Arabic block's code points.
_PERSIAN = str.maketrans({
    "\u067e": "\u0628" + _AFTER,  # پ after ب
    "\u0686": "\u062c" + _AFTER,  # چ after ج
    "\u0698": "\u0632" + _AFTER,  # ژ after ز
    "\u06a9": "\u0643",           # ک is ك
    "\u06af": "\u0643" + _AFTER,  # گ after ک
    "\u0647": "\u0648" + _AFTER,  # ه after و
    "\u06c0": "\u0648" + _AFTER,  # ۀ with ه
    "\u06cc": "\u064a",           # ی is ي
})


def _primary(text: str, lang: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    letters = "".join(c for c in decomposed if c in _LETTER_MARKS
                      or (not unicodedata.category(c).startswith("M") and c != "\u0640"))
    letters = unicodedata.normalize("NFC", letters)
    if lang.split("-")[0] == "fa":
        letters = letters.translate(_PERSIAN)
    return letters


def _chunks(text: str) -> tuple:
    return tuple(_number(part) if part.isdecimal() else (1, 0, part) for part in _NUMBER.split(text) if part)


def _number(digits: str) -> tuple:
    """A run of digits in value order without int(), which refuses thousands of digits (a title may hold
    them): a shorter number (leading zeros aside) is smaller, then the digits decide."""
    ascii_digits = "".join(str(unicodedata.decimal(c)) for c in digits).lstrip("0")
    return (0, len(ascii_digits), ascii_digits)


@lru_cache(maxsize=65536)
def title_key(title: str, lang: str) -> tuple:
    """A key that orders titles of one language as its readers do; the exact text breaks ties."""
    return (_chunks(_primary(title, lang).strip()), _chunks(title.casefold()), title)
