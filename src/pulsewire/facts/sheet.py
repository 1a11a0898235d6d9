"""`FactSheet`: every figure an article may use, each with where it came from.

The writer reads only a FactSheet, and the audit traces each number of the rendered
text back to one of its `Fact`s, so a figure that is not here cannot be printed.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from pulsewire._frozen import Frozen, NumberOrNaN
from pulsewire.analysis.context import BenchmarkBar

Unit = Literal["price", "percent", "ratio", "index", "count", "days", "score", "level"]
"""How a fact is written: `price` $263.32; `percent` a fraction shown as 1.2%; `ratio`
1.3x; `index` a plain figure such as RSI 54.5; `count`, `days` and `level` integers;
`score` a 0-100 score."""


class Fact(Frozen):
    """One figure, its unit, and its provenance: series, dates and computation."""

    value: float
    unit: Unit
    source: str = Field(description="Series, dates and computation, e.g. 'IWM close, 2026-02-02'.")


class LevelFact(Frozen):
    """A support or resistance zone as of the sheet's date."""

    side: Literal["support", "resistance"]
    price: float
    low: float
    high: float
    touches: int
    strength: float
    first_touch: dt.date
    last_touch: dt.date
    flipped: bool = Field(description="Acted as both support and resistance.")
    extreme: Literal["52-week high", "52-week low"] | None = Field(
        description="The 52-week extreme the zone is or holds, if any."
    )
    confirmed: bool = Field(
        description="Backed by confirmed swing pivots; False for a fresh 52-week extreme "
        "on the map before its pivot is confirmed (one touch, strength 0)."
    )


class RarityFact(Frozen):
    """How rare today's reading is against the symbol's own bars since `first`."""

    reading: str = Field(
        description="The indicator, e.g. 'return_1'; its fact is 'rarity.<reading>'."
    )
    share: float = Field(
        description="Share of `bars` readings at least as extreme, today included."
    )
    bars: int
    first: dt.date


class MoveFact(Frozen):
    """The day's price move in daily sigmas, and the last as large the same way."""

    sigmas_20: NumberOrNaN
    sigmas_long: NumberOrNaN
    last_as_large: dt.date | None = Field(
        description="The last earlier bar with a 1-bar move of the same sign at least as "
        "large; None: none in the symbol's history ('the biggest ... on record')."
    )
    sessions_since: int | None


class YearRangeFact(Frozen):
    """The 52-week high and low, the bars that set them, and the last fresh ones."""

    high: float
    high_date: dt.date
    low: float
    low_date: dt.date
    new_high: bool = Field(description="The as-of bar set a fresh 52-week high.")
    new_low: bool = Field(description="The as-of bar set a fresh 52-week low.")
    last_new_high: dt.date | None
    last_new_low: dt.date | None


class MarketFact(Frozen):
    """A bellwether's total return at its last current bar, in its own daily sigmas."""

    symbol: str
    name: str
    date: dt.date
    change: float
    sigmas: NumberOrNaN
    same_day: bool = Field(description="Dated the sheet's data date: only these make the tape.")


class TapeLegFact(Frozen):
    """One condition of a tape rule: the symbol's same-day move that way, in sigmas."""

    symbol: str
    direction: Literal["up", "down"]
    holds: bool


class TapeRuleFact(Frozen):
    """A tape and its conditions: every leg of `all_of` and, if any, one of `any_of`."""

    tape: str
    all_of: tuple[TapeLegFact, ...]
    any_of: tuple[TapeLegFact, ...]
    holds: bool


class MarketsFact(Frozen):
    """The markets on the sheet's data date: the bellwethers and the tape they make."""

    as_of: dt.date
    tape: Literal["risk-on", "risk-off", "mixed", "no reading"]
    min_sigmas: float = Field(description="A leg is up or down from this many of its sigmas.")
    moves: tuple[MarketFact, ...]
    rules: tuple[TapeRuleFact, ...] = Field(
        description="Tried in order; the first that holds wins."
    )


class ScoreFact(Frozen):
    """A score with its label and one-line explanation, its parts already in `facts`."""

    name: Literal["Pulse", "Conviction", "Risk", "Threat"]
    value: float
    label: str
    display: str = Field(description="How the badge shows it: '54/100', 'Medium', '3/5'.")
    explanation: str
    components: dict[str, float] = Field(description="Contribution of each component.")


class HistoryFact(Frozen):
    """A measured "historically..." pattern: may be claimed only when `supported`."""

    condition: str
    holds_today: bool
    horizon: int
    cases: int
    large_moves: int
    frequency: float
    base_rate: float
    supported: bool
    first: dt.date | None
    last: dt.date | None


class ThreatFact(Frozen):
    """Threat's chance, the size of move it is about, the fit it came from and its record."""

    probability: float
    move: float = Field(description="A sharp move here: a 5-bar return beyond this, either way.")
    fit_group: str = Field(description="Whose fit gave the chance: a peer group or all symbols.")
    own_fit: bool = Field(description="The symbol's group's own fit (else the pooled one).")
    fit_year: int
    record_group: str
    record_cases: int = Field(description="Past readings at today's level, non-overlapping.")
    record_frequency: float
    record_base_rate: float = Field(description="Sharp-move share of all past readings.")
    explanation: str


