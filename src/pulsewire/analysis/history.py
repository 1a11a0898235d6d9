"""Measured history: what followed the past days on which a condition held.

Every "historically..." sentence is backed by a count from here. Returns and volatility
step through each symbol's own bars (NaN rows are skipped), but cases are spaced in
rows, so pass a panel on the symbol's own sessions. With prices ``p``
(adjusted closes, so that a dividend is not a move) and ``h = horizon``:

- daily log return: ``r[s] = log(p[s] / p[s-1])``;
- trailing volatility: ``v[s]`` = sample standard deviation (ddof=1) of the
  `volatility_window` returns ``r[s-w+1..s]``, known at the close of ``s``;
- forward return: ``f[s] = log(p[s+h] / p[s])``;
- large move after ``s``: ``|f[s]| > sigmas * v[s] * sqrt(h)``, a move beyond `sigmas`
  standard deviations of an h-bar random walk with the volatility of the weeks before
  ``s``.

As of row ``t`` the panel is cut after ``t`` before anything is computed, so a day
``s`` counts only when ``s + h <= t``: its outcome was known at ``t``. The condition
must itself be causal (the builders here are). Successive condition days share most of
their forward window; the rates and the interval use only non-overlapping cases (see
`HistoryResult`), and a claim also needs enough distinct episodes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import bottleneck  # type: ignore[import-untyped]
import numpy as np

from pulsewire._types import BoolArray, DateArray, FloatArray, IntArray
from pulsewire.analysis import _kernels
from pulsewire.analysis.indicators import realized_volatility
from pulsewire.analysis.rows import as_date, at_rows, bar_rows, lead_bar_rows
from pulsewire.errors import DataError, check_at_least
from pulsewire.model.history import HistoryResult
from pulsewire.model.panel import Panel

__all__ = [
    "LONG_RUN_YEARS",
    "OwnBarsHistory",
    "calm_volatility",
    "daily_volatility",
    "forward_log_return",
    "long_run_volatility",
    "measure_history",
    "measure_universe",
    "rsi_above",
]

LONG_RUN_YEARS: Final = 3
"""Years of a symbol's bars in its long-run volatility: long enough to hold a storm and
the calm around it, so a crash is measured against the symbol's normal (Threat's
yardstick, and the day's move in long-run sigmas)."""


def daily_volatility(close: FloatArray, window: int = 20) -> FloatArray:
    """Return the sample standard deviation of the last `window` daily log returns.

    This is `realized_volatility` not annualised: the large-move yardstick of one day.

    Parameters
    ----------
    close
        Prices (T, N), NaN where there is no bar (such rows are skipped).
    window
        Number of returns, at least 2; the first value is on bar `window`.

    Returns
    -------
    FloatArray
        Daily (not annualised) volatility (T, N).

    Raises
    ------
    DataError
        If `window` is below 2.
    """
    return realized_volatility(close, window, periods_per_year=1.0)


def long_run_volatility(daily: FloatArray, window: IntArray) -> FloatArray:
    """Return the median of the last `window[j]` values of each column's `daily` volatility.

    The yardstick of a *sharp* move: a storm's own volatility would call a crash
    ordinary, so moves are measured against years of the symbol's normal. Values are
    known at each bar (the window ends there) and need a third of the window.

    Parameters
    ----------
    daily
        (T, N) `daily_volatility`; NaN rows are skipped, so windows count bars.
    window
        (N,) values per median, at least 3: e.g. three years of each symbol's sessions.
    """
    if window.shape != (daily.shape[1],) or (window < 3).any():
        raise DataError("window", window, f"needs {daily.shape[1]} window lengths of at least 3")
    rows = bar_rows(np.isfinite(daily))
    packed = at_rows(daily, rows)
    out = np.full(daily.shape, np.nan)
    for length in np.unique(window):
        columns = np.flatnonzero(window == length)
        # bottleneck wants a window no longer than the series: a shorter panel (a young
        # store) is padded after its end, which changes no value before it.
        values = packed[:, columns]
        padded = np.vstack([values, np.full((max(length - len(values), 0), columns.size), np.nan)])
        medians = bottleneck.move_median(padded, int(length), min_count=int(length) // 3, axis=0)[
            : len(values)
        ]
        at = rows[:, columns]
        own = at >= 0
        out[at[own], np.broadcast_to(columns, at.shape)[own]] = medians[own]
    return out


