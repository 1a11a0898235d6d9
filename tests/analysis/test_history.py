from __future__ import annotations

import datetime as dt
import math
import statistics

import numpy as np
import pytest
import talib
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire._types import BoolArray, FloatArray
from pulsewire.analysis.history import (
    calm_volatility,
    daily_volatility,
    forward_log_return,
    measure_history,
    measure_universe,
    rsi_above,
)
from pulsewire.errors import DataError
from pulsewire.model import Panel
from pulsewire.model.history import HistoryResult

DAY0 = np.datetime64("2024-01-01")


def tiny_panel(*columns: list[float]) -> Panel:
    """A panel of the given closes (one list per symbol A, B, ...) on consecutive days."""
    close = np.array(columns, dtype=np.float64).T.copy()
    dates = DAY0 + np.arange(close.shape[0])
    symbols = tuple("ABCDEFGH"[: close.shape[1]])
    return Panel(dates, symbols, close, close, close, close, close, np.ones_like(close))


def rows(*indices: int, length: int = 10) -> BoolArray:
    mask = np.zeros((length, 1), dtype=np.bool_)
    mask[list(indices)] = True
    return mask


def day(row: int) -> dt.date:
    return dt.date.fromisoformat(str(DAY0 + row))


# Closes of the hand-computed cases. Daily log returns (u = log(101/100), w = log(106/105)):
#   r1..r9 = +u, -u, +u, -u, log(106/100), -w, +w, -w, +w
# With a 2-return volatility window, v[s] = |r[s] - r[s-1]| / sqrt(2), defined from row 2:
#   v2 = v3 = v4 = 0.01407, v5 = 0.04824, v6 = 0.04791, v7 = v8 = v9 = 0.01341.
PRICES = [100.0, 101.0, 100.0, 101.0, 100.0, 106.0, 105.0, 106.0, 105.0, 106.0]


def measure_tiny(
    panel: Panel, condition: BoolArray, horizon: int, as_of: int = 9, peers: tuple[str, ...] = ()
) -> HistoryResult:
    return measure_history(
        panel,
        condition,
        symbol="A",
        as_of=day(as_of),
        horizon=horizon,
        description="test condition",
        peers=peers,
        volatility_window=2,
    )


def test_history_one_bar_ahead_counts_every_condition_day() -> None:
    # 1-bar outcomes are known for rows 2..8; the bar is large when |r[s+1]| > 2 v[s]:
    # only at s = 4 (|log(106/100)| = 0.058 > 0.028). Base: 1 large of 7, 4 rises.
    # The condition holds on rows 3-5 and 7-9; row 9 has no outcome yet.
    result = measure_tiny(tiny_panel(PRICES), rows(3, 4, 5, 7, 8, 9), horizon=1)
    assert (result.condition_days, result.episodes, result.cases) == (5, 2, 5)
    assert (result.large_moves, result.up_moves) == (1, 2)  # up after rows 4 and 8
    assert (result.base_days, result.base_large_moves, result.base_up_moves) == (7, 1, 4)
    assert result.frequency == pytest.approx(1 / 5)
    assert result.base_rate == pytest.approx(1 / 7)
    assert result.lift == pytest.approx(7 / 5)
    outcomes = [-math.log(1.01), math.log(1.06), -math.log(106 / 105), -math.log(106 / 105)]
    outcomes.append(math.log(106 / 105))
    assert result.mean_return == pytest.approx(sum(outcomes) / 5)
    assert result.median_return == pytest.approx(-math.log(106 / 105))
    assert (result.first_date, result.last_date) == (day(3), day(8))
    assert result.as_of == day(9)
    assert result.holds_at_as_of