class LeanRecordFact(Frozen):
    """The record of today's lean state in the symbol's peer group, graded 5 bars on."""

    state: str
    label: Literal["Bullish", "Bearish"]
    group: str
    horizon: int
    cases: int = Field(description="Non-overlapping past cases in this state, outcome known.")
    hits: int
    all_cases: int = Field(description="All the group's known cases: the base rate's n.")
    all_moves: int = Field(description="Of them, those that moved the lean's way.")
    hit_rate: float
    base_rate: float
    z: float | None = Field(description="Standard errors above the base rate; None: too few.")
    verdict: Literal["edge", "none", "worse", "against"]
    call: Literal["Bullish", "Bearish"] = Field(
        description="The side the desk calls: the lean, or the other side when the record "
        "runs against it by 3.5 standard errors or more."
    )


class EventFact(Frozen):
    """A release: one scheduled after the sheet's date, or one that printed on it."""

    date: dt.date
    event: str
    days_ahead: int = Field(description="Days from the sheet's as-of; 0 or less once out.")
    rescheduled: bool = Field(
        default=False,
        description="Its date was set after a disruption (`pulsewire.facts.calendar`): "
        "never listed ahead, and, once out, a delayed release.",
    )


class Coverage(Frozen):
    """What the desk's news and calendar data reach, so an article can say where they stop.

    An empty `news` or `events` means "nothing found" only where the data covers the
    date: before the calendar starts, "nothing is scheduled" would be false.
    """

    news_first: dt.date | None = Field(description="Date of the first stored headline.")
    news_last: dt.date | None = Field(description="Date of the last stored headline.")
    news_items: int = Field(description="Headlines known in the 7 days up to the as-of.")
    news_covers: bool = Field(
        description="The news data holds the as-of: at least 50 headlines known in the "
        "7 days up to it (`pulsewire.facts.edition.NEWS_COVER_ITEMS`)."
    )
    calendar_first: dt.date | None = Field(description="Date of the calendar's first event.")
    calendar_last: dt.date | None = Field(
        description="Last date through which every series of the calendar is held: the "
        "earliest last release of a series (bundled: GDP and PCE end 2026-01-22, the "
        "BLS and Census series 2026-02-13, FOMC dates run to 2026-12-09)."
    )
    calendar_covers: bool = Field(
        description="The calendar holds every series from the as-of through the days "
        "ahead that an article lists (`EVENT_DAYS`)."
    )


class Source(Frozen):
    """A cited headline: published on or before the sheet's as-of time."""

    title: str
    snippet: str
    domain: str
    url: str
    published: dt.datetime
    relevance: float = Field(description="Ranking score; higher is more relevant.")
    matched: tuple[str, ...] = Field(description="Terms of the symbol's map the item matched.")


class RelatedFact(Frozen):
    """Another symbol of the edition, why it is related, and what it did on the day."""

    symbol: str
    name: str
    correlation: NumberOrNaN
    change: NumberOrNaN
    same_class: bool


class FactSheet(Frozen):
    """What the desk knows about one symbol at one close, and nothing else."""

    symbol: str
    name: str = Field(description="What readers call it: 'Russell 2000', 'Bitcoin'.")
    asset_class: str
    category: str
    as_of: dt.date = Field(description="The date asked for.")
    data_as_of: dt.date = Field(description="The date of the last bar used.")
    stale: bool
    stale_reason: str | None
    regime: str | None
    benchmark: BenchmarkBar = Field(
        description="Whether the S&P 500 (SPY) was there to measure relative strength "
        "against, and if not why: the store holds none, its bars start later, or stopped."
    )
    facts: dict[str, Fact]
    scores: tuple[ScoreFact, ...]
    threat_probability: float | None
    threat: ThreatFact | None
    levels: tuple[LevelFact, ...] = Field(
        description="Supports, then resistances, each side nearest the close first; none "
        "within half an ATR of the close."
    )
    at_close: tuple[LevelFact, ...] = Field(
        description="Zones within half an ATR of the close, nearest first: where price is."
    )
    range_low: float | None
    range_high: float | None
    history: tuple[HistoryFact, ...]
    record: LeanRecordFact | None
    findings: tuple[str, ...]
    events: tuple[EventFact, ...] = Field(
        description="Releases ahead whose dates were known at the as-of, soonest first."
    )
    released: tuple[EventFact, ...] = Field(
        description="Releases that printed on the data date by the as-of moment."
    )
    coverage: Coverage
    news: tuple[Source, ...]
    related: tuple[RelatedFact, ...]
    rarity: tuple[RarityFact, ...]
    move: MoveFact | None
    year_range: YearRangeFact | None
    markets: MarketsFact

    def nearest(self, side: Literal["support", "resistance"]) -> LevelFact | None:
        """Return the zone closest to the close on one side (levels are kept nearest first)."""
        return next((level for level in self.levels if level.side == side), None)