def forward_log_return(close: FloatArray, horizon: int) -> FloatArray:
    """Return the log return from each bar to the symbol's bar `horizon` bars later.

    Parameters
    ----------
    close
        Prices (T, N), NaN where there is no bar (such rows are skipped).
    horizon
        Number of the symbol's own bars ahead, at least 1; NaN where there are fewer.

    Returns
    -------
    FloatArray
        ``log(close[lead] / close[s])`` (T, N), `lead` being the row `horizon` bars later.

    Raises
    ------
    DataError
        If `horizon` is below 1.
    """
    return lead_and_forward(close, horizon)[1]


def lead_and_forward(close: FloatArray, horizon: int) -> tuple[IntArray, FloatArray]:
    """Return the row `horizon` bars after each bar (-1: none) and the log return to it.

    One pass for both: the row says from which close the return is known.
    """
    check_at_least("horizon", horizon, 1)
    lead = lead_bar_rows(np.isfinite(close), horizon)
    with np.errstate(invalid="ignore", divide="ignore"):
        return lead, np.log(at_rows(close, lead) / close)


def calm_volatility(
    close: FloatArray, window: int = 20, lookback: int = 252, decile: float = 0.1
) -> BoolArray:
    """Return where realised volatility is in the bottom `decile` of its trailing `lookback`.

    Row ``s`` is calm when fewer than ``decile * lookback`` of the `lookback` values of
    `daily_volatility` ending at ``s`` (``s`` included) lie strictly below today's: with
    the defaults, today's 20-day volatility is among the lowest 26 of the last 252.

    Parameters
    ----------
    close
        Prices (T, N), NaN where there is no bar.
    window
        Returns per volatility value, at least 2.
    lookback
        Volatility values to rank against, at least 2; a row needs all of them.
    decile
        Share of the trailing values that may lie below today's, in (0, 1).

    Returns
    -------
    BoolArray
        (T, N); False during the ``window + lookback - 1`` warm-up rows and wherever
        a volatility value in the trailing range is NaN.

    Raises
    ------
    DataError
        If `window` or `lookback` is below 2 or `decile` is outside (0, 1).
    """
    check_at_least("lookback", lookback, 2)
    if not 0 < decile < 1:
        raise DataError("decile", decile, f"decile={decile} is outside (0, 1)")
    below = np.empty(close.shape)
    _kernels.count_below(daily_volatility(close, window), lookback, below, 0, close.shape[1])
    calm: BoolArray = below < decile * lookback
    return calm


def rsi_above(rsi: FloatArray, level: float = 70.0) -> BoolArray:
    """Return where the RSI is strictly above `level` (overbought by default).

    Parameters
    ----------
    rsi
        RSI values (T, N) in [0, 100], NaN during warm-up.
    level
        Threshold in [0, 100].

    Returns
    -------
    BoolArray
        (T, N); False where the RSI is NaN.

    Raises
    ------
    DataError
        If `level` is outside [0, 100].
    """
    if not 0 <= level <= 100:
        raise DataError("level", level, f"level={level} is outside [0, 100]")
    return np.greater(rsi, level)


def _non_overlapping(qualifying: BoolArray, horizon: int) -> tuple[IntArray, IntArray]:
    """Pick cases greedily from the earliest: each at least `horizon` rows after the last.

    Return the rows and, per row, the first pooled column that qualifies there (the
    symbol before its peers). Appending rows never changes earlier picks.
    """
    picks: list[int] = []
    # Plain ints: a numpy call per pick costs more than stepping over every row.
    for row in np.flatnonzero(qualifying.any(axis=1)).tolist():
        if not picks or row >= picks[-1] + horizon:
            picks.append(row)
    picked = np.array(picks, dtype=np.intp)
    return picked, qualifying[picked].argmax(axis=1)


