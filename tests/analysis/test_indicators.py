from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import polars as pl
import pytest
import talib
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from pulsewire._types import FloatArray
from pulsewire.analysis import indicators as ind
from pulsewire.analysis.history import daily_volatility
from pulsewire.analysis.indicators import INDICATOR_FIELDS, Indicators, compute_indicators
from pulsewire.errors import DataError
from pulsewire.model import PANEL_FIELDS, Panel, sessions_per_year

RTOL = 1e-8
PROPERTY = settings(max_examples=25, deadline=None)

Bars = tuple[FloatArray, FloatArray, FloatArray]
"""One symbol's high, low and close on its own bars (NaN rows dropped)."""

TALIB_FIELDS: dict[str, Callable[[FloatArray, FloatArray, FloatArray], FloatArray]] = {
    "sma_50": lambda h, lo, c: talib.SMA(c, 50),
    "sma_200": lambda h, lo, c: talib.SMA(c, 200),
    "ema_20": lambda h, lo, c: talib.EMA(c, 20),
    "rsi_14": lambda h, lo, c: talib.RSI(c, 14),
    "macd_signal": lambda h, lo, c: talib.MACD(c, 12, 26, 9)[1],
    "macd_histogram": lambda h, lo, c: talib.MACD(c, 12, 26, 9)[2],
    "bollinger_upper": lambda h, lo, c: talib.BBANDS(c, 20, 2.0, 2.0, 0)[0],
    "bollinger_middle": lambda h, lo, c: talib.BBANDS(c, 20, 2.0, 2.0, 0)[1],
    "bollinger_lower": lambda h, lo, c: talib.BBANDS(c, 20, 2.0, 2.0, 0)[2],
    "bollinger_bandwidth": lambda h, lo, c: _bandwidth(*talib.BBANDS(c, 20, 2.0, 2.0, 0)),
    "atr_14": lambda h, lo, c: talib.ATR(h, lo, c, 14),
    "adx_14": lambda h, lo, c: talib.ADX(h, lo, c, 14),
    "plus_di_14": lambda h, lo, c: talib.PLUS_DI(h, lo, c, 14),
    "minus_di_14": lambda h, lo, c: talib.MINUS_DI(h, lo, c, 14),
    "distance_sma_50": lambda h, lo, c: c / talib.SMA(c, 50) - 1,
    "distance_sma_200": lambda h, lo, c: c / talib.SMA(c, 200) - 1,
}
"""Fields with a TA-Lib (or TA-Lib-derived) reference on one symbol's bars."""


def _bandwidth(upper: FloatArray, middle: FloatArray, lower: FloatArray) -> FloatArray:
    return (upper - lower) / middle


@pytest.fixture(scope="module")
def real(real_panel: Panel) -> Indicators:
    return compute_indicators(real_panel)


def bar_rows(panel: Panel, symbol: str) -> tuple[int, np.ndarray]:
    """Return the column of `symbol` and the rows where it has a bar."""
    j = panel.column(symbol)
    return j, np.flatnonzero(~np.isnan(panel.close[:, j]))


def bars(panel: Panel, symbol: str) -> Bars:
    j, rows = bar_rows(panel, symbol)
    return panel.high[rows, j], panel.low[rows, j], panel.close[rows, j]


def assert_matches(ours: FloatArray, reference: FloatArray, what: str) -> None:
    """Assert NaN where the reference is NaN and agreement to RTOL elsewhere."""
    defined = ~np.isnan(reference)
    assert np.array_equal(np.isnan(ours), ~defined), f"{what}: NaN positions differ"
    np.testing.assert_allclose(ours[defined], reference[defined], rtol=RTOL, atol=0, err_msg=what)


