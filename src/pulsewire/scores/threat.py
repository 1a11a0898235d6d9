"""Threat level 1-5: how likely a sharp move is soon, calibrated walk-forward.

A **sharp move** at row s: the absolute 5-bar forward log return exceeds 2 x the
trailing 20-bar daily volatility at s x sqrt(5) (`analysis.history`'s large move).

The **threat feature** is volatility compression, 1 - the percentile of 20-day realised
volatility within its trailing year: measured on the bundled history, sharp moves (in
units of the calm volatility itself) follow compressed volatility about three times as
often as stretched volatility.

**Calibration, walk-forward**: for each calendar year, the four cut points between
levels are the quintiles of the feature over every past bar whose outcome was already
known before the year began (its symbol's 5th next bar came before the year's first
row), pooled over the symbols; the predicted frequency of a level is the sharp-move
frequency of its bin in that same past. Nothing fitted for a year uses a bar of that
year or after it. A year without `MIN_FIT_ROWS` known past outcomes gets no level (0).

As a `Score`, Threat is 1 plus one component, volatility compression, worth the number
of cut points the feature passes (0-4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from pulsewire._types import DateArray, FloatArray, IntArray
from pulsewire.analysis.history import daily_volatility
from pulsewire.errors import DataError
from pulsewire.model.score import Component, Score

HORIZON: Final = 5
SIGMAS: Final = 2.0
VOLATILITY_WINDOW: Final = 20
LEVELS: Final = 5
MIN_FIT_ROWS: Final = 5_000

LevelArray = npt.NDArray[np.int8]


def sharp_moves(prices: FloatArray, forward: FloatArray) -> FloatArray:
    """Return 1 where a sharp move follows bar s, 0 where none does, NaN where unknown.

    `forward` is the `HORIZON`-bar forward log return of `prices` (`forward_log_return`),
    computed once by the caller that also needs it.
    """
    sigma = daily_volatility(prices, VOLATILITY_WINDOW)
    known = np.isfinite(sigma) & np.isfinite(forward)
    with np.errstate(invalid="ignore"):
        sharp = np.abs(forward) > SIGMAS * sigma * np.sqrt(HORIZON)
    return np.where(known, sharp.astype(np.float64), np.nan)


def threat_feature(volatility_percentile: FloatArray) -> FloatArray:
    """Return volatility compression, 1 - percentile: 1 is the calmest of the year."""
    return 1.0 - volatility_percentile


@dataclass(frozen=True, slots=True)
class ThreatFit:
    """One year's mapping: the cut points between levels and each level's past frequency."""

    year: int
    cuts: tuple[float, ...]
    rates: tuple[float, ...]
    rows: int
    counts: tuple[int, ...]
    """Past outcomes behind each level's rate: the n of "x% of past bars at this level"."""
    base_rate: float
    """Sharp-move frequency over all `rows`: what a level's rate is compared with."""


@dataclass(frozen=True)
class ThreatCalibration:
    """Levels (1-5, 0 = not calibrated) and their predicted sharp-move frequencies, (T, N)."""

    levels: LevelArray
    predicted: FloatArray
    fits: Mapping[int, ThreatFit]


def calibrate_threat(
    dates: DateArray,
    feature: FloatArray,
    outcome: FloatArray,
    known_at: IntArray,
    min_fit_rows: int = MIN_FIT_ROWS,
) -> ThreatCalibration:
    """Return walk-forward threat levels: each year's cut points fitted on earlier years only.

    Parameters
    ----------
    dates
        (T,) dates of the rows.
    feature
        (T, N) `threat_feature`, NaN where unknown.
    outcome
        (T, N) `sharp_moves`, NaN where unknown.
    known_at
        (T, N) row of each bar's `HORIZON`-th next bar (`lead_bar_rows`; -1: none yet),
        where its outcome becomes known.
    min_fit_rows
        Known past (feature, outcome) pairs a year needs before it gets levels.
    """
    levels = np.zeros(feature.shape, np.int8)
    predicted = np.full(feature.shape, np.nan)
    usable = np.isfinite(feature) & np.isfinite(outcome) & (known_at >= 0)
    fits: dict[int, ThreatFit] = {}
    years = dates.astype("datetime64[Y]")
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        start = int(rows[0])
        known = usable[:start] & (known_at[:start] < start)  # outcome seen before the year
        if known.sum() < min_fit_rows:
            continue
        x, y = feature[:start][known], outcome[:start][known]
        cuts = np.quantile(x, np.linspace(0, 1, LEVELS + 1)[1:-1])
        past_bins = np.searchsorted(cuts, x, side="right")
        rates = np.array([y[past_bins == k].mean() for k in range(LEVELS)])
        counts = tuple(int((past_bins == k).sum()) for k in range(LEVELS))
        now = feature[rows]
        bins = np.searchsorted(cuts, now, side="right")
        ready = np.isfinite(now)
        levels[rows] = np.where(ready, bins + 1, 0)
        predicted[rows] = np.where(ready, rates[np.minimum(bins, LEVELS - 1)], np.nan)
        fit = ThreatFit(
            int(str(year)),
            tuple(cuts.tolist()),
            tuple(rates.tolist()),
            len(x),
            counts,
            float(y.mean()),
        )
        fits[fit.year] = fit
    return ThreatCalibration(levels, predicted, fits)


def threat_score(
    symbol: str,
    as_of: dt.date,
    feature: FloatArray,
    calibration: ThreatCalibration,
    row: int,
    column: int,
) -> Score:
    """Return one symbol's Threat at one row: 1 plus the cut points its compression passes.

    Raises
    ------
    DataError
        If the row has no level (its year had too little history to fit on).
    """
    level = int(calibration.levels[row, column])
    fit = calibration.fits.get(as_of.year)
    if level == 0 or fit is None:
        raise DataError("as_of", as_of, f"{symbol} has no calibrated Threat on {as_of}")
    cuts = ", ".join(f"{cut:.2f}" for cut in fit.cuts)
    rule = f"+1 per cut point passed ({cuts}; fitted on {fit.rows:,} outcomes before {fit.year})"
    component = Component("volatility compression", float(feature[row, column]), rule, level - 1.0)
    return Score("Threat", symbol, as_of, float(level), f"{level}/{LEVELS}", 1.0, (component,))


@dataclass(frozen=True, slots=True)
class ReliabilityRow:
    """One threat level: what the calibration predicted and what then happened."""

    level: int
    predicted: float
    observed: float
    cases: int


def reliability(calibration: ThreatCalibration, outcome: FloatArray) -> tuple[ReliabilityRow, ...]:
    """Return, per level, the mean predicted frequency, the observed one and the cases."""
    known = np.isfinite(outcome) & (calibration.levels > 0)
    table = []
    for level in range(1, LEVELS + 1):
        cell = known & (calibration.levels == level)
        table.append(
            ReliabilityRow(
                level,
                float(calibration.predicted[cell].mean()) if cell.any() else np.nan,
                float(outcome[cell].mean()) if cell.any() else np.nan,
                int(cell.sum()),
            )
        )
    return tuple(table)
