"""`ScoreBoard`: every score of every symbol and date, computed in one vectorised pass.

History, calibration and the scorecard read whole arrays; an article reads one cell
as `SymbolScores`, each score with its components. Threat is calibrated walk-forward
on the board's own panel, so a date's level never depends on a later bar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pulsewire._types import FloatArray, IntArray
from pulsewire.analysis.history import lead_and_forward
from pulsewire.analysis.rows import as_date
from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.errors import DataError
from pulsewire.model import Panel
from pulsewire.model.history import wilson_interval
from pulsewire.model.score import Score
from pulsewire.scores.conviction import conviction, conviction_score
from pulsewire.scores.pulse import (
    BEARISH_BELOW,
    BULLISH_ABOVE,
    pulse,
    pulse_contributions,
    pulse_inputs,
    pulse_label,
    pulse_score,
)
from pulsewire.scores.risk import risk, risk_contributions, risk_inputs, risk_score
from pulsewire.scores.threat import (
    HORIZON,
    ThreatCalibration,
    ThreatFit,
    calibrate_threat,
    sharp_moves,
    threat_feature,
    threat_score,
)


@dataclass(frozen=True, slots=True)
class PulseRecord:
    """How a symbol's past Pulse readings with one label turned out `horizon` bars on.

    Only bars whose outcome was known by the as-of close count: the record an article
    quotes could have been written that evening.
    """

    label: str
    horizon: int
    cases: int
    """Past bars with this label and a known outcome."""
    hits: int
    """Of them, those followed by a move the label's way (a rise for Bullish)."""
    bars: int
    """All past bars with a known outcome."""
    moves: int
    """Of them, those followed by a move that way: the base rate's count."""

    @property
    def hit_rate(self) -> float:
        return self.hits / self.cases if self.cases else float("nan")

    @property
    def base_rate(self) -> float:
        return self.moves / self.bars if self.bars else float("nan")

    @property
    def edge(self) -> bool:
        """Whether the base rate lies outside the hit rate's 95% Wilson interval."""
        if not (self.cases and self.bars):
            return False
        low, high = wilson_interval(self.hits, self.cases)
        return not low <= self.base_rate <= high


@dataclass(frozen=True, slots=True)
class SymbolScores:
    """The four scores of one symbol at one close, and Threat's calibrated probability."""

    pulse: Score
    conviction: Score
    risk: Score
    threat: Score | None
    threat_probability: float
    """Predicted frequency of a sharp move within 5 bars at this level; NaN if none."""
    threat_fit: ThreatFit | None
    """The year's calibration behind Threat: cases per level and the base rate."""
    pulse_record: PulseRecord | None
    """The symbol's past readings with today's Pulse label, graded; None if Neutral."""


@dataclass(frozen=True)
class ScoreBoard:
    """Pulse, Conviction, Risk and Threat (T, N) over one panel, with their parts."""

    panel: Panel
    pulse_inputs: dict[str, FloatArray]
    pulse_points: dict[str, FloatArray]
    pulse: FloatArray
    conviction: FloatArray
    risk_inputs: dict[str, FloatArray]
    risk_points: dict[str, FloatArray]
    risk: FloatArray
    threat_feature: FloatArray
    sharp_moves: FloatArray
    threat: ThreatCalibration
    forward: FloatArray
    """Log return to each bar's `HORIZON`-th next bar: what a Pulse label is graded on."""
    known_at: IntArray
    """Row of that next bar (-1: none yet): the outcome is known from that close on."""

    @classmethod
    def compute(cls, universe: UniverseAnalysis, event_dates: Sequence[dt.date]) -> ScoreBoard:
        """Score every symbol and date of `universe`; `event_dates` are high-importance releases."""
        panel, indicators = universe.panel, universe.indicators
        inputs = pulse_inputs(indicators, universe.strength["vs_spy_20"])
        points = pulse_contributions(inputs)
        risk_in = risk_inputs(indicators, panel.dates, event_dates)
        risk_points = risk_contributions(risk_in)
        feature = threat_feature(indicators.volatility_percentile)
        # Each bar's 5th next bar and the return to it, once for Threat and the Pulse record.
        known_at, forward = lead_and_forward(panel.adj_close, HORIZON)
        outcome = sharp_moves(panel.adj_close, forward)
        return cls(
            panel=panel,
            pulse_inputs=inputs,
            pulse_points=points,
            pulse=pulse(points),
            conviction=conviction(points),
            risk_inputs=risk_in,
            risk_points=risk_points,
            risk=risk(risk_points),
            threat_feature=feature,
            sharp_moves=outcome,
            threat=calibrate_threat(panel.dates, feature, outcome, known_at),
            forward=forward,
            known_at=known_at,
        )

    def at(self, symbol: str, as_of: dt.date) -> SymbolScores:
        """Return the scores of `symbol` at its last bar on or before `as_of`.

        Raises
        ------
        DataError
            If the symbol has no bar by `as_of`, or its scores are still warming up.
        """
        row, column = self.panel.last_row(symbol, as_of), self.panel.column(symbol)
        day = as_date(self.panel.dates[row])
        if not (np.isfinite(self.pulse[row, column]) and np.isfinite(self.risk[row, column])):
            raise DataError("as_of", day, f"{symbol} has too little history for scores on {day}")
        level = int(self.threat.levels[row, column])
        return SymbolScores(
            pulse=pulse_score(symbol, day, self.pulse_inputs, self.pulse_points, row, column),
            conviction=conviction_score(symbol, day, self.pulse_points, row, column),
            risk=risk_score(symbol, day, self.risk_inputs, self.risk_points, row, column),
            threat=None
            if level == 0
            else threat_score(symbol, day, self.threat_feature, self.threat, row, column),
            threat_probability=float(self.threat.predicted[row, column]),
            threat_fit=None if level == 0 else self.threat.fits.get(day.year),
            pulse_record=self._pulse_record(row, column),
        )

    def _pulse_record(self, row: int, column: int) -> PulseRecord | None:
        label = pulse_label(float(self.pulse[row, column]))
        if label == "Neutral":
            return None
        past, forward = self.pulse[: row + 1, column], self.forward[: row + 1, column]
        lead = self.known_at[: row + 1, column]
        with np.errstate(invalid="ignore"):
            known = (lead >= 0) & (lead <= row) & np.isfinite(forward) & np.isfinite(past)
            same = past > BULLISH_ABOVE if label == "Bullish" else past < BEARISH_BELOW
            wanted = forward > 0 if label == "Bullish" else forward < 0
        return PulseRecord(
            label=label,
            horizon=HORIZON,
            cases=int((known & same).sum()),
            hits=int((known & same & wanted).sum()),
            bars=int(known.sum()),
            moves=int((known & wanted).sum()),
        )
