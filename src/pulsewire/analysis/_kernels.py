"""Numba kernels of the indicators: (T, N) arrays in, preallocated (T, N) arrays out.

Every kernel shares one contract, which `indicators.py` upholds:

- Arrays are float64 and C-ordered, time along axis 0 and symbols along axis 1. A kernel
  fills columns `lo:hi` of its outputs, every row, so callers can split the columns
  into blocks and run them on several threads (the kernels release the GIL).
- The outer loop runs over time and the inner loop over the symbols of one row, with
  one state vector per symbol, as vectorbt does. The inner loops use selects rather
  than branches, so LLVM vectorises them across symbols.
- Each column holds one run of bars: NaN before its first bar and after its last,
  none in between (`compact` makes any column so). Recursions leave their state
  untouched on a NaN row; windows look back by rows, which inside one run is by bars.
  An output is NaN on a NaN row and during the warm-up.
- The TA-Lib indicators repeat the floating-point operations of TA-Lib 0.8.1 in its
  order, fused multiply-adds included, so they are bit-equal to it, not merely close.
  The one exception is the Bollinger variance (see `rolling_variance`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

import numba
import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]
from numba.extending import intrinsic

from pulsewire._types import FloatArray

_Function = TypeVar("_Function", bound=Callable[..., Any])


def _kernel(function: _Function) -> _Function:
    # error_model="numpy": a division by zero gives inf or NaN instead of raising, and
    # the inner loops keep no branch for the check, so they vectorise.
    return cast(_Function, numba.njit(nogil=True, cache=True, error_model="numpy")(function))


@intrinsic
def _fused_multiply_add(
    typing_context: object, a: object, b: object, c: object
) -> tuple[object, object]:
    signature = numba.float64(numba.float64, numba.float64, numba.float64)

    def codegen(context: object, builder: Any, signature: object, arguments: Any) -> Any:
        double = ir.DoubleType()
        function = builder.module.declare_intrinsic(
            "llvm.fma", [double], ir.FunctionType(double, [double] * 3)
        )
        return builder.call(function, arguments)

    return signature, codegen


_fma = cast(Callable[[float, float, float], float], _fused_multiply_add)
"""`a * b + c` rounded once. TA-Lib 0.8.1's build fuses a multiply-add within one
expression (EMA, ATR) and numba never fuses, so this is how to land on the same bits."""


@_kernel
def single_runs(values: FloatArray, lo: int, hi: int) -> bool:
    """Return whether in every column of `lo:hi` the non-NaN values fill consecutive rows."""
    started = np.zeros(hi - lo, np.bool_)
    ended = np.zeros(hi - lo, np.bool_)
    gap = False
    for t in range(values.shape[0]):
        row = values[t, lo:hi]
        for j in range(hi - lo):
            ok = row[j] == row[j]
            gap |= ok & ended[j]
            ended[j] |= started[j] & ~ok
            started[j] |= ok
    return not gap


@_kernel
def compact(values: FloatArray, key: FloatArray, out: FloatArray, lo: int, hi: int) -> None:
    """Move each column of `lo:hi`'s values on rows where `key` is not NaN to the top of
    `out`."""
    filled = np.zeros(hi - lo, np.int64)
    out[:, lo:hi] = np.nan
    for t in range(values.shape[0]):
        keys = key[t, lo:hi]
        row = values[t, lo:hi]
        for j in range(hi - lo):
            if keys[j] == keys[j]:
                out[filled[j], lo + j] = row[j]
                filled[j] += 1


@_kernel
def expand(values: FloatArray, key: FloatArray, lo: int, hi: int) -> None:
    """Undo `compact` in place in columns `lo:hi`: move each column's top values down to
    the rows where `key` is not NaN, and NaN the other rows."""
    bars = np.zeros(hi - lo, np.int64)
    for t in range(key.shape[0]):
        keys = key[t, lo:hi]
        for j in range(hi - lo):
            bars[j] += keys[j] == keys[j]
    # A bar's row is never above its packed row, so walking up from the bottom each
    # value is read before its packed row is overwritten.
    for t in range(key.shape[0] - 1, -1, -1):
        keys = key[t, lo:hi]
        row = values[t, lo:hi]
        for j in range(hi - lo):
            if keys[j] == keys[j]:
                bars[j] -= 1
                row[j] = values[bars[j], lo + j]
            else:
                row[j] = np.nan


@_kernel
def sma(values: FloatArray, window: int, out: FloatArray, lo: int, hi: int) -> None:
    """Simple moving average, TA-Lib's way: add the new value, divide, drop the oldest."""
    seen = np.zeros(hi - lo, np.int64)
    total = np.zeros(hi - lo)
    for t in range(values.shape[0]):
        row = values[t, lo:hi]
        oldest = values[max(t - window + 1, 0), lo:hi]
        result = out[t, lo:hi]
        for j in range(hi - lo):
            v = row[j]
            ok = v == v
            n = seen[j] + ok
            seen[j] = n
            full = ok & (n >= window)
            added = total[j] + v
            result[j] = added / window if full else np.nan
            kept = added - oldest[j] if full else added
            total[j] = kept if ok else total[j]


