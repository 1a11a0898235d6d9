from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire._types import FloatArray
from pulsewire.analysis.indicators import compute_indicators
from pulsewire.analysis.regime import classify_regimes
from pulsewire.model import Panel
from pulsewire.model.regime import NO_REGIME, Regime

BARS = 400


def panel_of(close: FloatArray, spread: float = 0.004) -> Panel:
    """One symbol on consecutive days, with highs and lows `spread` around the close."""
    dates = np.datetime64("2020-01-01") + np.arange(close.size)
    column = close.reshape(-1, 1)
    return Panel(
        dates,
        ("TEST",),
        column.copy(),
        column * (1 + spread),
        column * (1 - spread),
        column.copy(),
        column.copy(),
        np.full_like(column, 1e6),
    )


def last_regime(close: FloatArray, spread: float = 0.004) -> Regime | None:
    panel = panel_of(close, spread)
    codes = classify_regimes(panel, compute_indicators(panel))
    return Regime.of_code(int(codes[-1, 0]))


def wiggle(size: int, amplitude: float) -> FloatArray:
    return amplitude * np.sin(np.arange(size) * 0.9)


def test_steady_rise_is_a_trend_up() -> None:
    close = 100 * np.exp(np.arange(BARS) * 0.004) * (1 + wiggle(BARS, 0.003))
    assert last_regime(close) == Regime.TREND_UP


def test_steady_fall_is_a_trend_down() -> None:
    close = 100 * np.exp(-np.arange(BARS) * 0.004) * (1 + wiggle(BARS, 0.003))
    assert last_regime(close) == Regime.TREND_DOWN


def test_swings_that_shrink_to_nothing_are_a_squeeze() -> None:
    amplitude = np.where(np.arange(BARS) < BARS - 30, 0.05, 0.002)
    close = 100 * (1 + amplitude * np.sin(np.arange(BARS) * 0.3))
    assert last_regime(close) == Regime.SQUEEZE


def test_close_out_of_a_tight_box_is_a_breakout() -> None:
    base = 100 * (1 + 0.05 * np.sin(np.arange(BARS) * 0.3))
    box = 100 * (1 + wiggle(40, 0.004))
    close = np.concatenate([base, box, [103.0]])
    assert last_regime(close, spread=0.003) == Regime.BREAKOUT


def test_wide_swings_without_direction_are_a_range() -> None:
    close = 100 * (1 + 0.05 * np.sin(np.arange(BARS) * 0.3))
    assert last_regime(close) == Regime.RANGE


def test_warm_up_has_no_regime() -> None:
    panel = panel_of(100 + wiggle(BARS, 1.0))
    codes = classify_regimes(panel, compute_indicators(panel))
    assert np.all(codes[:270] == NO_REGIME)
    assert np.all(codes[280:] != NO_REGIME)


def test_every_regime_occurs_on_real_data(xnys_panel: Panel) -> None:
    codes = classify_regimes(xnys_panel, compute_indicators(xnys_panel))
    seen = {Regime.of_code(int(c)) for c in np.unique(codes[np.isfinite(xnys_panel.close)])}
    assert seen == {*Regime, None}
    row = int(np.flatnonzero(xnys_panel.dates == np.datetime64("2026-02-02"))[0])
    assert Regime.of_code(int(codes[row, xnys_panel.column("IWM")])) is not None


@settings(max_examples=15, deadline=None)
@given(cut=st.integers(min_value=300, max_value=2000), symbol=st.sampled_from(["IWM", "GLD"]))
def test_regime_at_t_does_not_look_ahead(xnys_panel: Panel, cut: int, symbol: str) -> None:
    panel = xnys_panel.subset((symbol,))
    panel = panel.select(slice(panel.dates.size - 2200, None))
    full = classify_regimes(panel, compute_indicators(panel))
    shortened = panel.until(dt.date.fromisoformat(str(panel.dates[cut])))
    assert np.array_equal(
        full[: cut + 1], classify_regimes(shortened, compute_indicators(shortened))
    )