def walk(seed: int, rows: int, columns: int) -> Panel:
    """A seeded random-walk panel with positive prices and whole-number volumes."""
    rng = np.random.default_rng(seed)
    close = 50 * np.exp(np.cumsum(rng.normal(0, 0.02, (rows, columns)), axis=0))
    open_ = np.vstack([close[:1], close[:-1]])
    high = np.maximum(open_, close) * (1 + rng.uniform(0, 0.01, close.shape))
    low = np.minimum(open_, close) * (1 - rng.uniform(0, 0.01, close.shape))
    volume = rng.integers(1_000, 1_000_000, close.shape).astype(np.float64)
    dates = np.datetime64("2020-01-01") + np.arange(rows)
    names = tuple(f"S{i}" for i in range(columns))
    return Panel(dates, names, open_, high, low, close, close.copy(), volume)


def with_missing_rows(panel: Panel, missing: np.ndarray) -> Panel:
    """Return `panel` with NaN in every field where `missing` is true."""
    fields = [np.where(missing, np.nan, getattr(panel, name)) for name in PANEL_FIELDS]
    return Panel(panel.dates, panel.symbols, *fields)


# TA-Lib, the reference, on every real series.


@pytest.mark.parametrize("field", sorted(TALIB_FIELDS))
def test_field_equals_talib_on_every_real_series(
    real_panel: Panel, real: Indicators, field: str
) -> None:
    for symbol in real_panel.symbols:
        j, rows = bar_rows(real_panel, symbol)
        reference = TALIB_FIELDS[field](*bars(real_panel, symbol))
        assert_matches(getattr(real, field)[rows, j], reference, f"{field} of {symbol}")


def test_talib_indicators_are_bit_equal_except_the_bands(
    real_panel: Panel, real: Indicators
) -> None:
    # The last bits depend on TA-Lib's release and build (reciprocals, fused multiply-adds):
    # pyproject pins the wheel that bundles C TA-Lib 0.8.1, so a new build fails here loudly.
    assert talib.__ta_version__.startswith(b"0.8.1")
    bands = {"bollinger_upper", "bollinger_lower", "bollinger_bandwidth"}
    for field in sorted(set(TALIB_FIELDS) - bands):
        for symbol in real_panel.symbols:
            j, rows = bar_rows(real_panel, symbol)
            reference = TALIB_FIELDS[field](*bars(real_panel, symbol))
            ours = getattr(real, field)[rows, j]
            assert np.array_equal(ours, reference, equal_nan=True), f"{field} of {symbol}"


def test_macd_line_starts_where_the_slow_ema_does(real_panel: Panel, real: Indicators) -> None:
    # TA-Lib blanks the line until the signal starts (bar 33); its values from bar 25 are
    # the fast EMA seeded on the 12 bars ending at bar 25 minus the slow EMA.
    for symbol in real_panel.symbols:
        j, rows = bar_rows(real_panel, symbol)
        close = real_panel.close[rows, j]
        fast = np.concatenate([np.full(14, np.nan), talib.EMA(close[14:], 12)])
        assert_matches(real.macd[rows, j], fast - talib.EMA(close, 26), f"macd of {symbol}")
        line = talib.MACD(close, 12, 26, 9)[0]
        assert np.array_equal(real.macd[rows, j][33:], line[33:])


@pytest.mark.parametrize(
    ("call", "reference"),
    [
        (lambda h, lo, c: ind.sma(c, 7), lambda h, lo, c: talib.SMA(c, 7)),
        (lambda h, lo, c: ind.ema(c, 3), lambda h, lo, c: talib.EMA(c, 3)),
        (lambda h, lo, c: ind.rsi(c, 2), lambda h, lo, c: talib.RSI(c, 2)),
        (lambda h, lo, c: ind.rsi(c, 30), lambda h, lo, c: talib.RSI(c, 30)),
        (lambda h, lo, c: ind.atr(h, lo, c, 5), lambda h, lo, c: talib.ATR(h, lo, c, 5)),
        (lambda h, lo, c: ind.adx(h, lo, c, 9).adx, lambda h, lo, c: talib.ADX(h, lo, c, 9)),
        (
            lambda h, lo, c: ind.adx(h, lo, c, 9).minus_di,
            lambda h, lo, c: talib.MINUS_DI(h, lo, c, 9),
        ),
        (
            lambda h, lo, c: ind.macd(c, 5, 35, 5).signal,
            lambda h, lo, c: talib.MACD(c, 5, 35, 5)[1],
        ),
        (
            lambda h, lo, c: ind.bollinger_bands(c, 10, 1.5).lower,
            lambda h, lo, c: talib.BBANDS(c, 10, 1.5, 1.5, 0)[2],
        ),
    ],
)
def test_other_windows_equal_talib(
    real_panel: Panel,
    call: Callable[[FloatArray, FloatArray, FloatArray], FloatArray],
    reference: Callable[[FloatArray, FloatArray, FloatArray], FloatArray],
) -> None:
    for symbol in ("SPY", "BTC-USD", "VIX", "XLC"):
        h, lo, c = (x[:, None] for x in bars(real_panel, symbol))
        assert_matches(call(h, lo, c)[:, 0], reference(h[:, 0], lo[:, 0], c[:, 0]), symbol)


