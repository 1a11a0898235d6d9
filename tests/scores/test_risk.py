from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from pulsewire.errors import DataError
from pulsewire.scores.risk import days_to_next_event, risk_score
from pulsewire.sources import load

DAY = dt.date(2026, 2, 2)


def test_risk_of_hand_computed_parts() -> None:
    # 40 x 0.5 + 25 x (10 % / 20 %) + 10 x (1 - 0.6) + 25 (release tomorrow) = 61.5
    score = risk_score("IWM", DAY, 0.5, -0.10, 0.6, [DAY + dt.timedelta(days=1)])
    assert [c.contribution for c in score.components] == pytest.approx([20.0, 12.5, 4.0, 25.0])
    assert (score.value, score.label) == (pytest.approx(61.5), "Medium")


def test_index_without_volume_adds_no_liquidity_risk() -> None:
    score = risk_score("VIX", DAY, 0.1, -0.5, math.nan, [])
    assert [c.contribution for c in score.components] == pytest.approx([4.0, 25.0, 0.0, 0.0])
    assert score.label == "Low"


def test_deep_drawdown_in_wild_volatility_before_a_release_is_high_risk() -> None:
    score = risk_score("BTC-USD", DAY, 0.99, -0.45, 0.3, [DAY + dt.timedelta(days=4)])
    assert score.value == pytest.approx(39.6 + 25 + 7 + 15)
    assert score.label == "High"


def test_risk_still_warming_up_is_an_error() -> None:
    with pytest.raises(DataError, match="volatility"):
        risk_score("IWM", DAY, math.nan, -0.1, 1.0, [])


def test_days_to_next_release_on_the_real_calendar(shared: Path) -> None:
    events = load(str(shared / "calendar" / "events.csv")).frame
    dates = events["date"].to_list()
    # On 2026-02-02 the next release was retail sales on 02-10, then the jobs report that
    # the shutdown had pushed to 02-11.
    assert days_to_next_event(DAY, dates) == 8
    assert days_to_next_event(dt.date(2026, 2, 10), dates) == 1
    assert days_to_next_event(dt.date(2027, 1, 1), dates) is None