@dataclass(frozen=True, slots=True)
class _Outcomes:
    """Forward outcomes of every row of a panel, where their windows end, and the definitions."""

    forward: FloatArray
    lead: IntArray
    known: BoolArray
    large: BoolArray
    horizon: int
    volatility_window: int
    sigmas: float

    @classmethod
    def measure(
        cls,
        close: FloatArray,
        horizon: int,
        volatility_window: int,
        sigmas: float,
    ) -> _Outcomes:
        check_at_least("volatility_window", volatility_window, 2)
        if not (np.isfinite(sigmas) and sigmas > 0):
            raise DataError("sigmas", sigmas, f"sigmas={sigmas} is not a positive number")
        lead, forward = lead_and_forward(close, horizon)
        scale = sigmas * np.sqrt(horizon) * daily_volatility(close, volatility_window)
        known = np.isfinite(forward) & (scale > 0)
        large = known & (np.abs(forward) > scale)
        return cls(forward, lead, known, large, horizon, volatility_window, sigmas)

    def until(self, column: int, stop: int) -> _Outcomes:
        """Return one column's outcomes as known at row `stop`: windows that ended before it.

        This equals measuring the column cut after `stop - 1`, as every input of an
        outcome other than its end is causal.
        """
        cut = slice(0, stop), slice(column, column + 1)
        ended = self.lead[cut] < stop
        return _Outcomes(
            self.forward[cut],
            self.lead[cut],
            self.known[cut] & ended,
            self.large[cut] & ended,
            self.horizon,
            self.volatility_window,
            self.sigmas,
        )

    def summarise(
        self,
        dates: DateArray,
        symbols: tuple[str, ...],
        columns: list[int],
        condition: BoolArray,
        description: str,
    ) -> HistoryResult:
        """Return the result of the pool `columns` (the symbol first) under `condition`.

        `dates` are those of the rows, the last being the as-of date.
        """
        forward = self.forward[:, columns]
        known = self.known[:, columns]
        large = self.large[:, columns]
        up = known & (forward > 0)
        qualifying = condition[:, columns] & known
        starts = qualifying.copy()
        starts[1:] &= ~qualifying[:-1]
        rows, pooled = _non_overlapping(qualifying, self.horizon)
        returns = forward[rows, pooled]
        has_cases = rows.size > 0
        return HistoryResult(
            symbols=symbols,
            condition=description,
            as_of=as_date(dates[-1]),
            horizon=self.horizon,
            volatility_window=self.volatility_window,
            sigmas=self.sigmas,
            condition_days=int(qualifying.sum()),
            episodes=int(starts.sum()),
            cases=int(rows.size),
            large_moves=int(large[rows, pooled].sum()),
            up_moves=int(up[rows, pooled].sum()),
            mean_return=float(returns.mean()) if has_cases else np.nan,
            median_return=float(np.median(returns)) if has_cases else np.nan,
            base_days=int(known.sum()),
            base_large_moves=int(large.sum()),
            base_up_moves=int(up.sum()),
            first_date=as_date(dates[rows[0]]) if has_cases else None,
            last_date=as_date(dates[rows[-1]]) if has_cases else None,
            holds_at_as_of=bool(condition[-1, columns[0]]),
        )


def _rows_until(panel: Panel, condition: BoolArray, as_of: dt.date) -> int:
    """Check `condition` against `panel` and return the number of rows known at `as_of`."""
    if condition.shape != panel.close.shape or condition.dtype != np.bool_:
        raise DataError(
            "condition",
            (condition.shape, condition.dtype),
            f"is not a boolean array of shape {panel.close.shape}",
        )
    stop = int(np.searchsorted(panel.dates, np.datetime64(as_of, "D"), side="right"))
    if stop == 0:
        raise DataError("as_of", as_of, f"{as_of} is before the first date of the panel")
    return stop


def measure_history(
    panel: Panel,
    condition: BoolArray,
    *,
    symbol: str,
    as_of: dt.date,
    horizon: int,
    description: str,
    peers: Sequence[str] = (),
    volatility_window: int = 20,
    sigmas: float = 2.0,
) -> HistoryResult:
    """Return what followed the past days on which `condition` held for `symbol`.

    Only rows up to `as_of` are read: the answer does not change when later bars are
    altered or removed. Returns are taken on `panel.adj_close`.

    Parameters
    ----------
    panel
        Bars on the symbol's sessions (rows are bars).
    condition
        (T, N) boolean, True where the condition holds; it must use only data up to
        its row.
    symbol
        The symbol the sentence is about; `condition` at `as_of` is read in its column.
    as_of
        The last date whose close is known; the last panel row on or before it is used.
    horizon
        Forward window in bars, at least 1.
    description
        The condition in words, as the writer may quote it.
    peers
        Symbols pooled with `symbol` to lengthen its history; at most one case per
        forward window is taken across the pool, the symbol's own first.
    volatility_window
        Returns in the trailing volatility that sizes a large move, at least 2.
    sigmas
        Size of a large move in trailing standard deviations, positive.

    Returns
    -------
    HistoryResult
        Counts, rates, interval and verdict; see `HistoryResult.claim`.

    Raises
    ------
    DataError
        If a symbol is unknown or repeated, `condition` does not match the panel,
        `as_of` is before the panel, or a parameter is out of its range.
    """
    stop = _rows_until(panel, condition, as_of)
    pool = (symbol, *peers)
    if len(set(pool)) != len(pool):
        raise DataError("peers", tuple(peers), f"repeats a symbol of {pool}")
    columns = [panel.column(name) for name in pool]
    outcomes = _Outcomes.measure(
        panel.adj_close[:stop, columns], horizon, volatility_window, sigmas
    )
    return outcomes.summarise(
        panel.dates[:stop], pool, list(range(len(pool))), condition[:stop, columns], description
    )


