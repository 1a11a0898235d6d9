"""Threat level 1-5: the chance of a sharp move within 5 sessions, fitted walk-forward.

A **sharp move** after bar s: the absolute 5-bar forward log return exceeds
``SIGMAS x long-run daily volatility x sqrt(5)``, where the long-run volatility is the
median of the symbol's 20-day daily volatility over its last three years of bars,
known at s (`long_run_volatility`). The yardstick is the symbol's normal, not the last
few weeks: in a storm the same move is far likelier than in a calm.

**Inputs**: three log ratios to the long-run volatility, clipped to +-`CLIP`: 20-day
volatility (the storm now), the 5-bar mean high-low range (a storm starting, with the
intraday stress that closes hide) and the day's opening gap; and compression, 1 - the
percentile of 20-day volatility in its year (a calm that tends to end). Each was kept
for the walk-forward Brier skill it adds on the bundle; 5-day volatility, the VIX and
the calendar were tried and left out (CALIBRATION.md measures them all).

**Fit**: each calendar year, a logistic regression per peer group (`groups.py`) and one
pooled over every symbol, both on non-overlapping cases (every 5th bar of each symbol)
whose outcome was known before the year's first row. A group is scored with its own fit
only once its own fits have beaten the pooled one on the group's earlier years, out of
sample; otherwise, and for a symbol of no group, with the pooled fit, said so. Nothing
fitted for a year reads a bar of that year or after it.

**Levels** are bands of the predicted chance, the same for every group:
1 below 3%, 2 below 6%, 3 below 12%, 4 below 24%, 5 from 24%.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from pulsewire._types import BoolArray, DateArray, FloatArray, IntArray
from pulsewire.analysis.history import LONG_RUN_YEARS, daily_volatility, long_run_volatility
from pulsewire.analysis.indicators import sma
from pulsewire.analysis.rows import at_rows, lagged_bar_rows
from pulsewire.errors import DataError
from pulsewire.model.panel import Panel
from pulsewire.model.score import Component, Score
from pulsewire.model.universe import sessions_per_year
from pulsewire.scores.groups import GROUP_NAMES, POOLED, group_codes

HORIZON: Final = 5
SIGMAS: Final = 2.0
LEVELS: Final = 5
BANDS: Final = (0.03, 0.06, 0.12, 0.24)
"""Upper bounds of the chance at levels 1-4; level 5 is everything from the last."""
CLIP: Final = 3.0
"""Inputs are clipped to e^-3..e^3 times the long-run volatility: a frozen bar's zero
range or a data spike cannot throw the fit."""
MIN_FIT_CASES: Final = 500
"""Known non-overlapping past cases a fit needs."""
MIN_CHOICE_CASES: Final = 1_000
"""Out-of-sample cases of a group on which its own fit must beat the pooled one."""
RIDGE: Final = 1e-3
MAX_STEP: Final = 2.0
"""Largest change of any weight in one Newton step."""

FEATURES: Final = {
    "20-day volatility": "log(20-day volatility / long-run)",
    "5-day range": "log(mean high-low range of 5 bars / long-run)",
    "gap": "log(|log(open / previous close)| / long-run)",
    "compression": "1 - percentile of 20-day volatility in its year",
}
"""Each input's name and how it is computed."""
RATIOS: Final = tuple(FEATURES)[:3]
"""The inputs that are log ratios to the long-run volatility (a reader sees "2.1x")."""

LevelArray = npt.NDArray[np.int8]


@dataclass(frozen=True)
class ThreatInputs:
    """What Threat reads, (T, N) each: the long-run daily volatility and the log ratios."""

    long_run: FloatArray
    features: dict[str, FloatArray]


