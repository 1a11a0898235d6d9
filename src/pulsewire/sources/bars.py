"""Daily bars from a CSV or Parquet file per symbol (``date,open,high,low,close,adj_close,volume``).

The symbol is the file's name, upper-cased (``BTC-USD.csv``, ``aapl.csv`` holds AAPL).
Volume may be empty (an index has none). A bar is dated within its calendar's range
(`calendar_range`) and no later than the present.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import polars as pl

from pulsewire.errors import DataError, SourceError
from pulsewire.model import (
    BAR_SCHEMA,
    PRICE_FIELDS,
    Batch,
    Problem,
    calendar_for,
    check_symbol,
    first_bar_problem,
)
from pulsewire.model.symbols import calendar_range
from pulsewire.sources.tables import RawTable, parse_columns, require_columns

BAR_COLUMNS: Final = ("date", *PRICE_FIELDS, "volume")


def bars_from_table(table: RawTable, symbol: str, now: dt.datetime) -> Batch:
    """Return the validated bars of one symbol's file (`symbol` is upper-cased), read at `now`.

    Raises
    ------
    SourceError
        At the earliest bad row: unparseable date or number, missing value, NaN,
        infinite, zero or negative price, high/low outside open/close, a date that
        is not after the one before it (duplicate or descending), outside the symbol's
        calendar (`calendar_range`) or after `now`'s UTC day (a bar from the future).
    ValueError
        If `now` is naive.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    try:
        symbol = check_symbol(symbol).upper()
    except DataError as e:
        raise SourceError(table.origin, None, "symbol", symbol, e.reason) from e
    require_columns(table, BAR_COLUMNS)
    schema = {name: BAR_SCHEMA[name] for name in BAR_COLUMNS}
    columns, problem = parse_columns(table, schema, optional=("volume",))
    table.raise_first([problem])
    problems: list[Problem | None] = []

    days = columns["date"].to_physical().to_numpy()
    out_of_order = np.flatnonzero(np.diff(days) <= 0)
    if out_of_order.size:
        at = int(out_of_order[0]) + 1
        date, before = columns["date"][at], columns["date"][at - 1]
        kind = "duplicate" if date == before else "descending"
        problems.append(Problem(at, "date", date, f"{date} is not after {before} ({kind} date)"))
    problems.append(_date_problem(columns["date"], symbol, now))
    volume = columns["volume"].to_numpy()  # null (no volume) becomes NaN here
    nan_volume = np.flatnonzero(columns["volume"].is_nan().fill_null(False).to_numpy())
    if nan_volume.size:
        at = int(nan_volume[0])
        problems.append(Problem(at, "volume", "NaN", "NaN is not a volume (leave it empty)"))
    problems.append(
        first_bar_problem(
            columns["open"].to_numpy(),
            columns["high"].to_numpy(),
            columns["low"].to_numpy(),
            columns["close"].to_numpy(),
            columns["adj_close"].to_numpy(),
            volume,
        )
    )
    table.raise_first(problems)
    frame = columns.select(pl.lit(symbol, pl.String()).alias("symbol"), *BAR_COLUMNS)
    return Batch("bars", table.origin, table.sha256, frame)


def _date_problem(dates: pl.Series, symbol: str, now: dt.datetime) -> Problem | None:
    """The first bar dated outside `symbol`'s calendar, or after `now`'s UTC day."""
    days = dates.to_physical().to_numpy()  # days since 1970-01-01
    calendar = calendar_for(symbol)
    first, last = calendar_range(calendar)
    today = now.astimezone(dt.UTC).date()
    epoch = dt.date(1970, 1, 1)
    early = np.flatnonzero(days < (first - epoch).days)
    late = np.flatnonzero(days > (min(last, today) - epoch).days)
    found: list[Problem] = []
    if early.size:
        at = int(early[0])
        reason = f"{dates[at]} is before {first}, the first day calendar {calendar} has sessions"
        found.append(Problem(at, "date", dates[at], reason))
    if late.size:
        at = int(late[0])
        reason = (
            f"{dates[at]} is in the future (today is {today} UTC)"
            if dates[at] > today
            else f"{dates[at]} is after {last}, the last day calendar {calendar} has sessions"
        )
        found.append(Problem(at, "date", dates[at], reason))
    return min(found, key=lambda p: p.row, default=None)
