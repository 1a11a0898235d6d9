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

from pulsewire.analysis.regime import TREND_ADX
from pulsewire.analysis.snapshot import SymbolAnalysis
from pulsewire.facts.sheet import (
    EventFact,
    Fact,
    FactSheet,
    HistoryFact,
    LeanRecordFact,
    LevelFact,
    RelatedFact,
    ScoreFact,
    Source,
    ThreatFact,
    Unit,
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
    }
)

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


def build_factsheet(
    analysis: SymbolAnalysis,
    scores: SymbolScores,
    as_of: dt.date,
    events: Sequence[CalendarEvent],
    news: Sequence[Source],
    correlations: Mapping[str, float],
) -> FactSheet:
    """Return the FactSheet of one symbol at one close.

    `as_of` is the date asked for; the analysis may end earlier when the data stopped.
    `events` are the calendar's releases (those after `as_of` within `EVENT_DAYS`
    become catalysts), `news` the selected headlines, `correlations` the 60-bar
    correlation of each related symbol with this one.
    """
    symbol, day = analysis.symbol, analysis.as_of
    facts = _Facts()
    for key, (window, source) in WINDOWS.items():
        facts.add(key, window, "count", source)
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

    levels = [
        LevelFact(
            side="support" if level.supports(analysis.close) else "resistance",
            price=level.price,
            low=level.low,
            high=level.high,
            touches=level.touches,
            strength=level.strength,
            first_touch=level.first_touch,
            last_touch=level.last_touch,
            flipped=level.kind is LevelKind.BOTH,
        )
        for level in analysis.levels.levels
    ]
    supports = sorted((lv for lv in levels if lv.side == "support"), key=lambda lv: -lv.price)
    resistances = sorted((lv for lv in levels if lv.side == "resistance"), key=lambda lv: lv.price)
    for side, ordered in (("support", supports), ("resistance", resistances)):
        for rank, zone in enumerate(ordered[:3], start=1):
            where = f"{symbol} {side} zone {rank} of the last 252 bars, {day}"
            facts.add(f"{side}.{rank}.price", zone.price, "price", where)
            facts.add(f"{side}.{rank}.low", zone.low, "price", where)
            facts.add(f"{side}.{rank}.high", zone.high, "price", where)
            facts.add(f"{side}.{rank}.touches", zone.touches, "count", where)
            facts.add(
                f"{side}.{rank}.distance",
                zone.price / analysis.close - 1,
                "percent",
                f"{where}, vs close",
            )
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

    ahead = sorted(
        (e for e in events if 0 < (e.date - as_of).days <= EVENT_DAYS and e.importance == "high"),
        key=lambda e: (e.date, e.event),
    )
    event_facts = tuple(
        EventFact(date=e.date, event=e.event, days_ahead=(e.date - as_of).days) for e in ahead
    )
    for index, event in enumerate(event_facts):
        facts.add(f"event.{index}.days", event.days_ahead, "days", f"calendar: {event.event}")

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
        range_low=None if box is None else box.low,
        range_high=None if box is None else box.high,
        history=tuple(history),
        record=record_fact,
        findings=tuple(str(f) for f in analysis.findings if not isinstance(f, Outlier)),
        events=event_facts,
        news=tuple(news),
        related=tuple(related),
    )
