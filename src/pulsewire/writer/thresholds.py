"""Every threshold the writer's words depend on, named once, with why.

A word such as "outsized" or "heavy" is a claim about a number; the claim's condition
(`pulsewire.writer.messages`) reads its cut-off here, so a reader can find what
"outsized" means and a test can move the line. Indicator thresholds that define the
analysis itself (RSI 70/30, ADX 25) are facts of the sheet (`threshold.*`), printed
from there.
"""

from __future__ import annotations

from typing import Final

BIG_MOVE: Final = 2.0
"""A day beyond this many daily standard deviations (20-day) is big: a 5% event under
a normal law, about one session a month in the fat-tailed series of the bundle."""

LARGE_MOVE: Final = 1.0
"""From one standard deviation a day is larger than the symbol's usual day."""

SMALL_MOVE: Final = 0.5
"""Under half a standard deviation a day is small by the symbol's own standards."""

SHOCK_MOVE: Final = 3.0
"""From three standard deviations a move is a shock: "plunges", "soars"."""

RARE: Final = 0.05
"""A reading at least as extreme on at most this share of the symbol's own past bars is
rare enough to lead an article: about one session a month."""

OUTSIZED_MONTH: Final = 2.0
"""A month whose return exceeds twice the symbol's usual 20-session swing is outsized."""

QUIET_MONTH: Final = 0.5
"""A month inside half the usual 20-session swing is quiet."""

DEEP_DRAWDOWN: Final = 0.10
"""10% below the 52-week high: a correction, worth a risk line."""

BEAR_DRAWDOWN: Final = 0.30
"""30% below the 52-week high: a bear-market hole."""

WEAK_ADX: Final = 15.0
"""Under ADX 15 there is almost no directional pull (Wilder's own reading)."""

RSI_UPPER_HALF: Final = 60.0
RSI_LOWER_HALF: Final = 40.0
"""Inside 30-70, RSI from 60 leans toward overbought, to 40 toward oversold."""

CALM_VOLATILITY: Final = 0.25
WILD_VOLATILITY: Final = 0.75
"""20-day volatility in the bottom or top quarter of its past year is calm or wild."""

HEAVY_VOLUME: Final = 1.5
LIGHT_VOLUME: Final = 0.7
"""Volume against its 20-day mean: from 1.5x heavy, to 0.7x light."""

WIDE_GAP: Final = 0.05
"""A 20-session total-return gap to the S&P 500 beyond 5% is a wide margin."""

WORDS_PER_MINUTE: Final = 200
"""Reading speed for the article's minutes."""
