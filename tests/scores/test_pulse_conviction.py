from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.errors import DataError
from pulsewire.model import Panel
from pulsewire.model.score import Component, Score
from pulsewire.scores import (
    RULES,
    conviction_score,
    pulse,
    pulse_contributions,
    pulse_inputs,
    pulse_label,
    pulse_score,
)
from pulsewire.scores.board import ScoreBoard
from pulsewire.scores.conviction import STATES, LeanRecord, lean_records, lean_states
from pulsewire.scores.groups import GROUP_NAMES
from pulsewire.scores.report import calibration_report

DAY = dt.date(2026, 2, 2)


def one(**values: float) -> dict[str, np.ndarray]:
    """Inputs for one symbol on one row; components not named are 0."""
    return {rule.name: np.array([[values.get(rule.name, 0.0)]]) for rule in RULES}


def test_weights_sum_to_the_neutral_base_so_pulse_stays_in_0_100() -> None:
    assert math.fsum(rule.weight for rule in RULES) == 50.0
    assert pulse(pulse_contributions(one(**{r.name: 1e9 for r in RULES})))[0, 0] == 100.0
    assert pulse(pulse_contributions(one(**{r.name: -1e9 for r in RULES})))[0, 0] == 0.0


def test_pulse_of_hand_computed_inputs() -> None:
    # trend at 1 sigma: 12 tanh(1) = 9.1391; RSI 10 points under 50: 10 tanh(-0.5) = -4.621.
    inputs = one(trend=1.0, RSI=-0.5)
    contributions = pulse_contributions(inputs)
    assert contributions["trend"][0, 0] == pytest.approx(9.1391, abs=1e-4)
    assert contributions["RSI"][0, 0] == pytest.approx(-4.6212, abs=1e-4)
    assert pulse(contributions)[0, 0] == pytest.approx(54.5180, abs=1e-4)
    score = pulse_score("IWM", DAY, inputs, contributions, 0, 0)
    assert score.label == "Neutral"
    assert score.value == pytest.approx(pulse(contributions)[0, 0], abs=1e-12)


@pytest.mark.parametrize(
    ("hits", "z", "points", "label", "verdict", "call"),
    [
        # base 55% of 100 cases: one standard error is sqrt(100 x 0.55 x 0.45) = 4.975 hits.
        (70, 3.0151, 60.302, "Moderate", "edge", "Bullish"),
        (73, 3.6181, 72.362, "High", "edge", "Bullish"),
        (58, 0.6030, 12.060, "Low", "none", "Bullish"),
        (45, -2.0101, 0.0, "Low", "worse", "Bullish"),
        (36, -3.8191, 76.382, "High", "against", "Bearish"),
    ],
)
def test_conviction_of_hand_computed_records(
    hits: int, z: float, points: float, label: str, verdict: str, call: str
) -> None:
    record = LeanRecord("Bullish, calm", "equity ETFs", 5, 100, hits, 1000, 550)
    assert record.z == pytest.approx(z, abs=1e-4)
    assert (record.verdict, record.call) == (verdict, call)
    score = conviction_score("IWM", DAY, record)
    assert score.value == pytest.approx(points, abs=1e-3)
    assert score.label == label
    assert score.components[0].value == pytest.approx(z, abs=1e-4)


def test_too_few_cases_or_no_lean_is_zero_conviction() -> None:
    few = LeanRecord("Bearish, stormy", "crypto", 5, 29, 29, 1000, 400)
    assert math.isnan(few.z) and few.verdict == "none"
    assert conviction_score("BTC-USD", DAY, few).value == 0.0
    neutral = conviction_score("BTC-USD", DAY, None)
    assert (neutral.value, neutral.label) == (0.0, "Low")


def test_states_follow_the_lean_and_the_weather() -> None:
    pulse = np.array([[70.0, 70.0, 30.0, 30.0, 50.0, 70.0]])
    storm = np.array([[-0.1, 0.0, -0.1, 0.2, 0.5, np.nan]])
    assert lean_states(pulse, storm).tolist() == [[0, 1, 2, 3, -1, -1]]
    assert [STATES[i] for i in range(4)][1] == "Bullish, stormy"


