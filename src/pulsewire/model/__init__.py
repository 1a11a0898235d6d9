"""The desk's shared vocabulary: typed records that check their own invariants.

No I/O but one read of the package's own universe file (`universe`).
"""

from pulsewire.model.bar import BAR_SCHEMA, PRICE_FIELDS, Bar, Problem, first_bar_problem
from pulsewire.model.batch import Batch, BatchKind
from pulsewire.model.calendar import CALENDAR_SCHEMA, IMPORTANCE_LEVELS, CalendarEvent
from pulsewire.model.history import HistoryClaim, HistoryResult, wilson_interval
from pulsewire.model.level import Level, LevelKind, LevelMap, Pivot, Range
from pulsewire.model.news import NEWS_SCHEMA, NewsItem, news_id, news_key_id
from pulsewire.model.panel import PANEL_FIELDS, Panel
from pulsewire.model.quality import (
    Finding,
    FrozenRun,
    Gap,
    OhlcInconsistency,
    OhlcRule,
    Outlier,
    Stale,
)
from pulsewire.model.regime import NO_REGIME, Regime
from pulsewire.model.score import Component, Score
from pulsewire.model.symbols import ALWAYS_OPEN, SESSIONS_PER_YEAR, XNYS, check_symbol
from pulsewire.model.text import BIDI_CONTROLS, clean_series, clean_text
from pulsewire.model.universe import (
    AssetClass,
    Number,
    Profile,
    Quote,
    Reference,
    calendar_for,
    profile,
    sessions_per_year,
    universe,
)

__all__ = [
    "ALWAYS_OPEN",
    "BAR_SCHEMA",
    "BIDI_CONTROLS",
    "CALENDAR_SCHEMA",
    "IMPORTANCE_LEVELS",
    "NEWS_SCHEMA",
    "NO_REGIME",
    "PANEL_FIELDS",
    "PRICE_FIELDS",
    "SESSIONS_PER_YEAR",
    "XNYS",
    "AssetClass",
    "Bar",
    "Batch",
    "BatchKind",
    "CalendarEvent",
    "Component",
    "Finding",
    "FrozenRun",
    "Gap",
    "HistoryClaim",
    "HistoryResult",
    "Level",
    "LevelKind",
    "LevelMap",
    "NewsItem",
    "Number",
    "OhlcInconsistency",
    "OhlcRule",
    "Outlier",
    "Panel",
    "Pivot",
    "Problem",
    "Profile",
    "Quote",
    "Range",
    "Reference",
    "Regime",
    "Score",
    "Stale",
    "calendar_for",
    "check_symbol",
    "clean_series",
    "clean_text",
    "first_bar_problem",
    "news_id",
    "news_key_id",
    "profile",
    "sessions_per_year",
    "universe",
    "wilson_interval",
]
