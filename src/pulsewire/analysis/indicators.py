"""Technical indicators over a whole universe at once: (T, N) arrays in, (T, N) arrays out.

Time runs along axis 0 and symbols along axis 1; a single series is one column.

NaN rows. A row where a symbol's key input is NaN (close for the price indicators,
volume for the volume ratio, the input itself otherwise) is not a bar of that symbol:
each column is computed as if its bars were packed together, so a recursion skips the
row, a window of `n` bars reaches back over it to the `n`-th bar, and the output there
is NaN. Mixing 24/7 crypto with exchange-traded symbols on one date axis therefore
changes nothing: every symbol sees only its own bars.

Warm-up. An output is NaN until its inputs cover its window, counted in bars from the
symbol's first bar. Every output at row t depends only on rows up to t.

Annualisation. Realised volatility is annualised by each symbol's own year of bars,
taken from its calendar (`Panel.sessions_per_year`): x sqrt(252) for NYSE symbols,
x sqrt(365) for crypto, which trades every day. `Indicators.periods_per_year` keeps
the factor, so whatever needs the daily volatility back divides by the same root.

TA-Lib. SMA, EMA, RSI, MACD, ATR, ADX, +DI and -DI equal TA-Lib 0.8.1's bit for bit,
Bollinger bands to about 1e-13 (a cancellation-free variance). RSI is 50 where no gain
or loss has been seen at all, as in TA-Lib's main branch; TA-Lib 0.8.1 gives 0 there.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Final, TypeVar

import numpy as np

from pulsewire._types import DateArray, FloatArray
from pulsewire.analysis import _kernels
from pulsewire.errors import DataError, check_at_least
from pulsewire.model import Panel

__all__ = [
    "INDICATOR_FIELDS",
    "TRADING_DAYS",
    "BollingerBands",
    "DirectionalMovement",
    "Indicators",
    "Macd",
    "adx",
    "atr",
    "bollinger_bands",
    "compute_indicators",
    "distance_from_sma",
    "drawdown",
    "ema",
    "macd",
    "percentile_rank",
    "realized_volatility",
    "returns",
    "rolling_max",
    "rsi",
    "sma",
    "volume_ratio",
]

_Result = TypeVar("_Result")

TRADING_DAYS: Final = 252
"""Bars in a trailing-year window: the volatility percentile's and the 52-week high's.
Volatility is annualised by each symbol's own calendar instead (`Indicators`)."""

_BLOCKS_PER_CORE: Final = 1
_BLOCK_COLUMNS: Final = (64, 4096)
"""Fewest and most symbols per block of work. Blocks spread the symbols over the cores,
one per core when they fit: each row of a block is then one long contiguous stretch,
which the hardware prefetchers stream far better than many short ones (5,000 symbols x
2,520 bars on 2 cores: 4 blocks of 512 a core took ~15 % longer)."""


@dataclass(frozen=True, slots=True)
class Macd:
    """MACD line (fast EMA - slow EMA), its signal EMA and the histogram (line - signal)."""

    line: FloatArray
    signal: FloatArray
    histogram: FloatArray


@dataclass(frozen=True, slots=True)
class BollingerBands:
    """Middle band (SMA), upper and lower bands, and bandwidth (upper - lower) / middle."""

    middle: FloatArray
    upper: FloatArray
    lower: FloatArray
    bandwidth: FloatArray


@dataclass(frozen=True, slots=True)
class DirectionalMovement:
    """Wilder's ADX with the +DI and -DI it is built from, all in [0, 100], and the ATR
    that the same pass over the true ranges yields."""

    average_true_range: FloatArray
    adx: FloatArray
    plus_di: FloatArray
    minus_di: FloatArray