def test_records_count_each_case_from_the_close_it_is_known() -> None:
    # One equity ETF, 12 rows: cases at rows 0, 5 (every 5th bar), known 5 rows later.
    states = np.full((12, 1), 0)
    forward = np.where(np.arange(12) % 2 == 0, 0.01, -0.01)[:, None]
    known_at = np.where(np.arange(12) + 5 < 12, np.arange(12) + 5, -1)[:, None]
    cases = (np.arange(12) % 5 == 0)[:, None]
    codes = np.array([GROUP_NAMES.index("equity ETFs")])
    records = lean_records(states, forward, known_at, codes, cases)
    before, first, second = (
        records.at(4, "equity ETFs", 0),
        records.at(5, "equity ETFs", 0),
        records.at(10, "equity ETFs", 0),
    )
    assert (before.cases, first.cases, second.cases) == (0, 1, 2)
    assert (first.hits, second.hits) == (1, 1)  # row 0 rose, row 5 fell
    assert (second.all_cases, second.all_moves) == (2, 1)
    pooled = records.at(10, None, 0)  # every case also counts for all symbols
    assert (pooled.group, pooled.cases) == ("all symbols", 2)
    # A symbol of no group counts for all symbols only.
    stranger = lean_records(states, forward, known_at, np.array([-1]), cases)
    assert stranger.at(10, "equity ETFs", 0).cases == 0
    assert stranger.at(10, None, 0).cases == 2


@pytest.mark.parametrize(
    ("value", "label"), [(39.9, "Bearish"), (40, "Neutral"), (60.1, "Bullish")]
)
def test_pulse_labels_and_their_cut_offs(value: float, label: str) -> None:
    assert pulse_label(value) == label


def test_score_whose_components_do_not_add_up_cannot_exist() -> None:
    with pytest.raises(DataError, match="base \\+ components"):
        Score("Pulse", "IWM", DAY, 60.0, "Neutral", 50.0, (Component("trend", 1.0, "x", 9.0),))


@pytest.fixture(scope="module")
def universe(real_panel: Panel) -> UniverseAnalysis:
    return UniverseAnalysis.compute(real_panel)


def test_scores_on_real_data_stay_in_range_and_match_their_components(
    universe: UniverseAnalysis, real_panel: Panel
) -> None:
    inputs = pulse_inputs(universe.indicators, universe.strength["vs_spy_20"])
    contributions = pulse_contributions(inputs)
    values = pulse(contributions)
    finite = np.isfinite(values)
    assert finite.sum() > 100_000
    assert np.all((values[finite] >= 0) & (values[finite] <= 100))
    row = int(np.flatnonzero(real_panel.dates == np.datetime64(DAY))[0])
    for symbol in ("IWM", "SPY", "TLT"):
        column = real_panel.column(symbol)
        score = pulse_score(symbol, DAY, inputs, contributions, row, column)
        assert score.value == pytest.approx(values[row, column], abs=1e-9)


def test_conviction_of_every_cell_is_the_score_of_its_record(board: ScoreBoard) -> None:
    assert np.all((board.conviction >= 0) & (board.conviction <= 100))
    for symbol in ("IWM", "VIX", "BTC-USD", "TLT"):
        for day in (dt.date(2020, 3, 16), dt.date(2024, 8, 5), DAY):
            row, column = board.panel.last_row(symbol, day), board.panel.column(symbol)
            scores = board.at(symbol, day)
            assert scores.conviction.value == pytest.approx(board.conviction[row, column])


def test_high_conviction_calls_beat_their_base_rate_out_of_sample(board: ScoreBoard) -> None:
    # Every non-overlapping call with a lean, graded on the side the desk called.
    report = calibration_report(board)
    high = next(b for b in report.conviction if b.band == "High")
    assert 0 < high.share < 0.5
    assert high.low > high.base_rate  # the interval clears the base rate
    low = next(b for b in report.conviction if b.band == "Low")
    assert low.low <= low.base_rate <= low.high or low.rate < low.base_rate


@settings(max_examples=8, deadline=None)
@given(cut=st.integers(min_value=400, max_value=3000))
def test_pulse_for_a_date_ignores_every_later_bar(xnys_panel: Panel, cut: int) -> None:
    panel = xnys_panel.subset(("SPY", "IWM", "QQQ", "DIA"))
    panel = panel.select(slice(panel.dates.size - 3200, None))
    day = dt.date.fromisoformat(str(panel.dates[cut]))

    def scores(source: Panel) -> np.ndarray:
        universe = UniverseAnalysis.compute(source)
        inputs = pulse_inputs(universe.indicators, universe.strength["vs_spy_20"])
        return pulse(pulse_contributions(inputs))

    assert np.array_equal(scores(panel)[: cut + 1], scores(panel.until(day)), equal_nan=True)
