"""The template writer: a FactSheet in, an Article out, one story told from the facts.

Each article has one angle (`messages.angle`: the rarest reading against the symbol's
own history); the title, the dek, the lead and the Take follow it. Every sentence states
named claims (`messages.CLAIMS`) and is written only when they hold; every figure is a
span bound to its fact key (`spans`). Wording is chosen by the content, never drawn at
random: two articles differ because their facts do.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

from pulsewire.analysis.context import BenchmarkBar
from pulsewire.article.model import Article, Mark, ScoreBadge, SourceRef
from pulsewire.facts.sheet import FactSheet, LevelFact, ScoreFact
from pulsewire.writer import messages as m
from pulsewire.writer import thresholds as t
from pulsewire.writer.lexicon import EVENT_CHANNELS, character, release
from pulsewire.writer.spans import (
    Figures,
    Span,
    Text,
    capitalised,
    day,
    fill,
    joined,
    marks,
    name,
    quote,
    render,
    words,
)

UNPRICED = frozenset({"VIX"})
"""Symbols quoted in points, not dollars."""

_SPX = name("the S&P 500")

_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of off on or over the to under vs with its".split()  # noqa: SIM905
)


def headline_case(text: str) -> str:
    """Return a headline in title case, small words lower: 'Holds Between $1 and $2'."""
    out = []
    for index, word in enumerate(text.split(" ")):
        if index and word.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(out)


def _plural(reference: str) -> bool:
    return reference.endswith("s") and not reference.endswith(("'s", "ss"))


def _agreeing(said: str | Span, *, plural: bool) -> dict[str, str | Span]:
    """A reference with the words that agree with it in number, for templates."""
    return {
        "it": said,
        "is": "are" if plural else "is",
        "has": "have" if plural else "has",
        "was": "were" if plural else "was",
        "its": "their" if plural else "its",
        "s": "" if plural else "s",
    }


class _Refer:
    """Who the article is about, as a reader meets it: the full name, then short forms.

    The first sentence names the symbol in full; a paragraph opens on its short name;
    a sentence right after one about the symbol says "it" (or "they").
    """

    def __init__(self, sheet: FactSheet) -> None:
        aliases = character(sheet.symbol).aliases
        self.full = sheet.name
        self.short = aliases[0] if aliases else sheet.name
        self._named = False
        self._last = False
        self.current = _agreeing(name(self.full), plural=_plural(self.full))

    def paragraph(self) -> None:
        self._last = False

    def next(self, *, subject: bool) -> dict[str, str | Span]:
        """The reference for one sentence; a pronoun only as the subject that opens it."""
        if not self._named:
            said: str | Span = name(self.full)
            plural = _plural(self.full)
            self._named = True
        elif self._last and subject:
            plural = _plural(self.short)
            said = "they" if plural else "it"
        else:
            said, plural = name(self.short), _plural(self.short)
        self._last = True
        self.current = _agreeing(said, plural=plural)
        return self.current


class _Writer:
    """Writes one article: each method is one section, each sentence a set of claims."""

    def __init__(self, sheet: FactSheet) -> None:
        self.sheet = sheet
        self.f = Figures(sheet, dollars=sheet.symbol not in UNPRICED)
        self.refer = _Refer(sheet)
        self.character = character(sheet.symbol)
        self.scores = {s.name: s for s in sheet.scores}
        self.label = self.scores["Pulse"].label
        self.call = m.call(sheet)
        self.angle = m.angle(sheet)
        self.support, self.resistance = sheet.nearest("support"), sheet.nearest("resistance")
        self.claims: list[str] = []
        self._title_inserts: dict[str, str | Span | Text] = {}
        self.prefix = ""
        self.cited: set[str] = set()

    # -- sentences -----------------------------------------------------------------

    def holds(self, claim: str) -> bool:
        return m.holds(claim, self.sheet)

    def state(self, template: str, *claims: str, **inserts: str | Span | Text) -> Text:
        """Return one sentence stating `claims`, each checked against the sheet first."""
        for claim in claims:
            if not self.holds(claim):
                raise AssertionError(f"writer states {claim!r}, which the sheet does not hold")
        self.claims.extend(self.prefix + claim for claim in claims)
        agreement = (
            self.refer.next(subject=template.startswith("<it>"))
            if "<it>" in template
            else self.refer.current
        )
        inserts = {**agreement, **inserts}
        return capitalised(fill(template, self.f, inserts))

    def paragraph(self, *sentences: Text | None) -> Text | None:
        self.refer.paragraph()
        kept = [s for s in sentences if s]
        return joined(kept) if kept else None

    # -- the story -----------------------------------------------------------------

    def _direction(self) -> str:
        return (
            "move.up"
            if self.holds("move.up")
            else "move.down"
            if self.holds("move.down")
            else "move.flat"
        )

    def _size(self) -> str | None:
        return next(
            (
                c
                for c in ("move.shock", "move.big", "move.large", "move.normal", "move.small")
                if self.holds(c)
            ),
            None,
        )

    def title(self) -> Text:
        """The angle in a line; cased by the caller (`headline_case` keeps every offset)."""
        s, angle = self.sheet, self.angle
        many = _plural(self.refer.full)
        inserts = self._title_inserts = {
            "who": name(self.refer.full),
            "date": day(s.data_as_of),
            "symbol": name(s.symbol),
        }
        if angle == "stale":
            return fill(
                "<symbol> Data Stop at <date>: No Call Until the Feed Is Back", self.f, inserts
            )
        up = self.holds("move.up")
        verbs = {
            "move.shock": ("Soar", "Plunge"),
            "move.big": ("Jump", "Tumble"),
            "move.large": ("Climb", "Fall"),
            "move.normal": ("Rise", "Slip"),
            "move.small": ("Edge Up", "Edge Down"),
        }
        size = self._size()
        verb = (
            verbs[size][0 if up else 1] if size and not self.holds("move.flat") else "Hold Steady"
        )
        if not many:
            first, _, rest = verb.partition(" ")
            verb = (
                first + ("es" if first.endswith("sh") else "s") + (" " + rest if rest else "")
            ).strip()
        templates: dict[str, str] = {
            "move": f"<who> {verb} {{return_1:pct}}" + self._company(up),
            "high": f"<who> {verb} to a Fresh {{window.year_weeks:num}}-Week High at {{close:price}}",
            "low": f"<who> {verb} to a Fresh {{window.year_weeks:num}}-Week Low at {{close:price}}",
            "breakout": f"<who> Break{'' if many else 's'} Out of a Tight {{window.month:num}}-Session Channel",
            "squeeze": f"<who> Coil{'' if many else 's'} in a Squeeze",
            "stretch": f"<who> Stretch{'' if many else 'es'} to RSI {{rsi_14:num}}",
            "month": f"<who> {'Are' if many else 'Is'} {self._way('return_20').title()} {{return_20:pct}} in a Month",
            "trend": f"<who> {verb} With the {'Uptrend' if s.regime == 'trend up' else 'Downtrend'} Intact",
            "range": f"<who> {verb}, Still in the Range",
        }
        template = templates[angle]
        if (
            angle in ("squeeze", "range")
            and self.support is not None
            and self.resistance is not None
        ):
            template += " Between {support.1.price:price} and {resistance.1.price:price}"
        return fill(template, self.f, inserts)

    def _company(self, up: bool) -> str:
        """The title's reading of who moved with the symbol, when the data says."""
        if self.holds("peers.mirror"):
            return " as Stocks Sink" if up else " as Stocks Rally"
        if self.holds("peers.shared"):
            return " in a Broad Rally" if up else " in a Broad Selloff"
        if self.holds("peers.alone"):
            return " Against Its Neighbours"
        own = abs(self.f.value("return_1"))
        for r in self.sheet.related:
            key = f"related.{r.symbol}.change"
            if self.f.has(key) and (r.change > 0) == up and abs(r.change) > own:
                self._title_inserts["peer"] = name(r.name)
                return f" With <peer> {'Up' if up else 'Down'} {{{key}:pct}}"
        return ""

    def dek(self) -> Text:
        s = self.sheet
        if s.stale:
            return self.state(
                "The last bar we hold for <it> is from <date>; the scores describe that close, not today.",
                date=day(s.data_as_of),
            )
        verdict = {
            "record.edge": "the record backs it beyond chance",
            "record.none": "the record shows no edge",
            "record.worse": "the record runs against it",
            "record.against": "the record runs so far against it that the desk takes the other side",
        }
        said = next((v for c, v in verdict.items() if self.holds(c)), "")
        tail = f"; Pulse {{pulse:num}}/{{scale.pulse:num}} reads {self.label}" + (
            f", but {said}" if said and self.label != "Neutral" else ""
        )
        story, claims = self._story()
        dek = self.state(story + tail + ".", *claims)
        self.refer = _Refer(s)  # the body names the symbol in full again
        return dek

    def _story(self) -> tuple[str, tuple[str, ...]]:
        """The angle in one clause, for the dek: what makes this close worth reading."""
        angle, move = self.angle, self._move_words(capital=False)
        if angle == "high":
            return "<it> " + move + ", a fresh {window.year_weeks:num}-week high", ("high.fresh",)
        if angle == "squeeze":
            return "The bands around <it> have pinched to the narrowest tenth of their year", (
                "regime.squeeze",
            )
        if angle == "breakout":
            return "<it> broke out of a narrow {window.month:num}-session channel", (
                "regime.breakout",
            )
        if angle == "stretch":
            over = self.holds("rsi.overbought")
            return "RSI at {rsi_14:num} marks <it> " + ("overbought" if over else "oversold"), (
                "rsi.overbought" if over else "rsi.oversold",
            )
        if angle == "month":
            return "<it> <is> " + self._way(
                "return_20"
            ) + " {return_20:pct} in {window.month:num} sessions, an outsized month", (
                "month.outsized",
            )
        if angle == "trend":
            which = "regime.trend up" if self.holds("regime.trend up") else "regime.trend down"
            return "<it> " + move + ", the " + which.split(" ")[
                1
            ] + "trend intact at ADX {adx_14:num}", (which, self._direction())
        if angle == "range" and self.support is not None and self.resistance is not None:
            return (
                "<it> "
                + move
                + ", between support at {support.1.price:price} and resistance at {resistance.1.price:price}",
                (self._direction(),),
            )
        return "<it> " + move, (self._direction(),)

    def _move_words(self, *, capital: bool) -> str:
        if self.holds("move.flat"):
            return "held at {close:price}"
        verb = "rose {return_1:pct}" if self.holds("move.up") else "fell {return_1:pct}"
        return verb + " to {close:price}"

    def summary(self) -> Text:
        s, p = self.sheet, self.scores
        text = (
            "Pulse {pulse:num}/{scale.pulse:num}; conviction "
            + p["Conviction"].label.lower()
            + "; risk "
            + p["Risk"].label.lower()
        )
        if "Threat" in p:
            text += "; Threat {threat:whole}/{scale.threat:num}"
            if self.f.has("threat.probability", "threat.move", "window.week"):
                text += " ({threat.probability:pct} modelled odds of a {window.week:num}-session move beyond {threat.move:pct})"
        text += (
            "; regime: "
            + ("not called on stale data" if s.stale else (s.regime or "warming up"))
            + "."
        )
        return fill(text, self.f, {})

    def lead(self) -> Text | None:
        s = self.sheet
        if s.stale:
            return self.paragraph(
                self.state(
                    "First, the data: <reason>. A price that stops changing because the feed stopped says nothing of the market, so this piece makes no claim about where <it> trade<s> now; its figures are as of <date>.",
                    "stale",
                    reason=quote(s.stale_reason or "the feed stopped"),
                    date=day(s.data_as_of),
                ),
            )
        size = self._size()
        sized = {
            "move.shock": ", more than three times <its> usual daily swing",
            "move.big": ", more than twice <its> usual daily swing",
            "move.large": ", a bigger day than <its> usual",
            "move.normal": ", an ordinary-sized day",
            "move.small": ", well inside <its> usual daily range",
        }.get(size or "", "")
        first = self.state(
            "<it> " + self._move_words(capital=True) + sized + ".",
            self._direction(),
            *([size] if size else []),
        )
        return self.paragraph(first, self._peers(), self._news_lead())

    def _peers(self) -> Text | None:
        s, f = self.sheet, self.f
        moves = [r for r in s.related if f.has(f"related.{r.symbol}.change")]
        if not moves:
            return None
        listed = joined(
            (
                joined(((name(r.name),), (f.span(f"related.{r.symbol}.change", "spct"),)), " ")
                for r in moves
            ),
            ", ",
        )
        for claim, lead in (
            ("peers.shared", "The move was shared: "),
            ("peers.alone", "The move was <its> own: "),
            ("peers.split", "The neighbours split: "),
            ("peers.mirror", "Stocks moved the other way, as they usually do against <it>: "),
            ("peers.unmirrored", "Unusually, stocks moved the same way: "),
        ):
            if self.holds(claim):
                return self.state(lead + "<listed> (total returns).", claim, listed=listed)
        return None

    def _news_lead(self) -> Text | None:
        news = self.sheet.news
        if not news:
            return None
        first = news[0]
        self.cited.add(first.url)
        return self.state(
            "The headline that bears most on <it>: “<title>” (<domain>, <when>).",
            title=quote(first.title),
            domain=first.domain,
            when=day(first.published.date()),
        )

    def picture(self) -> Text | None:
        s, f = self.sheet, self.f
        if s.stale or not f.has("return_5", "return_20"):
            return None
        clocks = (
            self.state(
                "<it> <is> "
                + self._way("return_5")
                + " {return_5:pct} over {window.week:num} sessions and {return_20:pct} over {window.month:num}"
                + self._month_tail()
                + ".",
                "clocks.agree",
                *self._month_claim(),
            )
            if self.holds("clocks.agree")
            else self.state(
                "<it> <is> "
                + self._way("return_5")
                + " {return_5:pct} over {window.week:num} sessions but "
                + self._way("return_20")
                + " {return_20:pct} over {window.month:num}"
                + self._month_tail()
                + ".",
                "clocks.split",
                *self._month_claim(),
            )
        )
        high = None
        if self.holds("high.fresh"):
            high = self.state(
                "The close is a fresh {window.year_weeks:num}-week high.", "high.fresh"
            )
        elif f.has("drawdown_252", "high_252") and f.value("drawdown_252") < 0:
            regain = " (+{regain_252:pct} to regain it)" if f.has("regain_252") else ""
            high = self.state(
                "<it> trade<s> {drawdown_252:pct} below <its> {window.year_weeks:num}-week high of {high_252:price}"
                + regain
                + "."
            )
        averages = None
        if f.has("distance_sma_50", "distance_sma_200", "sma_50", "sma_200"):
            side50 = "above" if f.value("distance_sma_50") > 0 else "below"
            side200 = "above" if f.value("distance_sma_200") > 0 else "below"
            shape = next(
                (
                    v
                    for c, v in (
                        ("averages.above", "both averages rise beneath it as support"),
                        ("averages.below", "both averages sit overhead"),
                        ("averages.mixed", "the short and the long trend disagree"),
                    )
                    if self.holds(c)
                ),
                None,
            )
            claim = (
                next(
                    c
                    for c in ("averages.above", "averages.below", "averages.mixed")
                    if self.holds(c)
                )
                if shape
                else None
            )
            averages = self.state(
                "Price sits {distance_sma_50:pct} "
                + side50
                + " the {window.sma_50:num}-day average ({sma_50:price}) and {distance_sma_200:pct} "
                + side200
                + " the {window.sma_200:num}-day ({sma_200:price})"
                + (f": {shape}" if shape else "")
                + ".",
                *([claim] if claim else []),
            )
        return self.paragraph(clocks, high, averages)

    def _way(self, key: str) -> str:
        """'up' or 'down' for a return, so a figure is never read as a signed level."""
        return "up" if self.f.value(key) > 0 else "down"

    def _month_claim(self) -> tuple[str, ...]:
        return tuple(c for c in ("month.outsized", "month.quiet") if self.holds(c))

    def _month_tail(self) -> str:
        if self.holds("month.outsized"):
            return "; the month is outsized by <its> standards"
        return "; the month is quiet by <its> standards" if self.holds("month.quiet") else ""

    def regime(self) -> Text | None:
        s, f = self.sheet, self.f
        if s.stale or not f.has("adx_14", "rsi_14"):
            return None
        if self.holds("regime.squeeze"):
            trend = self.state(
                "Bollinger bandwidth is in the narrowest tenth of its year, a squeeze: the bands say how tight, not which way; ADX reads {adx_14:num}.",
                "regime.squeeze",
            )
        elif self.holds("regime.breakout"):
            trend = self.state(
                "The close left a narrow {window.month:num}-session channel, a breakout by the desk's rules; ADX reads {adx_14:num}.",
                "regime.breakout",
            )
        elif self.holds("regime.trend up") or self.holds("regime.trend down"):
            which = "regime.trend up" if self.holds("regime.trend up") else "regime.trend down"
            trend = self.state(
                "The regime is a "
                + which.split(".")[1]
                + ": ADX {adx_14:num}, past the {threshold.adx_trend:num} that marks a trend, with the {window.sma_50:num}-day sloping the same way.",
                which,
                "adx.trend",
            )
        elif self.holds("adx.weak"):
            trend = self.state(
                "No trend qualifies: ADX {adx_14:num} shows almost no directional pull.",
                "adx.weak",
                "adx.none",
            )
        elif self.holds("adx.none"):
            trend = self.state(
                "No trend qualifies: ADX {adx_14:num} is under the {threshold.adx_trend:num} that marks one.",
                "adx.none",
            )
        else:
            trend = self.state(
                "ADX {adx_14:num} shows directional force, though the average's slope does not confirm a trend.",
                "adx.trend",
            )
        rsi = next(
            (
                self.state(template, claim)
                for claim, template in (
                    (
                        "rsi.overbought",
                        "RSI ({window.rsi:num}) is {rsi_14:num}, past the {threshold.rsi_high:num} line that marks overbought",
                    ),
                    (
                        "rsi.oversold",
                        "RSI ({window.rsi:num}) is {rsi_14:num}, under the {threshold.rsi_low:num} line that marks oversold",
                    ),
                    (
                        "rsi.upper",
                        "RSI ({window.rsi:num}) reads {rsi_14:num}, in the upper half and short of {threshold.rsi_high:num}",
                    ),
                    (
                        "rsi.lower",
                        "RSI ({window.rsi:num}) reads {rsi_14:num}, in the lower half and above {threshold.rsi_low:num}",
                    ),
                    (
                        "rsi.middle",
                        "RSI ({window.rsi:num}) reads {rsi_14:num}, neither stretched nor washed out",
                    ),
                )
                if self.holds(claim)
            ),
            None,
        )
        vol = None
        if f.has("realized_volatility_20", "volatility_percentile"):
            read = next(
                (
                    w
                    for c, w in (
                        ("volatility.calm", ", calm by its own standards"),
                        ("volatility.wild", ", wild by its own standards"),
                    )
                    if self.holds(c)
                ),
                "",
            )
            claims = [c for c in ("volatility.calm", "volatility.wild") if self.holds(c)]
            vol = self.state(
                ", while {window.volatility:num}-day volatility runs at {realized_volatility_20:pct}, the {volatility_percentile:rank} percentile of its year"
                + read,
                *claims,
            )
        momentum = joined((rsi or (), vol or (), words(".")), "") if rsi else None
        return self.paragraph(trend, momentum)

    def strength(self) -> Text | None:
        s, f = self.sheet, self.f
        missing = {
            BenchmarkBar.NOT_HELD: "The store holds neither <spx> nor a related market, so no relative strength is given for <it>.",
            BenchmarkBar.NOT_YET: "The series for <spx> does not reach back this far, so no relative strength is given for <it>.",
            BenchmarkBar.NOT_CURRENT: "The feed for <spx> has stopped, so no relative strength is given for <it>.",
        }
        if s.benchmark in missing:
            return self.paragraph(self.state(missing[s.benchmark], spx=_SPX))
        if s.stale or s.benchmark is BenchmarkBar.SELF or not f.has("strength.vs_spy_20"):
            return None
        wide = ["strength.wide"] if self.holds("strength.wide") else []
        margin = ", a wide margin" if wide else ", a narrow margin"
        if self.holds("strength.ahead"):
            return self.paragraph(
                self.state(
                    "On a total-return basis <it> <has> beaten <spx> by {strength.vs_spy_20:pct} over {window.month:num} sessions"
                    + margin
                    + ".",
                    "strength.ahead",
                    *wide,
                    spx=_SPX,
                )
            )
        return self.paragraph(
            self.state(
                "On a total-return basis <it> <has> trailed <spx> by {strength.vs_spy_20:pct} over {window.month:num} sessions"
                + margin
                + ".",
                "strength.behind",
                *wide,
                spx=_SPX,
            )
        )

    def odds(self) -> Text | None:
        s, f = self.sheet, self.f
        threat = s.threat
        if s.stale or threat is None or not f.has("threat.probability", "threat.move"):
            return None
        fit = "its peers' own fit" if threat.own_fit else "a fit pooled over every symbol"
        first = self.state(
            "Threat reads {threat:whole}/{scale.threat:num}: the desk's model, "
            + fit
            + ", gives {threat.probability:pct} odds of a move beyond {threat.move:pct} either way within {window.week:num} sessions, twice <its> long-run volatility for that span."
        )
        record = None
        if f.has("threat.cases", "threat.frequency", "threat.base_rate"):
            record = self.state(
                "Of {threat.cases:num} past readings at that level on <group>, {threat.frequency:pct} were followed by one, against {threat.base_rate:pct} across every level"
                + ".",
                group=threat.record_group,
            )
        return self.paragraph(first, record, self._calm())

    def _calm(self) -> Text | None:
        held = [h for h in self.sheet.history if h.holds_today]
        if not held:
            return None
        h = next((h for h in held if h.supported), held[0])
        key = f"history.calm.{h.horizon}"
        verdict = (
            ", more often than on an average day"
            if h.supported
            else ", not enough to claim a pattern"
        )
        return self.state(
            "Volatility is in the calmest tenth of <its> year; in {"
            + key
            + ".cases:num} such past cases, {"
            + key
            + ".frequency:pct} broke out within {"
            + key
            + ".horizon:num} sessions (a move beyond twice the calm {window.volatility:num}-day volatility), against {"
            + key
            + ".base_rate:pct} on all days"
            + verdict
            + "."
        )

    # -- the map ---------------------------------------------------------------------

    def _level(self, level: LevelFact) -> Text:
        above = level.side == "resistance"
        key = f"{level.side}.1"
        zone = (
            "{" + key + ".price:price}"
            if self.f.price(f"{key}.low") == self.f.price(f"{key}.high")
            else "{" + key + ".low:price}-{" + key + ".high:price}"
        )
        edge = "{" + key + (".high" if above else ".low") + ":price}"
        tested = (
            "once"
            if level.touches == 1
            else "twice"
            if level.touches == 2
            else "{" + key + ".touches:num} times"
        )
        flipped = (", a former floor" if above else ", a former ceiling") if level.flipped else ""
        nxt = f"{level.side}.2.price"
        if self.f.has(nxt):
            beyond = f"; a close {'above' if above else 'below'} {edge} opens {{{nxt}:price}}"
        else:
            beyond = f"; beyond {edge} the map has no {'ceiling' if above else 'floor'}"
        return self.state(
            ("Resistance" if above else "Support")
            + " sits at "
            + zone
            + " ({"
            + key
            + ".distance:pct} "
            + ("above" if above else "below")
            + "), tested "
            + tested
            + ", last <last>"
            + flipped
            + beyond
            + ".",
            last=day(level.last_touch),
        )

    def watch(self) -> tuple[Text, ...]:
        f, items = self.f, []
        for side, level in (("resistance", self.resistance), ("support", self.support)):
            self.refer.paragraph()
            if level is not None:
                items.append(self._level(level))
            elif side == "support":
                items.append(
                    self.state(
                        "Support: none on the map below the close; the decline has left every mapped floor of the past year behind.",
                        "levels.no-support",
                    )
                )
            else:
                items.append(
                    self.state(
                        "Resistance: none on the map above the close, which stands above every mapped ceiling of the past year.",
                        "levels.no-resistance",
                    )
                )
        if f.has("range.low", "range.high", "range.bars"):
            items.append(
                self.state(
                    "Range: {range.low:price}-{range.high:price} over {range.bars:num} bars; a close beyond either edge ends it."
                )
            )
        if f.has("ema_20", "sma_50", "sma_200"):
            items.append(
                self.state(
                    "Averages: the {window.ema_20:num}-day EMA at {ema_20:price}, the {window.sma_50:num}-day at {sma_50:price}, the {window.sma_200:num}-day at {sma_200:price}."
                )
            )
        if f.has("volume_ratio_20"):
            read = next(
                (
                    w
                    for c, w in (
                        ("volume.heavy", "heavy turnover"),
                        ("volume.light", "light turnover, so read the move lightly"),
                    )
                    if self.holds(c)
                ),
                "ordinary turnover",
            )
            claims = [c for c in ("volume.heavy", "volume.light") if self.holds(c)]
            items.append(
                self.state(
                    "Volume: {volume_ratio_20:num} its {window.volume:num}-day mean, " + read + ".",
                    *claims,
                )
            )
        if f.has("atr_14", "atr_percent"):
            items.append(
                self.state(
                    "Daily range: ATR ({window.atr:num}) {atr_14:price}, {atr_percent:pct} of the close; a stop inside one ATR is noise."
                )
            )
        return tuple(items)

    def catalysts(self) -> tuple[Text, ...]:
        """The releases ahead in one line (the nearest with why it matters), then the news."""
        s, items = self.sheet, []
        if s.events:
            first, *rest = s.events
            channel = EVENT_CHANNELS[release(first.event).story][0]
            days = "day" if first.days_ahead == 1 else "days"
            later = joined(
                (joined(((quote(e.event),), words(" on "), (day(e.date),)), "") for e in rest), "; "
            )
            items.append(
                self.state(
                    "Next on the calendar: <event> on <when>, in {event.0.days:num} "
                    + days
                    + "; "
                    + channel
                    + (". After it: <later>." if rest else "."),
                    event=quote(first.event),
                    when=day(first.date),
                    later=later,
                )
            )
        else:
            items.append(
                self.state(
                    "No high-importance US release is on the calendar for the next two weeks.",
                    "events.none",
                )
            )
        others = [n for n in s.news if n.url not in self.cited][:4]
        if others:
            self.cited.update(n.url for n in others)
            listed = joined(
                (
                    joined(
                        (
                            words("“"),
                            (quote(n.title),),
                            words("” ("),
                            words(n.domain),
                            words(", "),
                            (day(n.published.date()),),
                            words(")"),
                        ),
                        "",
                    )
                    for n in others
                ),
                "; ",
            )
            items.append(self.state("Also in the news: <listed>.", listed=listed))
        return tuple(items)

    # -- the plan ----------------------------------------------------------------------

    def risks(self) -> tuple[Text, ...]:
        s, f, items = self.sheet, self.f, []
        if s.stale:
            items.append(
                self.state(
                    "The feed behind these figures stopped; the real price may be far from {close:price}."
                )
            )
        if self.support is not None:
            nxt = (
                ", with {support.2.price:price} the next floor" if f.has("support.2.price") else ""
            )
            items.append(
                self.state(
                    "A close below {support.1.low:price} breaks the nearest floor" + nxt + "."
                )
            )
        if self.holds("drawdown.deep"):
            deep = ["drawdown.bear"] if self.holds("drawdown.bear") else []
            items.append(
                self.state(
                    "The climb back is long: "
                    + ("a bear-market hole, " if deep else "")
                    + "{drawdown_252:pct} below the {window.year_weeks:num}-week high.",
                    "drawdown.deep",
                    *deep,
                )
            )
        if s.events:
            event = s.events[0]
            items.append(
                self.state(
                    "<event> on <when> can reprice <it> in a session.",
                    event=quote(event.event),
                    when=day(event.date),
                )
            )
        if self.holds("threat.likelier") and f.has("threat.probability"):
            items.append(
                self.state(
                    "A sharp move is likelier than usual: size positions for a wider swing.",
                    "threat.likelier",
                )
            )
        return tuple(items) or (
            self.state(
                "No single level or event stands out; the risk is a turn in the broad tape."
            ),
        )

    def opportunities(self) -> tuple[Text, ...]:
        s, f, items = self.sheet, self.f, []
        if s.stale:
            return (self.state("None we can vouch for until the feed is back."),)
        if self.resistance is not None:
            nxt = (
                ", with {resistance.2.price:price} the next target"
                if f.has("resistance.2.price")
                else ""
            )
            items.append(
                self.state(
                    "A close above {resistance.1.high:price} would turn the map up" + nxt + "."
                )
            )
        if self.support is not None and self.call != "Bearish":
            items.append(
                self.state(
                    "A pullback that holds {support.1.low:price} offers a defined-risk entry."
                )
            )
        return tuple(items) or (
            self.state("Without mapped levels nearby, patience is the position."),
        )

    def take(self) -> Text:
        s = self.sheet
        if s.stale:
            return self.state(
                "No call on stale data: get a live <symbol> price first; until then the levels above are history, not a plan.",
                symbol=name(s.symbol),
            )
        conviction = self.scores["Conviction"].label.lower()
        if self.holds("record.against"):
            side = "short" if self.call == "Bearish" else "long"
            first = self.state(
                "Against a "
                + self.label
                + " tape, our call on <it> is "
                + side
                + ", with "
                + conviction
                + " conviction.",
                f"call.{self.call}",
            )
        else:
            lean = {
                "Bullish": "leans long",
                "Bearish": "leans short",
                "Neutral": "has no edge either way",
            }[self.label]
            first = self.state(
                _SETTINGS[self.angle]
                + "our read on <it> "
                + lean
                + ", with "
                + conviction
                + " conviction.",
                f"call.{self.call}",
            )
        return joined(x for x in (first, self._record(), self._play()) if x)

    def _record(self) -> Text | None:
        record = self.sheet.record
        if record is None or not self.f.has("record.hit_rate", "record.base_rate", "record.cases"):
            return None
        verdict = {
            "none": ": no measured edge, so the lean describes the tape, not a forecast",
            "edge": ", above the base rate by more than its margin of error",
            "worse": ", worse than the base rate beyond its margin of error: the record argues against the lean",
            "against": ", so far below the base rate that the desk calls the other side",
        }[record.verdict]
        return self.state(
            "Across <group>, past readings as <state> as today's were followed by a {window.week:num}-session <move> in {record.hit_rate:pct} of {record.cases:num} non-overlapping cases, against {record.base_rate:pct} for all their readings"
            + verdict
            + ".",
            f"record.{record.verdict}",
            group=record.group,
            state=record.state.lower().replace(", ", " and "),
            move="rise" if record.label == "Bullish" else "fall",
        )

    def _play(self) -> Text | None:
        """Where the call is right and where it is wrong: entry, stop and target agree with it."""
        f = self.f
        if self.support is None or self.resistance is None or not f.has("atr_14"):
            return None
        if self.call == "Bullish":
            return self.state(
                "The plan: buy pullbacks that hold {support.1.low:price}, with a stop at least one ATR ({atr_14:price}) under the entry and {resistance.1.high:price} the first target."
            )
        if self.call == "Bearish":
            return self.state(
                "The plan: sell rallies that fail under {resistance.1.high:price}, with a stop at least one ATR ({atr_14:price}) above the entry and {support.1.low:price} the first target."
            )
        return self.state(
            "No trade in the middle: a close above {resistance.1.high:price} turns the case up, a close below {support.1.low:price} turns it down."
        )

    def tags(self) -> tuple[str, ...]:
        s = self.sheet
        tags = [s.symbol.lower(), s.asset_class.replace(" ", "-"), self.label.lower()]
        if s.regime and not s.stale:
            tags.append(s.regime.replace(" ", "-"))
        if s.stale:
            tags.append("stale-data")
        for event in s.events:
            tag = release(event.event).tag
            if tag not in tags:
                tags.append(tag)
        for source in s.news:
            for term in source.matched:
                tag = term.replace(" ", "-")
                if tag not in tags and len(tags) < 10:
                    tags.append(tag)
        return tuple(tags)


