"""The template writer: a FactSheet in, an Article out, in a sharp market-column voice.

Every figure is printed through `Figures`, which reads the sheet's facts only, so the
audit can trace it. The facts choose what is said (direction, regime, levels, stale
data, measured history); `Voice` chooses among equivalent phrasings. A stale series
gets its data problem said first, and no story of a quiet market is told from it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Final, Literal

from pulsewire.article.model import Article, ScoreBadge, SourceRef
from pulsewire.facts.format import show, show_date
from pulsewire.facts.sheet import FactSheet, HistoryFact, LevelFact
from pulsewire.writer.voice import Voice

WORDS_PER_MINUTE: Final = 200
UNPRICED: Final = frozenset({"VIX"})
"""Symbols quoted in points, not dollars."""


class Figures:
    """The sheet's facts, written the one way the audit expects."""

    def __init__(self, sheet: FactSheet) -> None:
        self._facts = sheet.facts
        self._dollar = "" if sheet.symbol in UNPRICED else "$"

    def has(self, *keys: str) -> bool:
        """Return whether every key is a fact of the sheet."""
        return all(key in self._facts for key in keys)

    def value(self, key: str) -> float:
        """Return a fact's raw value (for choosing words, never printed as is)."""
        return self._facts[key].value

    def price(self, key: str) -> str:
        """Return a price fact with its currency sign."""
        return self._dollar + show(self._facts[key])

    def pct(self, key: str, *, signed: bool = False, whole: bool = False) -> str:
        """Return a percent fact, signed if asked."""
        return show(self._facts[key], signed=signed, whole=whole)

    def rank(self, key: str) -> str:
        """Return a fraction as an ordinal percentile: 0.21 -> '21st'."""
        return show(self._facts[key], ordinal_rank=True)

    def touches(self, key: str) -> str:
        """Return a count of touches with its noun: '1 touch', '3 touches'."""
        return f"{self.num(key)} touch{'' if self.value(key) == 1 else 'es'}"

    def num(self, key: str, *, signed: bool = False, whole: bool = False) -> str:
        """Return any other fact: a count, an index, a ratio, a score."""
        return show(self._facts[key], signed=signed, whole=whole)


def _direction(value: float, up: str, down: str, flat: str) -> str:
    if value > 0:
        return up
    return down if value < 0 else flat