def test_rsi_is_neutral_where_prices_never_moved() -> None:
    close = np.concatenate([np.full(30, 10.0), np.linspace(10.5, 11.0, 10)])
    ours = ind.rsi(close[:, None])[:, 0]
    assert np.all(ours[14:30] == 50.0)
    assert ours[30] == 100.0
    # TA-Lib 0.8.1 answers 0 ("deeply oversold") here; its main branch answers 50 too.
    assert set(talib.RSI(close, 14)[14:30]) <= {0.0, 50.0}
    np.testing.assert_array_equal(ours[30:], talib.RSI(close, 14)[30:])


# Indicators TA-Lib does not have, against plain numpy and polars.


def test_realized_volatility_is_polars_rolling_std_of_log_returns(
    real_panel: Panel, real: Indicators
) -> None:
    for symbol in real_panel.symbols:
        j, rows = bar_rows(real_panel, symbol)
        close = real_panel.close[rows, j]
        log_returns = pl.Series(np.log(close[1:] / close[:-1]))
        year = sessions_per_year(symbol)
        reference = (log_returns.rolling_std(20, ddof=1) * math.sqrt(year)).to_numpy()
        ours = real.realized_volatility_20[rows, j]
        assert np.isnan(ours[0])
        assert_matches(ours[1:], reference, symbol)


def test_realized_volatility_by_hand() -> None:
    close = np.array([100.0, 102.0, 99.0, 99.0, 104.0])
    returns = np.log(close[1:] / close[:-1])
    expected = [np.std(returns[i - 2 : i + 1], ddof=1) * math.sqrt(252) for i in (2, 3)]
    ours = ind.realized_volatility(close[:, None], window=3)[:, 0]
    np.testing.assert_allclose(ours, [np.nan, np.nan, np.nan, *expected], rtol=1e-12)


def test_volatility_is_annualised_by_each_symbols_calendar(
    real_panel: Panel, real: Indicators
) -> None:
    # Crypto trades every day, so a year of it is 365 bars; an NYSE year is 252.
    daily = daily_volatility(real_panel.close)
    for symbol, year in (("BTC-USD", 365), ("ETH-USD", 365), ("SPY", 252), ("TLT", 252)):
        j, rows = bar_rows(real_panel, symbol)
        assert real.periods_per_year[j] == year
        np.testing.assert_allclose(
            real.realized_volatility_20[rows, j], daily[rows, j] * math.sqrt(year), rtol=1e-12
        )


def test_periods_per_year_one_per_column_or_refused() -> None:
    close = np.exp(np.linspace(0.0, 0.5, 30))[:, None] * np.ones((1, 2))
    both = ind.realized_volatility(close, 5, np.array([252.0, 365.0]))
    np.testing.assert_allclose(both[:, 1], both[:, 0] * math.sqrt(365 / 252), rtol=1e-12)
    with pytest.raises(DataError, match="periods_per_year: shape is not one per column"):
        ind.realized_volatility(close, 5, np.array([252.0, 365.0, 1.0]))
    with pytest.raises(DataError, match="periods_per_year=0 is not positive"):
        ind.realized_volatility(close, 5, 0)


def test_realized_volatility_of_a_flat_window_is_zero() -> None:
    close = np.concatenate([np.linspace(10.0, 12.0, 25), np.full(30, 12.0)])
    assert np.all(ind.realized_volatility(close[:, None], window=20)[45:, 0] == 0.0)


