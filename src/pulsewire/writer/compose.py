"""The template writer: a FactSheet in, an Article out, in a sharp market-column voice.

Every figure is printed through `Figures`, which reads the sheet's facts only, so the
audit can trace it. The facts choose what is said (direction, size of the move against
the symbol's own volatility, regime, where price sits against its averages and levels,
stale data, measured history); the lexicon says it in the words of the symbol's market;
`Voice` chooses among equivalent phrasings. A stale series gets its data problem said
first, and no story of a quiet market is told from it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import ChainMap
from collections.abc import Sequence
from typing import Final, Literal

from pulsewire.analysis.context import BenchmarkBar
from pulsewire.article.model import Article, ScoreBadge, SourceRef
from pulsewire.facts.format import price_scale, show, show_date
from pulsewire.facts.sheet import Fact, FactSheet, HistoryFact, LevelFact, ScoreFact
from pulsewire.model import Quote, universe
from pulsewire.writer.lexicon import EVENT_CHANNELS, EVENT_SHOCKS, character, release
from pulsewire.writer.voice import Voice

WORDS_PER_MINUTE: Final = 200
UNPRICED: Final = frozenset(s for s, p in universe().items() if p.quote is Quote.POINTS)
"""Symbols quoted in points, not dollars."""

_ZERO_PERCENT: Final = show(Fact(value=0, unit="percent", source="definition"))
"""A percent too small to print: '0.0%' reads as "at", never as a distance."""

Angle = Literal["stale", "breakout", "squeeze", "trend", "range"]


class Figures:
    """The sheet's facts, written the one way the audit expects."""

    def __init__(self, sheet: FactSheet) -> None:
        self._facts = sheet.facts
        self._dollar = "" if sheet.symbol in UNPRICED else "$"
        self._scale = price_scale(sheet.facts)

    def has(self, *keys: str) -> bool:
        """Return whether every key is a fact of the sheet."""
        return all(key in self._facts for key in keys)

    def value(self, key: str) -> float:
        """Return a fact's raw value (for choosing words, never printed as is)."""
        return self._facts[key].value

    def price(self, key: str) -> str:
        """Return a price fact with its currency sign."""
        return self._dollar + show(self._facts[key], scale=self._scale)

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

    def zone(self, key: str) -> str:
        """Return a level zone as '$258.20' or '$257.90-$258.50'.

        A zone whose ends print alike (equal, or closer than the digits shown) is
        written as its price: never '$258.20-$258.20'.
        """
        low, high = self.price(f"{key}.low"), self.price(f"{key}.high")
        if low == high:
            return self.price(f"{key}.price")
        return f"{low}-{high}"


def _plural(reference: str) -> bool:
    """Return whether a name takes a plural verb: 'small caps are', 'the VIX is'."""
    return reference.endswith("s") and not reference.endswith("'s")


def _subject(reference: str) -> dict[str, str]:
    """Return a reference with the verb endings that agree with it, for templates."""
    many = _plural(reference)
    return {
        "it": reference,
        "is": "are" if many else "is",
        "has": "have" if many else "has",
        "was": "were" if many else "was",
        "its": "their" if many else "its",
        "s": "" if many else "s",
        "es": "" if many else "es",
        "ies": "y" if many else "ies",
    }


def _bare(verb: str) -> str:
    """Return a headline verb for a plural subject: 'Pushes Higher' -> 'Push Higher'."""
    first, _, rest = verb.partition(" ")
    for singular, plural in (("ies", "y"), ("shes", "sh"), ("s", "")):
        if first.endswith(singular):
            first = first.removesuffix(singular) + plural
            break
    return " ".join(w for w in (first, rest.replace("Its", "Their")) if w)


def _headline(name: str) -> str:
    """Return a name in headline case: 'the Russell 2000' -> 'The Russell 2000'."""
    return " ".join(
        "-".join(part[:1].upper() + part[1:] for part in word.split("-")) for word in name.split()
    )


