"""Data quality: stale and frozen series, calendar gaps, broken OHLC and outlier returns.

The kernels take (time x symbols) arrays, NaN where a symbol has no bar, and work on
each symbol's own bars: a symbol's previous bar is its last earlier row with a bar, not
the panel's previous row (crypto adds weekend rows where ETFs are NaN).
`assess_quality` turns them into typed findings (`pulsewire.model.quality`) as of `now`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from pulsewire._types import BoolArray, DateArray, FloatArray
from pulsewire.analysis import _kernels
from pulsewire.analysis.rows import as_date, at_rows, lagged_bar_rows, log_returns
from pulsewire.analysis.sessions import (
    last_closed_session,
    sessions_between,
    sessions_in,
)
from pulsewire.errors import DataError
from pulsewire.model import Panel, calendar_for
from pulsewire.model.bar import OHLC_TOLERANCE, high_below_body, low_above_body
from pulsewire.model.quality import (
    Finding,
    FrozenRun,
    Gap,
    OhlcInconsistency,
    OhlcRule,
    Outlier,
    Stale,
)

MIN_FROZEN_BARS: Final = 3
"""Bars with one price (the repeated bar and its copies) that make a frozen run.

A bar is a copy when its close equals the previous close and either its open, high and
low equal the previous bar's too, or it is flat (open = high = low = close): the two
ways a feed that stopped updating fills a session. Over the full history of the 28
bundled series a copy is never followed by another copy, while runs of three or four
equal closes alone occur 38 times (HYG 2026-01-12..15, UUP 2012-12-21..27, ...): closes
alone would call a quiet bond or dollar ETF frozen, two copies in a row would not.
"""

OUTLIER_WINDOW: Final = 252
"""Past daily log returns (about a year of sessions) that set a return's robust scale."""

OUTLIER_THRESHOLD: Final = 8.0
"""|robust z| above which a daily return is an outlier.

For normal returns |z| > 8 has probability ~1e-15; a bad print or an unadjusted split
(a 2:1 split is a log return of -0.69) scores in the tens or hundreds. Fat tails still
put real crash and rebound days above 8 (2008-10, 2020-03, 2025-04-09): an outlier is a
return to verify against the market, not proof of bad data.
"""

MAD_TO_SIGMA: Final = 1.4826
"""Scale that makes the median absolute deviation of normal data equal its sigma."""


def robust_zscores(values: FloatArray, window: int) -> FloatArray:
    """Return each value's robust z-score against the `window` values before it.

    z = (x - median) / (`MAD_TO_SIGMA` * MAD) over the column's previous `window`
    finite values, so a score uses only the past.

    Parameters
    ----------
    values
        (T, N), NaN where there is no value.
    window
        How many earlier values set the median and the median absolute deviation.

    Returns
    -------
    FloatArray
        (T, N); NaN where there is no value, during the first `window` values of a
        column, and where the MAD is 0 (no scale).
    """
    if window < 2:
        raise DataError("window", window, "must be at least 2")
    scores = np.empty(values.shape)
    _kernels.robust_zscores(
        np.ascontiguousarray(values, dtype=np.float64),
        window,
        MAD_TO_SIGMA,
        scores,
        0,
        values.shape[1],
    )
    return scores


def copied_bars(
    open_: FloatArray, high: FloatArray, low: FloatArray, close: FloatArray
) -> BoolArray:
    """Return where a bar carries no new price: a copy of the symbol's previous bar.

    A copy has the previous close and either the previous open, high and low, or
    open = high = low = close (a flat fill). See `MIN_FROZEN_BARS`.

    Returns
    -------
    BoolArray
        (T, N); False where there is no bar or no previous bar.
    """
    previous = lagged_bar_rows(np.isfinite(close), 1)
    same_close = close == at_rows(close, previous)
    repeated = (
        (open_ == at_rows(open_, previous))
        & (high == at_rows(high, previous))
        & (low == at_rows(low, previous))
    )
    flat = (open_ == close) & (high == close) & (low == close)
    copied: BoolArray = same_close & (repeated | flat)
    return copied


