"""Build one `FactSheet` from the analysis, the scores, the calendar and the news.

Each figure is registered once, under a key, with its unit and provenance; the writer
formats it through `pulsewire.facts.format` and the audit checks it came from here.
Window lengths (50-day, 14-bar...) are facts too, with the definition as their source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

from pydantic import TypeAdapter

from pulsewire.analysis.extremes import YearRange
from pulsewire.analysis.history import LONG_RUN_YEARS
from pulsewire.analysis.levels import (
    AT_CLOSE_ATR,
    FRESH_EXTREME_BARS,
    OPEN_AIR_ATR,
    WatchMap,
    Zone,
)
from pulsewire.analysis.markets import TAPE_RULES, TAPE_SIGMAS, CrossAsset, Leg
from pulsewire.analysis.rarity import RARITY_MIN_BARS, READINGS, DayMove, Rarity
from pulsewire.analysis.regime import TREND_ADX
from pulsewire.analysis.snapshot import SymbolAnalysis
from pulsewire.errors import DataError
from pulsewire.facts.calendar import known_ahead, released, rescheduled
from pulsewire.facts.sheet import (
    Coverage,
    EventFact,
    Fact,
    FactSheet,
    HistoryFact,
    LeanRecordFact,
    LevelFact,
    MarketFact,
    MarketsFact,
    MoveFact,
    RarityFact,
    RelatedFact,
    ScoreFact,
    Source,
    TapeLegFact,
    TapeRuleFact,
    ThreatFact,
    Unit,
    YearRangeFact,
)
from pulsewire.model import AssetClass, CalendarEvent, LevelKind, Outlier, Stale, profile
from pulsewire.model.score import Score
from pulsewire.scores.board import SymbolScores
from pulsewire.scores.threat import FEATURES, RATIOS, SIGMAS, ThreatReading

CATEGORIES: Final[Mapping[AssetClass, str]] = MappingProxyType(
    {
        AssetClass.EQUITY_INDEX: "Stocks",
        AssetClass.SECTOR: "Sectors",
        AssetClass.BOND: "Bonds",
        AssetClass.CREDIT: "Bonds",
        AssetClass.COMMODITY: "Commodities",
        AssetClass.CURRENCY: "Currencies",
        AssetClass.VOLATILITY: "Volatility",
        AssetClass.CRYPTO: "Crypto",
    }
)

RSI_HIGH: Final = 70
RSI_LOW: Final = 30
"""Where RSI reads overbought and oversold, Wilder's bounds."""

EVENT_DAYS: Final = 14
"""Calendar days ahead within which a release is a catalyst."""

WINDOWS: Final[Mapping[str, tuple[int, str]]] = MappingProxyType(
    {
        "window.sma_50": (50, "definition: simple moving average of 50 closes"),
        "window.sma_200": (200, "definition: simple moving average of 200 closes"),
        "window.ema_20": (20, "definition: exponential moving average of 20 closes"),
        "window.rsi": (14, "definition: Wilder RSI over 14 bars"),
        "window.atr": (14, "definition: Wilder ATR over 14 bars"),
        "window.volatility": (20, "definition: realised volatility of 20 daily returns"),
        "window.volume": (20, "definition: volume against the mean of the 20 bars before"),
        "window.week": (5, "definition: 5 bars, a trading week"),
        "window.month": (20, "definition: 20 bars, a trading month"),
        "window.quarter": (60, "definition: 60 bars, a trading quarter"),
        "window.year_weeks": (52, "definition: the 52-week (252-bar) high"),
        "scale.pulse": (100, "definition: Pulse, Conviction and Risk run 0-100"),
        "scale.threat": (5, "definition: Threat runs 1-5"),
        "threshold.rsi_high": (RSI_HIGH, "definition: RSI above this reads overbought"),
        "threshold.rsi_low": (RSI_LOW, "definition: RSI below this reads oversold"),
        "threshold.adx_trend": (
            int(TREND_ADX),
            "definition: ADX from this level counts as a trend",
        ),
        "threshold.sharp_sigmas": (
            int(SIGMAS),
            "definition: a sharp move is a 5-bar return beyond this many long-run daily "
            "volatilities x sqrt 5",
        ),
        "window.long_run_years": (
            LONG_RUN_YEARS,
            "definition: the long-run daily volatility is the median 20-day daily volatility "
            "of this many years of bars",
        ),
        "threshold.rarity_min_bars": (
            RARITY_MIN_BARS,
            "definition: a rarity is stated against at least this many of the symbol's bars",
        ),
        "threshold.fresh_extreme_bars": (
            FRESH_EXTREME_BARS,
            "definition: a 52-week high or low set within this many bars is on the level "
            "map before its pivot is confirmed",
        ),
    }
)