_SETTINGS: Mapping[str, str] = {
    "move": "After a day this size, ",
    "high": "At a fresh high, ",
    "low": "At a fresh low, ",
    "breakout": "Out of the channel, ",
    "squeeze": "With the bands pinched, ",
    "stretch": "Stretched as momentum is, ",
    "month": "After a month this size, ",
    "trend": "With the trend in force, ",
    "range": "Inside the range, ",
}
"""How the Take opens on each angle, so the call is read against the story told."""


def _badge(score: ScoreFact) -> ScoreBadge:
    return ScoreBadge(**score.model_dump(exclude={"components"}))


def _located(
    single: Mapping[str, Text], listed: Mapping[str, Sequence[Text]]
) -> tuple[dict[str, str], dict[str, tuple[str, ...]], tuple[Mark, ...]]:
    """Render each section and locate its marks: 'body[2]' for the third paragraph."""
    found: list[Mark] = []
    for section, text in single.items():
        found.extend(marks(section, text))
    for section, items in listed.items():
        for index, item in enumerate(items):
            found.extend(marks(f"{section}[{index}]", item))
    return (
        {section: render(text) for section, text in single.items()},
        {section: tuple(render(item) for item in items) for section, items in listed.items()},
        tuple(found),
    )


def write_article(sheet: FactSheet, published: dt.datetime) -> Article:
    """Return the article of one FactSheet; related articles are added by the edition."""
    w = _Writer(sheet)
    title = w.title()
    w.prefix = "dek:"
    dek = w.dek()
    w.prefix = ""
    body = tuple(p for p in (w.lead(), w.picture(), w.regime(), w.strength(), w.odds()) if p)
    one, many, found = _located(
        {"title": title, "dek": dek, "summary": w.summary(), "take": w.take()},
        {
            "body": body,
            "watch": w.watch(),
            "catalysts": w.catalysts(),
            "risks": w.risks(),
            "opportunities": w.opportunities(),
        },
    )
    prose = [*(t for items in many.values() for t in items), one["take"]]
    minutes = math.ceil(sum(len(x.split()) for x in prose) / t.WORDS_PER_MINUTE)
    return Article(
        slug=f"{sheet.symbol.lower()}-{sheet.as_of.isoformat()}",
        symbol=sheet.symbol,
        title=headline_case(one["title"]),
        dek=one["dek"],
        category=sheet.category,
        tags=w.tags(),
        sentiment=w.label,  # type: ignore[arg-type]
        scores=tuple(_badge(s) for s in sheet.scores),
        summary=one["summary"],
        body=many["body"],
        watch=many["watch"],
        catalysts=many["catalysts"],
        risks=many["risks"],
        opportunities=many["opportunities"],
        take=one["take"],
        sources=tuple(
            SourceRef(**s.model_dump(include=set(SourceRef.model_fields))) for s in sheet.news
        ),
        related=(),
        reading_minutes=max(1, minutes),
        published=published,
        data_as_of=sheet.data_as_of,
        stale=sheet.stale,
        marks=found,
        claims=tuple(w.claims),
    )