@dataclass(frozen=True)
class Indicators:
    """Every indicator of a panel, each a (T, N) array aligned with `dates` and `symbols`.

    Prices are the panel's `high`, `low` and `close` (split- but not dividend-adjusted,
    the prices quoted), so returns are price returns, not total returns.

    Attributes
    ----------
    sma_50, sma_200, ema_20
        Moving averages of close over 50, 200 and 20 bars.
    rsi_14
        Wilder's RSI over 14 bars, in [0, 100]; 50 while no close has moved.
    macd, macd_signal, macd_histogram
        MACD 12/26/9. The line starts at bar 25, the signal and histogram at bar 33.
    bollinger_middle, bollinger_upper, bollinger_lower, bollinger_bandwidth
        Bollinger bands: SMA(20) +- 2 population standard deviations, and
        (upper - lower) / middle.
    atr_14
        Average true range over 14 bars, in price units.
    adx_14, plus_di_14, minus_di_14
        ADX (from bar 27) and +DI / -DI (from bar 14) over 14 bars, in [0, 100].
    periods_per_year
        (N,) bars in a year of each symbol's calendar (`Panel.sessions_per_year`): 252
        for NYSE symbols, 365 for crypto, which trades every day.
    realized_volatility_20
        Sample standard deviation (ddof 1) of the last 20 daily log returns of close,
        times sqrt(`periods_per_year`): annualised by the symbol's own calendar, so a
        year of crypto is 365 of its bars and one of SPY 252, and both read as a year.
        Divide by the same sqrt(`periods_per_year`) to get back the daily volatility.
        First value at bar 20.
    volatility_percentile
        Where today's `realized_volatility_20` ranks in the trailing 252 values
        including today: the share of the other 251 that are at or below it, in [0, 1]
        (1 = highest of the year). First value at bar 271.
    volume_ratio_20
        Volume over the mean volume of the 20 bars before today (today excluded, so
        a spike is measured against a baseline it did not move). First value at bar
        20; NaN without volume.
    return_1, return_5, return_20, return_60
        close / close `k` bars earlier - 1.
    distance_sma_50, distance_sma_200
        close / SMA - 1.
    high_252
        Highest high of the last 252 bars, today included (the 52-week high). First
        value at bar 251, as for the drawdown.
    drawdown_252
        close / high_252 - 1: at most 0, measured from the intraday 52-week high that
        readers know, not from the highest close.
    """

    dates: DateArray
    symbols: tuple[str, ...]
    periods_per_year: FloatArray
    sma_50: FloatArray
    sma_200: FloatArray
    ema_20: FloatArray
    rsi_14: FloatArray
    macd: FloatArray
    macd_signal: FloatArray
    macd_histogram: FloatArray
    bollinger_middle: FloatArray
    bollinger_upper: FloatArray
    bollinger_lower: FloatArray
    bollinger_bandwidth: FloatArray
    atr_14: FloatArray
    adx_14: FloatArray
    plus_di_14: FloatArray
    minus_di_14: FloatArray
    realized_volatility_20: FloatArray
    volatility_percentile: FloatArray
    volume_ratio_20: FloatArray
    return_1: FloatArray
    return_5: FloatArray
    return_20: FloatArray
    return_60: FloatArray
    distance_sma_50: FloatArray
    distance_sma_200: FloatArray
    high_252: FloatArray
    drawdown_252: FloatArray

    def __post_init__(self) -> None:
        shape = (self.dates.shape[0], len(self.symbols))
        if self.periods_per_year.shape != shape[1:]:
            raise DataError(
                "periods_per_year", self.periods_per_year.shape, f"shape is not {shape[1:]}"
            )
        for name in INDICATOR_FIELDS:
            if getattr(self, name).shape != shape:
                raise DataError(name, getattr(self, name).shape, f"shape is not {shape}")


INDICATOR_FIELDS: Final = tuple(f.name for f in fields(Indicators))[3:]
"""The (T, N) indicator arrays of `Indicators`, in order (its fields after dates, symbols
and periods per year)."""


