"""The calibration report: what each score claims, checked against what followed.

Pure: it takes a `ScoreBoard` and returns tables and their Markdown/JSON; the CLI writes
them. Everything is walk-forward: each Threat fit and each Conviction record reads only
outcomes known before the bar it scores, so every figure here is out of sample.
Pulse's cut-offs (40/60) were set before this report existed and are not tuned on it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from typing import Any, Final

import numpy as np

from pulsewire._json import json_safe
from pulsewire._types import BoolArray, FloatArray
from pulsewire.analysis.history import (
    LONG_RUN_YEARS,
    daily_volatility,
    forward_log_return,
    long_run_volatility,
)
from pulsewire.analysis.rows import as_date, at_rows, last_bar_rows
from pulsewire.model.history import Z_95, wilson_interval
from pulsewire.scores.board import ScoreBoard
from pulsewire.scores.conviction import HIGH_FROM, LOW_BELOW, MIN_CASES, POINTS_PER_Z, STATES
from pulsewire.scores.groups import GROUP_NAMES, POOLED, group_codes
from pulsewire.scores.pulse import BEARISH_BELOW, BULLISH_ABOVE
from pulsewire.scores.threat import (
    BANDS,
    CLIP,
    FEATURES,
    HORIZON,
    MIN_CHOICE_CASES,
    SIGMAS,
    ReliabilityRow,
    ThreatCalibration,
    ThreatInputs,
    brier_skill,
    calibrate_threat,
    reliability,
)

PULSE_HORIZONS = (5, 20)
CANDIDATES: Final = ("5-day volatility", "VIX", "release within 5 days")
"""Inputs tried beside `FEATURES` and left out: the report measures each."""


@dataclass(frozen=True, slots=True)
class Skill:
    """Brier score and skill against climatology, over every scored bar and over cases."""

    bars: int
    brier: float
    skill: float
    cases: int
    """Non-overlapping cases (every 5th bar of each symbol)."""
    case_brier: float
    case_skill: float


@dataclass(frozen=True, slots=True)
class ThreatGroup:
    """Threat on one peer group: reliability by level, skill, and the years of its own fit."""

    group: str
    symbols: tuple[str, ...]
    reliability: tuple[ReliabilityRow, ...]
    skill: Skill
    own_years: tuple[int, ...]
    """Years scored with the group's own fit; the others used the pooled fit."""


@dataclass(frozen=True, slots=True)
class InputTrial:
    """Threat refitted walk-forward on one set of inputs: skill pooled and per group."""

    inputs: tuple[str, ...]
    chosen: bool
    pooled: float
    groups: dict[str, float]


@dataclass(frozen=True, slots=True)
class ConvictionBand:
    """Calls in one Conviction band: how often they moved the lean's way, against the base."""

    band: str
    calls: int
    share: float
    hits: int
    rate: float
    low: float
    high: float
    base_rate: float
    """Mean base rate of the calls' groups when each was made: the no-skill hit rate."""


@dataclass(frozen=True, slots=True)
class StateRecord:
    """The record of one state in one group at the panel's last bar."""

    group: str
    state: str
    cases: int
    hit_rate: float
    base_rate: float
    z: float
    verdict: str


@dataclass(frozen=True, slots=True)
class PulseBucket:
    """Forward log returns after one Pulse label, on non-overlapping bars (every h-th)."""

    label: str
    horizon: int
    cases: int
    mean_return: float
    mean_low: float
    mean_high: float
    up_share: float
    up_low: float
    up_high: float


@dataclass(frozen=True)
class CalibrationReport:
    """What the scores claim, checked against what the bundled history did next."""

    symbols: tuple[str, ...]
    first: dt.date
    last: dt.date
    threat: tuple[ReliabilityRow, ...]
    threat_skill: Skill
    threat_groups: tuple[ThreatGroup, ...]
    trials: tuple[InputTrial, ...]
    conviction: tuple[ConvictionBand, ...]
    states: tuple[StateRecord, ...]
    pulse: tuple[PulseBucket, ...]


def _skill(
    board: ScoreBoard, predicted: FloatArray, levels: np.ndarray, columns: BoolArray
) -> Skill:
    outcome, has_bar = board.sharp_moves[:, columns], np.isfinite(board.panel.adj_close[:, columns])
    every = brier_skill(levels[:, columns], predicted[:, columns], outcome, has_bar)
    cases = brier_skill(levels[:, columns], predicted[:, columns], outcome, board.cases[:, columns])
    return Skill(every[2], every[0], every[1], cases[2], cases[0], cases[1])