def ohlc_violations(
    open_: FloatArray, high: FloatArray, low: FloatArray, close: FloatArray
) -> dict[OhlcRule, BoolArray]:
    """Return, for each `OhlcRule`, where a bar breaks it beyond `OHLC_TOLERANCE`.

    Returns
    -------
    dict[OhlcRule, BoolArray]
        (T, N) masks; NaN prices break no rule.
    """
    return {
        OhlcRule.HIGH_BELOW_BODY: high_below_body(open_, high, close),
        OhlcRule.LOW_ABOVE_BODY: low_above_body(open_, low, close),
        OhlcRule.HIGH_BELOW_LOW: high < low * (1 - OHLC_TOLERANCE),
    }


@dataclass(frozen=True)
class QualityReport:
    """Findings per symbol as of `now`, every panel symbol a key (an empty tuple if clean).

    Each symbol's findings come as Stale, Gap, FrozenRun, OhlcInconsistency, Outlier,
    each kind in date order.
    """

    now: dt.datetime
    findings: Mapping[str, tuple[Finding, ...]]

    def stale(self, symbol: str) -> Stale | None:
        """Return `symbol`'s `Stale` finding, or None when its data is current."""
        return next((f for f in self.findings[symbol] if isinstance(f, Stale)), None)


def _runs(mask: BoolArray) -> list[tuple[int, int]]:
    """Return the (start, stop) index pairs of the runs of True in a 1-D mask."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()
    return list(zip(starts, stops, strict=True))


def _calendar_findings(
    symbol: str, dates: DateArray, copied: BoolArray, now: dt.datetime, min_frozen_bars: int
) -> list[Finding]:
    """Return the Stale, Gap and FrozenRun findings of one symbol's bars (`dates` ascending)."""
    calendar = calendar_for(symbol)
    first, last = as_date(dates[0]), as_date(dates[-1])
    expected = sessions_in(calendar, first, last)
    # Both ascending and unique: a session is missing where `dates` has not got it at
    # its sorted place (`np.isin` would hash both arrays for every symbol).
    place = np.minimum(np.searchsorted(dates, expected), dates.size - 1)
    gaps = [
        Gap(symbol, as_date(expected[a]), as_date(expected[b - 1]), b - a)
        for a, b in _runs(dates[place] != expected)
    ]
    # A run of copies from a to b repeats the bar at a - 1: that bar starts the run.
    frozen = [
        FrozenRun(symbol, as_date(dates[a - 1]), as_date(dates[b - 1]), b - a + 1)
        for a, b in _runs(copied)
        if b - a + 1 >= min_frozen_bars
    ]
    since = frozen[-1].first if frozen and frozen[-1].last == last else last
    due = last_closed_session(calendar, now)
    behind = sessions_between(calendar, last, due)
    stale = [Stale(symbol, since, last, due, behind)] if since < last or behind else []
    return [*stale, *gaps, *frozen]


