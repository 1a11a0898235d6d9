from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pytest
import talib
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire._types import DateArray, FloatArray
from pulsewire.analysis.extremes import YearExtreme, YearRange
from pulsewire.analysis.levels import (
    AT_CLOSE_ATR,
    HALF_LIFE_BARS,
    OPEN_AIR_ATR,
    STRENGTH_SCALE,
    TOLERANCE_ATR,
    levels_asof,
    swing_pivots,
    watch_map,
)
from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.errors import DataError, ParameterError
from pulsewire.model import Panel
from pulsewire.model.level import Level, LevelKind, LevelMap, Pivot, Range


class Bars(NamedTuple):
    """One symbol as (T, 1) columns, with the ATR a caller would pass."""

    dates: DateArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    atr: FloatArray

    def levels(self, row: int, **parameters: Any) -> LevelMap:
        return levels_asof(
            self.dates, self.high, self.low, self.close, self.atr, 0, row, **parameters
        )

    def cut(self, row: int) -> Bars:
        return Bars(self.dates[: row + 1], *(values[: row + 1] for values in self[1:]))

    def scaled(self, factor: float) -> Bars:
        return Bars(self.dates, *(values * factor for values in self[1:]))


def column(values: Sequence[float] | FloatArray) -> FloatArray:
    return np.asarray(values, dtype=np.float64).reshape(-1, 1)


def days(count: int) -> DateArray:
    return np.arange(np.datetime64("2026-01-01"), np.datetime64("2026-01-01") + count)


def day(row: int) -> dt.date:
    return dt.date(2026, 1, 1) + dt.timedelta(days=row)


def true_range_atr(high: FloatArray, low: FloatArray, close: FloatArray) -> FloatArray:
    """TA-Lib's ATR(14) of each column, on that column's own bars (NaN rows skipped)."""
    atr = np.full(close.shape, np.nan)
    for j in range(close.shape[1]):
        rows = np.flatnonzero(np.isfinite(close[:, j]))
        atr[rows, j] = talib.ATR(high[rows, j], low[rows, j], close[rows, j], timeperiod=14)
    return atr


# Pivots by hand: k = 2, so bar i is a pivot high when its high is strictly above the
# two highs before it and at or above the two after it; it is known two bars later.
#
#   row    0  1  2  3  4  5  6  7  8  9  10
#   high   1  3  2  5  4  5  2  1  3  3  2    highs: 3 (5 > 3,2 and >= 4,5), 8 (3 > 2,1
#   low    0  2  1  4  2  3  1  0  2  2  1           and >= 3,2); not 5 (ties with 3)
#                                             lows:  7 (0 < 3,1 and <= 2,2); not 6 (0 after)
HIGHS = [1, 3, 2, 5, 4, 5, 2, 1, 3, 3, 2]
LOWS = [0, 2, 1, 4, 2, 3, 1, 0, 2, 2, 1]


def test_swing_pivots_by_hand_take_the_first_of_equal_highs() -> None:
    marks = swing_pivots(column(HIGHS), column(LOWS), 2)
    assert np.flatnonzero(marks.high[:, 0]).tolist() == [3, 8]
    assert np.flatnonzero(marks.low[:, 0]).tolist() == [7]
    assert marks.confirmed_row[:, 0].tolist() == [-1, -1, -1, 5, -1, -1, -1, 9, 10, -1, -1]


def test_swing_pivots_count_a_symbols_own_bars_across_gaps() -> None:
    # Column 1 holds the same bars with no-bar rows (NaN) at rows 1 and 6: the pivots
    # are the same bars, and the confirmation row skips the gaps.
    gappy = [0, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]
    high, low = np.full((13, 2), np.nan), np.full((13, 2), np.nan)
    high[:11, 0], low[:11, 0] = HIGHS, LOWS
    high[gappy, 1], low[gappy, 1] = HIGHS, LOWS
    marks = swing_pivots(high, low, 2)
    assert np.flatnonzero(marks.high[:, 1]).tolist() == [4, 10]
    assert np.flatnonzero(marks.low[:, 1]).tolist() == [9]
    assert marks.confirmed_row[[4, 9, 10], 1].tolist() == [7, 11, 12]