def _candidates(board: ScoreBoard) -> dict[str, FloatArray]:
    """Return the inputs tried and left out, each in the form Threat's inputs take."""
    panel, long_run = board.panel, board.threat_inputs.long_run
    found = {"release within 5 days": (board.risk_inputs["event"] <= 5).astype(float)}
    with np.errstate(invalid="ignore", divide="ignore"):
        burst = daily_volatility(panel.adj_close, HORIZON) / long_run
        found["5-day volatility"] = np.clip(np.log(burst), -CLIP, CLIP)
        if "VIX" in panel:
            vix = panel.close[:, [panel.column("VIX")]]
            median = long_run_volatility(vix, np.array([LONG_RUN_YEARS * 252]))
            rows = last_bar_rows(np.isfinite(vix))
            ratio = np.log(at_rows(vix, rows) / at_rows(median, rows))
            found["VIX"] = np.broadcast_to(np.clip(ratio, -CLIP, CLIP), panel.close.shape)
    ready = np.isfinite(long_run)
    return {name: np.where(ready, values, np.nan) for name, values in found.items()}


def _trials(board: ScoreBoard) -> tuple[InputTrial, ...]:
    """Refit Threat on the chosen inputs, each one dropped, and each candidate added."""
    chosen = board.threat_inputs.features
    extra = _candidates(board)
    sets = [tuple(FEATURES)]
    sets += [tuple(n for n in FEATURES if n != dropped) for dropped in FEATURES]
    sets += [(*FEATURES, name) for name in CANDIDATES if name in extra]
    every = {**chosen, **extra}
    codes = group_codes(board.panel.symbols)
    found = []
    for names in sets:
        inputs = ThreatInputs(board.threat_inputs.long_run, {n: every[n] for n in names})
        fitted = calibrate_threat(
            board.panel.dates,
            board.panel.symbols,
            inputs,
            board.sharp_moves,
            board.known_at,
            board.cases,
        )

        def skill(columns: BoolArray, fitted: ThreatCalibration = fitted) -> float:
            return _skill(board, fitted.predicted, fitted.levels, columns).skill

        found.append(
            InputTrial(
                names,
                names == tuple(FEATURES),
                skill(np.ones(codes.size, bool)),
                {g: skill(codes == i) for i, g in enumerate(GROUP_NAMES) if (codes == i).any()},
            )
        )
    return tuple(found)


def _threat_groups(board: ScoreBoard) -> tuple[ThreatGroup, ...]:
    threat, codes = board.threat, group_codes(board.panel.symbols)
    years = board.panel.dates.astype("datetime64[Y]").astype(int) + 1970
    found = []
    for index, group in enumerate((*GROUP_NAMES, POOLED)):
        columns = codes == index if group != POOLED else codes < 0
        if not columns.any():
            continue
        own = threat.own_fit[:, columns].any(axis=1)
        found.append(
            ThreatGroup(
                group,
                tuple(s for s, c in zip(board.panel.symbols, columns, strict=True) if c),
                reliability(
                    threat.levels[:, columns],
                    threat.predicted[:, columns],
                    board.sharp_moves[:, columns],
                    board.cases[:, columns],
                ),
                _skill(board, threat.predicted, threat.levels, columns),
                tuple(sorted({int(y) for y in years[own]})),
            )
        )
    return tuple(found)


def _conviction_bands(board: ScoreBoard) -> tuple[ConvictionBand, ...]:
    codes = group_codes(board.panel.symbols)
    calls = board.cases & (board.states >= 0) & np.isfinite(board.forward) & (board.known_at >= 0)
    up = board.records.calls_up(board.states, codes)
    base = board.records.base_rates(up, codes)
    with np.errstate(invalid="ignore"):
        hit = np.where(up, board.forward > 0, board.forward < 0)
    value = board.conviction
    bands = {
        "Low": value < LOW_BELOW,
        "Moderate": (value >= LOW_BELOW) & (value < HIGH_FROM),
        "High": value >= HIGH_FROM,
    }
    total = int(calls.sum())
    found = []
    for band, mask in bands.items():
        cell = calls & mask & np.isfinite(base)
        n, hits = int(cell.sum()), int(hit[cell].sum())
        low, high = wilson_interval(hits, n)
        found.append(
            ConvictionBand(
                band,
                n,
                n / total if total else math.nan,
                hits,
                hits / n if n else math.nan,
                low,
                high,
                float(base[cell].mean()) if n else math.nan,
            )
        )
    return tuple(found)