@dataclass(frozen=True)
class QualityMarks:
    """What each bar of a panel says about its data, whatever the moment of the assessment.

    Every mark uses only its bar and the bars before it, so the findings as of any `now`
    are these marks read up to each symbol's last closed session: one pass over a
    panel serves every date (`findings`).
    """

    panel: Panel
    min_frozen_bars: int
    outlier_threshold: float
    copied: BoolArray
    broken: Mapping[OhlcRule, BoolArray]
    returns: FloatArray
    scores: FloatArray

    @classmethod
    def compute(
        cls,
        panel: Panel,
        *,
        min_frozen_bars: int = MIN_FROZEN_BARS,
        outlier_window: int = OUTLIER_WINDOW,
        outlier_threshold: float = OUTLIER_THRESHOLD,
    ) -> QualityMarks:
        """Mark copied bars, broken bars and return z-scores; parameters as `assess_quality`.

        Raises
        ------
        DataError
            If a parameter is out of its range.
        """
        if min_frozen_bars < 2:
            raise DataError("min_frozen_bars", min_frozen_bars, "must be at least 2")
        if outlier_window < 2:
            raise DataError("outlier_window", outlier_window, "must be at least 2")
        if not outlier_threshold > 0:
            raise DataError("outlier_threshold", outlier_threshold, "must be above 0")
        bars = (panel.open, panel.high, panel.low, panel.close)
        returns = log_returns(panel.close)
        return cls(
            panel,
            min_frozen_bars,
            outlier_threshold,
            copied_bars(*bars),
            ohlc_violations(*bars),
            returns,
            robust_zscores(returns, outlier_window),
        )

    def findings(self, symbol: str, now: dt.datetime) -> tuple[Finding, ...]:
        """Return `symbol`'s findings as of `now`, from its bars complete by then.

        Raises
        ------
        DataError
            If `symbol` is not in the panel.
        ValueError
            If `now` is naive.
        """
        panel, j = self.panel, self.panel.column(symbol)
        due = np.datetime64(last_closed_session(calendar_for(symbol), now), "D")
        stop = int(np.searchsorted(panel.dates, due, side="right"))
        rows = np.flatnonzero(np.isfinite(panel.close[:stop, j]))
        if rows.size == 0:
            return ()
        found = _calendar_findings(
            symbol, panel.dates[rows], self.copied[rows, j], now, self.min_frozen_bars
        )
        found += [
            OhlcInconsistency(
                symbol,
                as_date(panel.dates[t]),
                float(panel.open[t, j]),
                float(panel.high[t, j]),
                float(panel.low[t, j]),
                float(panel.close[t, j]),
                tuple(rule for rule, mask in self.broken.items() if mask[t, j]),
            )
            for t in rows[np.any([mask[rows, j] for mask in self.broken.values()], axis=0)]
        ]
        found += [
            Outlier(
                symbol, as_date(panel.dates[t]), float(self.returns[t, j]), float(self.scores[t, j])
            )
            for t in rows[np.abs(self.scores[rows, j]) > self.outlier_threshold]
        ]
        return tuple(found)


def assess_quality(
    panel: Panel,
    now: dt.datetime,
    *,
    min_frozen_bars: int = MIN_FROZEN_BARS,
    outlier_window: int = OUTLIER_WINDOW,
    outlier_threshold: float = OUTLIER_THRESHOLD,
) -> QualityReport:
    """Return the data quality findings of every symbol of `panel` as of `now`.

    Only bars complete at `now` count: a symbol's bars dated after its calendar's last
    closed session at `now` (`last_closed_session`) are ignored, so a report as of
    `now` is the same whatever the panel holds after it. Findings:

    - `Stale`: the last bar lags the last closed session, or the last `min_frozen_bars`
      or more bars carry one price; `since` is the last bar that was news.
    - `Gap`: runs of sessions of the symbol's calendar (`calendar_for`) with no bar,
      between its first and last bar. Bars on non-sessions are not findings.
    - `FrozenRun`: every run of `min_frozen_bars` or more bars with one price.
    - `OhlcInconsistency`: bars breaking an `OhlcRule`.
    - `Outlier`: closes whose daily log return has |robust z| > `outlier_threshold`
      against the `outlier_window` returns before it (`robust_zscores`).

    Parameters
    ----------
    panel
        Daily bars; closes are raw (split-adjusted) prices, as traded.
    now
        Timezone-aware moment of the assessment.
    min_frozen_bars
        Bars with one price that make a frozen run, at least 2 (`MIN_FROZEN_BARS`).
    outlier_window
        Past returns that set the robust scale, at least 2 (`OUTLIER_WINDOW`).
    outlier_threshold
        |z| above which a return is an outlier, above 0 (`OUTLIER_THRESHOLD`).

    Returns
    -------
    QualityReport
        The findings of every symbol.

    Raises
    ------
    DataError
        If a parameter is out of its range.
    ValueError
        If `now` is naive.
    """
    marks = QualityMarks.compute(
        panel,
        min_frozen_bars=min_frozen_bars,
        outlier_window=outlier_window,
        outlier_threshold=outlier_threshold,
    )
    return QualityReport(now, {symbol: marks.findings(symbol, now) for symbol in panel.symbols})
