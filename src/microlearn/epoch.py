"""The build's one clock: SOURCE_DATE_EPOCH, read once and passed down."""

from __future__ import annotations

import os

from microlearn.errors import MicrolearnError

# Zip files hold dates from 1980-01-01 to 2107-12-31 (the year is 7 bits from 1980).
FIRST_ZIP_TIME = 315532800
LAST_ZIP_TIME = 4354819199


def source_date_epoch() -> int:
    """Timestamps in generated files come only from SOURCE_DATE_EPOCH (default: 1980-01-01); a value that is
    not a time a zip can hold is an error, not a traceback deep in the zip writer."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return FIRST_ZIP_TIME
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise MicrolearnError(f"SOURCE_DATE_EPOCH={value[:40]!r} is not a time: set it to the seconds since "
                              "1970-01-01 UTC, e.g. $(git log -1 --format=%ct), or unset it")
    if int(value) > LAST_ZIP_TIME:
        raise MicrolearnError(f"SOURCE_DATE_EPOCH={value} is after 2107-12-31, the last date a zip file can "
                              "hold; set it to the time of the sources, e.g. $(git log -1 --format=%ct)")
    return max(FIRST_ZIP_TIME, int(value))