def compute_indicators(panel: Panel) -> Indicators:
    """Return every indicator of `Indicators` for all symbols of `panel` in one call.

    The symbols are split into blocks, run on all cores; each block goes through every
    kernel while its rows are still in cache.

    Parameters
    ----------
    panel
        Daily bars; a row where a symbol's close is NaN is not a bar of that symbol,
        and a row where its volume is NaN is left out of its volume ratio. Volatility
        is annualised by each symbol's calendar (`Panel.sessions_per_year`).

    Returns
    -------
    Indicators
        One (T, N) array per indicator, aligned with `panel.dates` and `panel.symbols`.
    """
    prices = _Bars.of(panel.close)
    traded = _Bars.of(panel.volume)
    high, low, close = (prices.pack(x) for x in (panel.high, panel.low, panel.close))
    volume = traded.pack(panel.volume)
    periods_per_year = panel.sessions_per_year()
    out = {name: np.empty(panel.close.shape) for name in INDICATOR_FIELDS}
    k = _kernels

    def block(lo: int, hi: int) -> None:
        k.sma(close, 50, out["sma_50"], lo, hi)
        k.sma(close, 200, out["sma_200"], lo, hi)
        k.ema(close, 20, out["ema_20"], lo, hi)
        k.rsi(close, 14, out["rsi_14"], lo, hi)
        k.macd(close, 12, 26, 9, out["macd"], out["macd_signal"], out["macd_histogram"], lo, hi)
        k.bollinger(
            close,
            20,
            2.0,
            out["bollinger_middle"],
            out["bollinger_upper"],
            out["bollinger_lower"],
            out["bollinger_bandwidth"],
            lo,
            hi,
        )
        k.atr_adx(
            high,
            low,
            close,
            14,
            out["atr_14"],
            out["adx_14"],
            out["plus_di_14"],
            out["minus_di_14"],
            lo,
            hi,
        )
        # The percentile's array holds the log returns until the percentile overwrites it.
        k.realized_volatility(
            close,
            20,
            periods_per_year,
            out["volatility_percentile"],
            out["realized_volatility_20"],
            lo,
            hi,
        )
        k.percentile_rank(
            out["realized_volatility_20"], TRADING_DAYS, out["volatility_percentile"], lo, hi
        )
        k.volume_ratio(volume, 20, out["volume_ratio_20"], lo, hi)
        for bars in (1, 5, 20, 60):
            k.change(close, bars, out[f"return_{bars}"], lo, hi)
        k.excess(close, out["sma_50"], out["distance_sma_50"], lo, hi)
        k.excess(close, out["sma_200"], out["distance_sma_200"], lo, hi)
        k.rolling_max(high, TRADING_DAYS, out["high_252"], lo, hi)
        k.excess(close, out["high_252"], out["drawdown_252"], lo, hi)

    _over_blocks(block, panel.close.shape[1])
    for name, values in out.items():
        (traded if name == "volume_ratio_20" else prices).unpack(values)
    return Indicators(panel.dates, panel.symbols, periods_per_year, **out)


def sma(values: FloatArray, window: int) -> FloatArray:
    """Return the simple moving average of `values` over `window` bars.

    Parameters
    ----------
    values
        (T, N) array; NaN rows are skipped (see the module docstring).
    window
        Bars averaged, at least 1. The first `window - 1` bars are warm-up.

    Returns
    -------
    FloatArray
        (T, N) averages, bit-equal to TA-Lib's SMA.
    """
    check_at_least("window", window, 1)
    return _apply(_kernels.sma, [_series("values", values)], [window], 1)[0]


def ema(values: FloatArray, window: int) -> FloatArray:
    """Return the exponential moving average of `values` with alpha 2 / (`window` + 1).

    Parameters
    ----------
    values
        (T, N) array; NaN rows are skipped.
    window
        At least 2. The EMA is seeded on bar `window - 1` with the SMA of the first
        `window` bars, as TA-Lib does.

    Returns
    -------
    FloatArray
        (T, N) averages, bit-equal to TA-Lib's EMA.
    """
    check_at_least("window", window, 2)
    return _apply(_kernels.ema, [_series("values", values)], [window], 1)[0]


def rsi(close: FloatArray, window: int = 14) -> FloatArray:
    """Return Wilder's relative strength index of `close`, in [0, 100].

    Parameters
    ----------
    close
        (T, N) closes; NaN rows are skipped.
    window
        At least 2. The first averages are means of the first `window` changes, then
        `average = (average * (window - 1) + change) / window`; first value on bar
        `window`.

    Returns
    -------
    FloatArray
        (T, N) RSI, bit-equal to TA-Lib's, except 50 (not 0) where every change so far
        was exactly zero.
    """
    check_at_least("window", window, 2)
    return _apply(_kernels.rsi, [_series("close", close)], [window], 1)[0]


