"""Tickers and the trading calendars a symbol can keep (which one: `universe.calendar_for`)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pulsewire.errors import DataError

XNYS: Final = "XNYS"
"""New York Stock Exchange sessions (exchange-calendars code): the ETFs and VIX."""

ALWAYS_OPEN: Final = "24/7"
"""Every calendar day is a session (UTC days): crypto pairs."""

_SYMBOL = re.compile(r"[A-Za-z0-9^][A-Za-z0-9.^=_-]{0,31}")


def check_symbol(symbol: str) -> str:
    """Return `symbol` if it looks like a ticker, else raise `DataError`.

    Symbols come from file names and feeds, so they are checked before they are
    stored: letters, digits and ``. ^ = _ -``, at most 32 characters.
    """
    if not _SYMBOL.fullmatch(symbol):
        raise DataError(
            "symbol",
            symbol,
            f"{symbol!r} is not a ticker (letters, digits and . ^ = _ -, at most 32 characters)",
        )
    return symbol


TIMESTAMP_RANGE: Final = (dt.date(1678, 1, 1), dt.date(2261, 12, 31))
"""Whole years inside pandas' nanosecond timestamps (1677-09-21 to 2262-04-11), on which
exchange calendars are built: no calendar answers outside them."""


@functools.cache
def calendar_range(calendar: str) -> tuple[dt.date, dt.date]:
    """Return the first and last date `calendar` has sessions for: what a bar may be dated.

    That is `TIMESTAMP_RANGE`, narrowed by an exchange calendar's own bounds where
    exchange_calendars sets them (``XTKS`` starts in 1997; ``XNYS`` has no bound).
    """
    first, last = TIMESTAMP_RANGE
    if calendar == ALWAYS_OPEN:
        return first, last
    import exchange_calendars as xcals  # heavy (pandas): imported when a calendar is asked

    kind = type(xcals.get_calendar(calendar))
    low, high = kind.bound_min(), kind.bound_max()
    return (
        first if low is None else max(first, low.date()),
        last if high is None else min(last, high.date()),
    )


SESSIONS_PER_YEAR: Final[Mapping[str, int]] = MappingProxyType({XNYS: 252, ALWAYS_OPEN: 365})
"""Sessions in a year of each calendar: what annualises a daily volatility (252 is the
NYSE's usual count, which moves between 250 and 253 with the holidays)."""