FRACTIONS: Final[Mapping[str, tuple[float, str]]] = MappingProxyType(
    {
        "threshold.at_close_atr": (
            AT_CLOSE_ATR,
            "definition: a zone whose nearest edge is within this many ATRs of the close "
            "is at the close, not a level to watch",
        ),
        "threshold.open_air_atr": (
            OPEN_AIR_ATR,
            "definition: open air is no level and no earlier 52-week extreme within this "
            "many ATRs of the close",
        ),
        "threshold.tape_sigmas": (
            TAPE_SIGMAS,
            "definition: a market is up or down for the tape from this many of its own "
            "20-day daily sigmas",
        ),
    }
)
"""Definitions that are not whole numbers, written as plain figures."""

INDICATOR_UNITS: Final[Mapping[str, Unit]] = MappingProxyType(
    {
        "sma_50": "price",
        "sma_200": "price",
        "ema_20": "price",
        "rsi_14": "index",
        "macd_histogram": "price",
        "bollinger_upper": "price",
        "bollinger_lower": "price",
        "atr_14": "price",
        "adx_14": "index",
        "realized_volatility_20": "percent",
        "volatility_percentile": "percent",
        "volume_ratio_20": "ratio",
        "return_1": "percent",
        "return_5": "percent",
        "return_20": "percent",
        "return_60": "percent",
        "distance_sma_50": "percent",
        "distance_sma_200": "percent",
        "high_252": "price",
        "drawdown_252": "percent",
    }
)
"""The indicators an article may quote, and how each is written."""

SCORE_DISPLAY: Final = {"Pulse": "{v:.0f}/100", "Conviction": "{v:.0f}", "Threat": "{v:.0f}/5"}


_FACTS: Final = TypeAdapter(dict[str, Fact])


class _Facts:
    """Collects facts under unique keys (a key registered twice is a bug)."""

    def __init__(self) -> None:
        # Plain fields, validated into `Fact`s in one pass (in Rust) by `_FACTS`:
        # a hundred Fact() calls would cost half of a sheet's time at 5,000 symbols.
        self.items: dict[str, dict[str, object]] = {}

    def add(self, key: str, value: float, unit: Unit, source: str) -> None:
        if key in self.items:
            raise ValueError(f"fact {key!r} registered twice")
        if math.isfinite(value):
            self.items[key] = {"value": value, "unit": unit, "source": source}


def _score_fact(score: Score, facts: _Facts, symbol: str, detail: str | None) -> ScoreFact:
    name = score.name.lower()
    where = f"{symbol} {score.name}, {score.as_of}"
    facts.add(name, score.value, "score" if score.name != "Threat" else "level", where)
    facts.add(f"{name}.base", score.base, "index", f"{where}: the base its parts add to")
    for component in score.components:
        facts.add(
            f"{name}.{component.name}",
            component.contribution,
            "index",
            f"{where}: {component.name} {component.rule}",
        )
    display = SCORE_DISPLAY.get(score.name, "{label}").format(v=score.value, label=score.label)
    return ScoreFact(
        name=score.name,  # type: ignore[arg-type]
        value=score.value,
        label=score.label,
        display=display,
        explanation=score.explain() if detail is None else f"{score.explain()}; {detail}",
        components={c.name: c.contribution for c in score.components},
    )