def test_history_keeps_only_non_overlapping_windows() -> None:
    # 2-bar outcomes are known for rows 2..7; the threshold is 2 v[s] sqrt(2) = 0.0398 on
    # rows 2-4. Large after row 3 (log(106/101) = 0.048) and row 4 (log(105/100) = 0.049);
    # rows 2, 5, 6 and 7 go nowhere (equal closes two bars apart). Base: 2 of 6.
    # Condition days 3, 4, 5, 7 form 2 episodes; windows of 3 and 4 overlap, so the cases
    # are rows 3, 5 and 7: one large move, one rise.
    result = measure_tiny(tiny_panel(PRICES), rows(3, 4, 5, 7, 8, 9), horizon=2)
    assert (result.condition_days, result.episodes, result.cases) == (4, 2, 3)
    assert (result.large_moves, result.up_moves) == (1, 1)
    assert (result.base_days, result.base_large_moves, result.base_up_moves) == (6, 2, 2)
    assert result.frequency == pytest.approx(1 / 3)
    assert result.base_rate == pytest.approx(1 / 3)
    assert result.lift == pytest.approx(1.0)
    assert result.mean_return == pytest.approx(math.log(106 / 101) / 3)
    assert result.median_return == 0.0
    assert (result.first_date, result.last_date) == (day(3), day(7))


def test_history_pools_peers_one_case_per_window_own_symbol_first() -> None:
    # B has A's closes; its condition holds on rows 2 and 6. Greedy over the pool with
    # 2-bar windows: row 2 (only B), row 4 (A, before B), row 6 (only B).
    panel = tiny_panel(PRICES, PRICES)
    condition = np.hstack([rows(3, 4, 5, 7, 8, 9), rows(2, 6)])
    result = measure_tiny(panel, condition, horizon=2, peers=("B",))
    assert result.symbols == ("A", "B")
    assert (result.condition_days, result.episodes, result.cases) == (6, 4, 3)
    assert (result.large_moves, result.up_moves) == (1, 1)
    assert (result.base_days, result.base_large_moves, result.base_up_moves) == (12, 4, 4)
    assert result.mean_return == pytest.approx(math.log(105 / 100) / 3)
    assert (result.first_date, result.last_date) == (day(2), day(6))


def test_history_as_of_ignores_rows_after_it() -> None:
    # As of row 6 with 1-bar windows, outcomes are known for rows 2..5 only.
    result = measure_tiny(tiny_panel(PRICES), rows(3, 4, 5, 7, 8, 9), horizon=1, as_of=6)
    assert (result.condition_days, result.episodes, result.cases, result.large_moves) == (
        3,
        1,
        3,
        1,
    )
    assert (result.base_days, result.base_large_moves) == (4, 1)
    assert result.as_of == day(6)
    assert not result.holds_at_as_of


def test_history_without_a_past_case_is_not_supported() -> None:
    result = measure_tiny(tiny_panel(PRICES), rows(9), horizon=1)
    assert (result.condition_days, result.cases, result.episodes) == (0, 0, 0)
    assert math.isnan(result.frequency) and math.isnan(result.mean_return)
    assert result.interval == (0.0, 1.0)
    assert not result.supported
    assert "no past day" in result.reason
    assert result.claim() is None


def test_history_when_condition_shape_differs_raises() -> None:
    with pytest.raises(DataError, match="condition"):
        measure_tiny(tiny_panel(PRICES), rows(3, length=9), horizon=1)


def test_history_when_as_of_is_before_the_panel_raises() -> None:
    with pytest.raises(DataError, match="as_of"):
        measure_history(
            tiny_panel(PRICES),
            rows(3),
            symbol="A",
            as_of=dt.date(2023, 12, 31),
            horizon=1,
            description="x",
        )


def test_history_when_peer_repeats_the_symbol_raises() -> None:
    with pytest.raises(DataError, match="peers"):
        measure_tiny(tiny_panel(PRICES), rows(3), horizon=1, peers=("A",))


@pytest.mark.parametrize(
    ("field", "value"), [("horizon", 0), ("volatility_window", 1), ("sigmas", 0.0)]
)
def test_history_when_a_parameter_is_out_of_range_raises(field: str, value: float) -> None:
    arguments: dict[str, float] = {"horizon": 1, "volatility_window": 2, "sigmas": 2.0}
    arguments[field] = value
    with pytest.raises(DataError, match=field):
        measure_history(
            tiny_panel(PRICES),
            rows(3),
            symbol="A",
            as_of=day(9),
            description="x",
            horizon=int(arguments["horizon"]),
            volatility_window=int(arguments["volatility_window"]),
            sigmas=arguments["sigmas"],
        )


