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
    conviction,
    conviction_score,
    pulse,
    pulse_contributions,
    pulse_inputs,
    pulse_label,
    pulse_score,
)

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


def test_conviction_of_hand_computed_contributions() -> None:
    # +6 and -2 points: |6 - 2| / (6 + 2) = 50; shares +75 and -25.
    contributions = {"a": np.array([[6.0]]), "b": np.array([[-2.0]]), "c": np.array([[0.0]])}
    assert conviction(contributions)[0, 0] == 50.0
    score = conviction_score("IWM", DAY, contributions, 0, 0)
    assert [c.contribution for c in score.components] == [75.0, -25.0, 0.0]
    assert (score.value, score.label) == (50.0, "Moderate")


def test_no_signal_at_all_is_zero_conviction() -> None:
    assert conviction({"a": np.zeros((1, 1)), "b": np.zeros((1, 1))})[0, 0] == 0.0


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
    values, agreement = pulse(contributions), conviction(contributions)
    finite = np.isfinite(values)
    assert finite.sum() > 100_000
    assert np.all((values[finite] >= 0) & (values[finite] <= 100))
    assert np.all((agreement[finite] >= 0) & (agreement[finite] <= 100 + 1e-9))
    row = int(np.flatnonzero(real_panel.dates == np.datetime64(DAY))[0])
    for symbol in ("IWM", "SPY", "TLT"):
        column = real_panel.column(symbol)
        score = pulse_score(symbol, DAY, inputs, contributions, row, column)
        assert score.value == pytest.approx(values[row, column], abs=1e-9)
        assert conviction_score(symbol, DAY, contributions, row, column).value == pytest.approx(
            agreement[row, column], abs=1e-9
        )


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