def test_volatility_percentile_ranks_in_the_trailing_year(
    real_panel: Panel, real: Indicators
) -> None:
    for symbol in real_panel.symbols:
        j, rows = bar_rows(real_panel, symbol)
        volatility = real.realized_volatility_20[rows, j][20:]
        windows = sliding_window_view(volatility, 252)
        at_most = (windows <= volatility[251:, None]).sum(axis=1)
        expected = np.concatenate([np.full(271, np.nan), (at_most - 1) / 251])[: rows.size]
        ours = real.volatility_percentile[rows, j]
        assert np.array_equal(ours, expected, equal_nan=True), symbol


def test_percentile_rank_by_hand() -> None:
    values = np.array([1.0, 3.0, 2.0, 2.0, 5.0, 0.5])
    # [1, 3, 2]: one other at or below 2; [3, 2, 2]: the tie counts; [2, 2, 5]: top;
    # [2, 5, 0.5]: bottom.
    expected = [np.nan, np.nan, 0.5, 0.5, 1.0, 0.0]
    np.testing.assert_array_equal(ind.percentile_rank(values[:, None], 3)[:, 0], expected)


def test_volume_ratio_is_volume_over_the_previous_mean(real_panel: Panel, real: Indicators) -> None:
    for symbol in real_panel.symbols:
        j = real_panel.column(symbol)
        rows = np.flatnonzero(~np.isnan(real_panel.volume[:, j]))
        volume = pl.Series(real_panel.volume[rows, j])
        reference = (volume / volume.rolling_mean(20).shift(1)).to_numpy()
        assert_matches(real.volume_ratio_20[rows, j], reference, symbol)
    assert np.all(np.isnan(real.volume_ratio_20[:, real_panel.column("VIX")]))


def test_volume_ratio_by_hand() -> None:
    volume = np.array([10.0, 20.0, 30.0, 60.0])
    np.testing.assert_array_equal(
        ind.volume_ratio(volume[:, None], 2)[:, 0], [np.nan, np.nan, 2.0, 2.4]
    )


@pytest.mark.parametrize("period", [1, 5, 20, 60])
def test_returns_count_bars_not_rows(real_panel: Panel, real: Indicators, period: int) -> None:
    for symbol in real_panel.symbols:
        j, rows = bar_rows(real_panel, symbol)
        close = real_panel.close[rows, j]
        expected = np.concatenate([np.full(period, np.nan), close[period:] / close[:-period] - 1])
        ours = getattr(real, f"return_{period}")[rows, j]
        assert np.array_equal(ours, expected, equal_nan=True), symbol


def test_drawdown_is_close_below_the_highest_high_of_252_bars(
    real_panel: Panel, real: Indicators
) -> None:
    for symbol in real_panel.symbols:
        j, rows = bar_rows(real_panel, symbol)
        high = pl.Series(real_panel.high[rows, j]).rolling_max(252).to_numpy()
        assert np.array_equal(real.high_252[rows, j], high, equal_nan=True), symbol
        expected = real_panel.close[rows, j] / high - 1
        assert np.array_equal(real.drawdown_252[rows, j], expected, equal_nan=True), symbol
    assert np.nanmax(real.drawdown_252) <= 0.0


def test_rolling_max_by_hand() -> None:
    values = np.array([1.0, 5.0, 2.0, 4.0, 3.0, 0.0, 1.0])
    np.testing.assert_array_equal(
        ind.rolling_max(values[:, None], 3)[:, 0], [np.nan, np.nan, 5, 5, 4, 4, 3]
    )


def test_drawdown_by_hand() -> None:
    high = np.array([10.0, 12.0, 11.0, 9.0])
    close = np.array([9.0, 11.0, 10.5, 8.4])
    np.testing.assert_allclose(
        ind.drawdown(high[:, None], close[:, None], 2)[:, 0],
        [np.nan, -1 / 12, -0.125, 8.4 / 11 - 1],
    )


# One call for a universe.