def macd(close: FloatArray, fast: int = 12, slow: int = 26, signal: int = 9) -> Macd:
    """Return the MACD of `close`: EMA(`fast`) - EMA(`slow`), its signal EMA and histogram.

    Parameters
    ----------
    close
        (T, N) closes; NaN rows are skipped.
    fast, slow
        EMA windows, 2 <= `fast` < `slow`. Both EMAs start on bar `slow - 1`, the fast
        one seeded with the SMA of its own window ending there (TA-Lib's alignment).
    signal
        Window of the signal EMA of the MACD line, at least 2; signal and histogram
        start on bar `slow + signal - 2`.

    Returns
    -------
    Macd
        Line, signal and histogram, bit-equal to TA-Lib's MACD where TA-Lib has them
        (TA-Lib also blanks the line until the signal starts).
    """
    check_at_least("fast", fast, 2)
    check_at_least("slow", slow, fast + 1)
    check_at_least("signal", signal, 2)
    return Macd(*_apply(_kernels.macd, [_series("close", close)], [fast, slow, signal], 3))


def bollinger_bands(close: FloatArray, window: int = 20, deviations: float = 2.0) -> BollingerBands:
    """Return Bollinger bands: SMA(`window`) +- `deviations` population standard deviations.

    Parameters
    ----------
    close
        (T, N) closes; NaN rows are skipped.
    window
        Bars in the average and the deviation, at least 2.
    deviations
        Width of each band in standard deviations, at least 0.

    Returns
    -------
    BollingerBands
        Middle, upper, lower and bandwidth; the bands agree with TA-Lib's BBANDS (SMA)
        to about 1e-13.
    """
    check_at_least("window", window, 2)
    if not deviations >= 0.0:
        raise DataError("deviations", deviations, f"deviations={deviations} is below 0")
    return BollingerBands(
        *_apply(_kernels.bollinger, [_series("close", close)], [window, float(deviations)], 4)
    )


def atr(high: FloatArray, low: FloatArray, close: FloatArray, window: int = 14) -> FloatArray:
    """Return the average true range, in price units.

    Parameters
    ----------
    high, low, close
        (T, N) prices; a row where close is NaN is skipped.
    window
        At least 2. The first ATR, on bar `window`, is the mean of the true ranges of
        bars 1..`window`, then Wilder smoothing.

    Returns
    -------
    FloatArray
        (T, N) ATR, bit-equal to TA-Lib's.
    """
    check_at_least("window", window, 2)
    return _apply(_kernels.atr, _prices(high, low, close), [window], 1)[0]


def adx(
    high: FloatArray, low: FloatArray, close: FloatArray, window: int = 14
) -> DirectionalMovement:
    """Return Wilder's ADX with +DI and -DI (and the ATR, from the same pass).

    Parameters
    ----------
    high, low, close
        (T, N) prices; a row where close is NaN is skipped.
    window
        At least 2. +DI and -DI start on bar `window`, ADX on bar `2 * window - 1`.

    Returns
    -------
    DirectionalMovement
        ADX, +DI and -DI, bit-equal to TA-Lib's ADX, PLUS_DI and MINUS_DI, and the
        ATR over the same window (equal to `atr`).
    """
    check_at_least("window", window, 2)
    return DirectionalMovement(*_apply(_kernels.atr_adx, _prices(high, low, close), [window], 4))


def realized_volatility(
    close: FloatArray, window: int = 20, periods_per_year: float | FloatArray = TRADING_DAYS
) -> FloatArray:
    """Return annualised realised volatility: std (ddof 1) of log returns * sqrt(year).

    Parameters
    ----------
    close
        (T, N) closes; NaN rows are skipped, so a return spans the gap.
    window
        Log returns in the sample, at least 2; the first value is on bar `window`.
    periods_per_year
        Bars in a year, positive: one for every column, or (N,) one per column (a
        panel's `sessions_per_year`, 365 for crypto). 1 gives the daily volatility.

    Returns
    -------
    FloatArray
        (T, N) volatility as a fraction (0.2 = 20 %).

    Raises
    ------
    DataError
        If `window` is below 2, or `periods_per_year` is not positive or not (N,).
    """
    check_at_least("window", window, 2)
    series = _series("close", close)
    year = np.asarray(periods_per_year, dtype=np.float64)
    if year.shape not in ((), series.shape[1:]):
        raise DataError(
            "periods_per_year", year.shape, f"shape is not one per column, {series.shape[1:]}"
        )
    if not np.all(year > 0.0):
        raise DataError(
            "periods_per_year",
            periods_per_year,
            f"periods_per_year={periods_per_year} is not positive",
        )
    parameters: list[float | FloatArray] = [window, np.full(series.shape[1:], year)]
    return _apply(_kernels.realized_volatility, [series], parameters, 2)[1]


