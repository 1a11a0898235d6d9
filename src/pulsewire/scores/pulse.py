"""Pulse 0-100: direction and momentum. 50 is neutral; every component is bounded.

Each input is first put in units of the symbol's own volatility, so that a 2 % move
means as much for a bond fund as a 10 % move does for bitcoin, then squashed with
``tanh`` and weighted. The weights sum to 50, so Pulse = 50 + the contributions stays
inside [0, 100] without clipping, and the contributions add up to it exactly.

| component | input | scale (1 unit =) | weight |
|---|---|---|---|
| trend | close vs SMA 50 | 20-day sigma of price | 12 |
| long trend | close vs SMA 200 | 60-day sigma | 8 |
| momentum | 20-bar return | 20-day sigma | 10 |
| RSI | RSI 14 - 50 | 20 RSI points | 10 |
| MACD | MACD histogram | ATR 14 | 5 |
| relative strength | 20-bar return minus SPY's | 20-day sigma | 5 |

Labels: Bearish below 40, Bullish above 60, Neutral in between.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import numpy as np

from pulsewire._types import FloatArray
from pulsewire.analysis.indicators import Indicators
from pulsewire.model.score import Score
from pulsewire.scores._cells import score_at

PULSE_BASE: Final = 50.0
BEARISH_BELOW: Final = 40.0
BULLISH_ABOVE: Final = 60.0


@dataclass(frozen=True)
class PulseRule:
    """How one component turns its input into points: weight * tanh(input / scale)."""

    name: str
    weight: float
    description: str


RULES: Final = (
    PulseRule("trend", 12.0, "close vs SMA 50, in 20-day sigmas"),
    PulseRule("long trend", 8.0, "close vs SMA 200, in 60-day sigmas"),
    PulseRule("momentum", 10.0, "20-bar return, in 20-day sigmas"),
    PulseRule("RSI", 10.0, "RSI 14 minus 50, in 20-point units"),
    PulseRule("MACD", 5.0, "MACD histogram, in ATRs"),
    PulseRule("relative strength", 5.0, "20-bar return minus SPY's, in 20-day sigmas"),
)


def pulse_label(value: float) -> str:
    """Return Bearish, Neutral or Bullish for a Pulse value."""
    if value < BEARISH_BELOW:
        return "Bearish"
    return "Bullish" if value > BULLISH_ABOVE else "Neutral"


def pulse_inputs(indicators: Indicators, vs_spy_20: FloatArray) -> dict[str, FloatArray]:
    """Return each component's input in its scale's units, (T, N) per component."""
    # Daily sigma: undo the annualisation by each symbol's own year (365 for crypto).
    sigma = indicators.realized_volatility_20 / np.sqrt(indicators.periods_per_year)
    with np.errstate(invalid="ignore", divide="ignore"):
        month, quarter = sigma * np.sqrt(20.0), sigma * np.sqrt(60.0)
        return {
            "trend": indicators.distance_sma_50 / month,
            "long trend": indicators.distance_sma_200 / quarter,
            "momentum": indicators.return_20 / month,
            "RSI": (indicators.rsi_14 - 50.0) / 20.0,
            "MACD": indicators.macd_histogram / indicators.atr_14,
            # No relative strength (SPY against itself, or no current SPY bar) is neutral.
            "relative strength": np.where(
                np.isfinite(indicators.return_20), np.nan_to_num(vs_spy_20 / month), np.nan
            ),
        }


def pulse_contributions(inputs: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Return each component's points, weight * tanh(input), (T, N) per component."""
    return {rule.name: rule.weight * np.tanh(inputs[rule.name]) for rule in RULES}


def pulse(contributions: dict[str, FloatArray]) -> FloatArray:
    """Return Pulse (T, N): 50 plus the contributions, NaN where any input is missing."""
    total = np.full_like(contributions[RULES[0].name], PULSE_BASE)
    for rule in RULES:
        total += contributions[rule.name]
    return total


def pulse_score(
    symbol: str,
    as_of: dt.date,
    inputs: dict[str, FloatArray],
    contributions: dict[str, FloatArray],
    row: int,
    column: int,
) -> Score:
    """Return one symbol's Pulse at one row, with its components."""
    rules = {rule.name: f"{rule.weight:g} x tanh({rule.description})" for rule in RULES}
    return score_at(
        "Pulse", symbol, as_of, PULSE_BASE, rules, inputs, contributions, pulse_label, (row, column)
    )
