"""When a build happened, read one way everywhere.

SOURCE_DATE_EPOCH (the reproducible-builds convention) fixes it, so that rebuilding the same
sources gives the same bytes; each caller names its own fallback for when it is unset,
because an archive's timestamps and a page's "built on" date need different ones.
"""

from __future__ import annotations

import datetime
import os
import time


def source_date_epoch(default: int) -> int:
    """Seconds since 1970 from SOURCE_DATE_EPOCH, or `default` when it is unset or empty."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(
            f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds; unset it or set "
            "it to one, e.g. the last commit's: git log -1 --format=%ct"
        ) from None


def build_date() -> datetime.date:
    """The date a page says it was built: SOURCE_DATE_EPOCH's, else today (UTC)."""
    epoch = source_date_epoch(default=int(time.time()))
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).date()
