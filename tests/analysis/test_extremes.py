from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from pulsewire.analysis.extremes import rolling_min, year_range
from pulsewire.analysis.indicators import TRADING_DAYS, compute_indicators, rolling_max
from pulsewire.model import Panel


def test_year_range_gives_both_distances_and_the_fresh_extremes() -> None:
    # 300 bars: highs climb to 200 on bar 290, then fall; lows fall to 50 on bar 40.
    count = TRADING_DAYS + 48
    high = np.linspace(100.0, 190.0, count).reshape(-1, 1)
    high[290] = 200.0
    low = high - 10.0
    low[40] = 50.0
    close = high - 5.0
    close[-1] = 160.0
    dates = np.arange(np.datetime64("2025-01-01"), np.datetime64("2025-01-01") + count)
    found = year_range(
        high, low, close, rolling_max(high, TRADING_DAYS), rolling_min(low), dates, 0, count - 1
    )
    assert found is not None
    assert (found.high.price, found.high.date, found.high.bars_ago) == (
        200.0,
        dt.date(2025, 1, 1) + dt.timedelta(days=290),
        count - 1 - 290,
    )
    assert found.high.sessions_since_fresh == count - 1 - 290
    assert found.regain == pytest.approx(200.0 / 160.0 - 1)
    # Bar 40's low left the window on bar 292: the low is now the first bar in it.
    assert found.low.price == pytest.approx(low[count - TRADING_DAYS, 0])
    assert found.above_low == pytest.approx(160.0 / found.low.price - 1)
    # No bar since the first full year was a fresh low: lows rose all along.
    assert found.low.last_fresh is None and found.low.sessions_since_fresh is None


def test_year_range_waits_for_a_full_year() -> None:
    values = np.linspace(1.0, 2.0, 100).reshape(-1, 1)
    dates = np.arange(np.datetime64("2025-01-01"), np.datetime64("2025-01-01") + 100)
    rolled = rolling_max(values, TRADING_DAYS)
    assert year_range(values, values, values, rolled, rolled, dates, 0, 99) is None


def test_iwm_on_2026_02_02_needs_more_to_regain_its_high_than_it_lies_below(
    real_panel: Panel,
) -> None:
    iwm = real_panel.subset(("IWM",))
    indicators = compute_indicators(iwm)
    row = int(np.searchsorted(iwm.dates, np.datetime64("2026-02-02")))
    found = year_range(
        iwm.high, iwm.low, iwm.close, indicators.high_252, rolling_min(iwm.low), iwm.dates, 0, row
    )
    assert found is not None
    assert (found.high.price, found.high.date) == (271.60, dt.date(2026, 1, 22))
    assert found.regain == pytest.approx(271.60 / 262.18 - 1)
    assert -indicators.drawdown_252[row, 0] < found.regain  # the gain needed is the larger
    assert (found.low.price, found.low.date) == (171.73, dt.date(2025, 4, 7))
    assert found.high.sessions_since_fresh == 7
