"""`Bar`: one daily OHLCV bar, and the rules every bar obeys, written once for arrays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl

from pulsewire._types import BoolArray, FloatArray
from pulsewire.errors import DataError
from pulsewire.model.symbols import check_symbol

PRICE_FIELDS: Final = ("open", "high", "low", "close", "adj_close")

OHLC_TOLERANCE: Final = 1e-5
"""Relative slack allowed when high/low are compared with open/close.

Vendors round each field on its own; 1e-5 of the price (a thousandth of a cent on a
$100 ETF) forgives that rounding and nothing a real bad print would produce.
"""

BAR_SCHEMA: Final = pl.Schema(
    {
        "symbol": pl.String(),
        "date": pl.Date(),
        **{name: pl.Float64() for name in PRICE_FIELDS},
        "volume": pl.Float64(),
    }
)
"""Columns of a batch of bars; `volume` is null where the series has none (an index)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """The first broken rule of a batch: where (row, 0-based), which field, why."""

    row: int
    field: str
    value: object
    reason: str


def _fmt(value: float) -> str:
    return f"{value:.10g}"


def high_below_body(open_: FloatArray, high: FloatArray, close: FloatArray) -> BoolArray:
    """Return where high is below max(open, close) beyond `OHLC_TOLERANCE`."""
    return high < np.maximum(open_, close) * (1 - OHLC_TOLERANCE)


def low_above_body(open_: FloatArray, low: FloatArray, close: FloatArray) -> BoolArray:
    """Return where low is above min(open, close) beyond `OHLC_TOLERANCE`."""
    return low > np.minimum(open_, close) * (1 + OHLC_TOLERANCE)


def first_bar_problem(
    open_: FloatArray,
    high: FloatArray,
    low: FloatArray,
    close: FloatArray,
    adj_close: FloatArray,
    volume: FloatArray,
) -> Problem | None:
    """Return the earliest broken bar rule across aligned columns, or None.

    Rules: every price is finite and positive; volume (NaN = none) is finite and not
    negative; high is not below max(open, close) and low not above min(open, close),
    beyond `OHLC_TOLERANCE`. On one row, rules are reported in that order.
    """
    found: list[Problem] = []

    def note(
        mask: BoolArray, field: str, values: FloatArray, why: str | Callable[[int], str]
    ) -> None:
        # `why` is a template of the value ("{v} is ...") or a function of the row.
        rows = np.flatnonzero(mask)
        if rows.size:
            row = int(rows[0])
            reason = why.format(v=_fmt(values[row])) if isinstance(why, str) else why(row)
            found.append(Problem(row, field, float(values[row]), reason))

    prices = {"open": open_, "high": high, "low": low, "close": close, "adj_close": adj_close}
    for field, v in prices.items():
        note(np.isnan(v), field, v, "NaN is not a price")
        note(np.isinf(v), field, v, "{v} is not a finite price")
        note(v <= 0, field, v, "{v} is not a positive price")
    note(np.isinf(volume), "volume", volume, "{v} is not a finite volume")
    note(volume < 0, "volume", volume, "{v} is a negative volume")

    top = np.maximum(open_, close)
    bottom = np.minimum(open_, close)

    def named(r: int, ref: FloatArray) -> str:
        return f"{'open' if open_[r] == ref[r] else 'close'} {_fmt(ref[r])}"

    note(
        high_below_body(open_, high, close),
        "high",
        high,
        lambda r: f"{_fmt(high[r])} is below {named(r, top)}",
    )
    note(
        low_above_body(open_, low, close),
        "low",
        low,
        lambda r: f"{_fmt(low[r])} is above {named(r, bottom)}",
    )
    order = {name: i for i, name in enumerate((*PRICE_FIELDS, "volume"))}
    return min(found, key=lambda p: (p.row, order[p.field]), default=None)


@dataclass(frozen=True, slots=True)
class Bar:
    """One session of one symbol. A bar that breaks `first_bar_problem` cannot exist."""

    symbol: str
    date: dt.date
    open: float
    high: float
    low: float
    close: float
    adj_close: float
    volume: float | None = None

    def __post_init__(self) -> None:
        check_symbol(self.symbol)

        def one(value: float | None) -> FloatArray:
            return np.array([np.nan if value is None else value], dtype=np.float64)

        problem = first_bar_problem(
            one(self.open),
            one(self.high),
            one(self.low),
            one(self.close),
            one(self.adj_close),
            one(self.volume),
        )
        if problem is not None:
            raise DataError(problem.field, problem.value, problem.reason)