def threat_inputs(panel: Panel, volatility_percentile: FloatArray) -> ThreatInputs:
    """Return the long-run volatility and `FEATURES`, each known at its bar's close."""
    window = np.array([LONG_RUN_YEARS * sessions_per_year(s) for s in panel.symbols], dtype=np.intp)
    daily = daily_volatility(panel.adj_close, 20)
    long_run = long_run_volatility(daily, window)
    with np.errstate(invalid="ignore", divide="ignore"):
        previous = at_rows(panel.close, lagged_bar_rows(np.isfinite(panel.close), 1))
        sizes = (
            daily,
            sma(np.log(panel.high / panel.low), HORIZON),
            np.abs(np.log(panel.open / previous)),
        )
        features = {
            name: np.clip(np.log(size / long_run), -CLIP, CLIP)
            for name, size in zip(RATIOS, sizes, strict=True)
        }
    features["compression"] = 1.0 - volatility_percentile
    for values in features.values():
        values[~np.isfinite(long_run)] = np.nan
    return ThreatInputs(long_run, features)


def sharp_moves(forward: FloatArray, long_run: FloatArray) -> FloatArray:
    """Return 1 where a sharp move follows bar s, 0 where none does, NaN where unknown.

    `forward` is the `HORIZON`-bar forward log return, computed once by the caller.
    """
    known = np.isfinite(long_run) & np.isfinite(forward)
    with np.errstate(invalid="ignore"):
        sharp = np.abs(forward) > sharp_threshold(long_run)
    return np.where(known, sharp.astype(np.float64), np.nan)


def sharp_threshold(long_run: FloatArray) -> FloatArray:
    """Return the absolute 5-bar log return beyond which a move is sharp."""
    limit: FloatArray = SIGMAS * long_run * math.sqrt(HORIZON)
    return limit


def threat_level(probability: FloatArray) -> LevelArray:
    """Return the level (1-5) of each chance by `BANDS`, 0 where there is none."""
    levels = np.searchsorted(np.array(BANDS), probability, side="right") + 1
    return np.where(np.isfinite(probability), levels, 0).astype(np.int8)


@dataclass(frozen=True, slots=True)
class ThreatFit:
    """One group's logistic fit for one year: log-odds = w0 + sum w_i (x_i - center_i) / scale_i."""

    group: str
    year: int
    weights: tuple[float, ...]
    center: tuple[float, ...]
    scale: tuple[float, ...]
    cases: int
    """Non-overlapping past cases it was fitted on."""
    base_rate: float
    """Their sharp-move frequency."""

    def parts(self, values: npt.ArrayLike) -> FloatArray:
        """Return each input's contribution to the log-odds, (..., k) for values (..., k)."""
        x = np.asarray(values, dtype=np.float64)
        parts: FloatArray = (
            np.array(self.weights[1:]) * (x - np.array(self.center)) / np.array(self.scale)
        )
        return parts

    def probability(self, values: npt.ArrayLike) -> FloatArray:
        """Return the fitted chance of a sharp move for inputs (..., k)."""
        return _logistic(self.weights[0] + self.parts(values).sum(axis=-1))


@dataclass(frozen=True, slots=True)
class ThreatRecord:
    """What followed a group's past readings at one level, out of sample, non-overlapping."""

    group: str
    level: int
    year: int
    cases: int
    """Past readings at this level with an outcome known before `year`."""
    sharp: int
    """Of them, those followed by a sharp move."""
    all_cases: int
    """Past readings at any level: the base rate's n."""
    all_sharp: int

    @property
    def frequency(self) -> float:
        return self.sharp / self.cases if self.cases else math.nan

    @property
    def base_rate(self) -> float:
        return self.all_sharp / self.all_cases if self.all_cases else math.nan


@dataclass(frozen=True)
class ThreatCalibration:
    """Levels (1-5, 0 = not fitted), chances and the fits behind them, (T, N)."""

    levels: LevelArray
    predicted: FloatArray
    own_fit: BoolArray
    """Where a group's own fit gave the chance (else the pooled fit)."""
    fits: Mapping[tuple[str, int], ThreatFit]
    """Every year's fit of each group and of `POOLED`, by (group, year)."""
    records: Mapping[tuple[str, int], tuple[ThreatRecord, ...]]
    """By (group or `POOLED`, year): the record per level known at the year's start."""