def percentile_rank(values: FloatArray, window: int = TRADING_DAYS) -> FloatArray:
    """Return where each value ranks in its trailing window, today included, in [0, 1].

    Parameters
    ----------
    values
        (T, N) array; NaN rows are skipped.
    window
        Values in the trailing window, at least 2. The first rank is on the `window`-th
        value.

    Returns
    -------
    FloatArray
        The share of the other `window - 1` values that are at or below today's:
        0 when today is the lowest, 1 when no other value is above it.
    """
    check_at_least("window", window, 2)
    return _apply(_kernels.percentile_rank, [_series("values", values)], [window], 1)[0]


def volume_ratio(volume: FloatArray, window: int = 20) -> FloatArray:
    """Return today's volume over the mean volume of the `window` bars before today.

    Parameters
    ----------
    volume
        (T, N) volumes; NaN rows (no bar, or no volume reported) are skipped.
    window
        Bars in the baseline, at least 1; the first ratio is on bar `window`.

    Returns
    -------
    FloatArray
        (T, N) ratios; 1 is an ordinary day.
    """
    check_at_least("window", window, 1)
    return _apply(_kernels.volume_ratio, [_series("volume", volume)], [window], 1)[0]


def returns(close: FloatArray, bars: int) -> FloatArray:
    """Return the simple return over `bars` bars: close / close `bars` bars earlier - 1.

    Parameters
    ----------
    close
        (T, N) closes; NaN rows are skipped, so `bars` counts bars, not rows.
    bars
        At least 1.

    Returns
    -------
    FloatArray
        (T, N) returns as fractions.
    """
    check_at_least("bars", bars, 1)
    return _apply(_kernels.change, [_series("close", close)], [bars], 1)[0]


def distance_from_sma(close: FloatArray, window: int) -> FloatArray:
    """Return close / SMA(`window`) - 1: how far each close sits above its average.

    Parameters
    ----------
    close
        (T, N) closes; NaN rows are skipped.
    window
        Bars in the SMA, at least 1.

    Returns
    -------
    FloatArray
        (T, N) distances as fractions.
    """
    check_at_least("window", window, 1)
    return _apply(_distance_from_sma, [_series("close", close)], [window], 2)[1]


def rolling_max(values: FloatArray, window: int) -> FloatArray:
    """Return the maximum of the last `window` bars, today included.

    Parameters
    ----------
    values
        (T, N) array; NaN rows are skipped.
    window
        At least 1.

    Returns
    -------
    FloatArray
        (T, N) maxima.
    """
    check_at_least("window", window, 1)
    return _apply(_kernels.rolling_max, [_series("values", values)], [window], 1)[0]


def drawdown(high: FloatArray, close: FloatArray, window: int = TRADING_DAYS) -> FloatArray:
    """Return close / highest high of the last `window` bars - 1, at most 0.

    Parameters
    ----------
    high, close
        (T, N) prices; a row where close is NaN is skipped.
    window
        Bars in the high, today included, at least 1 (252: the 52-week high).

    Returns
    -------
    FloatArray
        (T, N) drawdowns as fractions (-0.1 = 10 % below the high).
    """
    check_at_least("window", window, 1)
    return _apply(_drawdown, [_series("high", high), _series("close", close)], [window], 2)[1]


def _distance_from_sma(
    close: FloatArray, window: int, average: FloatArray, out: FloatArray, lo: int, hi: int
) -> None:
    _kernels.sma(close, window, average, lo, hi)
    _kernels.excess(close, average, out, lo, hi)