def test_swing_pivots_of_a_series_shorter_than_the_window_are_none() -> None:
    marks = swing_pivots(column(HIGHS[:4]), column(LOWS[:4]), 2)
    assert not marks.high.any() and not marks.low.any()
    assert (marks.confirmed_row == -1).all()


# Levels by hand. Each bar spans mid +- 0.5 and closes at mid; the ATR is 2 throughout,
# so the zone tolerance is 0.5 x 2 = 1. With k = 2 the pivots are:
#
#   low  99.5  at row 2  (mid 100,   known row 4)    high 110.5 at row 7  (known row 9)
#   low  99.9  at row 12 (mid 100.4, known row 14)   high 110.1 at row 17 (known row 19)
#   low 104.5  at row 20 (known row 22)              high 115.5 at row 25 (known row 27)
#   low 110.5  at row 27 (known row 29)
#
# As of row 20 (close 105): zones {99.5, 99.9} (0.4 apart) and {110.1, 110.5}: a support
# at 99.7 and a resistance at 110.3, two touches each. Closes have stayed in [99.5, 110.5]
# for all 21 bars, 11 <= 6 ATRs (12) tall, with two lows at the floor and two highs at the
# ceiling: a range. As of row 18 the high of row 17 is not known yet: no range.
# As of row 31 (close 119) price broke out and came back to 110.5 (the low of row 27):
# the zone {110.1, 110.5, 110.5} now holds highs and a low below the close, so it is
# 'both', as is the lone high 115.5 (broken resistance). Nothing is above: no resistance.
MID = [104, 102, 100, 102, 104, 106, 108, 110, 108, 106, 104, 102, 100.4, 102, 104, 106]
MID += [108, 109.6, 108, 106, 105, 107, 109, 111, 113, 115, 113, 111, 113, 115, 117, 119]


@pytest.fixture
def hand() -> Bars:
    mid = column(MID)
    return Bars(days(len(MID)), mid + 0.5, mid - 0.5, mid, np.full_like(mid, 2.0))


def test_levels_by_hand_find_support_resistance_and_range(hand: Bars) -> None:
    levels = hand.levels(20, pivot_bars=2)
    assert levels.as_of == day(20)
    assert levels.close == 105
    support, resistance = levels.levels
    assert support.price == pytest.approx(99.7)
    assert (support.low, support.high) == (99.5, 99.9)
    assert (support.kind, support.touches) == (LevelKind.SUPPORT, 2)
    assert (support.first_touch, support.last_touch) == (day(2), day(12))
    assert resistance.price == pytest.approx(110.3)
    assert (resistance.low, resistance.high) == (110.1, 110.5)
    assert (resistance.kind, resistance.touches) == (LevelKind.RESISTANCE, 2)
    assert (resistance.first_touch, resistance.last_touch) == (day(7), day(17))
    assert (levels.nearest_support, levels.nearest_resistance) == (support, resistance)
    assert levels.range == Range(99.5, 110.5, day(0), 21, 2, 2, day(20))
    assert levels.swing_high is not None and levels.swing_high.date == day(7)
    assert levels.swing_low is not None and levels.swing_low.price == 99.5


def test_strength_by_hand_weighs_recency_and_capped_reaction(hand: Bars) -> None:
    # Each pivot moved at least 4.6 (2.3 ATRs) within its two confirming bars, above the
    # 2-ATR cap: full reaction. Ages as of row 20: lows 18 and 8 bars, highs 13 and 3.
    support, resistance = hand.levels(20, pivot_bars=2).levels
    for level, ages in ((support, (18, 8)), (resistance, (13, 3))):
        weight = sum(0.5 ** (age / HALF_LIFE_BARS) for age in ages)
        assert level.strength == pytest.approx(100 * (1 - math.exp(-weight / STRENGTH_SCALE)))