class _Writer:
    """Writes one article; each method is one section."""

    def __init__(self, sheet: FactSheet) -> None:
        self.sheet = sheet
        self.f = Figures(sheet)
        self.voice = Voice(f"{sheet.symbol}|{sheet.as_of}")
        self.character = character(sheet.symbol)
        self.references = (sheet.name, *self.character.aliases)
        self.scores = {s.name: s for s in sheet.scores}
        self.label = self.scores["Pulse"].label
        self.support, self.resistance = sheet.nearest("support"), sheet.nearest("resistance")
        self.values = self._values()
        self._said = self.voice.pick("references", range(len(self.references)))
        self._subjects = {reference: _subject(reference) for reference in self.references}

    def _values(self) -> dict[str, str]:
        """Return every figure a template may name, printed once, keyed by a short name."""
        f, sheet = self.f, self.sheet
        values = {
            "name": sheet.name,
            "date": show_date(sheet.data_as_of),
            "drivers": self.character.drivers,
            "up": self.character.up,
            "down": self.character.down,
            "pulse": self.scores["Pulse"].display,
            "label": self.label,
            "conviction": self.scores["Conviction"].label.lower(),
            "risk": self.scores["Risk"].label.lower(),
            "regime": sheet.regime or "warming-up",
        }
        printed = {
            "close": ("close", f.price),
            "week": ("window.week", f.num),
            "month": ("window.month", f.num),
            "rsi_window": ("window.rsi", f.num),
            "rsi": ("rsi_14", f.num),
            "adx": ("adx_14", f.num),
            "rsi_high": ("threshold.rsi_high", f.num),
            "rsi_low": ("threshold.rsi_low", f.num),
            "adx_trend": ("threshold.adx_trend", f.num),
            "sma50_window": ("window.sma_50", f.num),
            "sma200_window": ("window.sma_200", f.num),
            "ema20_window": ("window.ema_20", f.num),
            "sma50": ("sma_50", f.price),
            "sma200": ("sma_200", f.price),
            "ema20": ("ema_20", f.price),
            "d50": ("distance_sma_50", f.pct),
            "d200": ("distance_sma_200", f.pct),
            "vol_window": ("window.volatility", f.num),
            "vol": ("realized_volatility_20", f.pct),
            "vol_rank": ("volatility_percentile", f.rank),
            "atr_window": ("window.atr", f.num),
            "atr": ("atr_14", f.price),
            "atr_pct": ("atr_percent", f.pct),
            "volume_window": ("window.volume", f.num),
            "volume": ("volume_ratio_20", f.num),
            "year_weeks": ("window.year_weeks", f.num),
            "high252": ("high_252", f.price),
            "drawdown": ("drawdown_252", f.pct),
            "gap": ("strength.vs_spy_20", f.pct),
            "threat_p": ("threat.probability", f.pct),
            "threat_move": ("threat.move", f.pct),
            "threat_freq": ("threat.frequency", f.pct),
            "threat_base": ("threat.base_rate", f.pct),
            "range_low": ("range.low", f.price),
            "range_high": ("range.high", f.price),
            "range_bars": ("range.bars", f.num),
        }
        for short, (key, write) in printed.items():
            if f.has(key):
                values[short] = write(key)
        for span in ("return_1", "return_5", "return_20"):
            values[span.replace("return_", "r")] = f.pct(span, signed=True)
        values["r1u"] = f.pct("return_1")
        if "Threat" in self.scores:
            values["threat"] = self.scores["Threat"].display
        for side in ("support", "resistance"):
            for rank in (1, 2):
                key = f"{side}.{rank}"
                if f.has(f"{key}.price"):
                    short = f"{side[:3]}{rank}"
                    values[short] = f.price(f"{key}.price")
                    values[f"{short}_low"] = f.price(f"{key}.low")
                    values[f"{short}_high"] = f.price(f"{key}.high")
                    values[f"{short}_zone"] = f.zone(key)
                    values[f"{short}_away"] = f.pct(f"{key}.distance")
        return values

    def say(self, slot: str, template: str, **extra: str) -> str:
        """Write one phrase; `{it}` is the symbol under its name or one of its aliases."""
        # The name rotates through its aliases, so neighbouring sentences do not repeat it.
        reference = self.references[self._said % len(self.references)]
        self._said += 1
        return self.voice.say(
            slot, template, ChainMap(extra, self._subjects[reference], self.values)
        )

    def _month_clause(self) -> str:
        """How big the month was against the symbol's own volatility, in words."""
        swing = self._swing(self.f.value("window.month"))
        if swing is None:
            return ""
        size = abs(self.f.value("return_20")) / swing
        if size >= 2:
            return (
                "[, an outsized month by {its} standards|, a month well beyond {its} usual swing]"
            )
        return "[, a quiet month|, little net change for a month|]" if size < 0.5 else ""

    def _swing(self, bars: float) -> float | None:
        """The symbol's usual move over `bars` bars: its 20-day volatility scaled to them.

        The volatility was annualised by the symbol's own year (`periods_per_year`, 365
        bars for crypto), so the same year scales it back.
        """
        f = self.f
        if not f.has("realized_volatility_20", "periods_per_year"):
            return None
        if f.value("realized_volatility_20") <= 0:
            return None
        return f.value("realized_volatility_20") * math.sqrt(bars / f.value("periods_per_year"))

    def _high_clause(self) -> str:
        """Where the close sits against its 52-week high, when that is the story."""
        if not self.f.has("drawdown_252", "high_252"):
            return ""
        drawdown = self.f.value("drawdown_252")
        if drawdown == 0:
            return "[, and the close is a fresh {year_weeks}-week high|; this close sets a {year_weeks}-week high]"
        if self.values["drawdown"] == _ZERO_PERCENT:
            return "[, a hair under {its} {year_weeks}-week high of {high252}|, within a whisker of the {year_weeks}-week high at {high252}]"
        if drawdown > -0.02:
            return "[, {drawdown} shy of {its} {year_weeks}-week high|, within {drawdown} of the {year_weeks}-week high at {high252}]"
        return ""

    @property
    def sigma(self) -> float | None:
        """The day's move in daily standard deviations of the last 20 bars, if known."""
        swing = self._swing(1)
        return None if swing is None else self.f.value("return_1") / swing

    def size(self) -> Literal["big", "large", "normal", "small", "unknown"]:
        """How the day's move compares with the symbol's own daily swing."""
        sigma = self.sigma
        if sigma is None or self.sheet.stale:
            # A stopped feed's last "move" may be a repeated bar: its size says nothing.
            return "unknown"
        magnitude = abs(sigma)
        if magnitude >= 2:
            return "big"
        if magnitude >= 1:
            return "large"
        return "small" if magnitude < 0.5 else "normal"

    def rsi_zone(self) -> Literal["overbought", "oversold", "mid-range"]:
        """Where RSI sits against Wilder's bounds."""
        rsi = self.f.value("rsi_14")
        if rsi > self.f.value("threshold.rsi_high"):
            return "overbought"
        return "oversold" if rsi < self.f.value("threshold.rsi_low") else "mid-range"

    def rsi_lean(self) -> Literal["high", "low", "middle"]:
        """Which half of the mid-range RSI is in, so "well short of either extreme" is true."""
        rsi = self.f.value("rsi_14")
        return "high" if rsi >= 60 else "low" if rsi <= 40 else "middle"

    def trending(self) -> bool:
        """Whether ADX reaches the level the regime calls a trend."""
        return self.f.value("adx_14") >= self.f.value("threshold.adx_trend")

    # The hook of the story, from the facts, in priority order.
    def angle(self) -> Angle:
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
        angle = self.angle()
        head = _headline(self.voice.pick("title/it", self.references))
        if angle == "stale":
            return self.voice.say(
                "title",
                "[{head}: [The Feed Stopped, So We Stop Short of a Call|No Fresh Bars, No Call]"
                "|{head} Data Stops at {date}: [Read With Care|Handle With Care]"
                "|Stale Tape on {head}: What We Can and Cannot Say]",
                ChainMap({"head": head}, self.values),
            )
        up, size = self.f.value("return_1") > 0, self.size()
        verbs = (
            ("Treads Water", "Marks Time", "Barely Budges", "Holds Its Ground", "Stalls")
            if size == "small"
            else ("Jumps", "Surges", "Rips Higher", "Rallies Hard", "Leaps")
            if up and size == "big"
            else ("Climbs", "Pushes Higher", "Adds Ground", "Edges Up", "Grinds Higher", "Firms")
            if up
            else ("Tumbles", "Slides", "Sinks", "Drops Hard", "Skids")
            if size == "big"
            else ("Slips", "Gives Ground", "Eases", "Pulls Back", "Drifts Lower", "Softens")
        )
        verb = self.voice.pick("title-verb", verbs)
        if _plural(head):
            verb = _bare(verb)
        tails = {
            "breakout": "[ Out of the Box| Through the Channel| as the Range Breaks|, Leaving the Range Behind]",
            "squeeze": " [as the Bands Pinch|Inside a Tight Squeeze|With Volatility Coiled|as Bollinger Bands Narrow]",
            "trend": (
                " [With the Uptrend Intact|Riding the Trend|as Buyers Keep Control|in a Tape Buyers Own]"
                if self.sheet.regime == "trend up"
                else " [Inside a Downtrend|as Sellers Keep the Upper Hand|With the Trend Still Down|as the Downtrend Holds]"
            ),
            "range": " [Inside the Range|Without a Trend|in a Sideways Tape|Between the Lines]",
        }
        tail = tails[angle]
        if angle == "range" and self.resistance is not None and self.support is not None:
            tail = (
                " [Between {sup1} and {res1}|With {res1} Overhead|Above Support at {sup1}]"
                if size == "small"
                else " [Between {sup1} and {res1}|With {res1} Overhead|Toward {res1}|Off {sup1}]"
                if up
                else " [Between {sup1} and {res1}|Above Support at {sup1}|Toward {sup1}|Below {res1}]"
            )
        return self.voice.say(
            "title", f"{{head}} {verb}{tail}", ChainMap({"head": head}, self.values)
        )

    def dek(self) -> str:
        if self.sheet.stale:
            return self.say(
                "dek",
                "[The last bar we hold is from {date}|Our data end on {date}|The feed's last print is {date}]; "
                "[the scores below describe that close, not today|everything below is as of that close].",
            )
        lead = (
            "[A {r1} [day|session] [leaves|puts] {it} at {close}"
            "|{it} closed at {close}, {r1} on the day"
            "|At {close} ({r1}), {it} [ends|closes out] the session"
            "|{r1} on the day left {it} at {close}]"
        )
        meaning = {
            "big": "[, a sign that {mood}|; read: {mood}|, and the message is that {mood}]",
            "large": "[, a hint that {mood}|, as if {mood}]",
            "small": "[, a small move by {its} own standards|, well inside {its} usual daily swing]",
        }.get(self.size(), "")
        mood = self.values["up" if self.f.value("return_1") > 0 else "down"]
        tail = "[; Pulse reads {pulse} ({label})|; Pulse sits at {pulse}, {label}|, with Pulse at {pulse} ({label})|, and Pulse [stands at|prints] {pulse}, {label}]."
        return self.say("dek", lead + meaning + tail, mood=mood)

    def summary(self) -> str:
        scores = self.scores
        record = self.sheet.record
        if record is not None and record.verdict == "against":
            parts = "[Pulse {pulse}, {label}, but the record calls the other side, with {conviction} conviction|Pulse {pulse} ({label}); the desk calls against it, conviction {conviction}]"
        else:
            parts = "[Pulse {pulse}, {label}, with {conviction} conviction|Pulse {pulse} ({label}); conviction {conviction}]"
        parts += "[; risk {risk}|, risk {risk}|; Risk reads {risk}]"
        if "Threat" in scores:
            parts += "[; Threat {threat}|, Threat {threat}]"
            if "threat_p" in self.values:
                parts += (
                    "[: a {threat_p} modelled chance of a move beyond {threat_move} within {week} sessions"
                    "| ({threat_p} odds, by the desk's model, of a {week}-session move beyond {threat_move})]"
                )
        parts += (
            "[; no regime call from a stopped feed|; the regime is not called on stale data]."
            if self.sheet.stale
            else "[; regime: {regime}|; {it} {is} in a {regime} regime|; the regime reads {regime}|, in a {regime} regime]."
        )
        return self.say("summary", parts)

    def stale_paragraph(self) -> str:
        return self.say(
            "stale",
            "[First, the data|Before anything else, a data warning|A word on the data first]: {reason}. "
            "[An unchanged price from a feed that stopped says nothing about the market|"
            "A price that stops changing because the feed stopped is not a quiet market], "
            "so this piece makes no claim about where {it} trade{s} now; "
            "the figures below are as of {date}.",
            reason=self.sheet.stale_reason or "the feed stopped",
        )

    def move_paragraph(self) -> str:
        f = self.f
        size = {
            "big": "[, more than twice {its} usual daily swing|, an outsized day by {its} standards]",
            "large": "[, a bigger swing than {its} usual day|, larger than {its} typical session]",
            "small": "[, a small move by {its} recent standards|, well inside {its} usual daily range]",
            "normal": "[, an ordinary-sized day|, a routine move by {its} standards|]",
        }.get(self.size(), "")
        parts = [
            self.say(
                "move-open-stale",
                "[The last close on record, from {date}, is {close}|{name} last printed {close} on {date}], {r1} on that session.",
            )
            if self.sheet.stale
            else self.say(
                "move-open",
                "[{name} ended at {close}, {r1} on the [session|day]"
                "|The close: {close}, a {r1} move [on the day|from the prior close]"
                "|{close} is where {name} settled, {r1} from the prior close"
                "|{name} finished the day {r1} at {close}"
                "|{it} "
                + (
                    "[held|finished unchanged] at {close}"
                    if self.values["r1u"] == _ZERO_PERCENT
                    else "[rose|gained|added|climbed] {r1u} to [close at|finish at|settle at] {close}"
                    if self.f.value("return_1") > 0
                    else "[fell|lost|gave up|shed] {r1u} to [close at|finish at|settle at] {close}"
                )
                + "]"
                + size
                + ".",
            )
        ]
        agree = (f.value("return_5") > 0) == (f.value("return_20") > 0)
        way = "up" if f.value("return_20") > 0 else "down"
        span = (
            "[That makes {r5} over {week} sessions and {r20} over {month} for {it}[, the same direction on both clocks|; both clocks agree]"
            "|Over a week {it} [{is}|stand{s}] {r5}; over a month, {r20}"
            "|The week ({r5}) and the month ({r20}) both point " + way + " for {it}"
            "|"
            + way.capitalize()
            + " on both clocks for {it}: {r5} on the week, {r20} on the month"
            "|{it} {has} [put together|strung together] {r5} in {week} sessions and {r20} in {month}"
            "|[Step back|Zoom out] and the picture [for {it} |]holds: {r5} on the week, {r20} on the month]"
            if agree
            else "[The week says {r5} while the month says {r20}[: the short and the longer clock disagree|, so the clocks disagree]"
            "|A {r5} week sits against a {r20} month[, so the recent move cuts across the bigger one|; {it} {is} [turning|fighting the month]]"
            "|For {it}, {r5} over {week} sessions runs against {r20} over {month}"
            "|[Step back|Zoom out] and the picture [for {it} |]changes: {r5} on the week, {r20} on the month]"
        )
        parts.append(
            self.say(f"move-span-{agree}", span + self._month_clause() + self._high_clause() + ".")
        )
        if f.has("distance_sma_50", "distance_sma_200", "sma_50", "sma_200"):
            above50, above200 = f.value("distance_sma_50") > 0, f.value("distance_sma_200") > 0
            sides = {
                "side50": "above" if above50 else "below",
                "side200": "above" if above200 else "below",
            }
            shape = (
                "[both averages are under price, the trend-follower's setup|the trend-follower's setup|both lines now act as support beneath]"
                if above50 and above200
                else "[both averages sit overhead|the averages cap rallies until they are retaken|a setup trend-followers avoid]"
                if not (above50 or above200)
                else "[the long trend and the short one disagree|the averages send mixed signals]"
            )
            parts.append(
                self.say(
                    f"move-ma-{above50}-{above200}",
                    "[Price sits {d50} {side50} the {sma50_window}-day average ({sma50}) and {d200} {side200} the {sma200_window}-day ({sma200})[ on {it}|]"
                    "|Against {its} averages, {it} {is} {d50} {side50} the {sma50_window}-day and {d200} {side200} the {sma200_window}-day"
                    "|{it} trade{s} {d50} {side50} {its} {sma50_window}-day ({sma50}) and {d200} {side200} the {sma200_window}-day ({sma200})"
                    "|The {sma50_window}-day line sits at {sma50} with price {d50} {side50} it, the {sma200_window}-day at {sma200} with price {d200} {side200}[ for {it}|]]"
                    "[: " + shape + "|]" + ".",
                    **sides,
                )
            )
        return " ".join(parts)

    def regime_paragraph(self) -> str:
        sheet, f = self.sheet, self.f
        zone, strong = self.rsi_zone(), self.trending()
        force = (
            "[a trend with some force|real directional force]"
            if strong
            else "[barely any direction|almost no directional pull]"
            if self.f.value("adx_14") < 15
            else "[no real trend strength|little directional force]"
        )
        regime = sheet.regime
        if sheet.stale:
            # A stopped feed looks compressed: no squeeze or calm story is told from it.
            lead = "[Trend filters read ADX {adx} at that last close|At that last close, ADX read {adx}]."
        elif regime == "squeeze":
            lead = (
                "[Bollinger bandwidth on {it} is in the bottom tenth of its year: a squeeze"
                "|The bands have pinched to their narrowest decile of the year, the textbook squeeze"
                "|Volatility has compressed enough to register as a squeeze on the bands]"
                "[; the break, when it comes, picks the direction|; the bands say how tight, not which way|]."
            )
        elif regime == "breakout":
            lead = (
                "[The close left the prior {month}-bar channel, which had been narrow: a breakout by our rules[ for {it}|]"
                "|Our rules flag a breakout[ in {it}|]: price exited a tight {month}-bar channel"
                "|{it} broke out of a narrow {month}-bar channel on this close]."
            )
        elif regime in ("trend up", "trend down"):
            lead = (
                "[The regime [reads|is] {regime}: ADX at {adx} with the {sma50_window}-day average sloping the same way[ for {it}|]"
                "|{it} {is} in a {regime}[: ADX {adx}, and the {sma50_window}-day slopes with it|, ADX {adx} confirming]"
                "|By our definition this is a {regime}, with ADX {adx} (a trend counts from {adx_trend})[ and price on the trend's side of its {sma50_window}-day|]"
                "|Trend filters agree on {regime} for {it}; ADX prints {adx}, above the {adx_trend} line]"
                "[; fighting it needs a reason|; the burden of proof is on the other side|]."
            )
        else:
            lead = (
                "[No trend qualifies[ for {it}|]: ADX {adx} shows "
                + force
                + "[, so we file it under range|]"
                "|The regime is range for {it}, with ADX at {adx}[, under the {adx_trend} that marks a trend|: "
                + force
                + "]"
                "|Call it a range[ for {it}|]: ADX {adx} and no decisive slope in the {sma50_window}-day[|, so neither side owns the tape]"
                "|{it} {is} not trending: ADX {adx} shows " + force + "[; range rules apply|]]."
            )
        momentum = {
            "overbought": "[RSI ({rsi_window}) is {rsi}, above the {rsi_high} line that marks overbought|momentum is stretched, RSI {rsi} past {rsi_high}|RSI on {it} has pushed to {rsi}, beyond {rsi_high}]",
            "oversold": "[RSI ({rsi_window}) is {rsi}, below the {rsi_low} line that marks oversold|momentum is washed out, RSI {rsi} under {rsi_low}|RSI on {it} has sunk to {rsi}, under {rsi_low}]",
            "mid-range": "[RSI ({rsi_window}) [is|reads] {rsi}[ on {it}|]|momentum by RSI ({rsi_window}) reads {rsi}|RSI sits at {rsi}]"
            + {
                "high": "[, in the upper half and short of {rsi_high}|, leaning toward overbought without reaching {rsi_high}]",
                "low": "[, in the lower half and above {rsi_low}|, leaning toward oversold without reaching {rsi_low}]",
                "middle": "[, neither stretched nor washed out|, between {rsi_low} and {rsi_high}|, well short of either extreme|]",
            }[self.rsi_lean()],
        }[zone]
        volatility = ""
        if f.has("realized_volatility_20", "volatility_percentile") and not sheet.stale:
            calm = f.value("volatility_percentile")
            read = (
                "[, near the calm end of its range|, low by its own standards|]"
                if calm < 0.25
                else "[, toward the wild end of its range|, high by its own standards|]"
                if calm > 0.75
                else ""
            )
            volatility = (
                "[; |, while |, and ]"
                "[realised volatility over {vol_window} days runs at {vol} annualised|{vol_window}-day volatility is {vol}|realised volatility ({vol_window} days) is {vol}|prices are swinging at {vol} annualised over {vol_window} days]"
                "[, the {vol_rank} percentile of its year|, ranking at the {vol_rank} percentile of the past year|, {vol_rank} percentile of the trailing year|, which ranks {vol_rank} of the last year's readings in percentile terms]"
                + read
            )
        parts = [
            self.say(f"regime-{regime}", lead),
            self.say(f"rsi-{zone}", momentum + volatility + "."),
        ]
        return " ".join(parts)

    def context_paragraph(self) -> str | None:
        """Say what the related markets did and how the symbol fared against the S&P 500.

        What could not be compared is said too: a store without the S&P 500 (or with
        its bars starting later, or stopped) gives no relative strength, and a symbol
        with no related market in the store is said to stand alone.
        """
        sheet, f = self.sheet, self.f
        moves = [r for r in sheet.related if f.has(f"related.{r.symbol}.change")]
        if not moves:
            alone = self._alone()
            return alone if alone is not None else self._strength()
        listed = ", ".join(
            f"{r.name} {f.pct(f'related.{r.symbol}.change', signed=True)}" for r in moves
        )
        same = sum((r.change > 0) == (f.value("return_1") > 0) for r in moves)
        company = (
            "[; the move was shared|, so the move was shared|; the group moved together]"
            if same == len(moves)
            else "[; {its} move stood alone|, so the move was {its} own|; the group split]"
            if same == 0
            else "[; a mixed group|, a split tape|]"
        )
        parts = [
            self.say(
                "context",
                "[Around {it}|For context|Next door|In the same corner of the market|Elsewhere in the group], "
                "[the related tape read|the neighbours printed|peers went]: {listed}"
                + company
                + ".",
                listed=listed,
            )
        ]
        strength = self._strength()
        if strength is not None:
            parts.append(strength)
        return " ".join(parts)

    def _alone(self) -> str | None:
        """Say that nothing in the store compares with the symbol, when that is so."""
        if self.sheet.benchmark is not BenchmarkBar.NOT_HELD:
            return None
        return self.say(
            "context-alone",
            "[Nothing in the store sets {it} against the market: there is no series for the S&P 500 and no related market, so no relative strength is given"
            "|{it} stand{s} alone here: the store holds neither the S&P 500 nor a related market, so there is no relative strength to give]"
            ".",
        )

    def _strength(self) -> str | None:
        """Say the month's gap to the S&P 500, or why there is none."""
        sheet, f = self.sheet, self.f
        missing = {
            BenchmarkBar.NOT_HELD: "[The store holds no series for the S&P 500, so no relative strength is given"
            "|Without the S&P 500 in the store, {it} {is} not measured against the market]",
            BenchmarkBar.NOT_YET: "[The S&P 500 series does not reach back this far, so no relative strength is given"
            "|With no bars for the S&P 500 yet, {it} {is} not measured against the market]",
            BenchmarkBar.NOT_CURRENT: "[The S&P 500 has no current bar, its feed having stopped, so no relative strength is given"
            "|With the S&P 500's feed stopped, {it} {is} not measured against the market]",
        }
        if sheet.benchmark in missing:
            return self.say(
                f"strength-missing-{sheet.benchmark.name}", missing[sheet.benchmark] + "."
            )
        if sheet.benchmark is BenchmarkBar.SELF or not f.has("strength.vs_spy_20"):
            return None
        gap = f.value("strength.vs_spy_20")
        ahead = gap > 0
        margin = (
            "[, a wide margin|; that is leadership|, clear leadership]"
            if gap > 0.05
            else "[, a wide gap|; that is a laggard's record|, a clear laggard]"
            if gap < -0.05
            else "[, a narrow margin|; close to a tie|, little to separate them|]"
        )
        return self.say(
            f"strength-{ahead}",
            (
                "[Over {month} sessions {it} {has} beaten the S&P 500 by {gap}|{it} {has} outrun the S&P 500 by {gap} across {month} sessions|Relative to the S&P 500, {it} {is} ahead by {gap} over {month} sessions|Against the S&P 500, the {month}-session score is {gap} in favour of {it}]"
                + margin
                + "."
                if ahead
                else "[Over {month} sessions {it} {has} lagged the S&P 500 by {gap}|{it} {has} trailed the S&P 500 by {gap} across {month} sessions|Relative to the S&P 500, {it} {is} behind by {gap} over {month} sessions|Against the S&P 500, the {month}-session score is {gap} against {it}]"
                + margin
                + "."
            ),
        )

    def history_paragraph(self) -> str | None:
        """Say what history measured, only with its counts and base rates.

        The Threat level's record (every symbol's past bars at that level) is said for
        every live sheet; the calm-volatility record of the symbol itself only when calm
        holds today, and claimed as a pattern only when it is supported.
        """
        if self.sheet.stale:
            return None
        parts = [self._calm_history(), self._threat_history()]
        said = [part for part in parts if part is not None]
        return " ".join(said) if said else None

    def _threat_history(self) -> str | None:
        """Threat's chance, what a sharp move is here, and the group's record at that level."""
        threat = self.sheet.threat
        if threat is None or not self.f.has("threat.probability", "threat.move"):
            return None
        f = self.f
        fit = "its peers' own fit" if threat.own_fit else "a fit pooled over every symbol"
        said = self.say(
            "history-threat",
            "[Threat on {it} reads {threat}|For {it}, Threat is {threat}|Threat for {it} stands at {threat}]"
            ": [the desk's model, " + fit + ", gives|" + fit + " gives]"
            " {threat_p} odds of a move beyond {threat_move} either way within {week} sessions"
            "[, twice {its} normal volatility for that span|, a move twice the size {its} years of normal volatility imply].",
        )
        if not f.has("threat.cases", "threat.frequency", "threat.base_rate"):
            return said
        above = f.value("threat.frequency") > f.value("threat.base_rate")
        compare = (
            "[, above the {threat_base} share across all their readings|, against {threat_base} across every level]"
            if above
            else "[, no more than the {threat_base} share across all their readings|, against {threat_base} across every level]"
        )
        return (
            said
            + " "
            + self.say(
                "history-threat-record",
                "[On the record, of {cases} past readings at that level on {group}, {threat_freq} were followed by one"
                "|Of {cases} earlier readings on {group} at that level, {threat_freq} saw such a move]"
                + compare
                + ".",
                cases=f.num("threat.cases"),
                group=threat.record_group,
            )
        )

    def _calm_history(self) -> str | None:
        claims: list[HistoryFact] = [h for h in self.sheet.history if h.holds_today]
        if not claims:
            return None
        supported = [h for h in claims if h.supported]
        h = (supported or claims)[0]
        key = f"history.calm.{h.horizon}"
        f = self.f
        figures = {
            "cases": f.num(f"{key}.cases"),
            "hits": f.num(f"{key}.large_moves"),
            "freq": f.pct(f"{key}.frequency"),
            "base": f.pct(f"{key}.base_rate"),
            "horizon": f.num(f"{key}.horizon"),
        }
        if not supported:
            return self.say(
                "history-unsupported",
                "[Volatility is in the calmest tenth of its year|{it} {is} calmer than on nine days in ten of the past year]. "
                "[We checked whether that has preceded a break out of the calm in {name}|Does calm like this end in a break in {name}? We counted]: "
                "over {cases} past cases, {freq} were followed within {horizon} sessions by a move beyond twice {its} calm 20-day volatility (not Threat's long-run yardstick), against {base} on all days"
                "[, not enough to claim a pattern|; no pattern worth claiming].",
                **figures,
            )
        return self.say(
            "history",
            "[Volatility sits in the calmest tenth of its year, and in {name} that has mattered before: in {cases} past cases, "
            "{freq} broke out of the calm within {horizon} sessions, against {base} on an average day"
            "|Historically, calm like this ended in a break more often than usual: {hits} of {cases} cases ({freq}) "
            "within {horizon} sessions, versus a base rate of {base}]"
            " (a break: a move beyond twice {its} calm 20-day volatility, not Threat's long-run yardstick)"
            "[, though calm is not a forecast of direction|; the count says when, not which way|].",
            **figures,
        )

    def news_paragraph(self) -> str | None:
        news = self.sheet.news
        if not news:
            return None
        lead = self.say(
            "news",
            "[On the wires, and bearing on {drivers}|The headline that matters most for {it}|For a market that trades on {drivers}, the news of note]"
            "[, {domain} ran “{title}”|: “{title}” ({domain})].",
            domain=news[0].domain,
            title=news[0].title,
        )
        if len(news) > 1:
            lead += " " + self.say(
                "news-also",
                "[Also in view|Behind it|Further down the list|Next on the list][ for {it}|, on {drivers}|]: “{title}”[ ({domain})|].",
                domain=news[1].domain,
                title=news[1].title,
            )
        return lead

    def _level_line(self, level: LevelFact) -> str:
        """Return the Watch line of the nearest zone on one side: where, why, what next."""
        above = level.side == "resistance"
        short = "res" if above else "sup"
        has_next = self.f.has(f"{level.side}.2.price")
        head = (
            "[Resistance|Overhead supply|The ceiling|First resistance] [at|sits at|comes in at] {zone} ({away})"
            if above
            else "[Support|The floor|First support|Demand] [at|sits at|comes in at] {zone} ({away})"
        )
        flipped = (
            "[, a former floor|, once support]"
            if above
            else "[, a former ceiling|, once resistance]"
        )
        history = (
            "[, {touches}, last on {last}|: {touches}, the latest on {last}|, tested {times}, last {last}]"
            + (flipped if level.flipped else "")
        )
        if above:
            target = (
                "[; a close above {edge} opens {next}|; through {edge} on a close, the next stop is {next}|; clear {edge} and {next} is the target|, and beyond {edge} {it} can run to {next}]"
                if has_next
                else "[; a close above {edge} leaves no mapped zone overhead|; above {edge} there is open air on our map|, the last mapped ceiling before open air]"
            )
        else:
            target = (
                "[; a close below {edge} exposes {next}|; under {edge} on a close, the next floor is {next}|; lose {edge} and {next} is next|, and below {edge} {it} can slide to {next}]"
                if has_next
                else "[; a close below {edge} leaves no mapped floor beneath|; under {edge} our map has no floor|, the last mapped floor]"
            )
        key = f"{level.side}.1"
        touches = self.f.value(f"{key}.touches")
        return self.say(
            f"watch-{level.side}",
            head + history + target + ".",
            zone=self.values[f"{short}1_zone"],
            away=(
                "at the close"
                if self.values[f"{short}1_away"] == _ZERO_PERCENT
                else f"{self.values[f'{short}1_away']} {'above' if above else 'below'}"
            ),
            touches=self.f.touches(f"{key}.touches"),
            times={1: "once", 2: "twice"}.get(
                int(touches), f"{self.f.num(f'{key}.touches')} times"
            ),
            last=show_date(level.last_touch),
            edge=self.values[f"{short}1_high" if above else f"{short}1_low"],
            next=self.values.get(f"{short}2", ""),
        )

    def _averages_line(self) -> str:
        f, close = self.f, self.f.value("close")
        lines = [(key, f.value(key)) for key in ("ema_20", "sma_50", "sma_200") if f.has(key)]
        above = [key for key, value in lines if value < close]
        names = {
            "ema_20": "{ema20_window}-day EMA",
            "sma_50": "{sma50_window}-day",
            "sma_200": "{sma200_window}-day",
        }
        prices = {"ema_20": "{ema20}", "sma_50": "{sma50}", "sma_200": "{sma200}"}
        listed = ", ".join(f"{names[k]} {prices[k]}" for k, _ in lines)
        if len(above) == len(lines):
            shape = "[price is above all of them|every average is below price]"
        elif not above:
            shape = "[price is below all of them|every average is overhead]"
        else:
            shape = "[price is split across them|the averages straddle price]"
        nearest = min(lines, key=lambda item: abs(item[1] - close))[0]
        side = "[pullback|dip]" if f.value(nearest) < close else "[bounce|rally]"
        return self.say(
            "watch-averages",
            "[Moving averages|Trend lines|The averages][ on {it}|]: "
            + listed
            + "[; |: |, where ]"
            + shape
            + "[, and the first a "
            + side
            + " meets is the "
            + names[nearest]
            + "|; nearest is the "
            + names[nearest]
            + "]"
            + ".",
        )

    def _momentum_line(self) -> str:
        trigger = {
            "overbought": "[; a drop back under {rsi_high} would cool it|; watch for it to roll back under {rsi_high}]",
            "oversold": "[; a climb back over {rsi_low} would mark relief|; watch for a turn back above {rsi_low}]",
            "mid-range": {
                "high": "[; a push past {rsi_high} would mark it stretched|; {rsi_high}, the overbought line, is the one to watch]",
                "low": "[; a slip under {rsi_low} would mark it washed out|; {rsi_low}, the oversold line, is the one to watch]",
                "middle": "[; {rsi_high} would mark it stretched, {rsi_low} washed out|; room both ways before {rsi_high} or {rsi_low}|; there is room either way before {rsi_high} or {rsi_low}]",
            }[self.rsi_lean()],
        }[self.rsi_zone()]
        trend = (
            "[ADX {adx}, a trend in force|ADX {adx}: trend strength is there]"
            if self.trending()
            else "[ADX {adx}, no trend to lean on|ADX {adx}, under the {adx_trend} trend line]"
        )
        return self.say(
            "watch-momentum",
            "[RSI ({rsi_window}) {rsi}|Momentum: RSI {rsi}|RSI for {it}: {rsi}]"
            + trigger
            + "[; |, and ]"
            + trend
            + ".",
        )

    def _volume_line(self) -> str:
        # Words follow the figure as printed (one decimal), so "1.5x" never reads "ordinary".
        ratio = round(self.f.value("volume_ratio_20"), 1)
        up = self.f.value("return_1") > 0
        if ratio >= 1.5:
            read = (
                "[buyers came in size|real money was behind the bid]"
                if up
                else "[the selling had weight behind it|sellers came in size]"
            )
        elif ratio < 0.7:
            read = "[the move came on light turnover|few hands moved the price|thin participation, so read the move lightly]"
        else:
            read = "[ordinary turnover|nothing unusual|a normal day's business]"
        return self.say(
            "watch-volume",
            "[Volume|Turnover|Participation][ in {it}|]: {volume} [its|the] {volume_window}-day [mean|average][; |, ]"
            + read
            + ".",
        )

    def _volatility_line(self) -> str:
        return self.say(
            "watch-volatility",
            "[Volatility|Daily range|Risk sizing][ for {it}|]: ATR ({atr_window}) {atr}, [{atr_pct} of price|about {atr_pct} of the close]"
            "[; {vol_window}-day realised {vol}|, with {vol_window}-day realised volatility at {vol}]"
            "[, so size stops to it|; a stop inside one ATR is noise-bait|, the yardstick for stops|].",
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
                self.say(
                    "watch-range",
                    "[Range|The box|Trading range]: {range_low}-{range_high} for {range_bars} bars; "
                    "[a close outside it ends the range|a close beyond either edge settles it|the break of either side is the signal].",
                )
            )
        if f.has("sma_50", "sma_200"):
            items.append(self._averages_line())
        items.append(self._momentum_line())
        if f.has("volume_ratio_20"):
            items.append(self._volume_line())
        if f.has("atr_14", "atr_percent", "realized_volatility_20"):
            items.append(self._volatility_line())
        return tuple(items)

    def catalysts(self) -> tuple[str, ...]:
        items = []
        for index, event in enumerate(self.sheet.events):
            channel = self.voice.pick(
                f"channel-{index}", EVENT_CHANNELS[release(event.event).story]
            )
            link = (
                "[, and {it} trade{s} on {drivers}|; {it} answer{s} to {drivers}|, which reaches {it} through {drivers}]"
                if index == 0
                else "[, and {it} will feel it|; a test for {it}|, with {it} exposed|]"
            )
            items.append(
                self.say(
                    f"event-{index}",
                    "[{event} on {when}, in {days}|{event}, {when} ({days} out)|{when}, in {days}: {event}]"
                    "[: {channel}|; why it matters: {channel}|; {channel}]" + link + ".",
                    event=event.event,
                    when=show_date(event.date),
                    days=f"{self.f.num(f'event.{index}.days')} day{'s' if event.days_ahead != 1 else ''}",
                    channel=channel,
                )
            )
        for index, source in enumerate(self.sheet.news[:3]):
            items.append(
                self.say(
                    f"source-{index}",
                    "[“{title}” ({domain}, {when})|Via {domain}, {when}: “{title}”|From {domain} on {when}: “{title}”]"
                    "[, [on|about] {matched}|, [for|relevant to] {it}|]",
                    title=source.title,
                    domain=source.domain,
                    when=show_date(source.published.date()),
                    matched=" and ".join(source.matched[:2]) or "the tape",
                )
            )
        if not items:
            items.append(
                self.say(
                    "no-catalyst",
                    "[No high-importance release on the calendar in the next two weeks|The calendar is clear of major releases for two weeks|Nothing of high importance is scheduled for the fortnight ahead]"
                    "[, so {it} trade{s} on {its} own news|; {drivers} will have to do the moving|, which leaves {it} to {drivers}|: the tape is on its own].",
                )
            )
        return tuple(items)

    def risks(self) -> tuple[str, ...]:
        sheet, f = self.sheet, self.f
        items = []
        if sheet.stale:
            items.append(
                self.say(
                    "risk-stale",
                    "[The feed behind these figures stopped; anything may have happened since|Stale data: the real price of {it} may be far from {close}].",
                )
            )
        if self.support is not None:
            items.append(
                self.say(
                    "risk-support",
                    "[A close under {sup1_low}|Losing {sup1_low} on a closing basis|A daily close below {sup1_low}|A break of {sup1_low}] "
                    "[would break the nearest floor[ under {it}|]|turns support into overhead[ for {it}|]|removes the nearest support|would undo the floor {it} {has} leaned on]"
                    + (
                        "[, with {sup2} the next stop|, putting {sup2} in play]"
                        if "sup2" in self.values
                        else ""
                    )
                    + ".",
                )
            )
        if f.has("drawdown_252") and f.value("drawdown_252") < -0.1:
            depth = (
                "[, a bear-market hole|, deep in the red for the year]"
                if f.value("drawdown_252") < -0.3
                else ""
            )
            items.append(
                self.say(
                    "risk-drawdown",
                    "[{it} {is} still {drawdown} below {its} {year_weeks}-week high of {high252}"
                    + depth
                    + "|The {year_weeks}-week high of {high252} is {drawdown} away|{it} {has} {drawdown} to recover before {its} {year_weeks}-week high ({high252}) is back in view]"
                    "[, and overhead supply sits in between|; holders from higher up may sell into rallies|; the scars of the decline are recent|, a long way to climb|].",
                )
            )
        if sheet.events:
            first = sheet.events[0]
            items.append(
                self.say(
                    "risk-event",
                    "[{event} on {when}: {shock} can reprice {it} in a session|{shock} in {event} ({when}) is the scheduled risk for {it}|Event risk for {it}: {event}, {when}, where {shock} would land]"
                    + (
                        "[|, and it carries the Risk score's event points]"
                        if self.scores["Risk"].components.get("event", 0) > 0
                        else ""
                    )
                    + ".",
                    event=first.event,
                    when=show_date(first.date),
                    shock=self.voice.pick("shock", EVENT_SHOCKS[release(first.event).story]),
                )
            )
        # "Likelier than usual" needs the model and the group's record at that level both
        # above the group's base rate.
        if f.has("threat.frequency", "threat.base_rate", "threat.probability") and (
            min(f.value("threat.frequency"), f.value("threat.probability"))
            > f.value("threat.base_rate")
        ):
            items.append(
                self.say(
                    "risk-threat",
                    "[A sharp move is likelier than usual at Threat {threat}: {threat_p} against a {threat_base} base rate on {group}"
                    "|At Threat {threat}, the odds of a sharp move within {week} sessions run at {threat_p}, above the {threat_base} base rate on {group}"
                    "|Threat {threat} puts the odds of a sharp move at {threat_p}, against {threat_base} across {group} at every level]"
                    "[, so expect a bigger swing in {it}|; size positions for a wider swing|].",
                    group=self.sheet.threat.record_group if self.sheet.threat else "",
                )
            )
        if self._leaning("Bullish"):
            items.append(
                self.say(
                    "risk-case",
                    "[The bear case|What would hurt]: evidence that {down}[|, which would turn the tape].",
                )
            )
        if not items:
            items.append(
                self.say(
                    "risk-none",
                    "[No single level or event stands out; the risk is a shift in the broad tape|Nothing specific looms; the risk for {it} is a turn in {drivers}].",
                )
            )
        return tuple(items)

    @property
    def call(self) -> str:
        """The side the Take calls: Pulse's label, or the other side when the record says so."""
        record = self.sheet.record
        return record.call if record is not None and record.verdict == "against" else self.label

    def _leaning(self, label: str) -> bool:
        return not self.sheet.stale and self.call in (label, "Neutral")

    def opportunities(self) -> tuple[str, ...]:
        items = []
        if self.sheet.stale:
            return (
                self.say(
                    "opp-stale",
                    "[None we can vouch for until the feed is back|Fresh data first; no setup is read from a stopped feed].",
                ),
            )
        if self.resistance is not None:
            items.append(
                self.say(
                    "opp-res",
                    "[A close through {res1_high}|Clearing {res1_high} on a close|A daily close above {res1_high}|A push through {res1_high}] "
                    "[would confirm buyers are in charge[ of {it}|]|is the bullish trigger[ for {it}|]|is the long signal for {it}|would put {it} back on the front foot]"
                    + (
                        "[, with {res2} the first target|, aiming at {res2}]"
                        if "res2" in self.values
                        else ""
                    )
                    + ".",
                )
            )
        if self.support is not None:
            items.append(
                self.say(
                    "opp-sup",
                    "[Pullbacks that hold {sup1_low} [offer|give]|Dips toward {sup1} [offer|give]|A test of {sup1_zone} that holds [offers|gives]|A retreat into {sup1_zone} [offers|gives]] "
                    "[a defined-risk entry|a level to lean on|a place to buy {it}|the cleaner long]"
                    "[, with a stop below {sup1_low}|, risk defined under {sup1_low}|; the stop goes under {sup1_low}|].",
                )
            )
        if self._leaning("Bearish"):
            items.append(
                self.say(
                    "opp-case",
                    "[The bull case|What would help]: evidence that {up}[|, which would turn the tape].",
                )
            )
        if not items:
            items.append(
                self.say(
                    "opp-none",
                    "[Without mapped levels nearby, patience is the position|No level to lean on yet for {it}; wait for one].",
                )
            )
        return tuple(items)

    def take(self) -> str:
        sheet = self.sheet
        if sheet.stale:
            return self.say(
                "take-stale",
                "No call on stale data. [Refresh the {symbol} feed before acting|Get a live {symbol} price first]; "
                "[until then the levels above are history, not a plan|the map above is dated until then].",
                symbol=sheet.symbol,
            )
        if sheet.record is not None and sheet.record.verdict == "against":
            side = "short" if sheet.record.call == "Bearish" else "long"
            body = self.say(
                "take-against",
                "[The tape for {it} reads {label}, but the desk's call is "
                + side
                + ", with {conviction} conviction"
                "|Against a {label} tape, our call on {it} is "
                + side
                + " ({conviction} conviction)]"
                "[; Pulse {pulse} describes the trend, the record below decides the call|].",
            )
        else:
            lean = {
                "Bullish": "[leans long|looks bullish|points up]",
                "Bearish": "[leans short|looks bearish|points down]",
                "Neutral": "[has no edge either way|sits on the fence|gives no edge]",
            }[self.label]
            body = self.say(
                f"take-{self.label}-{self.angle()}",
                "[The tape for {it} " + lean + ", with {conviction} conviction"
                "|Net: the evidence on {it} " + lean + "; conviction is {conviction}"
                "|Our read on {it} " + lean + " ({conviction} conviction)]"
                "[|, and the Pulse of {pulse} says as much|; Pulse {pulse}].",
            )
        record = self._record()
        if record is not None:
            body += " " + record
        if self.support is not None and self.resistance is not None:
            play = (
                _AGAINST_PLAYS[self.call]
                if self.call != self.label
                else _PLAYS[self.sheet.regime or "range"]
            )
            body += " " + self.say(f"take-levels-{self.angle()}", play)
        return body

    def _record(self) -> str | None:
        """The record of today's state on the symbol's peers, and what it says of the lean."""
        record = self.sheet.record
        if record is None or not self.f.has("record.hit_rate", "record.base_rate", "record.cases"):
            return None
        f = self.f
        verdict = {
            "none": "[: no measured edge, so the lean describes the tape, not a forecast|, within the noise of chance: a description, not a prediction]",
            "edge": "[, better than the base rate beyond its margin of error|: above the base rate by more than its margin of error]",
            "worse": "[, worse than the base rate beyond its margin of error: the record runs against the lean|; that is worse than the base rate, so the record argues against the lean]",
            "against": "[: so far below the base rate that the desk calls the other side|, far enough below the base rate to call the opposite move]",
        }[record.verdict]
        return self.say(
            "take-record",
            "[On the record|The desk's record|Checked against history]: "
            "across {group}, past readings as {state} as today's were followed by a {week}-session {move} in {hit_rate} of {cases} non-overlapping cases, "
            "against {base_rate} for all their readings" + verdict + ".",
            group=record.group,
            state=record.state.lower().replace(", ", " and "),
            move="rise" if record.label == "Bullish" else "fall",
            hit_rate=f.pct("record.hit_rate"),
            base_rate=f.pct("record.base_rate"),
            cases=f.num("record.cases"),
        )

    def tags(self) -> tuple[str, ...]:
        sheet = self.sheet
        tags = [sheet.symbol.lower(), sheet.asset_class.replace(" ", "-"), self.label.lower()]
        if sheet.regime and not sheet.stale:
            tags.append(sheet.regime.replace(" ", "-"))
        if sheet.stale:
            tags.append("stale-data")
        for event in sheet.events:
            tag = release(event.event).tag
            if tag not in tags:
                tags.append(tag)
        for source in sheet.news:
            for term in source.matched:
                tag = term.replace(" ", "-")
                if tag not in tags and len(tags) < 10:
                    tags.append(tag)
        return tuple(tags)

    def badges(self) -> tuple[ScoreBadge, ...]:
        return tuple(_badge(s) for s in self.sheet.scores)


