"""Daily bars from a CSV or Parquet file per symbol (``date,open,high,low,close,adj_close,volume``).

The symbol is the file's name (``BTC-USD.csv``). Volume may be empty (an index has none).
"""

from __future__ import annotations

from typing import Final

import polars as pl

from pulsewire.errors import DataError, SourceError
from pulsewire.model import (
    BAR_SCHEMA,
    PRICE_FIELDS,
    Batch,
    Problem,
    check_symbol,
    first_bar_problem,
)
from pulsewire.sources.tables import RawTable, parse_column, require_columns

BAR_COLUMNS: Final = ("date", *PRICE_FIELDS, "volume")


def bars_from_table(table: RawTable, symbol: str) -> Batch:
    """Return the validated bars of one symbol's file.

    Raises
    ------
    SourceError
        At the earliest bad row: unparseable date or number, missing value, NaN,
        infinite, zero or negative price, high/low outside open/close, or a date that
        is not after the one before it (duplicate or descending).
    """
    try:
        check_symbol(symbol)
    except DataError as e:
        raise SourceError(table.origin, None, "symbol", symbol, e.reason) from e
    require_columns(table, BAR_COLUMNS)
    columns: dict[str, pl.Series] = {}
    problems: list[Problem | None] = []
    for name in BAR_COLUMNS:
        dtype = pl.Date() if name == "date" else pl.Float64()
        columns[name], problem = parse_column(table, name, dtype, required=name != "volume")
        problems.append(problem)
    table.raise_first(problems)

    dates = columns["date"]
    step = dates.diff().dt.total_days()
    row = step.le(0).fill_null(False).arg_true()
    if row.len():
        at = int(row[0])
        kind = "duplicate" if step[at] == 0 else "descending"
        problems.append(
            Problem(
                at, "date", dates[at], f"{dates[at]} is not after {dates[at - 1]} ({kind} date)"
            )
        )
    volume = columns["volume"]
    nan_volume = volume.is_nan().fill_null(False).arg_true()
    if nan_volume.len():
        at = int(nan_volume[0])
        problems.append(Problem(at, "volume", "NaN", "NaN is not a volume (leave it empty)"))
    problems.append(
        first_bar_problem(
            columns["open"].to_numpy(),
            columns["high"].to_numpy(),
            columns["low"].to_numpy(),
            columns["close"].to_numpy(),
            columns["adj_close"].to_numpy(),
            volume.fill_null(float("nan")).to_numpy(),
        )
    )
    table.raise_first(problems)
    frame = pl.DataFrame(columns).select(pl.lit(symbol, pl.String()).alias("symbol"), *BAR_COLUMNS)
    return Batch("bars", table.origin, table.sha256, frame.cast(BAR_SCHEMA))