def test_pivot_counts_only_from_its_confirmation_bar(hand: Bars) -> None:
    before = hand.levels(18, pivot_bars=2)
    assert [level.touches for level in before.levels] == [2, 1]
    assert before.levels[1].price == 110.5
    assert before.range is None
    after = hand.levels(19, pivot_bars=2)
    assert [level.touches for level in after.levels] == [2, 2]
    assert after.range == Range(99.5, 110.5, day(0), 20, 2, 2, day(19))


def test_broken_resistance_retested_from_above_is_both(hand: Bars) -> None:
    levels = hand.levels(31, pivot_bars=2)
    assert [(level.price, level.kind, level.touches) for level in levels.levels] == [
        (pytest.approx(99.7), LevelKind.SUPPORT, 2),
        (104.5, LevelKind.SUPPORT, 1),
        (pytest.approx((110.1 + 110.5 + 110.5) / 3), LevelKind.BOTH, 3),
        (115.5, LevelKind.BOTH, 1),
    ]
    assert levels.nearest_support == levels.levels[-1]
    assert levels.nearest_resistance is None
    assert levels.range is None


def test_scaling_the_hand_case_scales_its_levels_and_range(hand: Bars) -> None:
    levels = hand.scaled(3.0).levels(20, pivot_bars=2)
    assert [level.price for level in levels.levels] == pytest.approx([3 * 99.7, 3 * 110.3])
    assert levels.range is not None
    assert (levels.range.low, levels.range.high) == pytest.approx((3 * 99.5, 3 * 110.5))
    assert (levels.range.bars, levels.range.start) == (21, day(0))


def test_range_needs_its_minimum_duration_and_height(hand: Bars) -> None:
    assert hand.levels(20, pivot_bars=2, range_min_bars=22).range is None
    assert hand.levels(20, pivot_bars=2, range_max_atr=5.4).range is None


def test_no_bar_on_the_as_of_row_uses_the_last_bar_before(hand: Bars) -> None:
    # A weekend-like row with no bar (NaN) after row 20 changes nothing but the row count.
    gap = [values[:21] for values in hand[1:]]
    nan = np.full((1, 1), np.nan)
    gappy = Bars(days(22), *(np.vstack([values, nan]) for values in gap))
    assert gappy.levels(21, pivot_bars=2) == hand.levels(20, pivot_bars=2)


def test_atr_still_in_warm_up_raises(hand: Bars) -> None:
    atr = hand.atr.copy()
    atr[20] = np.nan
    with pytest.raises(DataError, match="atr: is not a positive ATR on 2026-01-21"):
        hand._replace(atr=atr).levels(20)


