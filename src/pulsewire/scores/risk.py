"""Risk Low / Medium / High: how rough the ride is, from a 0-100 score of four parts.

| component | input | rule | at most |
|---|---|---|---|
| volatility | 20-day volatility's percentile in its year | 40 x percentile | 40 |
| drawdown | close vs the 52-week high | 25 x min(drawdown / 20 %, 1) | 25 |
| liquidity | volume vs its 20-bar mean | 10 x min(max(1 - ratio, 0), 1) (no volume: 0) | 10 |
| event | days to the next high-importance release | 25 within 2 days, 15 within 5, else 0 | 25 |

Labels: Low below 33, High above 66, Medium in between. Scheduled releases are known
in advance, so reading the calendar ahead of `as_of` is not look-ahead; the bundled
calendar holds actual release dates, which around the 2025 shutdown moved after they
were first announced.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Final

from pulsewire.model.score import Component, Score

LOW_BELOW: Final = 33.0
HIGH_ABOVE: Final = 66.0
EVENT_SOON_DAYS: Final = 2
EVENT_NEAR_DAYS: Final = 5
DRAWDOWN_FULL: Final = 0.20


def risk_label(value: float) -> str:
    """Return Low, Medium or High for a Risk score."""
    if value < LOW_BELOW:
        return "Low"
    return "High" if value > HIGH_ABOVE else "Medium"


def days_to_next_event(as_of: dt.date, event_dates: Sequence[dt.date]) -> int | None:
    """Return the days from `as_of` to the next release after it, or None if none is listed."""
    ahead = [(day - as_of).days for day in event_dates if day > as_of]
    return min(ahead, default=None)


def risk_score(
    symbol: str,
    as_of: dt.date,
    volatility_percentile: float,
    drawdown: float,
    volume_ratio: float,
    event_dates: Sequence[dt.date],
) -> Score:
    """Return one symbol's Risk at one close, each part a component.

    Raises
    ------
    DataError
        If the volatility percentile or drawdown is not finite (still warming up).
    """
    liquidity = 0.0 if math.isnan(volume_ratio) else 10.0 * min(max(1.0 - volume_ratio, 0.0), 1.0)
    days = days_to_next_event(as_of, event_dates)
    event = 0.0
    if days is not None and days <= EVENT_SOON_DAYS:
        event = 25.0
    elif days is not None and days <= EVENT_NEAR_DAYS:
        event = 15.0
    components = (
        Component(
            "volatility", volatility_percentile, "40 x percentile", 40.0 * volatility_percentile
        ),
        Component(
            "drawdown",
            drawdown,
            f"25 x min(drawdown / {DRAWDOWN_FULL:.0%}, 1)",
            25.0 * min(-drawdown / DRAWDOWN_FULL, 1.0),
        ),
        Component("liquidity", volume_ratio, "10 x min(max(1 - volume ratio, 0), 1)", liquidity),
        Component(
            "event",
            math.nan if days is None else float(days),
            f"25 within {EVENT_SOON_DAYS} days, 15 within {EVENT_NEAR_DAYS}",
            event,
        ),
    )
    value = math.fsum(c.contribution for c in components)
    return Score("Risk", symbol, as_of, value, risk_label(value), 0.0, components)