def _logistic(log_odds: FloatArray) -> FloatArray:
    """Return 1 / (1 + e^-x), written with tanh so that no log-odds overflows."""
    chance: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * log_odds))
    return chance


def _fit_logistic(x: FloatArray, y: FloatArray, start: FloatArray | None) -> FloatArray:
    """Return ridge-logistic weights (intercept first) by damped Newton steps.

    A handful of parameters on thousands of cases: Newton converges in a few steps,
    exactly and deterministically, and a warm start from last year's fit needs fewer.
    The ridge (intercept included) keeps a sample without a single sharp move, or one
    that a single input separates, at a finite optimum; capped steps keep the way there.
    """
    design = np.column_stack([np.ones(len(x)), x])
    weights = np.zeros(design.shape[1]) if start is None else start.copy()
    penalty = RIDGE * np.eye(design.shape[1])
    for _ in range(100):
        chance = _logistic(design @ weights)
        hessian = design.T @ (design * (chance * (1.0 - chance))[:, None]) + penalty
        step = np.linalg.solve(hessian, design.T @ (y - chance) - penalty @ weights)
        step *= min(1.0, MAX_STEP / max(float(np.abs(step).max()), 1e-300))
        weights += step
        if np.abs(step).max() < 1e-9:
            break
    return weights


def _fit(
    group: str, year: int, x: FloatArray, y: FloatArray, previous: ThreatFit | None
) -> ThreatFit:
    center, scale = x.mean(axis=0), x.std(axis=0) + 1e-12
    start = None if previous is None else np.array(previous.weights)
    weights = _fit_logistic((x - center) / scale, y, start)
    return ThreatFit(
        group,
        year,
        tuple(weights.tolist()),
        tuple(center.tolist()),
        tuple(scale.tolist()),
        len(y),
        float(y.mean()),
    )


def _brier(predicted: FloatArray, outcome: FloatArray) -> float:
    return float(np.mean((predicted - outcome) ** 2))


def calibrate_threat(
    dates: DateArray,
    symbols: tuple[str, ...],
    inputs: ThreatInputs,
    outcome: FloatArray,
    known_at: IntArray,
    cases: BoolArray,
) -> ThreatCalibration:
    """Return walk-forward Threat: each year's fits read outcomes known before it only.

    Parameters
    ----------
    dates, symbols
        The panel's (T,) dates and (N,) symbols.
    inputs
        `threat_inputs` of the panel.
    outcome
        (T, N) `sharp_moves`, NaN where unknown.
    known_at
        (T, N) row of each bar's `HORIZON`-th next bar (-1: none yet): its outcome is
        known from that row on.
    cases
        (T, N) the non-overlapping bars a fit and a record count (every `HORIZON`-th).
    """
    x = np.stack(list(inputs.features.values()), axis=-1)  # (T, N, k)
    ready: BoolArray = np.asarray(np.isfinite(x).all(axis=-1))
    codes = group_codes(symbols)
    # The cases, in the order their outcomes become known: those known before a year's
    # first row are a prefix of this table.
    case_rows, case_columns = np.nonzero(ready & np.isfinite(outcome) & (known_at >= 0) & cases)
    order = np.argsort(known_at[case_rows, case_columns], kind="stable")
    case_rows, case_columns = case_rows[order], case_columns[order]
    case_known = known_at[case_rows, case_columns]
    case_x, case_y = x[case_rows, case_columns], outcome[case_rows, case_columns]
    case_group = codes[case_columns]
    members = {POOLED: np.ones(len(symbols), bool)} | {
        g: codes == i for i, g in enumerate(GROUP_NAMES)
    }
    levels = np.zeros(ready.shape, np.int8)
    predicted = np.full(ready.shape, np.nan)
    own_fit = np.zeros(ready.shape, bool)
    chances = {kind: np.full(ready.shape, np.nan) for kind in ("pooled", "own")}
    fits: dict[tuple[str, int], ThreatFit] = {}
    records: dict[tuple[str, int], tuple[ThreatRecord, ...]] = {}
    last: dict[str, ThreatFit] = {}
    years = dates.astype("datetime64[Y]")
    for year_value in np.unique(years):
        rows = np.flatnonzero(years == year_value)
        start, year = int(rows[0]), int(str(year_value))
        known = int(np.searchsorted(case_known, start, side="left"))
        past_rows, past_columns = case_rows[:known], case_columns[:known]
        past_levels = levels[past_rows, past_columns]
        for index, group in enumerate((POOLED, *GROUP_NAMES)):
            mine = np.ones(known, bool) if group == POOLED else case_group[:known] == index - 1
            records[group, year] = _records(group, year, past_levels[mine], case_y[:known][mine])
            if mine.sum() < MIN_FIT_CASES:
                continue
            fit = _fit(group, year, case_x[:known][mine], case_y[:known][mine], last.get(group))
            fits[group, year] = last[group] = fit
            columns = np.flatnonzero(members[group])
            target = chances["pooled" if group == POOLED else "own"]
            target[rows[:, None], columns] = fit.probability(x[rows][:, columns])
        chance = chances["pooled"][rows].copy()
        for index in range(len(GROUP_NAMES)):
            mine = case_group[:known] == index
            own = chances["own"][past_rows[mine], past_columns[mine]]
            pooled = chances["pooled"][past_rows[mine], past_columns[mine]]
            if _own_is_better(own, pooled, case_y[:known][mine]):
                columns = np.flatnonzero(codes == index)
                chance[:, columns] = chances["own"][rows][:, columns]
                own_fit[rows[:, None], columns] = np.isfinite(chance[:, columns])
        chance[np.logical_not(ready[rows])] = np.nan
        predicted[rows] = chance
        levels[rows] = threat_level(chance)
    return ThreatCalibration(levels, predicted, own_fit, fits, records)


