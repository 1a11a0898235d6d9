"""One call per universe, one read per symbol: everything the analysis says about a date.

`UniverseAnalysis.compute` runs the vectorised stages (indicators, regimes, relative
strength, total returns, the day's move in sigmas, 52-week lows, data quality marks,
the calm condition's measured history) over a whole panel once; `snapshot` then reads
one symbol at one date and adds the parts that depend on the date alone (levels and the
map an article quotes, the rarity of its readings, the 52-week range, day context and
the markets on the day). Every figure of a snapshot uses only bars up to
its date: the stages computed once are causal, and history counts only forward windows
closed by then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from pulsewire._types import FloatArray
from pulsewire.analysis.context import (
    BENCHMARK,
    STRENGTH_WINDOWS,
    BenchmarkBar,
    DayContext,
    benchmark_bar,
    day_context,
    relative_strengths,
    window_returns,
)
from pulsewire.analysis.extremes import YearRange, rolling_min, year_range
from pulsewire.analysis.history import (
    LONG_RUN_YEARS,
    OwnBarsHistory,
    calm_volatility,
    daily_volatility,
)
from pulsewire.analysis.indicators import INDICATOR_FIELDS, Indicators, compute_indicators
from pulsewire.analysis.levels import WatchMap, levels_asof, watch_map
from pulsewire.analysis.markets import CrossAsset, cross_asset
from pulsewire.analysis.quality import QualityMarks
from pulsewire.analysis.rarity import (
    READINGS,
    DayMove,
    MoveSigmas,
    Rarity,
    day_move,
    move_sigmas,
    rarities,
)
from pulsewire.analysis.regime import RegimeArray, classify_regimes
from pulsewire.analysis.rows import as_date
from pulsewire.model import Finding, HistoryResult, LevelMap, Panel, Regime

HISTORY_HORIZONS: Final = (5, 20)
"""Forward horizons, in bars, of the measured history of each snapshot: a week, a month."""

CALM = "20-day realised volatility in the bottom decile of its trailing year"

TOTAL_RETURN_WINDOWS: Final = (1, 5, 20)
"""Bars of the symbol's own total returns: a day, a week, a month, as its price returns."""


@dataclass(frozen=True)
class SymbolAnalysis:
    """What the analysis stage knows about one symbol at the close of `as_of`."""

    symbol: str
    as_of: dt.date
    close: float
    periods_per_year: float
    """Bars in a year of the symbol's calendar: what annualised its volatility."""
    indicators: Mapping[str, float]
    regime: Regime | None
    levels: LevelMap
    watch: WatchMap
    """The levels an article may quote: none at the close, fresh 52-week extremes in."""
    year: YearRange | None
    relative_strength: Mapping[str, float]
    total_returns: Mapping[str, float]
    """`total_return_{k}`: total return (`adj_close`) over k bars, as relative strength."""
    rarity: tuple[Rarity, ...]
    move: DayMove | None
    benchmark: BenchmarkBar
    """Whether the benchmark was there to measure relative strength against."""
    day: DayContext
    markets: CrossAsset
    calm_history: tuple[HistoryResult, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class UniverseAnalysis:
    """The vectorised stages over a whole panel, computed once."""

    panel: Panel
    indicators: Indicators
    regimes: RegimeArray
    strength: Mapping[str, np.ndarray]
    total_returns: Mapping[str, FloatArray]
    sigmas: MoveSigmas
    low_252: FloatArray
    volatility: FloatArray
    """20-day daily volatility of `adj_close`: the bellwethers' yardstick."""
    quality: QualityMarks
    calm_history: OwnBarsHistory

    @classmethod
    def compute(cls, panel: Panel) -> UniverseAnalysis:
        """Run every stage over every symbol and date."""
        indicators = compute_indicators(panel)
        strength: dict[str, np.ndarray] = {}
        # A store of the user's own symbols may hold no benchmark: nothing to measure against.
        benchmark = BENCHMARK if BENCHMARK in panel else None
        for both in relative_strengths(panel, STRENGTH_WINDOWS, benchmark=benchmark):
            strength[f"vs_spy_{both.window}"] = both.vs_benchmark
            strength[f"vs_peers_{both.window}"] = both.vs_peers
        return cls(
            panel,
            indicators,
            classify_regimes(panel, indicators),
            strength,
            {f"total_return_{k}": window_returns(panel.adj_close, k) for k in TOTAL_RETURN_WINDOWS},
            move_sigmas(panel.close, indicators.periods_per_year, LONG_RUN_YEARS),
            rolling_min(panel.low),
            daily_volatility(panel.adj_close, 20),
            QualityMarks.compute(panel),
            OwnBarsHistory.measure(
                panel, calm_volatility, horizons=HISTORY_HORIZONS, description=CALM
            ),
        )

    def snapshot(self, symbol: str, as_of: dt.date, now: dt.datetime) -> SymbolAnalysis:
        """Return the analysis of `symbol` at its last bar on or before `as_of`.

        Raises
        ------
        DataError
            If the symbol has no bar by `as_of`.
        """
        panel, indicators = self.panel, self.indicators
        column, row = panel.column(symbol), panel.last_row(symbol, as_of)
        day = as_date(panel.dates[row])
        levels = levels_asof(
            panel.dates, panel.high, panel.low, panel.close, indicators.atr_14, column, row
        )
        year = year_range(
            panel.high,
            panel.low,
            panel.close,
            indicators.high_252,
            self.low_252,
            panel.dates,
            column,
            row,
        )
        readings = {name: getattr(indicators, name) for name in READINGS}
        return SymbolAnalysis(
            symbol=symbol,
            as_of=day,
            close=float(panel.close[row, column]),
            periods_per_year=float(self.indicators.periods_per_year[column]),
            indicators={
                name: float(getattr(self.indicators, name)[row, column])
                for name in INDICATOR_FIELDS
            },
            regime=Regime.of_code(int(self.regimes[row, column])),
            levels=levels,
            watch=watch_map(levels, float(indicators.atr_14[row, column]), year),
            year=year,
            relative_strength={
                name: float(values[row, column]) for name, values in self.strength.items()
            },
            total_returns={
                name: float(values[row, column]) for name, values in self.total_returns.items()
            },
            rarity=rarities(readings, panel.dates, column, row),
            move=day_move(indicators.return_1, self.sigmas, panel.dates, column, row),
            benchmark=benchmark_bar(panel, symbol, day),
            day=day_context(panel, symbol, day),
            markets=cross_asset(panel, day, self.volatility),
            calm_history=self.calm_history.at(symbol, day),
            findings=self.quality.findings(symbol, now),
        )


__all__ = ["SymbolAnalysis", "UniverseAnalysis"]
