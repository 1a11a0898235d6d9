"""The 52-week range both ways: below the high, above the low, and fresh highs and lows.

For one symbol at its as-of bar t, over its last `TRADING_DAYS` bars, t included (the
intraday extremes readers know, as `high_252` and `drawdown_252`):

- ``regain = high / close - 1``: the gain needed to get back to the high, which a
  drawdown understates ("13.5% below, +15.7% to regain");
- ``above_low = close / low - 1``: how far the close sits above the low;
- a **fresh** 52-week high is a bar whose high is the highest of its own trailing 252
  bars (a low mirrors it); "today" is a fresh one when the as-of bar is. The sessions
  since the last fresh one count the symbol's bars, 0 when it is today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from pulsewire._types import DateArray, FloatArray
from pulsewire.analysis.indicators import TRADING_DAYS, rolling_max
from pulsewire.analysis.rows import as_date

__all__ = ["YearExtreme", "YearRange", "rolling_min", "year_range"]


def rolling_min(values: FloatArray, window: int = TRADING_DAYS) -> FloatArray:
    """Return the minimum of the last `window` bars, today included (NaN rows skipped)."""
    return -rolling_max(-values, window)


@dataclass(frozen=True, slots=True)
class YearExtreme:
    """The 52-week high or low as of a close, and the latest bar that set it."""

    price: float
    date: dt.date
    bars_ago: int
    """The symbol's bars since that bar: 0 when the as-of bar set it."""
    is_high: bool
    last_fresh: dt.date | None
    """The latest bar that was a fresh 52-week extreme of its own trailing year; None
    when none was since the symbol's first full year (a slide from its first bars)."""
    sessions_since_fresh: int | None


@dataclass(frozen=True, slots=True)
class YearRange:
    """Where the close sits in its 52-week range, both ways."""

    close: float
    high: YearExtreme
    low: YearExtreme

    @property
    def regain(self) -> float:
        """The gain that takes the close back to the 52-week high (>= 0)."""
        return self.high.price / self.close - 1

    @property
    def above_low(self) -> float:
        """How far the close sits above the 52-week low (>= 0)."""
        return self.close / self.low.price - 1


def year_range(
    high: FloatArray,
    low: FloatArray,
    close: FloatArray,
    high_252: FloatArray,
    low_252: FloatArray,
    dates: DateArray,
    column: int,
    row: int,
) -> YearRange | None:
    """Return one column's 52-week range at `row`, None before a full year of bars.

    `high_252` and `low_252` are the (T, N) trailing extremes (`rolling_max` of highs,
    `rolling_min` of lows); only rows up to `row` are read.
    """
    head = slice(0, row + 1)
    bars = np.flatnonzero(np.isfinite(close[head, column]))
    if bars.size == 0 or not np.isfinite(high_252[bars[-1], column]):
        return None
    last = bars[-1]

    def extreme(values: FloatArray, trailing: FloatArray, is_high: bool) -> YearExtreme:
        own, rolled = values[bars, column], trailing[bars, column]
        price = float(rolled[-1])
        window = own[-TRADING_DAYS:]
        setter = window.size - 1 - int(np.flatnonzero(window[::-1] == price)[0])
        fresh = np.flatnonzero(own >= rolled if is_high else own <= rolled)
        return YearExtreme(
            price=price,
            date=as_date(dates[bars[own.size - window.size + setter]]),
            bars_ago=window.size - 1 - setter,
            is_high=is_high,
            last_fresh=as_date(dates[bars[fresh[-1]]]) if fresh.size else None,
            sessions_since_fresh=int(own.size - 1 - fresh[-1]) if fresh.size else None,
        )

    return YearRange(
        float(close[last, column]), extreme(high, high_252, True), extreme(low, low_252, False)
    )