def _own_is_better(own: FloatArray, pooled: FloatArray, outcome: FloatArray) -> bool:
    """Whether a group's own fits beat the pooled ones on its known past cases, out of sample."""
    both = np.isfinite(own) & np.isfinite(pooled)
    if both.sum() < MIN_CHOICE_CASES:
        return False
    return _brier(own[both], outcome[both]) < _brier(pooled[both], outcome[both])


def _records(
    group: str, year: int, levels: LevelArray, outcome: FloatArray
) -> tuple[ThreatRecord, ...]:
    """Return per level what followed the group's past readings (outcomes known by the year)."""
    read = levels > 0
    sharp = read & (outcome == 1.0)
    all_cases, all_sharp = int(read.sum()), int(sharp.sum())
    return tuple(
        ThreatRecord(
            group,
            level,
            year,
            int((read & (levels == level)).sum()),
            int((sharp & (levels == level)).sum()),
            all_cases,
            all_sharp,
        )
        for level in range(1, LEVELS + 1)
    )


def threat_score(
    symbol: str, as_of: dt.date, calibration: ThreatCalibration, row: int, column: int
) -> Score:
    """Return one symbol's Threat at one row: 1 plus the bands its chance passes.

    Raises
    ------
    DataError
        If the row has no level (too little history to fit on yet).
    """
    level = int(calibration.levels[row, column])
    if level == 0:
        raise DataError("as_of", as_of, f"{symbol} has no calibrated Threat on {as_of}")
    bands = ", ".join(f"{band:.0%}" for band in BANDS)
    chance = float(calibration.predicted[row, column])
    component = Component(
        "chance of a sharp move", chance, f"+1 per band passed ({bands})", level - 1.0
    )
    return Score("Threat", symbol, as_of, float(level), f"{level}/{LEVELS}", 1.0, (component,))