def _threat_fact(
    reading: ThreatReading | None, facts: _Facts, symbol: str, day: dt.date
) -> ThreatFact | None:
    """Add Threat's chance, move size and record to `facts`; return them as a `ThreatFact`."""
    if reading is None:
        return None
    fit = reading.fit
    where = f"{symbol} Threat, {day}: {fit.group} fit of {fit.year} on {fit.cases:,} past cases"
    facts.add("threat.probability", reading.probability, "percent", where)
    facts.add(
        "threat.move",
        reading.move,
        "percent",
        f"{symbol}, {day}: exp(2 x long-run daily volatility x sqrt 5) - 1",
    )
    facts.add("threat.fit_cases", fit.cases, "count", where)
    facts.add("threat.log_odds", fit.weights[0], "index", f"{where}: base log-odds")
    for name, part in reading.parts.items():
        facts.add(
            f"threat.{name}",
            reading.values[name],
            "ratio" if name in RATIOS else "percent",
            f"{symbol}, {day}: {FEATURES[name]}",
        )
        facts.add(f"threat.{name}.part", part, "index", f"{where}: log-odds of {name}")
    record = reading.record
    if record is not None:
        where = f"{record.group}: past Threat readings at level {record.level} before {record.year}"
        facts.add("threat.cases", record.cases, "count", where)
        facts.add("threat.frequency", record.frequency, "percent", where)
        facts.add("threat.base_rate", record.base_rate, "percent", f"{where}: every level")
    return ThreatFact(
        probability=reading.probability,
        move=reading.move,
        fit_group=fit.group,
        own_fit=reading.own,
        fit_year=fit.year,
        record_group=record.group if record else fit.group,
        record_cases=record.cases if record else 0,
        record_frequency=record.frequency if record else math.nan,
        record_base_rate=record.base_rate if record else math.nan,
        explanation=reading.explain(),
    )


def _level_fact(zone: Zone, close: float) -> LevelFact:
    level, extreme = zone.level, zone.extreme
    mark = None if extreme is None else "52-week high" if extreme.is_high else "52-week low"
    if level is not None:
        first, last = level.first_touch, level.last_touch
    elif extreme is not None:
        first = last = extreme.date
    else:
        raise DataError("zone", zone, "has neither pivots nor a 52-week extreme")
    return LevelFact(
        side="support" if zone.price <= close else "resistance",
        price=zone.price,
        low=zone.low,
        high=zone.high,
        touches=1 if level is None else level.touches,
        strength=0.0 if level is None else level.strength,
        first_touch=first,
        last_touch=last,
        flipped=level is not None and level.kind is LevelKind.BOTH,
        extreme=mark,  # type: ignore[arg-type]
        confirmed=level is not None,
    )


def _zone_facts(
    facts: _Facts, prefix: str, zones: Sequence[LevelFact], close: float, where: str
) -> None:
    for rank, zone in enumerate(zones[:3], start=1):
        at = f"{where} {rank}"
        facts.add(f"{prefix}.{rank}.price", zone.price, "price", at)
        facts.add(f"{prefix}.{rank}.low", zone.low, "price", at)
        facts.add(f"{prefix}.{rank}.high", zone.high, "price", at)
        facts.add(f"{prefix}.{rank}.touches", zone.touches, "count", at)
        facts.add(f"{prefix}.{rank}.distance", zone.price / close - 1, "percent", f"{at}, vs close")


def _watch_facts(
    watch: WatchMap, facts: _Facts, symbol: str, day: dt.date
) -> tuple[list[LevelFact], list[LevelFact], list[LevelFact]]:
    """Add the quoted zones, those at the close and open air; return the three lists."""
    close = watch.close
    supports = [_level_fact(z, close) for z in watch.supports]
    resistances = [_level_fact(z, close) for z in watch.resistances]
    at_close = [_level_fact(z, close) for z in watch.at_close]
    for side, zones in (("support", supports), ("resistance", resistances)):
        _zone_facts(facts, side, zones, close, f"{symbol} {side} zone of the last 252 bars, {day}:")
    _zone_facts(
        facts,
        "at_close",
        at_close,
        close,
        f"{symbol} zone within {AT_CLOSE_ATR:g} ATR of the close, {day}:",
    )
    for side, clear, way in (
        ("resistance", watch.open_air_above, "above"),
        ("support", watch.open_air_below, "below"),
    ):
        facts.add(
            f"{side}.open_air",
            float(clear),
            "count",
            f"{symbol}, {day}: 1 when no level and no earlier 52-week extreme lies {way} "
            f"within {OPEN_AIR_ATR:g} ATRs ({OPEN_AIR_ATR * watch.atr:.2f}) of the close",
        )
    return supports, resistances, at_close


def _total_return_facts(analysis: SymbolAnalysis, facts: _Facts) -> None:
    for name, value in analysis.total_returns.items():
        bars = int(name.rpartition("_")[2])
        span = "1 bar" if bars == 1 else f"{bars} bars"
        facts.add(
            name,
            value,
            "percent",
            f"{analysis.symbol} total return (adj_close) over {span}, {analysis.as_of}",
        )