def test_forward_log_return_looks_horizon_rows_ahead() -> None:
    close = np.array([[100.0], [110.0], [121.0]])
    forward = forward_log_return(close, 1)
    assert forward[:2, 0] == pytest.approx([math.log(1.1), math.log(1.1)])
    assert np.isnan(forward[2, 0])
    assert np.isnan(forward_log_return(close, 3)).all()


def test_rsi_above_is_strict_and_false_on_nan() -> None:
    rsi = np.array([[np.nan], [69.9], [70.0], [70.1]])
    assert rsi_above(rsi).ravel().tolist() == [False, False, False, True]
    with pytest.raises(DataError, match="level"):
        rsi_above(rsi, 120.0)


# Real data.
def iwm(panel: Panel) -> Panel:
    return panel.subset(("IWM",))


def test_daily_volatility_matches_talib_stddev(xnys_panel: Panel) -> None:
    close = iwm(xnys_panel).adj_close
    ours = daily_volatility(close)[:, 0]
    returns = np.log(close[1:, 0] / close[:-1, 0])
    # TA-Lib's STDDEV is the population deviation: rescale it to the sample one.
    reference = talib.STDDEV(returns, timeperiod=20, nbdev=1) * math.sqrt(20 / 19)
    assert np.isnan(ours[:20]).all()
    np.testing.assert_allclose(ours[20:], reference[19:], rtol=1e-6)


def test_calm_volatility_matches_a_plain_loop(xnys_panel: Panel) -> None:
    close = iwm(xnys_panel).adj_close
    volatility = daily_volatility(close)[:, 0]
    expected = np.zeros(close.shape[0], dtype=np.bool_)
    for s in range(251, close.shape[0]):
        year = volatility[s - 251 : s + 1]
        expected[s] = bool(np.isfinite(year).all()) and int((year < volatility[s]).sum()) < 25.2
    calm = calm_volatility(close)[:, 0]
    assert np.array_equal(calm, expected)
    assert not calm[: 20 + 252 - 1].any()
    assert 0.05 < calm.mean() < 0.2


def loop_history(
    prices: FloatArray, condition: BoolArray, stop: int, horizon: int
) -> tuple[int, int, int, int, int, int]:
    """Count (condition days, episodes, cases, large moves, base days, base large moves)."""
    returns = [math.nan] + [math.log(prices[i] / prices[i - 1]) for i in range(1, stop)]
    days = episodes = cases = large = base = base_large = 0
    previous = False
    last_case = -horizon
    for s in range(20, stop - horizon):
        scale = 2.0 * statistics.stdev(returns[s - 19 : s + 1]) * math.sqrt(horizon)
        is_large = abs(math.log(prices[s + horizon] / prices[s])) > scale
        base += 1
        base_large += is_large
        if condition[s]:
            days += 1
            episodes += not previous
            if s - last_case >= horizon:
                cases += 1
                large += is_large
                last_case = s
        previous = bool(condition[s])
    return days, episodes, cases, large, base, base_large


@pytest.mark.parametrize("horizon", [5, 20])
def test_iwm_calm_volatility_history_matches_a_plain_loop(xnys_panel: Panel, horizon: int) -> None:
    panel = iwm(xnys_panel)
    calm = calm_volatility(panel.adj_close)
    as_of = dt.date(2026, 2, 2)
    result = measure_history(
        panel,
        calm,
        symbol="IWM",
        as_of=as_of,
        horizon=horizon,
        description="20-day realised volatility in the bottom decile of its trailing year",
    )
    stop = panel.until(as_of).dates.size
    expected = loop_history(panel.adj_close[:, 0], calm[:, 0], stop, horizon)
    assert (
        result.condition_days,
        result.episodes,
        result.cases,
        result.large_moves,
        result.base_days,
        result.base_large_moves,
    ) == expected
    assert result.as_of == as_of
    assert dt.date(2001, 6, 1) < result.first_date <= result.last_date < as_of  # type: ignore[operator]
    assert result.cases >= result.condition_days // horizon
    assert 0.02 < result.base_rate < 0.1
    low, high = result.interval
    assert low <= result.frequency <= high
    assert result.supported == (result.claim() is not None)


