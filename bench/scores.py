"""Scores over whole universes: every symbol and date in one vectorised pass.

The analysis they read (indicators, relative strength) is computed once and not timed.
`ScoreBoard.compute` gives all four scores: Pulse, Risk with the calendar, Threat with
its long-run volatility, sharp-move outcomes and yearly walk-forward logistic fits, and
Conviction with the walk-forward records of every state. The baseline is what a
per-cell loop costs: `pulse_score` for one (date, symbol) at a time, timed on a sample
and scaled to every cell.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from articles import market_panel
from pulsewire.analysis.history import lead_and_forward
from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.model import Panel
from pulsewire.scores import pulse, pulse_contributions, pulse_inputs, pulse_score
from pulsewire.scores.board import ScoreBoard
from pulsewire.scores.conviction import lean_records, lean_states
from pulsewire.scores.groups import group_codes
from pulsewire.scores.threat import HORIZON, calibrate_threat, sharp_moves, threat_inputs
from pulsewire.sources import bundled_data, load

REPEATS = 3
LOOP_SAMPLE = 2_000


def _median_ms(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _bundled_panel() -> Panel:
    files = sorted((Path(bundled_data()) / "prices").glob("*.parquet"))
    return Panel.from_bars(pl.concat(load(str(path)).frame for path in files))


def _event_dates() -> list[dt.date]:
    events = load(str(Path(bundled_data()) / "calendar" / "events.parquet")).frame
    dates: list[dt.date] = events.filter(pl.col("importance") == "high")["date"].to_list()
    return dates


def _rows(name: str, panel: Panel, events: list[dt.date]) -> list[str]:
    universe = UniverseAnalysis.compute(panel)
    indicators, strength = universe.indicators, universe.strength["vs_spy_20"]
    inputs = pulse_inputs(indicators, strength)
    contributions = pulse_contributions(inputs)
    cells = panel.close.size

    def pulse_alone() -> None:
        pulse(pulse_contributions(pulse_inputs(indicators, strength)))

    known_at, forward = lead_and_forward(panel.adj_close, HORIZON)
    has_bar = np.isfinite(panel.adj_close)
    cases = has_bar & ((np.cumsum(has_bar, axis=0) - 1) % HORIZON == 0)
    ready = threat_inputs(panel, indicators.volatility_percentile)

    def threat() -> None:
        inputs = threat_inputs(panel, indicators.volatility_percentile)
        outcome = sharp_moves(forward, inputs.long_run)
        calibrate_threat(panel.dates, panel.symbols, inputs, outcome, known_at, cases)

    def conviction() -> None:
        states = lean_states(pulse(contributions), ready.features["20-day volatility"])
        codes = group_codes(panel.symbols)
        lean_records(states, forward, known_at, codes, cases).points(states, codes)

    rng = np.random.default_rng(7)
    scored = np.argwhere(np.isfinite(pulse(contributions)))
    sample = [(int(r), int(c)) for r, c in scored[rng.choice(len(scored), LOOP_SAMPLE)]]

    def loop() -> None:
        for row, column in sample:
            pulse_score("X", panel.dates[row].item(), inputs, contributions, row, column)

    board = _median_ms(lambda: ScoreBoard.compute(universe, events))
    vectorised = _median_ms(pulse_alone)
    per_cell = _median_ms(loop) * cells / LOOP_SAMPLE
    calibration = _median_ms(threat)
    records = _median_ms(conviction)
    return [
        f"| {name} | {cells:,} | all four scores (`ScoreBoard.compute`) | {board:,.1f} | "
        f"{cells / board * 1000:,.0f} | |",
        f"| {name} | {cells:,} | Pulse, vectorised | {vectorised:,.1f} | "
        f"{cells / vectorised * 1000:,.0f} | 1.00x |",
        f"| {name} | {cells:,} | Pulse, per-cell loop (scaled from {LOOP_SAMPLE:,} cells) | "
        f"{per_cell:,.0f} | {cells / per_cell * 1000:,.0f} | {per_cell / vectorised:,.0f}x |",
        f"| {name} | {cells:,} | Threat: inputs, sharp moves, yearly walk-forward fits | "
        f"{calibration:,.1f} | {cells / calibration * 1000:,.0f} | |",
        f"| {name} | {cells:,} | Conviction: states, walk-forward records, points | "
        f"{records:,.1f} | {cells / records * 1000:,.0f} | |",
    ]


def score_section() -> list[str]:
    """Return the Markdown section of the scores benchmark."""
    synthetic = market_panel()
    events = _event_dates()
    return [
        "## 6. Scores over a universe",
        "",
        "Every symbol and date at once; the analysis they read is computed beforehand and "
        f"not timed. Medians of {REPEATS} runs.",
        "",
        "| universe | cells | what | median ms | cells per second | ÷ vectorised |",
        "| --- | --- | --- | --- | --- | --- |",
        *_rows("bundled: 28 symbols", _bundled_panel(), events),
        *_rows("synthetic: 5,000 x 2,520", synthetic, events),
        "",
    ]
