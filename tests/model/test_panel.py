from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from pulsewire.model import Panel


def test_panel_aligns_symbols_on_the_union_of_dates(real_bars: pl.DataFrame) -> None:
    panel = Panel.from_bars(real_bars)
    assert len(panel.symbols) == 28
    assert int(np.isfinite(panel.close).sum()) == 167_653
    iwm = real_bars.filter(pl.col("symbol") == "IWM")
    column = panel.close[:, panel.column("IWM")]
    assert np.array_equal(column[np.isfinite(column)], iwm["close"].to_numpy())
    saturday = np.flatnonzero(panel.dates == np.datetime64("2026-08-15"))[0]
    assert np.isfinite(panel.close[saturday, panel.column("BTC-USD")])
    assert np.isnan(panel.close[saturday, panel.column("SPY")])


def test_until_keeps_what_was_known_at_that_close(real_panel: Panel) -> None:
    cut = real_panel.until(dt.date(2026, 2, 2))
    assert cut.dates[-1] == np.datetime64("2026-02-02")
    assert cut.close.shape == (cut.dates.size, 28)
    assert np.array_equal(cut.close, real_panel.close[: cut.dates.size], equal_nan=True)


def test_subset_drops_dates_none_of_its_symbols_traded(real_panel: Panel) -> None:
    etfs = real_panel.subset(("SPY", "IWM"))
    assert etfs.dates.size == 8448  # SPY's sessions; IWM's are a subset
    assert not np.any(np.isnan(etfs.close[:, 0]))


def test_subset_holds_the_cells_of_its_symbols_on_the_dates_kept(real_panel: Panel) -> None:
    symbols = ("BTC-USD", "SPY", "TLT")
    subset = real_panel.subset(symbols)
    rows = np.searchsorted(real_panel.dates, subset.dates)
    columns = [real_panel.column(s) for s in symbols]

    assert subset.symbols == symbols
    for name in ("open", "high", "low", "close", "adj_close", "volume"):
        values = getattr(subset, name)
        assert values.flags.c_contiguous
        assert np.array_equal(values, getattr(real_panel, name)[rows][:, columns], equal_nan=True)