def test_fields_equal_the_functions_that_compute_them_alone(
    real_panel: Panel, real: Indicators
) -> None:
    p = real_panel
    macd = ind.macd(p.close)
    bands = ind.bollinger_bands(p.close)
    directional = ind.adx(p.high, p.low, p.close)
    year = p.sessions_per_year()
    alone = {
        "sma_50": ind.sma(p.close, 50),
        "sma_200": ind.sma(p.close, 200),
        "ema_20": ind.ema(p.close, 20),
        "rsi_14": ind.rsi(p.close),
        "macd": macd.line,
        "macd_signal": macd.signal,
        "macd_histogram": macd.histogram,
        "bollinger_middle": bands.middle,
        "bollinger_upper": bands.upper,
        "bollinger_lower": bands.lower,
        "bollinger_bandwidth": bands.bandwidth,
        "atr_14": ind.atr(p.high, p.low, p.close),
        "adx_14": directional.adx,
        "plus_di_14": directional.plus_di,
        "minus_di_14": directional.minus_di,
        "realized_volatility_20": ind.realized_volatility(p.close, 20, year),
        "volatility_percentile": ind.percentile_rank(ind.realized_volatility(p.close, 20, year)),
        "volume_ratio_20": ind.volume_ratio(p.volume),
        "return_1": ind.returns(p.close, 1),
        "return_5": ind.returns(p.close, 5),
        "return_20": ind.returns(p.close, 20),
        "return_60": ind.returns(p.close, 60),
        "distance_sma_50": ind.distance_from_sma(p.close, 50),
        "distance_sma_200": ind.distance_from_sma(p.close, 200),
        "high_252": ind.rolling_max(p.high, 252),
        "drawdown_252": ind.drawdown(p.high, p.close),
    }
    assert tuple(alone) == INDICATOR_FIELDS
    for name, values in alone.items():
        assert np.array_equal(getattr(real, name), values, equal_nan=True), name


def test_weekend_rows_of_crypto_change_nothing_for_etfs(
    real_panel: Panel, xnys_panel: Panel, real: Indicators
) -> None:
    own = compute_indicators(xnys_panel)
    rows = np.searchsorted(real_panel.dates, xnys_panel.dates)
    columns = [real_panel.column(s) for s in xnys_panel.symbols]
    for name in INDICATOR_FIELDS:
        shared = getattr(real, name)[np.ix_(rows, columns)]
        assert np.array_equal(shared, getattr(own, name), equal_nan=True), name


# Properties.


@PROPERTY
@given(data=st.data())
def test_no_look_ahead_on_real_series(real_panel: Panel, data: st.DataObject) -> None:
    symbols = data.draw(
        st.lists(st.sampled_from(real_panel.symbols), min_size=1, max_size=3, unique=True)
    )
    panel = real_panel.subset(tuple(symbols))
    cut = data.draw(st.integers(0, panel.dates.size - 1))
    full = compute_indicators(panel)
    known = compute_indicators(panel.select(slice(0, cut + 1)))
    for name in INDICATOR_FIELDS:
        past = getattr(full, name)[: cut + 1]
        assert np.array_equal(past, getattr(known, name), equal_nan=True), name


@PROPERTY
@given(seed=st.integers(0, 2**32 - 1), data=st.data())
def test_missing_rows_are_skipped_as_if_the_column_were_compacted(
    seed: int, data: st.DataObject
) -> None:
    rng = np.random.default_rng(seed)
    rows = data.draw(st.integers(2, 700))
    listed = rng.integers(0, rows, 3)
    missing = (np.arange(rows)[:, None] < listed) | (rng.random((rows, 3)) < 0.2)
    panel = with_missing_rows(walk(seed, rows, 3), missing)
    full = compute_indicators(panel)
    cut = data.draw(st.integers(0, rows - 1))
    known = compute_indicators(panel.select(slice(0, cut + 1)))
    for j in range(3):
        present = np.flatnonzero(~missing[:, j])
        alone = compute_indicators(
            Panel(
                panel.dates[present],
                panel.symbols[j : j + 1],
                *(getattr(panel, name)[present, j : j + 1] for name in PANEL_FIELDS),
            )
        )
        for name in INDICATOR_FIELDS:
            values = getattr(full, name)[:, j]
            assert np.all(np.isnan(values[missing[:, j]])), name
            assert np.array_equal(values[present], getattr(alone, name)[:, 0], equal_nan=True)
            assert np.array_equal(values[: cut + 1], getattr(known, name)[:, j], equal_nan=True)


