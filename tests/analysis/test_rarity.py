from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis.history import LONG_RUN_YEARS
from pulsewire.analysis.indicators import compute_indicators
from pulsewire.analysis.rarity import (
    RARITY_MIN_BARS,
    READINGS,
    MoveSigmas,
    Reading,
    Tail,
    day_move,
    extremeness,
    move_sigmas,
    rarities,
    rarity_shares,
)
from pulsewire.errors import DataError
from pulsewire.model import Panel


def column(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64).reshape(-1, 1)


def days(count: int) -> np.ndarray:
    return np.arange(np.datetime64("2026-01-01"), np.datetime64("2026-01-01") + count)


def test_rarity_counts_readings_at_least_as_extreme_up_to_the_row_today_included() -> None:
    # |x| = 1, 3, 2, 3, 9: at row 3, rows 1 and 3 reach 3 (a tie counts): 2 of 4.
    values = np.abs(column(1.0, -3.0, 2.0, 3.0, 9.0))
    shares = rarity_shares(np.hstack([values, values]), np.array([3, 2]))
    assert shares.share.tolist() == [2 / 4, 2 / 3]
    assert shares.bars.tolist() == [4, 3]
    assert shares.first_row.tolist() == [0, 0]


def test_rarity_skips_rows_without_a_reading_and_is_nan_where_today_has_none() -> None:
    values = column(math.nan, 5.0, math.nan, 1.0, math.nan)
    shares = rarity_shares(np.hstack([values, values]), np.array([3, 4]))
    assert shares.share[0] == 1.0  # 5 and 1 both at least 1
    assert shares.first_row[0] == 1
    assert math.isnan(shares.share[1]) and shares.bars[1] == 0


def test_rarity_rejects_a_row_outside_the_array() -> None:
    with pytest.raises(DataError, match="rows"):
        rarity_shares(column(1.0, 2.0), np.array([2]))


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        (Reading(Tail.BOTH, 50.0), [20.0, 30.0, 0.0]),
        (Reading(Tail.HIGH, 50.0), [20.0, -30.0, 0.0]),
        (Reading(Tail.LOW), [-70.0, -20.0, -50.0]),
    ],
)
def test_extremeness_measures_the_tail_that_is_news(
    reading: Reading, expected: list[float]
) -> None:
    assert extremeness(column(70.0, 20.0, 50.0), reading)[:, 0].tolist() == expected


def test_readings_are_the_indicators_named_by_the_brief() -> None:
    assert tuple(READINGS) == (
        "return_1",
        "return_5",
        "return_20",
        "volume_ratio_20",
        "distance_sma_200",
        "rsi_14",
        "drawdown_252",
    )
    assert READINGS["drawdown_252"].tail is Tail.LOW


def test_day_move_finds_the_last_move_as_large_the_same_way() -> None:
    change = column(math.nan, -0.05, 0.08, -0.02, -0.04, 0.01, -0.04)
    none = np.full(change.shape, math.nan)
    move = day_move(change, MoveSigmas(none, none), days(7), 0, 6)
    assert move is not None
    # -0.04 on row 4 ties today's; the +0.08 is larger but the other way.
    assert (move.last_as_large, move.sessions_since) == (dt.date(2026, 1, 5), 2)
    assert move.sigmas_20 is None and move.sigmas_long is None
    record = day_move(change, MoveSigmas(none, none), days(7), 0, 2)
    assert record is not None and record.last_as_large is None and record.sessions_since is None


def test_move_sigmas_measure_against_the_volatility_before_the_move() -> None:
    close = np.exp(np.cumsum(np.tile([0.01, -0.01], 400))).reshape(-1, 1)
    close[-1] = close[-2] * math.exp(0.05)
    sigmas = move_sigmas(close, np.array([252.0]), 1)
    # Alternating +-1% logs: the sample deviation of 20 of them is 0.01 * sqrt(20/19).
    daily = 0.01 * math.sqrt(20 / 19)
    assert sigmas.twenty_day[-1, 0] == pytest.approx(0.05 / daily)
    assert sigmas.long_run[-1, 0] == pytest.approx(0.05 / daily)
    assert math.isnan(sigmas.twenty_day[19, 0])  # the first 20-day volatility is on bar 20


def test_spy_on_2020_03_16_is_its_biggest_one_day_drop_on_record(real_panel: Panel) -> None:
    spy = real_panel.subset(("SPY",))
    indicators = compute_indicators(spy)
    row = int(np.searchsorted(spy.dates, np.datetime64("2020-03-16")))
    found = {r.reading: r for r in rarities(vars_of(indicators), spy.dates, 0, row)}
    assert found.keys() == READINGS.keys()
    day = found["return_1"]
    assert day.value == pytest.approx(239.85 / 269.32 - 1, abs=1e-4)
    # Only 2008-10-13 (+14.5%) and 2008-10-28 (+11.8%) moved as far either way since 1993.
    assert day.share * day.bars == 3
    assert day.first == dt.date(1993, 2, 1)
    sigmas = move_sigmas(spy.close, indicators.periods_per_year, LONG_RUN_YEARS)
    move = day_move(indicators.return_1, sigmas, spy.dates, 0, row)
    assert move is not None and move.last_as_large is None
    assert move.sigmas_long is not None and move.sigmas_long < -15
    assert found["drawdown_252"].share < 0.05


def vars_of(indicators: object) -> dict[str, np.ndarray]:
    return {name: getattr(indicators, name) for name in READINGS}


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_appending_future_bars_never_changes_an_earlier_rarity(
    real_panel: Panel, data: st.DataObject
) -> None:
    symbol = data.draw(st.sampled_from(("IWM", "BTC-USD", "VIX", "XLC")))
    own = real_panel.subset((symbol,))
    early = data.draw(st.integers(RARITY_MIN_BARS + 30, own.dates.size - 2))
    late = data.draw(st.integers(early + 1, own.dates.size - 1))
    results = []
    for cut in (own.select(slice(0, early + 1)), own.select(slice(0, late + 1))):
        indicators = compute_indicators(cut)
        sigmas = move_sigmas(cut.close, indicators.periods_per_year, LONG_RUN_YEARS)
        results.append(
            (
                rarities(vars_of(indicators), cut.dates, 0, early),
                day_move(indicators.return_1, sigmas, cut.dates, 0, early),
            )
        )
    assert results[0] == results[1]