@pytest.mark.parametrize(
    ("row", "parameters", "message"),
    [
        (32, {}, "row=32 is outside"),
        (20, {"pivot_bars": 0}, "pivot_bars=0 is below 1"),
        (20, {"tolerance_atr": 0.0}, "tolerance_atr=0.0 is not above 0"),
    ],
)
def test_bad_parameter_raises_naming_it(
    hand: Bars, row: int, parameters: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        hand.levels(row, **parameters)


# The domain types refuse what cannot be.

# Properties, on slices of the real series and on random walks.


@pytest.fixture(scope="module")
def real(xnys_panel: Panel) -> tuple[Panel, FloatArray]:
    return xnys_panel, true_range_atr(xnys_panel.high, xnys_panel.low, xnys_panel.close)


def real_slice(data: st.DataObject, real: tuple[Panel, FloatArray], length: int) -> Bars:
    panel, atr = real
    j = data.draw(st.integers(0, len(panel.symbols) - 1), label="column")
    ready = np.flatnonzero(np.isfinite(atr[:, j]))
    stop = data.draw(st.sampled_from(ready[length:].tolist()), label="last row")
    rows = slice(stop - length + 1, stop + 1)
    fields = (panel.high, panel.low, panel.close, atr)
    return Bars(panel.dates[rows], *(values[rows, j : j + 1] for values in fields))


def random_walk(data: st.DataObject, length: int) -> Bars:
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    sigma = data.draw(st.floats(0.002, 0.05), label="sigma")
    close = 100 * np.exp(np.cumsum(rng.normal(0, sigma, length)))
    open_ = np.concatenate([[100.0], close[:-1]])
    wick = np.abs(rng.normal(0, sigma / 2, (2, length)))
    high = np.maximum(open_, close) * np.exp(wick[0])
    low = np.minimum(open_, close) * np.exp(-wick[1])
    atr = talib.ATR(high, low, close, timeperiod=14)
    return Bars(days(length), column(high), column(low), column(close), column(atr))


def bars(data: st.DataObject, real: tuple[Panel, FloatArray]) -> Bars:
    length = data.draw(st.integers(30, 400), label="length")
    if data.draw(st.booleans(), label="real"):
        return real_slice(data, real, length)
    return random_walk(data, length)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_levels_as_of_a_row_ignore_later_rows(
    real: tuple[Panel, FloatArray], data: st.DataObject
) -> None:
    series = bars(data, real)
    row = data.draw(st.integers(20, series.close.shape[0] - 1), label="row")
    assert series.levels(row) == series.cut(row).levels(row)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), factor=st.floats(0.01, 100.0))
def test_scaling_prices_and_atr_scales_levels_only(
    real: tuple[Panel, FloatArray], data: st.DataObject, factor: float
) -> None:
    series = bars(data, real)
    last = series.close.shape[0] - 1
    plain, scaled = series.levels(last), series.scaled(factor).levels(last)
    assert len(plain.levels) == len(scaled.levels)
    for one, other in zip(plain.levels, scaled.levels, strict=True):
        prices = (other.price, other.low, other.high)
        assert prices == pytest.approx((factor * one.price, factor * one.low, factor * one.high))
        assert (other.kind, other.touches) == (one.kind, one.touches)
        assert [p.date for p in other.pivots] == [p.date for p in one.pivots]
        assert other.strength == pytest.approx(one.strength)
    if plain.range is None or scaled.range is None:
        assert plain.range == scaled.range
    else:
        bounds = (scaled.range.low, scaled.range.high)
        assert bounds == pytest.approx((factor * plain.range.low, factor * plain.range.high))
        unscaled = dataclasses.replace(scaled.range, low=plain.range.low, high=plain.range.high)
        assert unscaled == plain.range


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_supports_lie_below_the_close_and_resistances_above(
    real: tuple[Panel, FloatArray], data: st.DataObject
) -> None:
    series = bars(data, real)
    levels = series.levels(series.close.shape[0] - 1)
    tolerance = TOLERANCE_ATR * series.atr[-1, 0]
    for level in levels.levels:
        assert level.high - level.low <= tolerance
        if level.kind is LevelKind.SUPPORT:
            assert level.price <= levels.close and level.high <= levels.close + tolerance
        if level.kind is LevelKind.RESISTANCE:
            assert level.price > levels.close and level.low >= levels.close - tolerance
    support, resistance = levels.nearest_support, levels.nearest_resistance
    assert support is None or support.price <= levels.close
    assert resistance is None or resistance.price > levels.close
    if levels.range is not None:
        assert levels.range.low <= levels.close <= levels.range.high
        assert levels.range.bars >= 20
        assert min(levels.range.support_touches, levels.range.resistance_touches) >= 2


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_levels_lie_inside_the_lowest_low_and_highest_high(
    real: tuple[Panel, FloatArray], data: st.DataObject
) -> None:
    series = bars(data, real)
    levels = series.levels(series.close.shape[0] - 1)
    floor, ceiling = np.nanmin(series.low[-252:]), np.nanmax(series.high[-252:])
    for level in levels.levels:
        assert floor <= level.low <= level.price <= level.high <= ceiling
    for swing in (levels.swing_high, levels.swing_low):
        assert swing is None or floor <= swing.price <= ceiling


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_swing_pivots_of_a_panel_match_each_column_alone(
    real: tuple[Panel, FloatArray], data: st.DataObject
) -> None:
    panel, _ = real
    stop = data.draw(st.integers(100, panel.dates.size), label="stop")
    rows = slice(max(stop - 600, 0), stop)
    high, low = panel.high[rows], panel.low[rows]
    marks = swing_pivots(high, low)
    for j in range(high.shape[1]):
        bars_j = np.flatnonzero(np.isfinite(high[:, j]))
        alone = swing_pivots(high[bars_j, j : j + 1], low[bars_j, j : j + 1])
        assert np.array_equal(marks.high[bars_j, j], alone.high[:, 0])
        assert np.array_equal(marks.low[bars_j, j], alone.low[:, 0])
        confirmed = alone.confirmed_row[:, 0]
        expected = np.where(confirmed >= 0, bars_j[confirmed], -1)
        assert np.array_equal(marks.confirmed_row[bars_j, j], expected)


