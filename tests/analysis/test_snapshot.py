from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from pulsewire.analysis.history import calm_volatility, measure_history
from pulsewire.analysis.quality import assess_quality
from pulsewire.analysis.snapshot import CALM, HISTORY_HORIZONS, UniverseAnalysis
from pulsewire.model import HistoryResult, Panel, Regime


@pytest.fixture(scope="module")
def universe(real_panel: Panel) -> UniverseAnalysis:
    return UniverseAnalysis.compute(real_panel)


def evening(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 0), tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("symbol", "day"),
    [
        ("IWM", dt.date(2026, 2, 2)),
        ("BTC-USD", dt.date(2025, 11, 16)),
        ("GLD", dt.date(2020, 3, 16)),
    ],
)
def test_snapshot_equals_the_one_computed_from_data_cut_at_its_date(
    universe: UniverseAnalysis, real_panel: Panel, symbol: str, day: dt.date
) -> None:
    full = universe.snapshot(symbol, day, evening(day))
    cut = UniverseAnalysis.compute(real_panel.until(day)).snapshot(symbol, day, evening(day))
    for field in dataclasses.fields(full):
        left, right = getattr(full, field.name), getattr(cut, field.name)
        if field.name in ("indicators", "relative_strength", "total_returns"):
            assert left.keys() == right.keys()
            assert np.allclose(list(left.values()), list(right.values()), equal_nan=True, rtol=0)
        else:
            assert left == right, field.name


def test_snapshot_of_iwm_on_the_reference_day(universe: UniverseAnalysis) -> None:
    day = dt.date(2026, 2, 2)
    iwm = universe.snapshot("IWM", day, evening(day))
    assert (iwm.as_of, iwm.close) == (day, 262.18)
    assert isinstance(iwm.regime, Regime)
    support, resistance = iwm.levels.nearest_support, iwm.levels.nearest_resistance
    assert support is not None and resistance is not None
    assert support.price <= iwm.close < resistance.price
    assert [h.horizon for h in iwm.calm_history] == [5, 20]
    assert not any(h.holds_at_as_of for h in iwm.calm_history)  # IWM was not calm that day
    assert iwm.day.move.change == pytest.approx(262.18 / 259.65 - 1, abs=5e-4)


def test_snapshot_on_a_weekend_reads_the_last_session(universe: UniverseAnalysis) -> None:
    sunday = dt.date(2026, 2, 1)
    spy = universe.snapshot("SPY", sunday, evening(sunday))
    assert spy.as_of == dt.date(2026, 1, 30)
    btc = universe.snapshot("BTC-USD", sunday, evening(sunday))
    assert btc.as_of == sunday


def same_history(left: HistoryResult, right: HistoryResult) -> bool:
    """Field by field, NaN equal to NaN (a result without cases has NaN returns)."""
    return all(
        a == b or (a != a and b != b)
        for a, b in zip(dataclasses.astuple(left), dataclasses.astuple(right), strict=True)
    )


@pytest.mark.parametrize(
    ("symbol", "day"),
    [
        ("IWM", dt.date(2026, 8, 21)),
        ("SPY", dt.date(2026, 2, 1)),  # a Sunday: SPY's last bar is Friday's
        ("BTC-USD", dt.date(2026, 2, 1)),
        ("ETH-USD", dt.date(2025, 11, 16)),
        ("ACWI", dt.date(2026, 8, 21)),  # stopped on 2026-07-27: stale
        ("GLD", dt.date(2020, 3, 16)),
        ("XLC", dt.date(2018, 9, 20)),  # its first weeks: no calm history yet
        ("VIX", dt.date(2008, 10, 10)),
    ],
)
def test_snapshot_history_and_findings_equal_the_per_symbol_computation(
    universe: UniverseAnalysis, real_panel: Panel, symbol: str, day: dt.date
) -> None:
    # What the snapshot computed per symbol before reading the universe's passes: the
    # symbol's own sessions, cut at its date, measured from scratch.
    now = evening(day)
    snapshot = universe.snapshot(symbol, day, now)
    own = real_panel.subset((symbol,)).until(snapshot.as_of)
    calm = calm_volatility(own.adj_close)
    expected = [
        measure_history(
            own, calm, symbol=symbol, as_of=snapshot.as_of, horizon=horizon, description=CALM
        )
        for horizon in HISTORY_HORIZONS
    ]
    assert len(snapshot.calm_history) == len(expected)
    for found, wanted in zip(snapshot.calm_history, expected, strict=True):
        assert same_history(found, wanted)
    assert snapshot.findings == assess_quality(real_panel.subset((symbol,)), now).findings[symbol]