_PLAYS: Final = {
    "trend up": "[Stay with {it} while {sup1_low} holds|The trend is the friend until {sup1_low} gives|Buy dips above {sup1_low} and respect the trend]"
    "[, with {res1_high} the next hurdle|; {res1_high} is the hurdle|; a close over {res1_high} adds to the case].",
    "trend down": "[Respect the downtrend until {res1_high} is retaken|Rallies into {res1_high} are for selling until a close above it|Stay defensive on {it} below {res1_high}]"
    "[, with {sup1_low} the next floor|; {sup1_low} is where the next test comes|; a close under {sup1_low} extends the slide].",
    "range": "[Fade the edges of {it}: buy near {sup1_low}, sell near {res1_high}|In {it}, buy near {sup1_low} and sell near {res1_high}|Between {sup1_low} and {res1_high} there is no trade in {it}, only noise|The map for {it}: above {res1_high} the case improves, below {sup1_low} it fails]"
    "[, until a close settles the range|; a close beyond either edge changes the plan|].",
    "squeeze": "[Let {sup1_low} and {res1_high} decide[; trade the break, not the middle|, not the noise between]|{res1_high} up top, {sup1_low} below: the first close beyond either is the signal for {it}]"
    "[; set alerts at both|; the squeeze does not say which way|].",
    "breakout": "[The break needs to hold: {sup1_low} is the line it must not lose|Follow-through above {res1_high} confirms the breakout in {it}|A slip back under {sup1_low} would make this a false break]"
    "[, with {res1_high} the next test|; until then, give it room|].",
}
"""The closing play of a Take, by regime: the levels that decide it."""

_AGAINST_PLAYS: Final = {
    "Bearish": "[A call against the trend needs a line: a close above {res1_high} ends it, and {sup1_low} is the first target"
    "|Against the tape, {res1_high} is where the short case fails; {sup1_low} is the first target]",
    "Bullish": "[A call against the trend needs a line: a close below {sup1_low} ends it, and {res1_high} is the first target"
    "|Against the tape, {sup1_low} is where the long case fails; {res1_high} is the first target]",
}
"""The closing play of a Take that calls against its Pulse: where the call is wrong."""


def _badge(score: ScoreFact) -> ScoreBadge:
    return ScoreBadge(**score.model_dump(exclude={"components"}))


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
        scores=w.badges(),
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