# The real series on the dates of the closing note.


def real_levels(real: tuple[Panel, FloatArray], symbol: str, date: str) -> LevelMap:
    panel, atr = real
    row = int(np.searchsorted(panel.dates, np.datetime64(date)))
    j = panel.column(symbol)
    return levels_asof(panel.dates, panel.high, panel.low, panel.close, atr, j, row)


def test_iwm_on_2026_02_02_sits_between_support_and_resistance(
    real: tuple[Panel, FloatArray],
) -> None:
    levels = real_levels(real, "IWM", "2026-02-02")
    assert (levels.as_of, levels.close) == (dt.date(2026, 2, 2), 262.18)
    support, resistance = levels.nearest_support, levels.nearest_resistance
    assert support is not None and resistance is not None
    assert support.price <= levels.close < resistance.price
    # The January high (271.60 on Jan 22, known Jan 29) caps price; the December swing
    # high at 258.20, broken since, is the nearest floor.
    assert (support.price, support.kind, support.first_touch) == (
        258.2,
        LevelKind.BOTH,
        dt.date(2025, 12, 12),
    )
    assert (resistance.price, resistance.kind) == (271.6, LevelKind.RESISTANCE)
    assert levels.swing_high == resistance.pivots[0]
    assert levels.swing_low is not None and levels.swing_low.price == 228.9


def test_spy_on_its_last_date_is_below_the_august_highs(
    real: tuple[Panel, FloatArray],
) -> None:
    levels = real_levels(real, "SPY", "2026-08-21")
    assert (levels.as_of, levels.close) == (dt.date(2026, 8, 21), 765.72)
    resistance = levels.nearest_resistance
    assert resistance is not None and resistance.kind is LevelKind.RESISTANCE
    assert (resistance.low, resistance.high, resistance.touches) == (776.85, 779.37, 2)
    assert levels.swing_high is not None and levels.swing_high.price == 779.37
    assert levels.nearest_support is not None
    assert levels.nearest_support.price <= levels.close
    assert levels.range is None


def year_extreme(price: float, is_high: bool, bars_ago: int) -> YearExtreme:
    return YearExtreme(price, day(300 - bars_ago), bars_ago, is_high, day(300 - bars_ago), bars_ago)


def hand_map(close: float, *zones: tuple[float, bool]) -> LevelMap:
    """A map as of day 300 whose zones are single pivots (price, is_high) formed on day 100."""
    levels = []
    for price, is_high in sorted(zones):
        pivot = Pivot(day(100), day(105), price, is_high, 1.0)
        levels.append(
            Level(
                price, price, price, LevelKind.of(price, close, [pivot]), 50.0, day(300), (pivot,)
            )
        )
    return LevelMap(day(300), close, tuple(levels), None, None, None)