class _Writer:
    """Writes one article; each method is one section."""

    def __init__(self, sheet: FactSheet) -> None:
        self.sheet = sheet
        self.f = Figures(sheet)
        self.voice = Voice(f"{sheet.symbol}|{sheet.as_of}")
        self.name = sheet.name
        self.Name = sheet.name[0].upper() + sheet.name[1:]
        self.label = next(s.label for s in sheet.scores if s.name == "Pulse")
        supports = [lv for lv in sheet.levels if lv.side == "support"]
        resistances = [lv for lv in sheet.levels if lv.side == "resistance"]
        self.support = supports[0] if supports else None
        self.resistance = resistances[0] if resistances else None

    def pick(self, slot: str, *options: str) -> str:
        return self.voice.pick(slot, options)

    # The hook of the story, from the facts, in priority order.
    def angle(self) -> Literal["stale", "breakout", "squeeze", "trend", "range"]:
        regime = self.sheet.regime
        if self.sheet.stale:
            return "stale"
        if regime == "breakout":
            return "breakout"
        if regime == "squeeze":
            return "squeeze"
        if regime in ("trend up", "trend down"):
            return "trend"
        return "range"

    def title(self) -> str:
        f, name = self.f, _headline(self.name)
        angle = self.angle()
        if angle == "stale":
            return self.pick(
                "title",
                f"{name}: The Feed Stopped, So We Stop Short of a Call",
                f"{name} Data Stops at {show_date(self.sheet.data_as_of)}: Read With Care",
                f"Stale Tape on {name}: What We Can and Cannot Say",
            )
        move = f.value("return_1")
        verb = self.pick(
            f"title-verb-{move > 0}",
            *(
                ("Climbing", "Pushing Higher", "Adding Ground", "Edging Up", "Grinding Higher")
                if move > 0
                else ("Slipping", "Giving Ground", "Easing", "Pulling Back", "Drifting Lower")
            ),
        )
        if angle == "breakout":
            tail = self.pick(
                "title-tail", "Out of Its Box", "Through the Channel", "as the Range Breaks"
            )
        elif angle == "squeeze":
            tail = self.pick(
                "title-tail",
                "as the Bands Pinch",
                "Inside a Tight Squeeze",
                "With Volatility Coiled",
            )
        elif angle == "trend":
            up = self.sheet.regime == "trend up"
            tail = self.pick(
                f"title-tail-{up}",
                *(
                    ("With the Uptrend Intact", "Riding Its Trend", "as Buyers Keep Control")
                    if up
                    else (
                        "Inside a Downtrend",
                        "as Sellers Keep the Upper Hand",
                        "With the Trend Still Down",
                    )
                ),
            )
        elif self.resistance is not None and self.support is not None:
            tail = self.pick(
                "title-tail",
                f"Between {f.price('support.1.price')} and {f.price('resistance.1.price')}",
                f"With {f.price('resistance.1.price')} Overhead",
                f"Above Support at {f.price('support.1.price')}",
            )
        else:
            tail = self.pick(
                "title-tail", "Inside Its Range", "Without a Trend", "in a Sideways Tape"
            )
        return f"{name} {verb} {tail}"

    def dek(self) -> str:
        f = self.f
        if self.sheet.stale:
            return (
                f"The last bar we hold is from {show_date(self.sheet.data_as_of)}; "
                f"scores below describe that close, not today."
            )
        lead = self.pick(
            "dek-lead",
            f"A {f.pct('return_1', signed=True)} day leaves {self.name} at {f.price('close')}",
            f"{self.Name} closed at {f.price('close')}, {f.pct('return_1', signed=True)} on the day",
            f"At {f.price('close')} ({f.pct('return_1', signed=True)}), {self.name} closes the session",
        )
        pulse = next(s for s in self.sheet.scores if s.name == "Pulse")
        return f"{lead}; Pulse reads {pulse.display} ({pulse.label})."

    def summary(self) -> str:
        sheet, f = self.sheet, self.f
        scores = {s.name: s for s in sheet.scores}
        parts = [f"Pulse {scores['Pulse'].display}", f"{scores['Conviction'].label} conviction"]
        parts.append(f"Risk {scores['Risk'].label}")
        if "Threat" in scores:
            threat = f"Threat {scores['Threat'].display}"
            if f.has("threat.probability"):
                threat += (
                    f": {f.pct('threat.probability')} of past bars at this level saw a sharp move "
                    f"within {f.num('window.week')} sessions"
                )
            parts.append(threat)
        regime = sheet.regime or "warming up"
        return f"{'; '.join(parts)}. Regime: {regime}."

    def stale_paragraph(self) -> str:
        sheet = self.sheet
        return (
            f"First, the data: {sheet.stale_reason}. An unchanged price from a feed "
            f"that stopped says nothing about the market, so this piece makes no claim about "
            f"where {self.name} trades now; the figures below are as of "
            f"{show_date(sheet.data_as_of)}."
        )

    def move_paragraph(self) -> str:
        f = self.f
        week, month = f.value("return_5"), f.value("return_20")
        first = self.pick(
            "move-open",
            f"{self.Name} ended at {f.price('close')}, {f.pct('return_1', signed=True)} on the session.",
            f"The close: {f.price('close')}, a {f.pct('return_1', signed=True)} move on the day.",
            f"{f.price('close')} is where {self.name} settled, {f.pct('return_1', signed=True)} from the prior close.",
            f"{self.Name} finished the day {f.pct('return_1', signed=True)} at {f.price('close')}.",
        )
        agree = (week > 0) == (month > 0)
        second = self.pick(
            f"move-span-{agree}",
            *(
                (
                    f"That makes {f.pct('return_5', signed=True)} over {f.num('window.week')} sessions "
                    f"and {f.pct('return_20', signed=True)} over {f.num('window.month')}, the same direction on both clocks.",
                    f"Over a week it is {f.pct('return_5', signed=True)}; over a month, {f.pct('return_20', signed=True)}.",
                    f"The week ({f.pct('return_5', signed=True)}) and the month ({f.pct('return_20', signed=True)}) point the same way.",
                )
                if agree
                else (
                    f"The week says {f.pct('return_5', signed=True)} while the month says {f.pct('return_20', signed=True)}: the short and the longer clock disagree.",
                    f"A {f.pct('return_5', signed=True)} week sits against a {f.pct('return_20', signed=True)} month, so the recent move cuts across the bigger one.",
                )
            ),
        )
        parts = [first, second]
        if self.f.has("sma_50", "sma_200", "distance_sma_50", "distance_sma_200"):
            above50 = f.value("distance_sma_50") > 0
            above200 = f.value("distance_sma_200") > 0
            side50 = "above" if above50 else "below"
            side200 = "above" if above200 else "below"
            parts.append(
                self.pick(
                    f"move-ma-{above50}-{above200}",
                    f"Price sits {f.pct('distance_sma_50')} {side50} the {f.num('window.sma_50')}-day average "
                    f"({f.price('sma_50')}) and {f.pct('distance_sma_200')} {side200} the {f.num('window.sma_200')}-day ({f.price('sma_200')}).",
                    f"Against its averages, {self.name} is {f.pct('distance_sma_50')} {side50} the {f.num('window.sma_50')}-day "
                    f"and {f.pct('distance_sma_200')} {side200} the {f.num('window.sma_200')}-day.",
                    f"The {f.num('window.sma_50')}-day line at {f.price('sma_50')} is {f.pct('distance_sma_50')} "
                    f"{'below' if above50 else 'above'} price; the {f.num('window.sma_200')}-day at {f.price('sma_200')} is {f.pct('distance_sma_200')} {'below' if above200 else 'above'}.",
                )
            )
        return " ".join(parts)

    def regime_paragraph(self) -> str:
        sheet, f = self.sheet, self.f
        rsi, adx = f.value("rsi_14"), f.value("adx_14")
        rsi_word = "overbought" if rsi > 70 else "oversold" if rsi < 30 else "mid-range"
        trend_word = "a trend with some force" if adx >= 25 else "no real trend strength"
        regime = sheet.regime
        if sheet.stale:
            # A stopped feed looks compressed: no squeeze or calm story is told from it.
            lead = f"Trend filters read ADX {f.num('adx_14')} at that last close."
        elif regime == "squeeze":
            lead = self.pick(
                "regime",
                "Bollinger bandwidth is in the bottom tenth of its year: a squeeze.",
                "The bands have pinched to their narrowest decile of the year, the textbook squeeze.",
                "Volatility has compressed enough to register as a squeeze on the bands.",
            )
        elif regime == "breakout":
            lead = self.pick(
                "regime",
                f"The close left the prior {f.num('window.month')}-bar channel, which had been narrow: a breakout by our rules.",
                f"Our rules flag a breakout: price exited a tight {f.num('window.month')}-bar channel.",
            )
        elif regime in ("trend up", "trend down"):
            lead = self.pick(
                f"regime-{regime}",
                f"The regime reads {regime}: ADX at {f.num('adx_14')} with the {f.num('window.sma_50')}-day average sloping the same way.",
                f"By our definition this is a {regime}, with ADX {f.num('adx_14')} and price on the trend's side of its {f.num('window.sma_50')}-day.",
                f"Trend filters agree on {regime}; ADX prints {f.num('adx_14')}.",
            )
        else:
            lead = self.pick(
                "regime-range",
                f"No trend qualifies: ADX {f.num('adx_14')} shows {trend_word}, so we file this under range.",
                f"The regime is range, with ADX at {f.num('adx_14')}, which is {trend_word}.",
                f"Call it a range: ADX {f.num('adx_14')} and no decisive slope in the {f.num('window.sma_50')}-day.",
            )
        momentum = self.pick(
            f"rsi-{rsi_word}",
            f"RSI ({f.num('window.rsi')}) is {f.num('rsi_14')}, {rsi_word}.",
            f"Momentum by RSI ({f.num('window.rsi')}): {f.num('rsi_14')}, which is {rsi_word}.",
            f"With RSI at {f.num('rsi_14')}, momentum is {rsi_word}.",
        )
        vol = ""
        if f.has("realized_volatility_20", "volatility_percentile") and not sheet.stale:
            vol = self.pick(
                "vol",
                f" Realised volatility over {f.num('window.volatility')} days runs at {f.pct('realized_volatility_20')} annualised, "
                f"the {f.rank('volatility_percentile')} percentile of its year.",
                f" {f.num('window.volatility')}-day volatility: {f.pct('realized_volatility_20')}, ranking at the "
                f"{f.rank('volatility_percentile')} percentile of the past year.",
            )
        return f"{lead} {momentum}{vol}"

    def context_paragraph(self) -> str | None:
        sheet, f = self.sheet, self.f
        moves = [r for r in sheet.related if f.has(f"related.{r.symbol}.change")]
        if not moves:
            return None
        listed = ", ".join(
            f"{r.name} {f.pct(f'related.{r.symbol}.change', signed=True)}" for r in moves
        )
        lead = self.pick(
            "context",
            f"Around it: {listed}.",
            f"For context, the neighbours moved too: {listed}.",
            f"The related tape: {listed}.",
            f"Elsewhere in the group, {listed}.",
        )
        if f.has("strength.vs_spy_20") and sheet.symbol != "SPY":
            gap = f.value("strength.vs_spy_20")
            lead += " " + self.pick(
                f"strength-{gap > 0}",
                f"Over {f.num('window.month')} sessions {self.name} has {'beaten' if gap > 0 else 'lagged'} the S&P 500 by {f.pct('strength.vs_spy_20')}.",
                f"Relative to the S&P 500 it is {f.pct('strength.vs_spy_20', signed=True)} over {f.num('window.month')} sessions.",
            )
        return lead

    def history_paragraph(self) -> str | None:
        """Say what calm volatility preceded, only with its numbers, and only when it applies."""
        sheet, f = self.sheet, self.f
        if sheet.stale:
            return None
        claims: list[HistoryFact] = [h for h in sheet.history if h.holds_today]
        if not claims:
            return None
        supported = [h for h in claims if h.supported]
        if not supported:
            h = claims[0]
            key = f"history.calm.{h.horizon}"
            return (
                f"Volatility is in the calmest tenth of its year. We checked whether that has "
                f"preceded sharp moves in {self.name}: over {f.num(key + '.cases')} past cases, "
                f"{f.pct(key + '.frequency')} were followed by one within {f.num(key + '.horizon')} "
                f"sessions against {f.pct(key + '.base_rate')} on all days, not enough to claim a pattern."
            )
        h = supported[0]
        key = f"history.calm.{h.horizon}"
        return self.pick(
            "history",
            f"Volatility sits in the calmest tenth of its year, and that has mattered before: in "
            f"{f.num(key + '.cases')} past cases, {f.pct(key + '.frequency')} saw a sharp move within "
            f"{f.num(key + '.horizon')} sessions, against {f.pct(key + '.base_rate')} on an average day.",
            f"Historically, calm like this preceded sharp moves more often than usual: "
            f"{f.num(key + '.large_moves')} of {f.num(key + '.cases')} cases ({f.pct(key + '.frequency')}) "
            f"within {f.num(key + '.horizon')} sessions, versus a base rate of {f.pct(key + '.base_rate')}.",
        )

    def news_paragraph(self) -> str | None:
        news = self.sheet.news
        if not news:
            return None
        top = news[0]
        lead = self.pick(
            "news",
            f"On the wires, {top.domain} ran “{top.title}”.",
            f"The headline that matters most here, from {top.domain}: “{top.title}”.",
            f"News flow: “{top.title}” ({top.domain}).",
        )
        if len(news) > 1:
            lead += f" Also in view: “{news[1].title}”."
        return lead

    def _level_line(self, level: LevelFact) -> str:
        """Return the Watch line of the nearest zone on one side: where, why, what next."""
        f, key = self.f, f"{level.side}.1"
        above = level.side == "resistance"
        edge = f"{key}.high" if above else f"{key}.low"
        zone = (
            f.price(f"{key}.price")
            if f.value(f"{key}.low") == f.value(f"{key}.high")
            else f"{f.price(f'{key}.low')}-{f.price(f'{key}.high')}"
        )
        flipped = (", a former floor" if above else ", a former ceiling") if level.flipped else ""
        beyond = f"a close {'above' if above else 'below'} {f.price(edge)}"
        nothing = "no mapped zone overhead" if above else "no mapped floor beneath"
        target = (
            f"{beyond} {'opens' if above else 'exposes'} {f.price(f'{level.side}.2.price')}."
            if f.has(f"{level.side}.2.price")
            else f"{beyond} leaves {nothing}."
        )
        return (
            f"{level.side.capitalize()} {zone} ({f.touches(f'{key}.touches')}, "
            f"last {show_date(level.last_touch)}{flipped}): {target}"
        )

    def watch(self) -> tuple[str, ...]:
        f = self.f
        items = [
            self._level_line(level)
            for level in (self.resistance, self.support)
            if level is not None
        ]
        if f.has("range.low", "range.high"):
            items.append(
                f"Range: {f.price('range.low')}-{f.price('range.high')} for {f.num('range.bars')} bars; "
                f"a close outside it ends the range."
            )
        if f.has("sma_50", "sma_200"):
            items.append(
                f"Moving averages: {f.num('window.sma_50')}-day {f.price('sma_50')}, "
                f"{f.num('window.sma_200')}-day {f.price('sma_200')}, {f.num('window.ema_20')}-day EMA {f.price('ema_20')}."
            )
        items.append(f"RSI ({f.num('window.rsi')}): {f.num('rsi_14')}; ADX {f.num('adx_14')}.")
        if f.has("volume_ratio_20"):
            items.append(
                f"Volume: {f.num('volume_ratio_20')} its {f.num('window.volume')}-day mean."
            )
        if f.has("atr_14", "realized_volatility_20"):
            items.append(
                f"Volatility: ATR ({f.num('window.atr')}) {f.price('atr_14')}; "
                f"{f.num('window.volatility')}-day realised {f.pct('realized_volatility_20')}."
            )
        return tuple(items)

    def catalysts(self) -> tuple[str, ...]:
        f = self.f
        items = [
            f"{e.event}: {show_date(e.date)}, in {f.num(f'event.{i}.days')} days."
            for i, e in enumerate(self.sheet.events)
        ]
        items.extend(
            f"“{s.title}” ({s.domain}, {show_date(s.published.date())})"
            for s in self.sheet.news[:3]
        )
        if not items:
            items.append("No high-importance release on the calendar in the next two weeks.")
        return tuple(items)

    def risks(self) -> tuple[str, ...]:
        sheet, f = self.sheet, self.f
        items = []
        if sheet.stale:
            items.append("The feed behind these figures stopped; anything may have happened since.")
        if self.support is not None:
            items.append(
                self.pick(
                    "risk-support",
                    f"A close under {f.price('support.1.low')} would break the nearest floor.",
                    f"Losing {f.price('support.1.low')} on a closing basis turns support into overhead.",
                )
            )
        if f.has("drawdown_252") and f.value("drawdown_252") < -0.1:
            items.append(
                f"Still {f.pct('drawdown_252')} below its {f.num('window.year_weeks')}-week high of {f.price('high_252')}."
            )
        if sheet.events:
            first = sheet.events[0]
            items.append(
                f"{first.event} on {show_date(first.date)} can reprice everything at once."
            )
        threat = next((s for s in sheet.scores if s.name == "Threat"), None)
        if threat is not None and threat.value >= 4:
            items.append(f"Threat {threat.display}: the odds of a sharp move are above the usual.")
        if not items:
            items.append(
                "No single level or event stands out; the risk is a shift in the broad tape."
            )
        return tuple(items)

    def opportunities(self) -> tuple[str, ...]:
        f = self.f
        items = []
        if self.resistance is not None:
            items.append(
                self.pick(
                    "opp-res",
                    f"A close through {f.price('resistance.1.high')} would confirm buyers are in charge.",
                    f"Clearing {f.price('resistance.1.high')} on a close is the bullish trigger.",
                )
            )
        if self.support is not None:
            items.append(
                self.pick(
                    "opp-sup",
                    f"Pullbacks that hold {f.price('support.1.low')} offer a defined-risk entry.",
                    f"Dips toward {f.price('support.1.price')} give a level to lean on, with a stop below {f.price('support.1.low')}.",
                )
            )
        if not items:
            items.append("Without mapped levels nearby, patience is the position.")
        return tuple(items)

    def take(self) -> str:
        sheet = self.sheet
        conviction = next(s for s in sheet.scores if s.name == "Conviction")
        if sheet.stale:
            return (
                f"No call on stale data. Refresh the {sheet.symbol} feed before acting; until then "
                f"the levels above are history, not a plan."
            )
        label, angle = self.label, self.angle()
        lean = {
            "Bullish": "leans long",
            "Bearish": "leans short",
            "Neutral": "has no edge either way",
        }[label]
        body = self.pick(
            f"take-{label}-{angle}",
            f"The tape {lean}, with {conviction.label.lower()} conviction.",
            f"Net: the signals {lean}; conviction is {conviction.label.lower()}.",
            f"Our read {lean} ({conviction.label.lower()} conviction).",
        )
        if self.support is not None and self.resistance is not None:
            body += " " + self.pick(
                "take-levels",
                f"Let {self.f.price('support.1.low')} and {self.f.price('resistance.1.high')} decide; trade the break, not the middle.",
                f"The map is simple: above {self.f.price('resistance.1.high')} the case improves, below {self.f.price('support.1.low')} it fails.",
            )
        return body

    def tags(self) -> tuple[str, ...]:
        sheet = self.sheet
        tags = [sheet.symbol.lower(), sheet.asset_class.replace(" ", "-"), self.label.lower()]
        if sheet.regime:
            tags.append(sheet.regime.replace(" ", "-"))
        if sheet.stale:
            tags.append("stale-data")
        for event in sheet.events:
            tag = _event_tag(event.event)
            if tag not in tags:
                tags.append(tag)
        for source in sheet.news:
            for term in source.matched:
                tag = term.replace(" ", "-")
                if tag not in tags and len(tags) < 10:
                    tags.append(tag)
        return tuple(tags)

    def scores(self) -> tuple[ScoreBadge, ...]:
        return tuple(ScoreBadge(**s.model_dump(exclude={"components"})) for s in self.sheet.scores)


