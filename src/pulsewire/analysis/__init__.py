"""Analysis: pure functions over (time x symbols) arrays. No I/O, no clock: `now` is passed in.

- `indicators`: moving averages, RSI, MACD, Bollinger, ATR, ADX, volatility, returns.
- `levels`: swing pivots, support and resistance zones, ranges.
- `regime`: trend up / trend down / range / squeeze / breakout.
- `quality`: stale and frozen series, calendar gaps, broken bars, outlier returns.
- `context`: related symbols, relative strength, correlations, the day's moves.
- `history`: what followed past dates in the same condition (backs "historically...").
"""

from pulsewire.analysis.context import (
    ASSET_CLASS,
    RELATED,
    BenchmarkBar,
    Correlations,
    DayContext,
    Move,
    RelativeStrength,
    benchmark_bar,
    correlations,
    day_context,
    relative_strength,
    relative_strengths,
)
from pulsewire.analysis.history import (
    calm_volatility,
    forward_log_return,
    measure_history,
    measure_universe,
    rsi_above,
)
from pulsewire.analysis.indicators import Indicators, compute_indicators
from pulsewire.analysis.levels import SwingPivots, levels_asof, swing_pivots
from pulsewire.analysis.quality import QualityReport, assess_quality
from pulsewire.analysis.regime import classify_regimes
from pulsewire.analysis.sessions import Freshness, freshness, last_closed_session

__all__ = [
    "ASSET_CLASS",
    "RELATED",
    "BenchmarkBar",
    "Correlations",
    "DayContext",
    "Freshness",
    "Indicators",
    "Move",
    "QualityReport",
    "RelativeStrength",
    "SwingPivots",
    "assess_quality",
    "benchmark_bar",
    "calm_volatility",
    "classify_regimes",
    "compute_indicators",
    "correlations",
    "day_context",
    "forward_log_return",
    "freshness",
    "last_closed_session",
    "levels_asof",
    "measure_history",
    "measure_universe",
    "relative_strength",
    "relative_strengths",
    "rsi_above",
    "swing_pivots",
]
