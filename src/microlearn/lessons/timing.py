"""Time budgets: parse ``15m`` / ``1h 10m`` / ``90s`` and share a stage's budget among its slides."""

from __future__ import annotations

import re

# Times are written with the digits 0-9 in every language (the pages show them in the lesson's own
# numbering): "۵m", "٥m" or "５m" are refused with a hint rather than read as five.
_PART = re.compile(r"([0-9]+)\s*(h|m|s|min)(?![A-Za-z])")
_WHOLE = re.compile(r"^\s*(?:[0-9]+\s*(?:h|m|s|min)(?![A-Za-z])\s*)+$")
MAX_SECONDS = 24 * 3600


def parse_duration(text: str) -> int:
    """Seconds in ``text``; raise ValueError with a message an author understands."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise ValueError(f"a time must be text such as '2m' or '1h 10m', not {type(text).__name__}")
    if isinstance(text, int) or re.fullmatch(r"\s*[0-9]{1,9}\s*", text):
        number = str(text).strip()
        raise ValueError(f"'{number}' has no unit; write '{number}m' for minutes or '{number}s' for seconds")
    shown = text if len(text) <= 40 else text[:40] + "…"
    if any(c.isdigit() and not "0" <= c <= "9" for c in text):
        raise ValueError(f"'{shown}' is not a time: write its digits as 0-9, e.g. '5m' (pages show them in "
                         "the lesson's own digits)")
    if not _WHOLE.match(text):
        raise ValueError(f"'{shown}' is not a time; write it as '90s', '2m', '1h 10m' (h, m, s)")
    seen: set[str] = set()
    total = 0
    for number, unit in _PART.findall(text):
        unit = "m" if unit == "min" else unit
        if unit in seen:
            raise ValueError(f"'{shown}' gives '{unit}' twice")
        seen.add(unit)
        if len(number) > 6:  # more than a day in any unit; int() of thousands of digits is slow
            raise ValueError(f"'{shown}' is longer than a day; a micro-lesson is minutes long")
        total += int(number) * {"h": 3600, "m": 60, "s": 1}[unit]
    if total > MAX_SECONDS:
        raise ValueError(f"'{shown}' is longer than a day; a micro-lesson is minutes long")
    return total


def split_seconds(total: int | None, parts: int) -> list[int | None]:
    """Share ``total`` among ``parts`` slides in whole seconds, the remainder to the first ones."""
    if total is None:
        return [None] * parts
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def looks_like_time(word: str) -> bool:
    """Whether ``word`` reads as one part of a time, such as the '10m' of an unquoted 'time=1h 10m'."""
    return bool(re.fullmatch(r"[0-9]+\s*(?:h|m|s|min)", word))