@_kernel
def ema(values: FloatArray, window: int, out: FloatArray, lo: int, hi: int) -> None:
    """Exponential moving average seeded with the mean of the first `window` values."""
    k = 2.0 / (window + 1.0)
    seen = np.zeros(hi - lo, np.int64)
    state = np.zeros(hi - lo)
    for t in range(values.shape[0]):
        row = values[t, lo:hi]
        result = out[t, lo:hi]
        for j in range(hi - lo):
            v = row[j]
            ok = v == v
            n = seen[j] + ok
            seen[j] = n
            previous = state[j]
            added = previous + v
            smoothed = _fma(v - previous, k, previous)
            new = added if n < window else (added / window if n == window else smoothed)
            state[j] = new if ok else previous
            result[j] = new if ok & (n >= window) else np.nan


@_kernel
def macd(
    close: FloatArray,
    fast: int,
    slow: int,
    signal: int,
    line: FloatArray,
    signal_line: FloatArray,
    histogram: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """MACD as TA-Lib aligns it: both EMAs seeded on bar `slow - 1`, the fast one with the
    mean of its own window there; the signal seeded with the mean of the first `signal`
    MACD values."""
    k_fast = 2.0 / (fast + 1.0)
    k_slow = 2.0 / (slow + 1.0)
    k_signal = 2.0 / (signal + 1.0)
    seen = np.zeros(hi - lo, np.int64)
    fast_state = np.zeros(hi - lo)
    slow_state = np.zeros(hi - lo)
    signal_state = np.zeros(hi - lo)
    signal_seed = slow + signal - 1
    for t in range(close.shape[0]):
        row = close[t, lo:hi]
        line_row = line[t, lo:hi]
        signal_row = signal_line[t, lo:hi]
        histogram_row = histogram[t, lo:hi]
        for j in range(hi - lo):
            v = row[j]
            ok = v == v
            n = seen[j] + ok
            seen[j] = n
            s = slow_state[j]
            added = s + v
            new_slow = (
                added if n < slow else (added / slow if n == slow else _fma(v - s, k_slow, s))
            )
            f = fast_state[j]
            added = f + v
            new_fast = (
                added if n < slow else (added / fast if n == slow else _fma(v - f, k_fast, f))
            )
            new_fast = new_fast if n > slow - fast else f
            m = new_fast - new_slow
            g = signal_state[j]
            added = g + m
            new_signal = (
                added
                if n < signal_seed
                else (added / signal if n == signal_seed else _fma(m - g, k_signal, g))
            )
            new_signal = new_signal if n >= slow else g
            slow_state[j] = new_slow if ok else s
            fast_state[j] = new_fast if ok else f
            signal_state[j] = new_signal if ok else g
            line_row[j] = m if ok & (n >= slow) else np.nan
            signaled = ok & (n >= signal_seed)
            signal_row[j] = new_signal if signaled else np.nan
            histogram_row[j] = m - new_signal if signaled else np.nan


@_kernel
def rsi(close: FloatArray, window: int, out: FloatArray, lo: int, hi: int) -> None:
    """Wilder's RSI: the first averages are means of `window` changes, then Wilder smoothing.

    RSI is 50 while neither a gain nor a loss has been seen (0/0).
    """
    scale = 1.0 / window
    seen = np.zeros(hi - lo, np.int64)
    last = np.zeros(hi - lo)
    gain = np.zeros(hi - lo)
    loss = np.zeros(hi - lo)
    for t in range(close.shape[0]):
        row = close[t, lo:hi]
        result = out[t, lo:hi]
        for j in range(hi - lo):
            v = row[j]
            ok = v == v
            n = seen[j] + ok
            seen[j] = n
            change = v - last[j]
            up = change if change > 0.0 else 0.0
            down = up - change
            g = gain[j]
            h = loss[j]
            warm = n <= window + 1
            new_gain = g + up if warm else (g * (window - 1) + up) * scale
            new_loss = h + down if warm else (h * (window - 1) + down) * scale
            new_gain = new_gain * scale if n == window + 1 else new_gain
            new_loss = new_loss * scale if n == window + 1 else new_loss
            counted = ok & (n >= 2)
            gain[j] = new_gain if counted else g
            loss[j] = new_loss if counted else h
            last[j] = v if ok else last[j]
            total = new_gain + new_loss
            value = 100.0 * (new_gain / total) if total > 0.0 else 50.0
            result[j] = value if ok & (n > window) else np.nan


@_kernel
def _true_range(high: float, low: float, previous_close: float) -> float:
    # TA-Lib's TRUE_RANGE: high - low, unless a gap from the previous close is larger.
    greatest = high - low
    above = abs(high - previous_close)
    greatest = above if above > greatest else greatest
    below = abs(low - previous_close)
    return below if below > greatest else greatest


@_kernel
def atr(
    high: FloatArray,
    low: FloatArray,
    close: FloatArray,
    window: int,
    out: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """Average true range: the mean of the first `window` true ranges, then Wilder smoothing."""
    keep = (window - 1) / window
    take = 1.0 - keep
    seen = np.zeros(hi - lo, np.int64)
    last = np.zeros(hi - lo)
    state = np.zeros(hi - lo)
    for t in range(close.shape[0]):
        highs = high[t, lo:hi]
        lows = low[t, lo:hi]
        closes = close[t, lo:hi]
        result = out[t, lo:hi]
        for j in range(hi - lo):
            c = closes[j]
            ok = (c == c) & (highs[j] == highs[j]) & (lows[j] == lows[j])
            n = seen[j] + ok
            seen[j] = n
            tr = _true_range(highs[j], lows[j], last[j])
            a = state[j]
            summed = a + tr
            new = summed if n <= window else _fma(keep, a, take * tr)
            new = summed / window if n == window + 1 else new
            state[j] = new if ok & (n >= 2) else a
            last[j] = c if ok else last[j]
            result[j] = new if ok & (n > window) else np.nan


@_kernel
def atr_adx(
    high: FloatArray,
    low: FloatArray,
    close: FloatArray,
    window: int,
    average_range: FloatArray,
    out: FloatArray,
    plus_di: FloatArray,
    minus_di: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """ATR, ADX, +DI and -DI in one pass, as TA-Lib computes them.

    The prices are read once and each true range is taken once; ATR follows `atr`
    operation for operation, so its bits are the same.

    DM and TR are summed over the first `window - 1` changes, then smoothed with
    `previous - previous / window + current`; +DI and -DI start at bar `window`. The
    first ADX, at bar `2 * window - 1`, is the mean of the DX of the `window` bars before
    it and including it, then Wilder smoothing. A DX with a zero denominator is left out.
    """
    width = hi - lo
    seen = np.zeros(width, np.int64)
    last_high = np.zeros(width)
    last_low = np.zeros(width)
    last_close = np.zeros(width)
    plus_dm = np.zeros(width)
    minus_dm = np.zeros(width)
    range_state = np.zeros(width)
    adx_state = np.zeros(width)
    keep = (window - 1) / window
    take = 1.0 - keep
    atr_state = np.zeros(width)
    for t in range(close.shape[0]):
        highs = high[t, lo:hi]
        lows = low[t, lo:hi]
        closes = close[t, lo:hi]
        result = out[t, lo:hi]
        range_row = average_range[t, lo:hi]
        plus_row = plus_di[t, lo:hi]
        minus_row = minus_di[t, lo:hi]
        for j in range(width):
            h = highs[j]
            lw = lows[j]
            c = closes[j]
            ok = (c == c) & (h == h) & (lw == lw)
            n = seen[j] + ok
            seen[j] = n
            up = h - last_high[j]
            down = last_low[j] - lw
            minus_move = down if (down > 0.0) & (up < down) else 0.0
            plus_move = up if (up > 0.0) & (up > down) else 0.0
            tr = _true_range(h, lw, last_close[j])
            p = plus_dm[j]
            m = minus_dm[j]
            r = range_state[j]
            smoothing = n > window
            new_plus = (p - p / window if smoothing else p) + plus_move
            new_minus = (m - m / window if smoothing else m) + minus_move
            new_range = (r - r / window if smoothing else r) + tr
            plus_value = 100.0 * (new_plus / new_range) if new_range != 0.0 else 0.0
            minus_value = 100.0 * (new_minus / new_range) if new_range != 0.0 else 0.0
            di_sum = minus_value + plus_value
            defined = (new_range != 0.0) & (di_sum != 0.0)
            dx = 100.0 * (abs(minus_value - plus_value) / di_sum)
            a = adx_state[j]
            summed = a + dx if defined else a
            new_adx = summed if n < 2 * window else (a * (window - 1) + dx) / window
            new_adx = summed / window if n == 2 * window else new_adx
            new_adx = a if (n > 2 * window) & ~defined else new_adx
            counted = ok & (n >= 2)
            e = atr_state[j]
            summed_range = e + tr
            new_atr = summed_range if n <= window else _fma(keep, e, take * tr)
            new_atr = summed_range / window if n == window + 1 else new_atr
            atr_state[j] = new_atr if counted else e
            range_row[j] = new_atr if ok & (n > window) else np.nan
            plus_dm[j] = new_plus if counted else p
            minus_dm[j] = new_minus if counted else m
            range_state[j] = new_range if counted else r
            adx_state[j] = new_adx if ok & smoothing else a
            last_high[j] = h if ok else last_high[j]
            last_low[j] = lw if ok else last_low[j]
            last_close[j] = c if ok else last_close[j]
            result[j] = new_adx if ok & (n >= 2 * window) else np.nan
            plus_row[j] = plus_value if ok & smoothing else np.nan
            minus_row[j] = minus_value if ok & smoothing else np.nan


RESEED_WINDOWS: Final = 32
CANCELLATION: Final = 1e-6


@numba.njit(nogil=True, cache=True, error_model="numpy", inline="always")
def _variance_row(
    values: FloatArray,
    t: int,
    window: int,
    ddof: int,
    seen: Any,
    countdown: Any,
    due: Any,
    shift: FloatArray,
    sums: FloatArray,
    squares: FloatArray,
    result: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """Row `t` of `rolling_variance`, with the state vectors of `_variance_state`."""
    width = hi - lo
    interval = RESEED_WINDOWS * window
    row = values[t, lo:hi]
    oldest = values[max(t - window, 0), lo:hi]
    for j in range(width):
        v = row[j]
        ok = v == v
        n = seen[j] + ok
        seen[j] = n
        a = v if n == 1 else shift[j]
        d = v - a
        dropped = oldest[j] - a if n > window else 0.0
        new_sum = sums[j] + d - dropped
        new_squares = squares[j] + d * d - dropped * dropped
        shift[j] = a if ok else shift[j]
        sums[j] = new_sum if ok else sums[j]
        squares[j] = new_squares if ok else squares[j]
        spread = new_squares - new_sum * new_sum / window
        variance = spread / (window - ddof) if spread > 0.0 else 0.0
        result[j] = variance if ok & (n >= window) else np.nan
        left = countdown[j] - ok
        cancelled = spread < CANCELLATION * new_squares
        due[j] = ok & (n >= window) & ((left <= 0) | cancelled)
        countdown[j] = interval if due[j] else left
    for j in range(width):
        if due[j]:
            first = t - window + 1
            total = 0.0
            for i in range(first, t + 1):
                total += values[i, lo + j]
            a = total / window
            total = 0.0
            square = 0.0
            for i in range(first, t + 1):
                d = values[i, lo + j] - a
                total += d
                square += d * d
            shift[j] = a
            sums[j] = total
            squares[j] = square
            variance = (square - total * total / window) / (window - ddof)
            result[j] = variance if variance > 0.0 else 0.0


@_kernel
def _variance_state(
    window: int, width: int
) -> tuple[Any, Any, Any, FloatArray, FloatArray, FloatArray]:
    """Each symbol's bars seen, bars left until its next reseed, whether it reseeds on
    this row, shift, sum and sum of squares."""
    return (
        np.zeros(width, np.int64),
        np.full(width, RESEED_WINDOWS * window),
        np.zeros(width, np.bool_),
        np.zeros(width),
        np.zeros(width),
        np.zeros(width),
    )


@_kernel
def rolling_variance(
    values: FloatArray, window: int, ddof: int, out: FloatArray, lo: int, hi: int
) -> None:
    """Variance of the last `window` values, with divisor `window - ddof`.

    Running sums of the values less a shift are updated by adding the newest value and
    dropping the oldest. Every `RESEED_WINDOWS` windows of a symbol, and whenever
    `sum(d * d) - sum(d) ** 2 / window` has cancelled six of its digits, the shift
    becomes the window's mean and the sums are re-taken from the window, which bounds
    the drift of the running sums and the digits lost to cancellation, as TA-Lib does.
    """
    seen, countdown, due, shift, sums, squares = _variance_state(window, hi - lo)
    for t in range(values.shape[0]):
        _variance_row(
            values,
            t,
            window,
            ddof,
            seen,
            countdown,
            due,
            shift,
            sums,
            squares,
            out[t, lo:hi],
            lo,
            hi,
        )


@_kernel
def bollinger(
    close: FloatArray,
    window: int,
    deviations: float,
    middle: FloatArray,
    upper: FloatArray,
    lower: FloatArray,
    bandwidth: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """Bands `deviations` population standard deviations around the SMA, the middle band,
    and their width relative to it.

    One pass over the rows: each takes the `sma` step, the `rolling_variance` step (into
    the upper band) and then the bands, while the row is in cache.
    """
    width = hi - lo
    seen = np.zeros(width, np.int64)
    total = np.zeros(width)
    bars, countdown, due, shift, sums, squares = _variance_state(window, width)
    for t in range(close.shape[0]):
        row = close[t, lo:hi]
        leaving = close[max(t - window + 1, 0), lo:hi]
        mean = middle[t, lo:hi]
        upper_row = upper[t, lo:hi]
        lower_row = lower[t, lo:hi]
        width_row = bandwidth[t, lo:hi]
        for j in range(width):
            v = row[j]
            ok = v == v
            n = seen[j] + ok
            seen[j] = n
            full = ok & (n >= window)
            added = total[j] + v
            mean[j] = added / window if full else np.nan
            kept = added - leaving[j] if full else added
            total[j] = kept if ok else total[j]
        _variance_row(
            close, t, window, 0, bars, countdown, due, shift, sums, squares, upper_row, lo, hi
        )
        for j in range(width):
            spread = math.sqrt(upper_row[j]) * deviations
            top = mean[j] + spread
            bottom = mean[j] - spread
            upper_row[j] = top
            lower_row[j] = bottom
            width_row[j] = (top - bottom) / mean[j]


@_kernel
def realized_volatility(
    close: FloatArray,
    window: int,
    periods_per_year: FloatArray,
    returns: FloatArray,
    out: FloatArray,
    lo: int,
    hi: int,
) -> None:
    """Sample standard deviation (ddof 1) of the last `window` log returns, annualised.

    `periods_per_year` (N,) holds each column's bars in a year. `returns` is scratch
    space for the log returns. One pass over the rows: each takes its log returns, the
    `rolling_variance` step over them, then the square root.
    """
    scale = np.sqrt(periods_per_year[lo:hi])
    seen, countdown, due, shift, sums, squares = _variance_state(window, hi - lo)
    for t in range(close.shape[0]):
        row = close[t, lo:hi]
        previous = close[max(t - 1, 0), lo:hi]
        logs = returns[t, lo:hi]
        for j in range(hi - lo):
            logs[j] = math.log(row[j] / previous[j]) if t > 0 else np.nan
        result = out[t, lo:hi]
        _variance_row(
            returns, t, window, 1, seen, countdown, due, shift, sums, squares, result, lo, hi
        )
        for j in range(hi - lo):
            result[j] = math.sqrt(result[j]) * scale[j]


PERCENTILE_COLUMNS: Final = 64
"""Symbols whose trailing windows `percentile_rank` keeps at once: 64 windows of 252
values (padded to 256) take 128 KiB, which stay in a core's L2 cache from one row to
the next."""


@_kernel
def percentile_rank(values: FloatArray, window: int, out: FloatArray, lo: int, hi: int) -> None:
    """Share of the other `window - 1` values of the trailing window that are <= today's.

    Counting reads every symbol's window on every row, so the columns are taken a few at
    a time, every row of them, for their windows to stay in cache.
    """
    # Each symbol's last `window` values, contiguous so that counting them vectorises.
    # Padded with NaN, never <= anything, to a whole number of vectors: the count then
    # needs no scalar remainder loop.
    padded = -(-window // 32) * 32
    recent = np.full((PERCENTILE_COLUMNS, padded), np.nan)
    seen = np.zeros(PERCENTILE_COLUMNS, np.int64)
    for first in range(lo, hi, PERCENTILE_COLUMNS):
        last = min(first + PERCENTILE_COLUMNS, hi)
        seen[:] = 0
        for t in range(values.shape[0]):
            row = values[t, first:last]
            result = out[t, first:last]
            # A column's bars fill consecutive rows, so its n-th bar is on row
            # t - (t - n): the ring slot follows from the row, with one remainder a row.
            slot = t % window
            for j in range(last - first):
                v = row[j]
                rank = np.nan
                if v == v:
                    n = seen[j] + 1
                    seen[j] = n
                    recent[j, slot] = v
                    if n >= window:
                        at_most = 0
                        for i in range(padded):
                            at_most += recent[j, i] <= v
                        rank = (at_most - 1) / (window - 1)
                result[j] = rank


@_kernel
def count_below(values: FloatArray, window: int, out: FloatArray, lo: int, hi: int) -> None:
    """How many of the `window` values on rows t - window + 1..t are strictly below row t's.

    NaN unless all of them are finite. Unlike `percentile_rank`, which skips NaN rows
    and counts ties, the window runs over rows and a tie is not below; the columns are
    taken a few at a time in the same way, for their windows to stay in cache.
    """
    padded = -(-window // 32) * 32
    recent = np.full((PERCENTILE_COLUMNS, padded), np.nan)
    missing = np.zeros(PERCENTILE_COLUMNS, np.int64)
    for first in range(lo, hi, PERCENTILE_COLUMNS):
        last = min(first + PERCENTILE_COLUMNS, hi)
        recent[:, :] = np.nan
        missing[:] = window
        for t in range(values.shape[0]):
            row = values[t, first:last]
            result = out[t, first:last]
            slot = t % window
            for j in range(last - first):
                v = row[j] if math.isfinite(row[j]) else np.nan
                missing[j] += (v != v) - (recent[j, slot] != recent[j, slot])
                recent[j, slot] = v
                count = np.nan
                if missing[j] == 0:
                    below = 0
                    for i in range(padded):
                        below += recent[j, i] < v
                    count = below
                result[j] = count


@_kernel
def rolling_max(values: FloatArray, window: int, out: FloatArray, lo: int, hi: int) -> None:
    """Maximum over the last `window` bars, with van Herk's chunks: O(1) per bar.

    Rows are cut into chunks of `window`. A window ending on row t spans the tail of the
    previous chunk and the head of t's chunk: the max of the tail is that chunk's suffix
    maximum, kept when the chunk completed, and the max of the head is a running maximum.
    Both only ever cover rows of the window, so NaN rows before a symbol's first bar
    reach no output.
    """
    width = hi - lo
    seen = np.zeros(width, np.int64)
    head = np.full(width, np.nan)
    tails = np.full((window, width), np.nan)
    for t in range(values.shape[0]):
        row = values[t, lo:hi]
        result = out[t, lo:hi]
        position = t % window
        tail = tails[min(position + 1, window - 1)]
        for j in range(width):
            v = row[j]
            ok = v == v
            n = seen[j] + ok
            seen[j] = n
            h = head[j]
            h = v if (position == 0) | (v > h) else h
            head[j] = h
            m = tail[j]
            m = h if (position == window - 1) | (h > m) else m
            result[j] = m if ok & (n >= window) else np.nan
        if position == window - 1:
            later = row
            for q in range(window - 1, -1, -1):
                earlier = values[t - window + 1 + q, lo:hi]
                suffix = tails[q]
                for j in range(width):
                    a = earlier[j]
                    b = later[j]
                    suffix[j] = a if a >= b else b
                later = suffix


@_kernel
def volume_ratio(volume: FloatArray, window: int, out: FloatArray, lo: int, hi: int) -> None:
    """Today's volume over the mean volume of the `window` bars before today.

    The window's total is kept by adding the newest bar and dropping the oldest, which
    is exact for whole-number volumes.
    """
    seen = np.zeros(hi - lo, np.int64)
    total = np.zeros(hi - lo)
    for t in range(volume.shape[0]):
        row = volume[t, lo:hi]
        oldest = volume[max(t - window, 0), lo:hi]
        result = out[t, lo:hi]
        for j in range(hi - lo):
            v = row[j]
            ok = v == v
            n = seen[j] + ok
            seen[j] = n
            full = ok & (n > window)
            result[j] = v / (total[j] / window) if full else np.nan
            added = total[j] + v
            kept = added - oldest[j] if full else added
            total[j] = kept if ok else total[j]


@_kernel
def change(values: FloatArray, bars: int, out: FloatArray, lo: int, hi: int) -> None:
    """Relative change over `bars` bars: `values[t] / values[t - bars] - 1`."""
    seen = np.zeros(hi - lo, np.int64)
    for t in range(values.shape[0]):
        row = values[t, lo:hi]
        before = values[max(t - bars, 0), lo:hi]
        result = out[t, lo:hi]
        for j in range(hi - lo):
            v = row[j]
            ok = v == v
            n = seen[j] + ok
            seen[j] = n
            result[j] = v / before[j] - 1.0 if ok & (n > bars) else np.nan


@_kernel
def excess(values: FloatArray, reference: FloatArray, out: FloatArray, lo: int, hi: int) -> None:
    """Relative distance `values / reference - 1`, NaN where either is NaN."""
    for t in range(values.shape[0]):
        row = values[t, lo:hi]
        base = reference[t, lo:hi]
        result = out[t, lo:hi]
        for j in range(hi - lo):
            result[j] = row[j] / base[j] - 1.0


@_kernel
def _deviation(ordered: FloatArray, median: float, half: int, side: int, i: int) -> float:
    """Return the i-th smallest |value - median| of one half of a sorted window.

    Side 0 is the lower half, walked down from the middle; side 1 the upper, walked up.
    Outside a half it is -inf before it and +inf after it, so a merge needs no bounds.
    """
    if i < 0:
        return -np.inf
    if side == 0:
        return abs(ordered[half - 1 - i] - median) if i < half else np.inf
    return abs(ordered[half + i] - median) if half + i < ordered.size else np.inf


@_kernel
def robust_zscores(
    values: FloatArray, window: int, mad_to_sigma: float, out: FloatArray, lo: int, hi: int
) -> None:
    """(x - median) / (`mad_to_sigma` * MAD) against each column's `window` previous values.

    Unlike the other kernels this one skips NaN rows itself, so a column may have gaps.
    Each column keeps its window sorted (the oldest value moves to the new one's place).
    The median is the middle; the deviations of each half ascend away from the middle,
    so the MAD is a merge of two sorted lists, found by bisection. A median of an even
    count is `(a + b) / 2` of the two middle values, as `np.median` takes it, so scores
    are bit-equal to sorting every window.
    """
    ring = np.empty((hi - lo, window))
    ordered = np.empty((hi - lo, window))
    seen = np.zeros(hi - lo, np.int64)
    half, even = window // 2, window % 2 == 0
    for t in range(values.shape[0]):
        row = values[t, lo:hi]
        result = out[t, lo:hi]
        for j in range(hi - lo):
            v = row[j]
            result[j] = np.nan
            if not math.isfinite(v):
                continue
            n, sorted_ = seen[j], ordered[j]
            if n < window:
                at = n
            else:
                median = (sorted_[half - 1] + sorted_[half]) / 2 if even else sorted_[half]
                # The `half` smallest deviations take `low` from the lower half.
                low, high = 0, half
                while low < high:
                    mid = (low + high) // 2
                    if _deviation(sorted_, median, half, 0, mid) < _deviation(
                        sorted_, median, half, 1, half - 1 - mid
                    ):
                        low = mid + 1
                    else:
                        high = mid
                above = min(
                    _deviation(sorted_, median, half, 0, low),
                    _deviation(sorted_, median, half, 1, half - low),
                )
                below = max(
                    _deviation(sorted_, median, half, 0, low - 1),
                    _deviation(sorted_, median, half, 1, half - 1 - low),
                )
                scale = mad_to_sigma * ((below + above) / 2 if even else above)
                if scale > 0:
                    result[j] = (v - median) / scale
                at = np.searchsorted(sorted_, ring[j, n % window])
            size = min(n + 1, window)
            while at + 1 < size and sorted_[at + 1] < v:
                sorted_[at] = sorted_[at + 1]
                at += 1
            while at > 0 and sorted_[at - 1] > v:
                sorted_[at] = sorted_[at - 1]
                at -= 1
            sorted_[at] = v
            ring[j, n % window] = v
            seen[j] = n + 1