def test_watch_map_moves_zones_nearer_than_half_an_atr_to_at_close() -> None:
    # Close 100, ATR 2: half an ATR is 1. A zone exactly 1 away stays on the map.
    levels = hand_map(100.0, (99.2, False), (99.0, False), (96.0, False), (104.0, True))
    year = YearRange(100.0, year_extreme(101.5, True, 3), year_extreme(90.0, False, 100))
    watch = watch_map(levels, 2.0, year)
    assert AT_CLOSE_ATR == 0.5
    assert [z.price for z in watch.at_close] == [99.2]
    assert [z.price for z in watch.supports] == [99.0, 96.0]
    # The 52-week high of three bars ago has no confirmed pivot yet: a zone of its own.
    assert [(z.price, z.level is None) for z in watch.resistances] == [
        (101.5, True),
        (104.0, False),
    ]
    assert watch.resistances[0].extreme == year.high
    # The old 52-week low that no zone holds is not added.
    assert all(z.extreme is None for z in watch.supports)
    assert not watch.open_air_above and not watch.open_air_below


def test_watch_map_marks_the_zone_holding_the_52_week_high() -> None:
    levels = hand_map(100.0, (104.0, True), (95.0, False))
    year = YearRange(100.0, year_extreme(104.0, True, 20), year_extreme(95.0, False, 40))
    watch = watch_map(levels, 2.0, year)
    assert [(z.price, z.extreme) for z in watch.resistances] == [(104.0, year.high)]
    assert [(z.price, z.extreme) for z in watch.supports] == [(95.0, year.low)]


def test_open_air_needs_no_level_and_no_earlier_52_week_high_within_three_atrs() -> None:
    assert OPEN_AIR_ATR == 3.0
    # Nearest level above is 3.5 ATRs away; the 52-week high was set by today's bar.
    levels = hand_map(100.0, (107.0, True), (94.0, False))
    today_high = YearRange(100.0, year_extreme(100.5, True, 0), year_extreme(80.0, False, 200))
    watch = watch_map(levels, 2.0, today_high)
    assert watch.open_air_above and watch.open_air_below is False
    assert [(z.price, z.level) for z in watch.at_close] == [(100.5, None)]
    # The same map with that high set four sessions ago: a ceiling just overhead.
    older = YearRange(100.0, year_extreme(100.5, True, 4), year_extreme(80.0, False, 200))
    assert not watch_map(levels, 2.0, older).open_air_above
    # A level 2.9 ATRs above closes the air as well, whatever the 52-week high.
    assert not watch_map(hand_map(100.0, (105.8, True)), 2.0, today_high).open_air_above
    # Below: 94 is 3 ATRs away exactly, so it is within reach.
    assert not watch.open_air_below
    assert watch_map(hand_map(100.0, (93.9, False)), 2.0, None).open_air_below


def test_watch_map_rejects_a_non_positive_atr() -> None:
    with pytest.raises(ParameterError, match="atr"):
        watch_map(hand_map(100.0, (90.0, False)), 0.0, None)


@pytest.fixture(scope="module")
def universe(real_panel: Panel) -> UniverseAnalysis:
    return UniverseAnalysis.compute(real_panel)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_no_mapped_level_lies_within_half_an_atr_of_the_close(
    universe: UniverseAnalysis, real_panel: Panel, data: st.DataObject
) -> None:
    symbol = data.draw(st.sampled_from(real_panel.symbols))
    bars = np.flatnonzero(np.isfinite(real_panel.close[:, real_panel.column(symbol)]))
    row = data.draw(st.sampled_from(bars[300:].tolist()))
    when = real_panel.dates[row].item()
    watch = universe.snapshot(symbol, when, dt.datetime(2030, 1, 1, tzinfo=dt.UTC)).watch
    half = AT_CLOSE_ATR * watch.atr
    assert all(z.distance(watch.close) >= half for z in watch.supports + watch.resistances)
    assert all(z.distance(watch.close) < half for z in watch.at_close)
    assert all(z.high < watch.close for z in watch.supports)
    assert all(z.low > watch.close for z in watch.resistances)
