"""Conviction 0-100: how strongly the Pulse signals agree on a direction.

Conviction = 100 * |sum of Pulse contributions| / sum of |contributions|. Each Pulse
component adds its share of the total weight of evidence: positive when it points the
way the sum does, negative when it disagrees, so the components add up to the score.
All signals on one side give 100; signals that cancel give 0.

Labels: Low below 40, High above 70, Moderate in between.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

import numpy as np

from pulsewire._types import FloatArray
from pulsewire.model.score import Component, Score

LOW_BELOW: Final = 40.0
HIGH_ABOVE: Final = 70.0


def conviction_label(value: float) -> str:
    """Return Low, Moderate or High for a Conviction value."""
    if value < LOW_BELOW:
        return "Low"
    return "High" if value > HIGH_ABOVE else "Moderate"


def conviction(contributions: dict[str, FloatArray]) -> FloatArray:
    """Return Conviction (T, N) from Pulse's contributions (0 where they are all 0)."""
    stacked = np.stack(list(contributions.values()))
    weight = np.abs(stacked).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.abs(stacked.sum(axis=0)) / weight * 100.0
    result: FloatArray = np.where(weight > 0, agreement, np.where(np.isnan(weight), np.nan, 0.0))
    return result


def conviction_score(
    symbol: str, as_of: dt.date, contributions: dict[str, FloatArray], row: int, column: int
) -> Score:
    """Return one symbol's Conviction at one row, each Pulse component's share a component."""
    points = {name: float(values[row, column]) for name, values in contributions.items()}
    weight = math.fsum(abs(p) for p in points.values())
    side = math.copysign(1.0, math.fsum(points.values()))
    components = tuple(
        Component(
            name,
            value,
            "100 x contribution x side of Pulse / sum of |contributions|",
            100.0 * value * side / weight if weight > 0 else 0.0,
        )
        for name, value in points.items()
    )
    value = math.fsum(c.contribution for c in components)
    return Score("Conviction", symbol, as_of, value, conviction_label(value), 0.0, components)
