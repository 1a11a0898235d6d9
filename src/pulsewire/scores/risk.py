"""Risk Low / Medium / High: how rough the ride is, from a 0-100 score of four parts.

| component | input | rule | at most |
|---|---|---|---|
| volatility | 20-day volatility's percentile in its year | 40 x percentile | 40 |
| drawdown | close vs the 52-week high | 25 x min(drawdown / 20 %, 1) | 25 |
| liquidity | volume vs its 20-bar mean | 10 x min(max(1 - ratio, 0), 1) (no volume: 0) | 10 |
| event | days to the next high-importance release | 25 within 2 days, 15 within 5, else 0 | 25 |

Labels: Low below 33, High above 66, Medium in between. Scheduled releases are known
in advance, so reading the calendar ahead of a date is not look-ahead; the bundled
calendar holds actual release dates (from 2022), which around the 2025 shutdown moved
after they were first announced. A date with no release listed ahead adds no event risk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import numpy as np

from pulsewire._types import DateArray, FloatArray
from pulsewire.analysis.indicators import Indicators
from pulsewire.model.score import Score
from pulsewire.scores._cells import score_at

LOW_BELOW: Final = 33.0
HIGH_ABOVE: Final = 66.0
EVENT_SOON_DAYS: Final = 2
EVENT_NEAR_DAYS: Final = 5
DRAWDOWN_FULL: Final = 0.20

RULES: Final = {
    "volatility": "40 x percentile",
    "drawdown": f"25 x min(drawdown / {DRAWDOWN_FULL:.0%}, 1)",
    "liquidity": "10 x min(max(1 - volume ratio, 0), 1)",
    "event": f"25 within {EVENT_SOON_DAYS} days, 15 within {EVENT_NEAR_DAYS}",
}


def risk_label(value: float) -> str:
    """Return Low, Medium or High for a Risk score."""
    if value < LOW_BELOW:
        return "Low"
    return "High" if value > HIGH_ABOVE else "Medium"


def days_to_next_event(dates: DateArray, event_dates: Sequence[dt.date] | DateArray) -> FloatArray:
    """Return, per date, the days to the next release after it (NaN if none is listed)."""
    events = np.unique(np.array(event_dates, dtype="datetime64[D]"))
    days = dates.astype("datetime64[D]")
    if events.size == 0:
        return np.full(days.shape, np.nan)
    after = np.searchsorted(events, days, side="right")
    gap = (events[np.minimum(after, events.size - 1)] - days).astype(np.float64)
    result: FloatArray = np.where(after < events.size, gap, np.nan)
    return result


def risk_inputs(
    indicators: Indicators, dates: DateArray, event_dates: Sequence[dt.date]
) -> dict[str, FloatArray]:
    """Return each component's input, (T, N); the event input is shared by every symbol."""
    days = days_to_next_event(dates, event_dates)[:, None]
    return {
        "volatility": indicators.volatility_percentile,
        "drawdown": indicators.drawdown_252,
        "liquidity": indicators.volume_ratio_20,
        "event": np.broadcast_to(days, indicators.volatility_percentile.shape),
    }


def risk_contributions(inputs: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Return each component's points, (T, N); volatility and drawdown carry NaN warm-up."""
    days = inputs["event"]
    with np.errstate(invalid="ignore"):
        event = np.select([days <= EVENT_SOON_DAYS, days <= EVENT_NEAR_DAYS], [25.0, 15.0], 0.0)
    return {
        "volatility": 40.0 * inputs["volatility"],
        "drawdown": 25.0 * np.minimum(-inputs["drawdown"] / DRAWDOWN_FULL, 1.0),
        "liquidity": 10.0 * np.nan_to_num(np.clip(1.0 - inputs["liquidity"], 0.0, 1.0)),
        "event": event,
    }


def risk(contributions: dict[str, FloatArray]) -> FloatArray:
    """Return Risk (T, N): the sum of the contributions, NaN while any is warming up."""
    total: FloatArray = sum(contributions.values(), np.zeros_like(contributions["volatility"]))
    return total


def risk_score(
    symbol: str,
    as_of: dt.date,
    inputs: dict[str, FloatArray],
    contributions: dict[str, FloatArray],
    row: int,
    column: int,
) -> Score:
    """Return one symbol's Risk at one row, each part a component."""
    return score_at(
        "Risk", symbol, as_of, 0.0, RULES, inputs, contributions, risk_label, (row, column)
    )
