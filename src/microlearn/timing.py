"""Time budgets: parse ``15m`` / ``1h 10m`` / ``90s`` and share a stage's budget among its slides."""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+)\s*(h|m|s|min)\b")
_WHOLE = re.compile(r"^\s*(?:\d+\s*(?:h|m|s|min)\b\s*)+$")
MAX_SECONDS = 24 * 3600


def parse_duration(text: str) -> int:
    """Seconds in ``text``; raise ValueError with a message an author understands."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise ValueError(f"a time must be text such as '2m' or '1h 10m', not {type(text).__name__}")
    if isinstance(text, int):
        raise ValueError(f"'{text}' has no unit; write '{text}m' for minutes or '{text}s' for seconds")
    if not _WHOLE.match(text):
        raise ValueError(f"'{text}' is not a time; write it as '90s', '2m', '1h 10m' (h, m, s)")
    seen: set[str] = set()
    total = 0
    for number, unit in _PART.findall(text):
        unit = "m" if unit == "min" else unit
        if unit in seen:
            raise ValueError(f"'{text}' gives '{unit}' twice")
        seen.add(unit)
        total += int(number) * {"h": 3600, "m": 60, "s": 1}[unit]
    if total > MAX_SECONDS:
        raise ValueError(f"'{text}' is longer than a day; a micro-lesson is minutes long")
    return total


def split_seconds(total: int | None, parts: int) -> list[int | None]:
    """Share ``total`` among ``parts`` slides in whole seconds, the remainder to the first ones."""
    if total is None:
        return [None] * parts
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
