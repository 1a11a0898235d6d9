from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from pulsewire.scores.risk import (
    days_to_next_event,
    risk,
    risk_contributions,
    risk_label,
    risk_score,
)
from pulsewire.sources import load

DAY = dt.date(2026, 2, 2)


def one(
    volatility: float, drawdown: float, liquidity: float, event: float
) -> dict[str, np.ndarray]:
    """Risk inputs of one symbol on one row."""
    values = {"volatility": volatility, "drawdown": drawdown, "liquidity": liquidity}
    return {**{k: np.array([[v]]) for k, v in values.items()}, "event": np.array([[event]])}


def test_risk_of_hand_computed_parts() -> None:
    # 40 x 0.5 + 25 x (10 % / 20 %) + 10 x (1 - 0.6) + 25 (release tomorrow) = 61.5
    inputs = one(0.5, -0.10, 0.6, 1.0)
    points = risk_contributions(inputs)
    score = risk_score("IWM", DAY, inputs, points, 0, 0)
    assert [c.contribution for c in score.components] == pytest.approx([20.0, 12.5, 4.0, 25.0])
    assert (score.value, score.label) == (pytest.approx(61.5), "Medium")
    assert risk(points)[0, 0] == pytest.approx(score.value)


def test_index_without_volume_adds_no_liquidity_risk() -> None:
    inputs = one(0.1, -0.5, np.nan, np.nan)
    score = risk_score("VIX", DAY, inputs, risk_contributions(inputs), 0, 0)
    assert [c.contribution for c in score.components] == pytest.approx([4.0, 25.0, 0.0, 0.0])
    assert score.label == "Low"


def test_deep_drawdown_in_wild_volatility_before_a_release_is_high_risk() -> None:
    inputs = one(0.99, -0.45, 0.3, 4.0)
    score = risk_score("BTC-USD", DAY, inputs, risk_contributions(inputs), 0, 0)
    assert score.value == pytest.approx(39.6 + 25 + 7 + 15)
    assert score.label == "High"


def test_risk_still_warming_up_is_nan() -> None:
    assert np.isnan(risk(risk_contributions(one(np.nan, -0.1, 1.0, 3.0)))[0, 0])


@pytest.mark.parametrize(("value", "label"), [(32.9, "Low"), (33, "Medium"), (66.1, "High")])
def test_risk_labels_and_their_cut_offs(value: float, label: str) -> None:
    assert risk_label(value) == label


def test_days_to_next_release_on_the_real_calendar(shared: Path) -> None:
    events = load(str(shared / "calendar" / "events.csv")).frame
    dates = events["date"].to_list()
    asked = np.array(["2026-02-02", "2026-02-10", "2027-01-01"], dtype="datetime64[D]")
    # On 2026-02-02 the next release was retail sales on 02-10, then the jobs report that
    # the shutdown had pushed to 02-11.
    days = days_to_next_event(asked, dates)
    assert days[:2].tolist() == [8.0, 1.0] and np.isnan(days[2])
    assert np.isnan(days_to_next_event(asked, [])).all()
