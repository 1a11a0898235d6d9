"""`Panel`: bars of many symbols aligned on one time axis, as (time x symbols) arrays.

The analysis stage works on panels only: frames become arrays once, here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import polars as pl

from pulsewire._types import DateArray, FloatArray
from pulsewire.errors import DataError
from pulsewire.model.universe import sessions_per_year

PANEL_FIELDS: Final = ("open", "high", "low", "close", "adj_close", "volume")


@dataclass(frozen=True)
class Panel:
    """Daily bars on a shared date axis: `dates` (T,), `symbols` (N,), fields (T, N).

    A cell is NaN where a symbol has no bar on that date (not yet listed, a gap, or
    no volume for an index). Arrays are C-ordered so that one date's row is contiguous.
    """

    dates: DateArray
    symbols: tuple[str, ...]
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    adj_close: FloatArray
    volume: FloatArray
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        shape = (self.dates.shape[0], len(self.symbols))
        for name in PANEL_FIELDS:
            if getattr(self, name).shape != shape:
                raise DataError(name, getattr(self, name).shape, f"shape is not {shape}")
        if self.dates.size > 1 and not bool(np.all(np.diff(self.dates) > np.timedelta64(0))):
            raise DataError("dates", None, "dates are not strictly increasing")
        object.__setattr__(self, "_index", {s: i for i, s in enumerate(self.symbols)})

    @classmethod
    def from_bars(cls, bars: pl.DataFrame) -> Panel:
        """Pivot long bars (`BAR_SCHEMA`) into a panel on the union of their dates."""
        symbols = tuple(sorted(bars["symbol"].unique().to_list()))
        dates_series = bars["date"].unique().sort()
        dates = dates_series.to_numpy().astype("datetime64[D]")
        row = np.searchsorted(dates, bars["date"].to_numpy().astype("datetime64[D]"))
        position = {s: i for i, s in enumerate(symbols)}
        column = np.array([position[s] for s in bars["symbol"].to_list()], dtype=np.intp)
        arrays: dict[str, FloatArray] = {}
        for name in PANEL_FIELDS:
            grid = np.full((dates.size, len(symbols)), np.nan)
            grid[row, column] = bars[name].fill_null(np.nan).to_numpy()
            arrays[name] = grid
        return cls(dates, symbols, **arrays)

    def column(self, symbol: str) -> int:
        """Return the column of `symbol`."""
        try:
            return self._index[symbol]
        except KeyError:
            raise DataError("symbol", symbol, f"{symbol!r} is not in this panel") from None

    def __contains__(self, symbol: object) -> bool:
        """Whether the panel holds `symbol`: one lookup, not a scan of `symbols`."""
        return symbol in self._index

    def sessions_per_year(self) -> FloatArray:
        """Return the sessions in a year of each symbol's calendar (N,): 252 or 365."""
        return np.array([sessions_per_year(s) for s in self.symbols], dtype=np.float64)

    def last_row(self, symbol: str, asof: dt.date) -> int:
        """Return the row of `symbol`'s last bar on or before `asof`.

        Raises
        ------
        DataError
            If the symbol has no bar by `asof`.
        """
        column = self.column(symbol)
        stop = int(np.searchsorted(self.dates, np.datetime64(asof, "D"), side="right"))
        bars = np.flatnonzero(np.isfinite(self.close[:stop, column]))
        if bars.size == 0:
            raise DataError("as_of", asof, f"{symbol} has no bar on or before {asof}")
        return int(bars[-1])

    def until(self, asof: dt.date) -> Panel:
        """Return the panel cut after `asof`: what was known at that day's close."""
        stop = int(np.searchsorted(self.dates, np.datetime64(asof, "D"), side="right"))
        return self.select(slice(0, stop))

    def select(self, rows: slice) -> Panel:
        """Return the panel restricted to a slice of its dates."""
        return Panel(
            self.dates[rows],
            self.symbols,
            *(np.ascontiguousarray(getattr(self, name)[rows]) for name in PANEL_FIELDS),
        )

    def subset(self, symbols: tuple[str, ...]) -> Panel:
        """Return the panel of some symbols, keeping only dates where any of them has a bar."""
        columns = [self.column(s) for s in symbols]
        close = self.close[:, columns]
        keep = ~np.all(np.isnan(close), axis=1)
        return Panel(
            self.dates[keep],
            symbols,
            # One gather of the kept cells: no copy of the other symbols' columns.
            *(getattr(self, name)[np.ix_(keep, columns)] for name in PANEL_FIELDS),
        )
