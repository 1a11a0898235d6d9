"""Daily bars from a CSV or Parquet file per symbol (``date,open,high,low,close,adj_close,volume``).

The symbol is the file's name (``BTC-USD.csv``). Volume may be empty (an index has none).
"""

from __future__ import annotations

from typing import Final

import numpy as np
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
from pulsewire.sources.tables import RawTable, parse_columns, require_columns

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
