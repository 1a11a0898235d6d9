"""`ScoreBoard`: every score of every symbol and date, computed in one vectorised pass.

History, calibration and the scorecard read whole arrays; an article reads one cell
as `SymbolScores`, each score with its components. Threat and Conviction are fitted
walk-forward on the board's own panel, so a date's scores never depend on a later bar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from pulsewire._types import BoolArray, DateArray, FloatArray, IntArray
from pulsewire.analysis.history import lead_and_forward
from pulsewire.analysis.rows import as_date
from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.errors import DataError
from pulsewire.model import Panel
from pulsewire.model.score import Score
from pulsewire.scores.conviction import (
    LeanRecord,
    LeanRecords,
    conviction_score,
    lean_records,
    lean_states,
)
from pulsewire.scores.groups import group_codes, group_of
from pulsewire.scores.pulse import pulse, pulse_contributions, pulse_inputs, pulse_score
from pulsewire.scores.risk import (
    days_to_next_event,
    risk,
    risk_contributions,
    risk_inputs,
    risk_score,
)
from pulsewire.scores.threat import (
    HORIZON,
    ThreatCalibration,
    ThreatInputs,
    ThreatReading,
    calibrate_threat,
    sharp_moves,
    threat_inputs,
    threat_reading,
    threat_score,
)

WARM_UP_BARS: Final = 272
"""Bars a symbol needs before it has scores: Risk reads the volatility percentile, whose
first value is on bar 271 (20 returns, then a trailing year of 252 values)."""


@dataclass(frozen=True, slots=True)
class SymbolScores:
    """The four scores of one symbol at one close, with what Threat and Conviction rest on."""

    pulse: Score
    conviction: Score
    risk: Score
    threat: Score | None
    threat_reading: ThreatReading | None
    """The fit, inputs and record behind Threat; None while it is not calibrated."""
    record: LeanRecord | None
    """The record of today's state that Conviction reads; None when Pulse is Neutral."""


@dataclass(frozen=True)
class ScoreBoard:
    """Pulse, Conviction, Risk and Threat (T, N) over one panel, with their parts."""

    panel: Panel
    pulse_inputs: dict[str, FloatArray]
    pulse_points: dict[str, FloatArray]
    pulse: FloatArray
    risk_inputs: dict[str, FloatArray]
    risk_points: dict[str, FloatArray]
    risk: FloatArray
    event_dates: DateArray
    threat_inputs: ThreatInputs
    sharp_moves: FloatArray
    threat: ThreatCalibration
    forward: FloatArray
    """Log return to each bar's `HORIZON`-th next bar: what a lean is graded on."""
    known_at: IntArray
    """Row of that next bar (-1: none yet): the outcome is known from that close on."""
    cases: BoolArray
    """Every `HORIZON`-th bar of each symbol: the non-overlapping cases records count."""
    states: IntArray
    """Each cell's lean state (`conviction.STATES`), -1 when Pulse is Neutral."""
    records: LeanRecords
    conviction: FloatArray

    @classmethod
    def compute(cls, universe: UniverseAnalysis, event_dates: Sequence[dt.date]) -> ScoreBoard:
        """Score every symbol and date of `universe`; `event_dates` are high-importance releases."""
        panel, indicators = universe.panel, universe.indicators
        inputs = pulse_inputs(indicators, universe.strength["vs_spy_20"])
        points = pulse_contributions(inputs)
        risk_in = risk_inputs(indicators, panel.dates, event_dates)
        risk_points = risk_contributions(risk_in)
        threat_in = threat_inputs(panel, indicators.volatility_percentile)
        # Each bar's 5th next bar and the return to it, once for Threat and the records.
        known_at, forward = lead_and_forward(panel.adj_close, HORIZON)
        outcome = sharp_moves(forward, threat_in.long_run)
        has_bar = np.isfinite(panel.adj_close)
        cases = has_bar & ((np.cumsum(has_bar, axis=0) - 1) % HORIZON == 0)
        values = pulse(points)
        states = lean_states(values, threat_in.features["20-day volatility"])
        codes = group_codes(panel.symbols)
        records = lean_records(states, forward, known_at, codes, cases)
        return cls(
            panel=panel,
            pulse_inputs=inputs,
            pulse_points=points,
            pulse=values,
            risk_inputs=risk_in,
            risk_points=risk_points,
            risk=risk(risk_points),
            event_dates=np.unique(np.array(event_dates, dtype="datetime64[D]")),
            threat_inputs=threat_in,
            sharp_moves=outcome,
            threat=calibrate_threat(
                panel.dates, panel.symbols, threat_in, outcome, known_at, cases
            ),
            forward=forward,
            known_at=known_at,
            cases=cases,
            states=states,
            records=records,
            conviction=records.points(states, codes),
        )

    def call(self, symbol: str, row: int) -> str:
        """Return the side the desk calls at a row: Neutral, the lean, or the other side."""
        state = int(self.states[row, self.panel.column(symbol)])
        return "Neutral" if state < 0 else self.records.at(row, group_of(symbol), state).call

    def scored(self, symbol: str, as_of: dt.date) -> bool:
        """Whether `symbol` has a bar by `as_of` and its scores there are past the warm-up."""
        column = self.panel.column(symbol)
        stop = int(np.searchsorted(self.panel.dates, np.datetime64(as_of, "D"), side="right"))
        bars = np.flatnonzero(np.isfinite(self.panel.close[:stop, column]))
        return bool(bars.size) and self._warm(int(bars[-1]), column)

    def _warm(self, row: int, column: int) -> bool:
        return bool(np.isfinite(self.pulse[row, column]) and np.isfinite(self.risk[row, column]))

    def at(self, symbol: str, as_of: dt.date) -> SymbolScores:
        """Return the scores of `symbol` at its last bar on or before `as_of`.

        Risk's event part counts releases after `as_of` itself: a stale series is not
        on the eve of a release that is weeks past.

        Raises
        ------
        DataError
            If the symbol has no bar by `as_of`, or its scores are still warming up.
        """
        row, column = self.panel.last_row(symbol, as_of), self.panel.column(symbol)
        day = as_date(self.panel.dates[row])
        if not self._warm(row, column):
            raise DataError("as_of", day, f"{symbol} has too little history for scores on {day}")
        risk_cell = {
            name: v[row : row + 1, column : column + 1] for name, v in self.risk_inputs.items()
        }
        risk_cell["event"] = days_to_next_event(
            np.array([as_of], dtype="datetime64[D]"), self.event_dates
        )[:, None]
        state = int(self.states[row, column])
        group = group_of(symbol)
        record = None if state < 0 else self.records.at(row, group, state)
        reading = threat_reading(group, self.threat_inputs, self.threat, day.year, row, column)
        return SymbolScores(
            pulse=pulse_score(symbol, day, self.pulse_inputs, self.pulse_points, row, column),
            conviction=conviction_score(symbol, day, record),
            risk=risk_score(symbol, day, risk_cell, risk_contributions(risk_cell), 0, 0),
            threat=None if reading is None else threat_score(symbol, day, self.threat, row, column),
            threat_reading=reading,
            record=record,
        )