def measure_universe(
    panel: Panel,
    condition: BoolArray,
    *,
    as_of: dt.date,
    horizon: int,
    description: str,
    volatility_window: int = 20,
    sigmas: float = 2.0,
) -> tuple[HistoryResult, ...]:
    """Return `measure_history` of every symbol of `panel` on its own, in panel order.

    The outcome arrays are computed once for the whole panel; only the choice of
    non-overlapping cases runs per symbol.

    Parameters
    ----------
    panel
        Bars on a shared session axis (rows are bars).
    condition
        (T, N) boolean, True where the condition holds, causal.
    as_of
        The last date whose close is known.
    horizon
        Forward window in bars, at least 1.
    description
        The condition in words.
    volatility_window
        Returns in the trailing volatility that sizes a large move, at least 2.
    sigmas
        Size of a large move in trailing standard deviations, positive.

    Returns
    -------
    tuple[HistoryResult, ...]
        One result per symbol of `panel`.

    Raises
    ------
    DataError
        If `condition` does not match the panel, `as_of` is before the panel, or a
        parameter is out of its range.
    """
    stop = _rows_until(panel, condition, as_of)
    outcomes = _Outcomes.measure(panel.adj_close[:stop], horizon, volatility_window, sigmas)
    return tuple(
        outcomes.summarise(panel.dates[:stop], (name,), [column], condition[:stop], description)
        for column, name in enumerate(panel.symbols)
    )


@dataclass(frozen=True)
class OwnBarsHistory:
    """What followed a condition, for every symbol of a panel as of any date, on its own bars.

    `measure_history` wants a panel on one symbol's sessions and measures it per call.
    Here each symbol's bars are packed to the top of its column (`bar_rows`: row k is
    its bar k, as on its own sessions), the condition and the outcomes of every horizon
    are measured once for all symbols, and `at` reads one symbol as of one date,
    counting only forward windows that ended by then: the result of `measure_history`
    on the symbol's own panel cut at that date.
    """

    panel: Panel
    rows: IntArray
    condition: BoolArray
    description: str
    outcomes: tuple[_Outcomes, ...]

    @classmethod
    def measure(
        cls,
        panel: Panel,
        condition: Callable[[FloatArray], BoolArray],
        *,
        horizons: Sequence[int],
        description: str,
        volatility_window: int = 20,
        sigmas: float = 2.0,
    ) -> OwnBarsHistory:
        """Measure `condition` over every symbol of `panel`, one result per horizon.

        Parameters
        ----------
        panel
            Daily bars; a symbol's bars are its rows with a close, returns are taken on
            `adj_close`.
        condition
            Maps packed adjusted closes (T, N) to where the condition holds; it must be
            causal and work column by column (`calm_volatility` does).
        horizons
            Forward windows in bars, each at least 1.
        description
            The condition in words, as the writer may quote it.
        volatility_window, sigmas
            As in `measure_history`.

        Raises
        ------
        DataError
            If a parameter is out of its range.
        """
        rows = bar_rows(np.isfinite(panel.close))
        close = at_rows(panel.adj_close, rows)
        return cls(
            panel,
            rows,
            condition(close),
            description,
            tuple(_Outcomes.measure(close, h, volatility_window, sigmas) for h in horizons),
        )

    def at(self, symbol: str, as_of: dt.date) -> tuple[HistoryResult, ...]:
        """Return `symbol`'s results as of its last bar on or before `as_of`, per horizon.

        Raises
        ------
        DataError
            If `symbol` is not in the panel or has no bar by `as_of`.
        """
        column = self.panel.column(symbol)
        rows = self.rows[:, column]
        rows = rows[rows >= 0]
        end = np.searchsorted(self.panel.dates, np.datetime64(as_of, "D"), side="right")
        stop = int(np.searchsorted(rows, end))
        if stop == 0:
            raise DataError("as_of", as_of, f"{symbol} has no bar on or before {as_of}")
        dates = self.panel.dates[rows[:stop]]
        condition = self.condition[:stop, column : column + 1]
        return tuple(
            outcomes.until(column, stop).summarise(
                dates, (symbol,), [0], condition, self.description
            )
            for outcomes in self.outcomes
        )