def _states(board: ScoreBoard) -> tuple[StateRecord, ...]:
    last = board.panel.dates.size - 1
    found = []
    for group in board.records.groups:
        for index, state in enumerate(STATES):
            record = board.records.at(last, group if group != POOLED else None, index)
            found.append(
                StateRecord(
                    group,
                    state,
                    record.cases,
                    record.hit_rate,
                    record.base_rate,
                    record.z,
                    record.verdict,
                )
            )
    return tuple(found)


def _buckets(values: np.ndarray, prices: np.ndarray) -> list[PulseBucket]:
    has_bar = np.isfinite(prices)
    number = np.cumsum(has_bar, axis=0) - 1
    found = []
    labels = {
        "Bearish": values < BEARISH_BELOW,
        "Neutral": (values >= BEARISH_BELOW) & (values <= BULLISH_ABOVE),
        "Bullish": values > BULLISH_ABOVE,
    }
    for horizon in PULSE_HORIZONS:
        forward = forward_log_return(prices, horizon)
        spaced = has_bar & (number % horizon == 0)  # one case per h bars: no overlap
        for label, mask in labels.items():
            sample = forward[mask & spaced & np.isfinite(forward) & np.isfinite(values)]
            n = int(sample.size)
            mean = float(sample.mean()) if n else math.nan
            half = Z_95 * float(sample.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
            ups = int((sample > 0).sum())
            low, high = wilson_interval(ups, n)
            found.append(
                PulseBucket(
                    label,
                    horizon,
                    n,
                    mean,
                    mean - half,
                    mean + half,
                    ups / n if n else math.nan,
                    low,
                    high,
                )
            )
    return found


def calibration_report(board: ScoreBoard) -> CalibrationReport:
    """Return every score's walk-forward record over a board."""
    panel, threat = board.panel, board.threat
    every = np.ones(len(panel.symbols), bool)
    return CalibrationReport(
        panel.symbols,
        as_date(panel.dates[0]),
        as_date(panel.dates[-1]),
        reliability(threat.levels, threat.predicted, board.sharp_moves, board.cases),
        _skill(board, threat.predicted, threat.levels, every),
        _threat_groups(board),
        _trials(board),
        _conviction_bands(board),
        _states(board),
        tuple(_buckets(board.pulse, panel.adj_close)),
    )


def _pct(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2%}"


def _reliability_table(rows: tuple[ReliabilityRow, ...]) -> list[str]:
    return [
        "| level | predicted | observed | n |",
        "| --- | --- | --- | --- |",
        *(f"| {r.level} | {_pct(r.predicted)} | {_pct(r.observed)} | {r.cases:,} |" for r in rows),
        "",
    ]


def _skill_line(skill: Skill) -> str:
    return (
        f"Brier {skill.brier:.4f}, skill **{_pct(skill.skill)}** over {skill.bars:,} scored bars; "
        f"on the {skill.cases:,} non-overlapping cases, Brier {skill.case_brier:.4f}, "
        f"skill {_pct(skill.case_skill)}."
    )


def _years(years: tuple[int, ...]) -> str:
    if not years:
        return "never: always the pooled fit"
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def to_markdown(report: CalibrationReport, command: str) -> str:
    """Return the report as the Markdown of CALIBRATION.md."""
    bands = " / ".join(f"{b:.0%}" for b in BANDS)
    groups = []
    for group in report.threat_groups:
        groups += [
            f"### {group.group} ({', '.join(group.symbols)})",
            "",
            f"Own fit used in: {_years(group.own_years)}. " + _skill_line(group.skill),
            "",
            *_reliability_table(group.reliability),
        ]
    trial_groups = [g for g in GROUP_NAMES if any(g in t.groups for t in report.trials)]
    trials = [
        "| inputs | pooled | " + " | ".join(trial_groups) + " |",
        "| --- | --- | " + " | ".join("---" for _ in trial_groups) + " |",
        *(
            f"| {'**' if t.chosen else ''}{' + '.join(t.inputs)}{'**' if t.chosen else ''} | "
            f"{_pct(t.pooled)} | "
            + " | ".join(_pct(t.groups.get(g, math.nan)) for g in trial_groups)
            + " |"
            for t in report.trials
        ),
        "",
    ]
    lines = [
        "# Calibration",
        "",
        f"Generated by `{command}` from {len(report.symbols)} symbols "
        f"({', '.join(report.symbols)}), {report.first} to {report.last}. "
        "Do not edit by hand. Every figure is walk-forward: a fit or record used on a date "
        "read only outcomes known before it.",
        "",
        f"## Threat: the chance of a sharp move within {HORIZON} sessions",
        "",
        f"A sharp move: |{HORIZON}-bar forward log return| > {SIGMAS:g} x the long-run daily "
        f"volatility x sqrt({HORIZON}), the long-run volatility being the median of the "
        f"symbol's 20-day daily volatility over its last {LONG_RUN_YEARS} years of bars "
        "(252 sessions a year on the NYSE, 365 days for crypto). The chance is a logistic "
        "regression on "
        + ", ".join(f"{n} ({rule})" for n, rule in FEATURES.items())
        + ", refitted every year per peer group and pooled over all symbols, on "
        "non-overlapping cases known before the year. A group uses its own fit in a year "
        f"only once its own fits have beaten the pooled fit on at least {MIN_CHOICE_CASES:,} of "
        "its earlier out-of-sample cases; otherwise "
        f"the pooled fit, and the article says so. Levels are bands of the chance: {bands} "
        "(level 1 below the first, 5 from the last), the same for every group.",
        "",
        "*Predicted* is the mean chance given, *observed* the frequency that followed, n the "
        "non-overlapping cases (every 5th bar of each symbol). Skill = 1 - Brier / Brier of "
        "climatology, the cases' own observed frequency (known only afterwards).",
        "",
        "### All symbols",
        "",
        _skill_line(report.threat_skill),
        "",
        *_reliability_table(report.threat),
        *groups,
        "### Inputs: measured, not assumed",
        "",
        "Brier skill over every scored bar when Threat is refitted walk-forward on each set "
        "of inputs: the chosen set (bold), each of its inputs dropped, and each candidate "
        "added (5-day volatility against the long-run; the VIX against its 3-year median; "
        "a high-importance release within 5 days, from a calendar that starts in 2022).",
        "",
        *trials,
        "## Conviction: does the record back the lean?",
        "",
        "Conviction = min(100, "
        f"{POINTS_PER_Z:g} x z), z being how many standard errors the hit rate of today's "
        "state (Pulse's lean and whether 20-day volatility is above its long-run median) "
        "beats its peer group's base rate, over non-overlapping past cases known at the "
        f"close ({MIN_CASES} at least). Low below {LOW_BELOW:.1f} (no edge at 95%), High from "
        f"{HIGH_FROM:g}. Below, every non-overlapping call with a lean, graded "
        f"{HORIZON} bars on: the hit rate with its Wilson 95% interval, and the mean base "
        "rate of the calls' groups when each was made (what a call with no skill would hit).",
        "",
        "| band | calls | share | hit rate | 95% interval | base rate |",
        "| --- | --- | --- | --- | --- | --- |",
        *(
            f"| {b.band} | {b.calls:,} | {_pct(b.share)} | {_pct(b.rate)} | "
            f"{_pct(b.low)} to {_pct(b.high)} | {_pct(b.base_rate)} |"
            for b in report.conviction
        ),
        "",
        f"The record of every state at {report.last} (what an article of that date quotes):",
        "",
        "| group | state | cases | hit rate | base rate | z | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(
            f"| {s.group} | {s.state} | {s.cases:,} | {_pct(s.hit_rate)} | {_pct(s.base_rate)} | "
            f"{'n/a' if math.isnan(s.z) else f'{s.z:+.2f}'} | {s.verdict} |"
            for s in report.states
        ),
        "",
        "## Pulse: a description, not a forecast",
        "",
        "Forward log returns on non-overlapping bars (every h-th bar of each symbol); mean with "
        "a normal 95% interval, share of rises with a Wilson 95% interval. Cut-offs fixed at "
        f"{BEARISH_BELOW:g} / {BULLISH_ABOVE:g}, not tuned on this history. Pulse has no forward "
        "edge here: articles present it as the state of trend and momentum only.",
        "",
        "| label | horizon | n | mean | 95% interval | share up | 95% interval |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(
            f"| {b.label} | {b.horizon} | {b.cases:,} | {_pct(b.mean_return)} | "
            f"{_pct(b.mean_low)} to {_pct(b.mean_high)} | {_pct(b.up_share)} | "
            f"{_pct(b.up_low)} to {_pct(b.up_high)} |"
            for b in report.pulse
        ),
        "",
    ]
    return "\n".join(lines)


def to_json(report: CalibrationReport) -> dict[str, Any]:
    """Return the data behind the report, NaN as None."""
    data = asdict(report)
    data["first"], data["last"] = report.first.isoformat(), report.last.isoformat()
    result: dict[str, Any] = json_safe(data)
    return result