def _rarity_facts(
    rarity: Sequence[Rarity], facts: _Facts, symbol: str, day: dt.date
) -> tuple[RarityFact, ...]:
    for item in rarity:
        reading = READINGS[item.reading]
        how = {"both": "as far from", "high": "as far above", "low": "as far below"}[reading.tail]
        where = (
            f"{symbol}: share of its {item.bars:,} bars from {item.first} to {day} with "
            f"{item.reading} {how} {reading.centre:g} as today's or farther"
        )
        facts.add(f"rarity.{item.reading}", item.share, "percent", where)
        facts.add(f"rarity.{item.reading}.bars", item.bars, "count", where)
    return tuple(
        RarityFact(reading=r.reading, share=r.share, bars=r.bars, first=r.first) for r in rarity
    )


def _move_fact(move: DayMove | None, facts: _Facts, symbol: str, day: dt.date) -> MoveFact | None:
    if move is None:
        return None
    where = (
        f"{symbol}, {day}: log price return over the daily volatility of closes at the bar before"
    )
    facts.add(
        "move.sigmas_20",
        math.nan if move.sigmas_20 is None else move.sigmas_20,
        "index",
        f"{where} (20-day)",
    )
    facts.add(
        "move.sigmas_long",
        math.nan if move.sigmas_long is None else move.sigmas_long,
        "index",
        f"{where} (long-run: median of {LONG_RUN_YEARS} years of 20-day values)",
    )
    if move.sessions_since is not None:
        facts.add(
            "move.last_as_large.sessions",
            move.sessions_since,
            "count",
            f"{symbol}: bars from {move.last_as_large}, its last 1-bar price move as large "
            f"the same way, to {day}",
        )
    return MoveFact(
        sigmas_20=math.nan if move.sigmas_20 is None else move.sigmas_20,
        sigmas_long=math.nan if move.sigmas_long is None else move.sigmas_long,
        last_as_large=move.last_as_large,
        sessions_since=move.sessions_since,
    )


def _year_range_fact(
    year: YearRange | None, facts: _Facts, symbol: str, day: dt.date
) -> YearRangeFact | None:
    if year is None:
        return None
    high, low = year.high, year.low
    facts.add(
        "low_252", low.price, "price", f"{symbol} lowest low of the last 252 bars, {low.date}"
    )
    facts.add("regain_252", year.regain, "percent", f"{symbol} high_252 / close - 1, {day}")
    facts.add("above_low_252", year.above_low, "percent", f"{symbol} close / low_252 - 1, {day}")
    for name, extreme in (("new_high_252", high), ("new_low_252", low)):
        word = "high" if extreme.is_high else "low"
        facts.add(
            name,
            float(extreme.sessions_since_fresh == 0),
            "count",
            f"{symbol}, {day}: 1 when the as-of bar set a fresh 52-week {word}",
        )
        if extreme.sessions_since_fresh is not None:
            facts.add(
                f"{name}.sessions",
                extreme.sessions_since_fresh,
                "count",
                f"{symbol}: bars from {extreme.last_fresh}, its last fresh 52-week {word}, "
                f"to {day}",
            )
    return YearRangeFact(
        high=high.price,
        high_date=high.date,
        low=low.price,
        low_date=low.date,
        new_high=high.sessions_since_fresh == 0,
        new_low=low.sessions_since_fresh == 0,
        last_new_high=high.last_fresh,
        last_new_low=low.last_fresh,
    )