WARM_UP: dict[str, Callable[[Panel, int], tuple[FloatArray, int]]] = {
    "sma": lambda p, n: (ind.sma(p.close, n), n - 1),
    "ema": lambda p, n: (ind.ema(p.close, n), n - 1),
    "rsi": lambda p, n: (ind.rsi(p.close, n), n),
    "macd line": lambda p, n: (ind.macd(p.close, n, n + 5, 3).line, n + 4),
    "macd signal": lambda p, n: (ind.macd(p.close, n, n + 5, 3).signal, n + 6),
    "bollinger": lambda p, n: (ind.bollinger_bands(p.close, n).bandwidth, n - 1),
    "atr": lambda p, n: (ind.atr(p.high, p.low, p.close, n), n),
    "adx": lambda p, n: (ind.adx(p.high, p.low, p.close, n).adx, 2 * n - 1),
    "+di": lambda p, n: (ind.adx(p.high, p.low, p.close, n).plus_di, n),
    "volatility": lambda p, n: (ind.realized_volatility(p.close, n), n),
    "percentile": lambda p, n: (ind.percentile_rank(p.close, n), n - 1),
    "volume ratio": lambda p, n: (ind.volume_ratio(p.volume, n), n),
    "returns": lambda p, n: (ind.returns(p.close, n), n),
    "distance": lambda p, n: (ind.distance_from_sma(p.close, n), n - 1),
    "rolling max": lambda p, n: (ind.rolling_max(p.high, n), n - 1),
    "drawdown": lambda p, n: (ind.drawdown(p.high, p.close, n), n - 1),
}


@PROPERTY
@given(seed=st.integers(0, 2**32 - 1), window=st.integers(2, 40), listed=st.integers(0, 50))
def test_warm_up_is_nan_and_nothing_after_it(seed: int, window: int, listed: int) -> None:
    rows = np.arange(150)[:, None]
    panel = with_missing_rows(walk(seed, 150, 1), rows < listed)
    for name, compute in WARM_UP.items():
        values, warm_up = compute(panel, window)
        nan = np.isnan(values[:, 0])
        assert np.all(nan[: listed + warm_up]), name
        assert not np.any(nan[listed + warm_up :]), name


# Errors.


def test_window_below_its_minimum_is_refused() -> None:
    close = np.ones((30, 2))
    with pytest.raises(DataError, match="window=1 is below 2") as error:
        ind.rsi(close, 1)
    assert error.value.field == "window"
    with pytest.raises(DataError, match="slow=12 is below 13"):
        ind.macd(close, 12, 12)


def test_single_series_must_be_a_column() -> None:
    with pytest.raises(DataError, match="make a single series one column"):
        ind.sma(np.ones(30), 5)


def test_prices_of_different_shapes_are_refused() -> None:
    with pytest.raises(DataError, match="high"):
        ind.atr(np.ones((30, 2)), np.ones((30, 2)), np.ones((30, 3)))


def test_indicators_refuse_arrays_off_the_panel_shape(real: Indicators) -> None:
    arrays = {name: getattr(real, name) for name in INDICATOR_FIELDS}
    arrays["rsi_14"] = arrays["rsi_14"][:-1]
    with pytest.raises(DataError, match="rsi_14"):
        Indicators(real.dates, real.symbols, real.periods_per_year, **arrays)


def test_the_atr_of_the_adx_pass_is_the_atr_bit_for_bit(real_panel: Panel) -> None:
    p = real_panel
    directional = ind.adx(p.high, p.low, p.close)
    assert np.array_equal(
        directional.average_true_range, ind.atr(p.high, p.low, p.close), equal_nan=True
    )