@dataclass(frozen=True, slots=True)
class ThreatReading:
    """Why Threat reads what it does at one close: the fit, each input's part, the record."""

    probability: float
    move: float
    """The size of a sharp move here, as a simple return: exp(threshold) - 1."""
    fit: ThreatFit
    own: bool
    """Whether the symbol's group's own fit gave the chance (else the pooled fit)."""
    values: dict[str, float]
    """Each input as a reader reads it: a plain ratio to the long-run volatility (1.0 is
    normal), compression as a share."""
    parts: dict[str, float]
    """Each input's contribution to the log-odds."""
    record: ThreatRecord | None
    """Past readings at today's level in the symbol's group (pooled for no group)."""

    def _shown(self, name: str) -> str:
        value = self.values[name]
        return f"{value:.1f}x" if name in RATIOS else f"{value:.1%}"

    def explain(self) -> str:
        """Return the chance in one line: the fit's base log-odds plus each input's part."""
        terms = " ".join(
            f"{'-' if part < 0 else '+'} {name} {self._shown(name)} {abs(part):.1f}"
            for name, part in self.parts.items()
        )
        return (
            f"chance {self.probability:.1%} = logistic({self.fit.weights[0]:.1f} {terms}), "
            f"{self.fit.group} fit on {self.fit.cases:,} earlier cases"
        )


def threat_reading(
    symbol_group: str | None,
    inputs: ThreatInputs,
    calibration: ThreatCalibration,
    year: int,
    row: int,
    column: int,
) -> ThreatReading | None:
    """Return the reading behind a cell's Threat, None where it has no level."""
    level = int(calibration.levels[row, column])
    if level == 0:
        return None
    own = bool(calibration.own_fit[row, column]) and symbol_group is not None
    fit = calibration.fits[symbol_group if own else POOLED, year]  # type: ignore[index]
    values = np.array([inputs.features[name][row, column] for name in FEATURES])
    records = calibration.records.get((symbol_group or POOLED, year), ())
    record = next((r for r in records if r.level == level and r.cases), None)
    limit = float(sharp_threshold(inputs.long_run[row, column]))
    return ThreatReading(
        probability=float(calibration.predicted[row, column]),
        move=math.expm1(limit),
        fit=fit,
        own=own,
        values={
            name: math.exp(v) if name in RATIOS else v
            for name, v in zip(FEATURES, values.tolist(), strict=True)
        },
        parts=dict(zip(FEATURES, fit.parts(values).tolist(), strict=True)),
        record=record,
    )


@dataclass(frozen=True, slots=True)
class ReliabilityRow:
    """One threat level: what the calibration predicted and what then happened."""

    level: int
    predicted: float
    observed: float
    cases: int


def reliability(
    levels: LevelArray, predicted: FloatArray, outcome: FloatArray, counted: BoolArray
) -> tuple[ReliabilityRow, ...]:
    """Return, per level, the mean chance, the observed frequency and the cases counted.

    Pass the non-overlapping `cases` as `counted` for an n of independent windows per
    symbol, not of bars that share four of their five days.
    """
    known = counted & np.isfinite(outcome) & (levels > 0)
    table = []
    for level in range(1, LEVELS + 1):
        cell = known & (levels == level)
        table.append(
            ReliabilityRow(
                level,
                float(predicted[cell].mean()) if cell.any() else np.nan,
                float(outcome[cell].mean()) if cell.any() else np.nan,
                int(cell.sum()),
            )
        )
    return tuple(table)


def brier_skill(
    levels: LevelArray, predicted: FloatArray, outcome: FloatArray, counted: BoolArray
) -> tuple[float, float, int]:
    """Return (Brier score, skill against climatology, cases) over the `counted` scored cells.

    Climatology forecasts the cases' own observed frequency, known only afterwards:
    the harder yardstick.
    """
    known = counted & np.isfinite(outcome) & (levels > 0)
    p, y = predicted[known], outcome[known]
    if not y.size:
        return math.nan, math.nan, 0
    brier = _brier(p, y)
    climatology = _brier(np.full(y.size, y.mean()), y)
    return brier, 1.0 - brier / climatology if climatology else math.nan, int(y.size)