def _markets_fact(markets: CrossAsset, facts: _Facts) -> MarketsFact:
    moves = []
    for move in markets.moves:
        when = (
            move.date if move.same_day else f"{move.date}, its last bar, current on {markets.as_of}"
        )
        facts.add(
            f"market.{move.symbol}.change",
            move.change,
            "percent",
            f"{move.symbol} 1-bar total return (adj_close), {when}",
        )
        sigmas = math.nan if move.sigmas is None else move.sigmas
        facts.add(
            f"market.{move.symbol}.sigmas",
            sigmas,
            "index",
            f"{move.symbol} log total return over its 20-day daily volatility at the bar "
            f"before, {when}",
        )
        moves.append(
            MarketFact(
                symbol=move.symbol,
                name=profile(move.symbol).name.text,
                date=move.date,
                change=move.change,
                sigmas=sigmas,
                same_day=move.same_day,
            )
        )
    same_day = {m.symbol: m.sigmas for m in markets.moves if m.same_day and m.sigmas is not None}

    def legs(items: Sequence[Leg]) -> tuple[TapeLegFact, ...]:
        return tuple(
            TapeLegFact(
                symbol=leg.symbol,
                direction="up" if leg.direction > 0 else "down",
                holds=leg.holds(same_day),
            )
            for leg in items
        )

    return MarketsFact(
        as_of=markets.as_of,
        tape=markets.tape.value,
        min_sigmas=TAPE_SIGMAS,
        moves=tuple(moves),
        rules=tuple(
            TapeRuleFact(
                tape=rule.tape.value,
                all_of=legs(rule.all_of),
                any_of=legs(rule.any_of),
                holds=rule.holds(same_day),
            )
            for rule in TAPE_RULES
        ),
    )


