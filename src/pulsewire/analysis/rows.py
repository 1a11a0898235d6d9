"""Row arithmetic on panels where NaN means "no bar": each symbol steps through its own bars.

A symbol's previous bar is its last earlier row with a bar, not the panel's previous
row (crypto adds weekend rows where ETFs are NaN). Row arrays hold -1 where there is
no such row.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from pulsewire._types import BoolArray, FloatArray, IntArray
from pulsewire.errors import DataError


def as_date(value: np.datetime64) -> dt.date:
    """Return a panel date as a `datetime.date`."""
    day: dt.date = value.astype("datetime64[D]").item()
    return day


def lagged_bar_rows(has_bar: BoolArray, lag: int) -> IntArray:
    """Return, for each bar, the row of the bar `lag` bars earlier in its column.

    Parameters
    ----------
    has_bar
        (T, N) True where a symbol has a bar.
    lag
        How many of the symbol's own bars to step back; 0 returns the bar's own row.

    Returns
    -------
    IntArray
        (T, N) rows; -1 where there is no bar, or fewer than `lag` bars before it.
    """
    if lag < 0:
        raise DataError("lag", lag, "must be at least 0")
    number = np.cumsum(has_bar, axis=0) - 1 - lag
    found = has_bar & (number >= 0)
    rows = np.take_along_axis(bar_rows(has_bar), np.maximum(number, 0), axis=0)
    return np.where(found, rows, -1)


def bar_rows(has_bar: BoolArray) -> IntArray:
    """Return, at row k of each column, the row of the column's bar number k.

    Reading values at these rows (`at_rows`) packs each symbol's bars to the top of its
    column, in time order: the panel on its own sessions.

    Returns
    -------
    IntArray
        (T, N) rows; -1 from row k on when the column has only k bars.
    """
    # Stable sort puts each column's bar rows first, in time order.
    order = np.argsort(~has_bar, axis=0, kind="stable")
    rows: IntArray = np.where(np.arange(has_bar.shape[0])[:, None] < has_bar.sum(axis=0), order, -1)
    return rows


def lead_bar_rows(has_bar: BoolArray, lead: int) -> IntArray:
    """Return, for each bar, the row of the bar `lead` bars later in its column (-1: none yet)."""
    rows = lagged_bar_rows(has_bar[::-1], lead)[::-1]
    last = has_bar.shape[0] - 1
    return np.where(rows >= 0, last - rows, -1)


def at_rows(values: FloatArray, rows: IntArray) -> FloatArray:
    """Return values[rows[t, j], j] for (T, N) `values` and `rows`, NaN where a row is -1."""
    picked = np.take_along_axis(values, np.maximum(rows, 0), axis=0)
    return np.where(rows >= 0, picked, np.nan)


def last_bar_rows(has_bar: BoolArray) -> IntArray:
    """Return the row of each symbol's last bar on or before each row (-1: none yet)."""
    rows = np.where(has_bar, np.arange(has_bar.shape[0])[:, None], -1)
    last: IntArray = np.maximum.accumulate(rows, axis=0)
    return last


def log_returns(close: FloatArray) -> FloatArray:
    """Return each bar's log return from the symbol's previous bar.

    Parameters
    ----------
    close
        (T, N) closes, NaN where a symbol has no bar.

    Returns
    -------
    FloatArray
        (T, N); NaN where there is no bar or no previous bar.
    """
    previous = at_rows(close, lagged_bar_rows(np.isfinite(close), 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log(close / previous)
