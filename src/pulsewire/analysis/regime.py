"""Regime: trend up / trend down / range / squeeze / breakout, for every bar of a panel.

Rules, checked in this order (the first that holds wins), with their thresholds:

1. **breakout**: the close leaves the channel of the previous `CHANNEL_BARS` (20) bars
   (above its highest high or below its lowest low) while that channel was a box: at
   most `BOX_ATR` (4) ATRs tall, measured with the ATR of the day before. Price that
   escapes a tight box is the event traders watch; a new high in a wide, trending
   market is not a breakout, it is the trend.
2. **squeeze**: Bollinger bandwidth (20, 2) in the lowest `SQUEEZE_PERCENTILE` (10 %)
   of its trailing 252 bars: volatility coiled compared with its own year.
3. **trend up** / **trend down**: ADX(14) at least `TREND_ADX` (25, Wilder's threshold
   for a trending market), the 50-bar SMA rising (falling) over `SLOPE_BARS` (10) bars,
   and the close above (below) that SMA.
4. **range**: none of the above; price is not trending (ADX below 25, or the average
   and price disagree on direction).

A bar is `NO_REGIME` until every input has warmed up (about 271 bars, the bandwidth
percentile's). Each code for bar t uses only bars up to t: the rules read indicators
that have no look-ahead, and the channel is taken from the bars before t.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from pulsewire._types import FloatArray
from pulsewire.analysis.indicators import Indicators, percentile_rank, returns, rolling_max
from pulsewire.analysis.rows import at_rows, lagged_bar_rows
from pulsewire.model import Panel
from pulsewire.model.regime import NO_REGIME, Regime

CHANNEL_BARS: Final = 20
BOX_ATR: Final = 4.0
SQUEEZE_PERCENTILE: Final = 0.10
TREND_ADX: Final = 25.0
SLOPE_BARS: Final = 10
PERCENTILE_BARS: Final = 252

RegimeArray = npt.NDArray[np.int8]


def _previous(values: FloatArray, has_bar: npt.NDArray[np.bool_]) -> FloatArray:
    """The value on each symbol's previous bar."""
    return at_rows(values, lagged_bar_rows(has_bar, 1))


def classify_regimes(panel: Panel, indicators: Indicators) -> RegimeArray:
    """Return the regime code of every bar: `Regime.code`, or `NO_REGIME` in warm-up.

    Parameters
    ----------
    panel
        The bars the indicators were computed from.
    indicators
        `compute_indicators(panel)`.

    Returns
    -------
    RegimeArray
        (T, N) int8 codes; `Regime.of_code` turns one back into a `Regime`.
    """
    close = panel.close
    has_bar = np.isfinite(close)
    channel_high = _previous(rolling_max(panel.high, CHANNEL_BARS), has_bar)
    channel_low = -_previous(rolling_max(-panel.low, CHANNEL_BARS), has_bar)
    atr_before = _previous(indicators.atr_14, has_bar)
    bandwidth_rank = percentile_rank(indicators.bollinger_bandwidth, PERCENTILE_BARS)
    slope = returns(indicators.sma_50, SLOPE_BARS)
    adx, average = indicators.adx_14, indicators.sma_50

    inputs = (channel_high, channel_low, atr_before, bandwidth_rank, slope, adx, average)
    ready = has_bar & np.logical_and.reduce([np.isfinite(x) for x in inputs])
    with np.errstate(invalid="ignore"):
        boxed = channel_high - channel_low <= BOX_ATR * atr_before
        breakout = boxed & ((close > channel_high) | (close < channel_low))
        squeeze = bandwidth_rank <= SQUEEZE_PERCENTILE
        trending = adx >= TREND_ADX
        up = trending & (slope > 0) & (close > average)
        down = trending & (slope < 0) & (close < average)
    ordered = (Regime.BREAKOUT, Regime.SQUEEZE, Regime.TREND_UP, Regime.TREND_DOWN)
    codes = np.select(
        [~ready, breakout, squeeze, up, down],
        [NO_REGIME, *(regime.code for regime in ordered)],
        default=Regime.RANGE.code,
    )
    return codes.astype(np.int8)