def build_factsheet(
    analysis: SymbolAnalysis,
    scores: SymbolScores,
    as_of: dt.date,
    events: Sequence[CalendarEvent],
    news: Sequence[Source],
    correlations: Mapping[str, float],
    now: dt.datetime,
    coverage: Coverage,
) -> FactSheet:
    """Return the FactSheet of one symbol at one close.

    `as_of` is the date asked for and `now` the moment of it the sheet is read at; the
    analysis may end earlier when the data stopped. `events` are the calendar's
    releases: those after `as_of` within `EVENT_DAYS` whose dates were known then
    (`known_ahead`) become catalysts, and those of the data date out by `now`
    (`released`) what printed. `news` are the selected headlines, `correlations` the
    60-bar correlation of each related symbol with this one, `coverage` what the
    edition's news and calendar reach.
    """
    symbol, day = analysis.symbol, analysis.as_of
    facts = _Facts()
    for key, (window, source) in WINDOWS.items():
        facts.add(key, window, "count", source)
    for key, (value, source) in FRACTIONS.items():
        facts.add(key, value, "index", source)
    facts.add("close", analysis.close, "price", f"{symbol} close, {day}")
    for name, unit in INDICATOR_UNITS.items():
        facts.add(name, analysis.indicators[name], unit, f"{symbol} {name}, {day}")
    facts.add(
        "periods_per_year",
        analysis.periods_per_year,
        "count",
        f"{symbol} sessions in a year of its calendar, which annualise its volatility",
    )
    facts.add(
        "atr_percent",
        analysis.indicators["atr_14"] / analysis.close,
        "percent",
        f"{symbol} atr_14 / close, {day}",
    )
    for name, value in analysis.relative_strength.items():
        facts.add(f"strength.{name}", value, "percent", f"{symbol} return minus {name}, {day}")

    _total_return_facts(analysis, facts)
    supports, resistances, at_close = _watch_facts(analysis.watch, facts, symbol, day)
    for name in ("swing_high", "swing_low"):
        pivot = getattr(analysis.levels, name)
        if pivot is not None:
            facts.add(
                name, pivot.price, "price", f"{symbol} {name} of the last 63 bars, {pivot.date}"
            )
    box = analysis.levels.range
    if box is not None:
        where = f"{symbol} range since {box.start}, {day}"
        facts.add("range.low", box.low, "price", where)
        facts.add("range.high", box.high, "price", where)
        facts.add("range.bars", box.bars, "count", where)

    details = {
        "Threat": None if scores.threat_reading is None else scores.threat_reading.explain(),
        "Conviction": None if scores.record is None else scores.record.explain(),
    }
    score_facts = tuple(
        _score_fact(score, facts, symbol, details.get(score.name))
        for score in (scores.pulse, scores.conviction, scores.risk, scores.threat)
        if score is not None
    )
    threat_fact = _threat_fact(scores.threat_reading, facts, symbol, day)
    record, record_fact = scores.record, None
    if record is not None and record.cases:
        where = (
            f"{record.group}: non-overlapping past cases reading {record.state} with a "
            f"{record.horizon}-bar outcome known by {day}"
        )
        facts.add("record.cases", record.cases, "count", where)
        facts.add("record.hit_rate", record.hit_rate, "percent", where)
        facts.add("record.base_rate", record.base_rate, "percent", f"{where}: every state")
        facts.add("record.all_cases", record.all_cases, "count", f"{where}: every state")
        facts.add("record.horizon", record.horizon, "count", where)
        if math.isfinite(record.z):
            facts.add("record.z", record.z, "index", f"{where}: z over the base rate")
        record_fact = LeanRecordFact(
            **dataclasses.asdict(record),
            label=record.label,  # type: ignore[arg-type]
            hit_rate=record.hit_rate,
            base_rate=record.base_rate,
            z=record.z if math.isfinite(record.z) else None,
            verdict=record.verdict,  # type: ignore[arg-type]
            call=record.call,  # type: ignore[arg-type]
        )

    history = []
    for result in analysis.calm_history:
        key = f"history.calm.{result.horizon}"
        where = f"{symbol} {result.condition}, cases to {result.last_date}"
        facts.add(f"{key}.horizon", result.horizon, "count", where)
        facts.add(f"{key}.cases", result.cases, "count", where)
        facts.add(f"{key}.large_moves", result.large_moves, "count", where)
        facts.add(f"{key}.frequency", result.frequency, "percent", where)
        facts.add(f"{key}.base_rate", result.base_rate, "percent", where)
        history.append(
            HistoryFact(
                condition=result.condition,
                holds_today=result.holds_at_as_of,
                horizon=result.horizon,
                cases=result.cases,
                large_moves=result.large_moves,
                frequency=result.frequency,
                base_rate=result.base_rate,
                supported=result.supported,
                first=result.first_date,
                last=result.last_date,
            )
        )

    moved = rescheduled(tuple(events))
    event_facts, released_facts = (
        tuple(
            EventFact(
                date=e.date,
                event=e.event,
                days_ahead=(e.date - as_of).days,
                rescheduled=e in moved,
            )
            for e in chosen
        )
        for chosen in (known_ahead(events, as_of, EVENT_DAYS), released(events, day, now))
    )
    for index, event in enumerate(event_facts):
        facts.add(f"event.{index}.days", event.days_ahead, "days", f"calendar: {event.event}")
    facts.add(
        "coverage.news_items",
        coverage.news_items,
        "count",
        f"headlines known in the 7 days to {now:%Y-%m-%d %H:%M} UTC",
    )

    related = []
    for move in analysis.day.related:
        facts.add(
            f"related.{move.symbol}.change",
            move.change,
            "percent",
            f"{move.symbol} 1-bar return, {move.date}",
        )
        related.append(
            RelatedFact(
                symbol=move.symbol,
                name=profile(move.symbol).name.text,
                correlation=correlations.get(move.symbol, math.nan),
                change=move.change,
                same_class=profile(move.symbol).asset_class == profile(symbol).asset_class,
            )
        )

    rarity = _rarity_facts(analysis.rarity, facts, symbol, day)
    move_fact = _move_fact(analysis.move, facts, symbol, day)
    year_range = _year_range_fact(analysis.year, facts, symbol, day)
    markets = _markets_fact(analysis.markets, facts)
    stale = next((f for f in analysis.findings if isinstance(f, Stale)), None)
    if stale is not None:
        facts.add("stale.sessions", stale.sessions_behind, "count", str(stale))
    asset_class = profile(symbol).asset_class
    return FactSheet(
        symbol=symbol,
        name=profile(symbol).name.text,
        asset_class=str(asset_class) if asset_class else "other",
        category=CATEGORIES.get(asset_class, "Markets") if asset_class else "Markets",
        as_of=as_of,
        data_as_of=day,
        stale=stale is not None,
        stale_reason=None if stale is None else str(stale),
        regime=None if analysis.regime is None else str(analysis.regime),
        benchmark=analysis.benchmark,
        facts=_FACTS.validate_python(facts.items),
        scores=score_facts,
        threat_probability=None if threat_fact is None else threat_fact.probability,
        threat=threat_fact,
        levels=tuple(supports + resistances),
        at_close=tuple(at_close),
        range_low=None if box is None else box.low,
        range_high=None if box is None else box.high,
        history=tuple(history),
        record=record_fact,
        findings=tuple(str(f) for f in analysis.findings if not isinstance(f, Outlier)),
        events=event_facts,
        released=released_facts,
        coverage=coverage,
        news=tuple(news),
        related=tuple(related),
        rarity=rarity,
        move=move_fact,
        year_range=year_range,
        markets=markets,
    )