def _drawdown(
    high: FloatArray,
    close: FloatArray,
    window: int,
    highest: FloatArray,
    out: FloatArray,
    lo: int,
    hi: int,
) -> None:
    _kernels.rolling_max(high, window, highest, lo, hi)
    _kernels.excess(close, highest, out, lo, hi)


@dataclass(frozen=True, slots=True)
class _Bars:
    """Which rows are bars, by a key array; `gapped` when some column has a NaN between bars.

    Kernels need each column's bars on consecutive rows, so a gapped panel is packed
    (each column's bars moved to its top) before them and unpacked after.
    """

    key: FloatArray
    gapped: bool

    @classmethod
    def of(cls, key: FloatArray) -> _Bars:
        runs = _over_blocks(lambda lo, hi: _kernels.single_runs(key, lo, hi), key.shape[1])
        return cls(key, not all(runs))

    def pack(self, values: FloatArray) -> FloatArray:
        if not self.gapped:
            return values
        packed = np.empty_like(values)
        _kernels.compact(values, self.key, packed, 0, values.shape[1])
        return packed

    def unpack(self, values: FloatArray) -> None:
        if self.gapped:
            _kernels.expand(values, self.key, 0, values.shape[1])


def _apply(
    kernel: Callable[..., None],
    inputs: Sequence[FloatArray],
    parameters: Sequence[float | FloatArray],
    outputs: int,
) -> list[FloatArray]:
    """Run `kernel` on `inputs` over blocks of columns; the last input says which rows are bars.

    Each block checks its own columns for gaps just before its kernel reads them, so
    the kernel finds them in cache, and a gapped block is packed and unpacked alone.
    """
    shape = inputs[-1].shape
    for name, values in zip(("high", "low"), inputs[:-1], strict=False):
        if values.shape != shape:
            raise DataError(name, values.shape, f"shape is not that of close, {shape}")
    key = inputs[-1]
    results = [np.empty(shape) for _ in range(outputs)]
    # Room for the packed inputs, made by the first gapped block; each block packs
    # only its own columns.
    packed: list[FloatArray] = []
    making = threading.Lock()

    def run_packed(lo: int, hi: int) -> None:
        with making:
            if not packed:
                packed.extend(np.empty(shape) for _ in inputs)
        for values, space in zip(inputs, packed, strict=True):
            _kernels.compact(values, key, space, lo, hi)
        kernel(*packed, *parameters, *results, lo, hi)
        for values in results:
            _kernels.expand(values, key, lo, hi)

    def block(lo: int, hi: int) -> bool:
        if _kernels.single_runs(key, lo, hi):
            kernel(*inputs, *parameters, *results, lo, hi)
            return True
        run_packed(lo, hi)
        return False

    blocks = _over_blocks(lambda lo, hi: (lo, hi, block(lo, hi)), shape[1])
    unpacked = [(lo, hi) for lo, hi, single in blocks if single]
    if len(inputs) > 1 and len(unpacked) < len(blocks):
        # A gapped panel packs every column, which also drops the other inputs' values
        # on rows where the key is NaN (`drawdown`'s highs): redo the unpacked blocks.
        for lo, hi in unpacked:
            run_packed(lo, hi)
    return results


def _over_blocks(run: Callable[[int, int], _Result], columns: int) -> list[_Result]:
    """Return `run(lo, hi)` of each block of columns, run on every core (kernels free the GIL)."""
    cores = os.cpu_count() or 1
    fewest, most = _BLOCK_COLUMNS
    width = min(max(-(-columns // (_BLOCKS_PER_CORE * cores)), fewest), most)
    blocks = [(lo, min(lo + width, columns)) for lo in range(0, columns, width)]
    if len(blocks) <= 1:
        return [run(lo, hi) for lo, hi in blocks]
    with ThreadPoolExecutor(min(len(blocks), cores)) as pool:
        return list(pool.map(lambda block: run(*block), blocks))


def _series(name: str, values: FloatArray) -> FloatArray:
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.ndim != 2:
        raise DataError(
            name, array.shape, "is not a (time, symbols) array; make a single series one column"
        )
    return array


def _prices(high: FloatArray, low: FloatArray, close: FloatArray) -> list[FloatArray]:
    return [_series("high", high), _series("low", low), _series("close", close)]