def _headline(name: str) -> str:
    """Return a name in headline case: 'the Russell 2000' -> 'The Russell 2000'."""
    return " ".join(word if word[0].isupper() else word.capitalize() for word in name.split())


def _event_tag(event: str) -> str:
    lowered = event.lower()
    for needle, tag in (
        ("employment", "jobs-report"),
        ("cpi", "cpi"),
        ("fomc", "fomc"),
        ("retail", "retail-sales"),
        ("gross domestic", "gdp"),
        ("personal income", "pce"),
    ):
        if needle in lowered:
            return tag
    return "macro"


def write_article(sheet: FactSheet, published: dt.datetime) -> Article:
    """Return the article of one FactSheet; related articles are added by the edition."""
    w = _Writer(sheet)
    body = [w.stale_paragraph()] if sheet.stale else []
    body.append(w.move_paragraph())
    body.append(w.regime_paragraph())
    for paragraph in (w.context_paragraph(), w.history_paragraph(), w.news_paragraph()):
        if paragraph is not None:
            body.append(paragraph)
    watch, catalysts = w.watch(), w.catalysts()
    risks, opportunities, take = w.risks(), w.opportunities(), w.take()
    text: Sequence[str] = [*body, *watch, *catalysts, *risks, *opportunities, take]
    words = sum(len(t.split()) for t in text)
    return Article(
        slug=f"{sheet.symbol.lower()}-{sheet.as_of.isoformat()}",
        symbol=sheet.symbol,
        title=w.title(),
        dek=w.dek(),
        category=sheet.category,
        tags=w.tags(),
        sentiment=w.label,  # type: ignore[arg-type]
        scores=w.scores(),
        summary=w.summary(),
        body=tuple(body),
        watch=watch,
        catalysts=catalysts,
        risks=risks,
        opportunities=opportunities,
        take=take,
        sources=tuple(
            SourceRef(**s.model_dump(include=set(SourceRef.model_fields))) for s in sheet.news
        ),
        related=(),
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
        published=published,
        data_as_of=sheet.data_as_of,
        stale=sheet.stale,
    )
