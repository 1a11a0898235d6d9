"""One call per universe, one read per symbol: everything the analysis says about a date.

`UniverseAnalysis.compute` runs the vectorised stages (indicators, regimes, relative
strength, data quality marks, the calm condition's measured history) over a whole panel
once; `snapshot` then reads one symbol at one date and adds the parts that depend on
the date alone (levels, day context). Every figure of a snapshot uses only bars up to
its date: the stages computed once are causal, and history counts only forward windows
closed by then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from pulsewire.analysis.context import (
    BENCHMARK,
    STRENGTH_WINDOWS,
    BenchmarkBar,
    DayContext,
    benchmark_bar,
    day_context,
    relative_strengths,
)
from pulsewire.analysis.history import OwnBarsHistory, calm_volatility
from pulsewire.analysis.indicators import INDICATOR_FIELDS, Indicators, compute_indicators
from pulsewire.analysis.levels import levels_asof
from pulsewire.analysis.quality import QualityMarks
from pulsewire.analysis.regime import RegimeArray, classify_regimes
from pulsewire.analysis.rows import as_date
from pulsewire.model import Finding, HistoryResult, LevelMap, Panel, Regime

HISTORY_HORIZONS: Final = (5, 20)
"""Forward horizons, in bars, of the measured history of each snapshot: a week, a month."""

CALM = "20-day realised volatility in the bottom decile of its trailing year"


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
    relative_strength: Mapping[str, float]
    benchmark: BenchmarkBar
    """Whether the benchmark was there to measure relative strength against."""
    day: DayContext
    calm_history: tuple[HistoryResult, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class UniverseAnalysis:
    """The vectorised stages over a whole panel, computed once."""

    panel: Panel
    indicators: Indicators
    regimes: RegimeArray
    strength: Mapping[str, np.ndarray]
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
        panel = self.panel
        column, row = panel.column(symbol), panel.last_row(symbol, as_of)
        day = as_date(panel.dates[row])
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
            levels=levels_asof(
                panel.dates, panel.high, panel.low, panel.close, self.indicators.atr_14, column, row
            ),
            relative_strength={
                name: float(values[row, column]) for name, values in self.strength.items()
            },
            benchmark=benchmark_bar(panel, symbol, day),
            day=day_context(panel, symbol, day),
            calm_history=self.calm_history.at(symbol, day),
            findings=self.quality.findings(symbol, now),
        )


__all__ = ["SymbolAnalysis", "UniverseAnalysis"]