# Properties, drawn from the real series of IWM and SPY (IWM starts 7 years after SPY).

WINDOW = st.tuples(
    st.integers(0, 8000), st.integers(200, 448), st.integers(1, 10), st.integers(0, 2**32 - 1)
)


def window_of(panel: Panel, draw: tuple[int, int, int, int]) -> tuple[Panel, int, int, int]:
    start, length, horizon, seed = draw
    pair = panel.subset(("IWM", "SPY")).select(slice(start, start + length))
    cut = seed % (pair.dates.size // 2) + pair.dates.size // 2
    return pair, cut, horizon, seed


def calm(panel: Panel) -> BoolArray:
    return calm_volatility(panel.adj_close, window=5, lookback=30, decile=0.2)


def both(panel: Panel, condition: BoolArray, as_of: dt.date, horizon: int) -> str:
    """Every result for `panel`, as text: repr compares NaN fields equal, floats exactly."""
    pooled = measure_history(
        panel,
        condition,
        symbol="IWM",
        peers=("SPY",),
        as_of=as_of,
        horizon=horizon,
        description="calm",
    )
    alone = measure_universe(panel, condition, as_of=as_of, horizon=horizon, description="calm")
    return repr((pooled, alone))


@settings(max_examples=40, deadline=None)
@given(draw=WINDOW)
def test_history_as_of_t_ignores_later_bars(
    xnys_panel: Panel, draw: tuple[int, int, int, int]
) -> None:
    pair, cut, horizon, seed = window_of(xnys_panel, draw)
    as_of: dt.date = pair.dates[cut].item()
    noise = np.exp(np.random.default_rng(seed).normal(0, 0.05, pair.close.shape))
    noise[: cut + 1] = 1.0
    altered = Panel(
        pair.dates,
        pair.symbols,
        pair.open * noise,
        pair.high * noise,
        pair.low * noise,
        pair.close * noise,
        pair.adj_close * noise,
        pair.volume,
    )
    truncated = pair.until(as_of)
    expected = both(pair, calm(pair), as_of, horizon)
    assert both(altered, calm(altered), as_of, horizon) == expected
    assert both(truncated, calm(truncated), as_of, horizon) == expected


@settings(max_examples=40, deadline=None)
@given(draw=WINDOW, density=st.floats(0.0, 1.0))
def test_history_rates_are_shares_and_the_interval_holds_the_estimate(
    xnys_panel: Panel, draw: tuple[int, int, int, int], density: float
) -> None:
    pair, cut, horizon, seed = window_of(xnys_panel, draw)
    condition = np.random.default_rng(seed).random(pair.close.shape) < density
    as_of: dt.date = pair.dates[cut].item()
    pooled = measure_history(
        pair, condition, symbol="IWM", peers=("SPY",), as_of=as_of, horizon=horizon, description="x"
    )
    results = (
        pooled,
        *measure_universe(pair, condition, as_of=as_of, horizon=horizon, description="x"),
    )
    for result in results:
        if result.cases:
            low, high = result.interval
            assert 0.0 <= low <= result.frequency <= high <= 1.0
            assert 0.0 <= result.up_share <= 1.0
            first, last = np.searchsorted(
                pair.dates, np.array([result.first_date, result.last_date], dtype="datetime64[D]")
            )
            assert (result.cases - 1) * horizon <= last - first  # windows do not overlap
        if result.base_days:
            assert 0.0 <= result.base_rate <= 1.0
    for column, result in enumerate(results[1:]):
        alone = measure_history(
            pair,
            condition,
            symbol=pair.symbols[column],
            as_of=as_of,
            horizon=horizon,
            description="x",
        )
        assert repr(alone) == repr(result)
