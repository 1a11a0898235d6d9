"""The story: title, dek, analysis box and body, told from the article's one angle.

The angle (`messages.angle`) decides the title and the dek; the body then says the
day's move and who moved with it, the bigger picture (week, month, 52-week high,
averages), the regime and momentum, relative strength, and Threat with its record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pulsewire.analysis.context import BenchmarkBar
from pulsewire.facts.sheet import MarketFact
from pulsewire.writer import thresholds as t
from pulsewire.writer.prose import SPX, Prose, Refer, is_plural
from pulsewire.writer.spans import (
    Text,
    day,
    fill,
    joined,
    listing,
    name,
    quote,
    words,
)


class Story(Prose):
    """Title, dek, summary and the body's paragraphs."""

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
        many = is_plural(self.refer.full)
        inserts = self._title_inserts = {
            "who": name(self.refer.full.text),
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
            "stretch": (
                f"<who> Reach{'' if many else 'es'} an Overbought RSI of {{rsi_14:num}}"
                if self.holds("rsi.overbought")
                else f"<who> Reach{'' if many else 'es'} an Oversold RSI of {{rsi_14:num}}"
            ),
            "month": f"<who> {'Are' if many else 'Is'} {self.way('return_20').title()} {{return_20:pct}} in a Month",
            "trend": f"<who> {verb} With the {'Uptrend' if s.regime == 'trend up' else 'Downtrend'} Intact",
            "range": f"<who> {verb}, Still in the Range",
        }
        template = templates[angle]
        if (
            angle in ("squeeze", "range")
            and self.support is not None
            and self.resistance is not None
        ):
            template += " Between {support.1.low:price} and {resistance.1.high:price}"
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
        self.refer = Refer(s, introduce=True)  # the body names the symbol in full again
        return dek

    def _story(self) -> tuple[str, tuple[str, ...]]:
        """The angle in one clause, for the dek: what makes this close worth reading."""
        angle, move = self.angle, self._move_words()
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
            return "<it> <is> " + self.way(
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
                + ", between support from {support.1.low:price} and resistance to {resistance.1.high:price}",
                (self._direction(),),
            )
        return "<it> " + move, (self._direction(),)

    def _move_words(self) -> str:
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
        return self.paragraph(
            self._move(), self._tape(), self._peers(), self._released(), self._news_lead()
        )

    def _move(self) -> Text:
        """The day's move, its size against the symbol's long-run swing, and how rare it is."""
        size, f = self._size(), self.f
        times = "{move.sigmas_long:num} times <its> long-run daily swing"
        sized = {
            "move.shock": ", " + times,
            "move.big": ", " + times,
            "move.large": ", a bigger day than <its> long-run usual",
            "move.normal": ", an ordinary day by <its> long-run standards",
            "move.small": ", well inside <its> usual daily range",
        }.get(size or "", "")
        claims = [self._direction(), *([size] if size else [])]
        rare, inserts = "", {}
        if self.holds("move.record"):
            rare = (
                " and <its> biggest one-day "
                + ("gain" if self.holds("move.up") else "drop")
                + " in the data, which start <first>"
            )
            claims.append("move.record")
            inserts["first"] = day(self._rarity_first("return_1"), year=True)
        elif (
            self.holds("move.rare")
            and self.sheet.move is not None
            and self.sheet.move.last_as_large
        ):
            rare = (
                " and <its> biggest one-day "
                + ("gain" if self.holds("move.up") else "drop")
                + " since <since>"
            )
            claims.append("move.rare")
            inserts["since"] = day(self.sheet.move.last_as_large, year=True)
        if not f.has("move.sigmas_long") and size in ("move.shock", "move.big"):
            sized = ", far beyond <its> usual daily swing"
        return self.state("<it> " + self._move_words() + sized + rare + ".", *claims, **inserts)

    def _rarity_first(self, reading: str) -> dt.date:
        return next(r.first for r in self.sheet.rarity if r.reading == reading)

    def _tape(self) -> Text | None:
        """The tape: the bellwether moves that make it risk-on, risk-off or mixed.

        The legs of the rule that held are listed first (for a mixed day, those of the
        risk-on rule, which failed); then any other bellwether that moved a full sigma.
        """
        s, f = self.sheet, self.f
        markets = s.markets
        if markets.tape == "no reading":
            return None
        rule = next((r for r in markets.rules if r.holds), markets.rules[0])
        legs = [leg.symbol for leg in (*rule.all_of, *(x for x in rule.any_of if x.holds))]
        moves = {m.symbol: m for m in markets.moves if m.same_day}
        # The symbol itself and its related markets are said in the next sentence.
        own = {s.symbol, *(r.symbol for r in s.related)}
        shown = [moves[x] for x in legs if x in moves and x not in own]
        others = [
            m
            for m in moves.values()
            if m.symbol not in legs and m.symbol not in own and abs(m.sigmas) >= t.LARGE_MOVE
        ]

        def listed(items: Sequence[MarketFact]) -> Text:
            return listing(
                [
                    joined(((name(m.name),), (f.span(f"market.{m.symbol}.change", "spct"),)), " ")
                    for m in items
                ]
            )

        lead = {
            "risk-on": "Across markets the day was risk-on",
            "risk-off": "Across markets the day was risk-off",
            "mixed": "Across markets the signals were mixed",
        }[markets.tape]
        text = (
            lead
            + (": <legs>" if shown else "")
            + ("; <others> also stood out" if others else "")
            + "."
        )
        return self.state(text, f"tape.{markets.tape}", legs=listed(shown), others=listed(others))

    def _released(self) -> Text | None:
        released = self.sheet.released
        if not released:
            return None
        first = released[0]
        delayed = ", delayed from its usual date" if first.rescheduled else ""
        return self.state(
            "The <event> came out on the day" + delayed + ".",
            "release.today",
            event=quote(first.event),
        )

    def _peers(self) -> Text | None:
        s, f = self.sheet, self.f
        moves = [r for r in s.related if f.has(f"related.{r.symbol}.change")]
        if not moves:
            return None
        listed = listing(
            [
                joined(((name(r.name),), (f.span(f"related.{r.symbol}.change", "spct"),)), " ")
                for r in moves
            ]
        )
        for claim, lead in (
            ("peers.shared", "The move was shared: "),
            ("peers.alone", "The move was <its> own: "),
            ("peers.split", "The neighbours split: "),
            ("peers.mirror", "Stocks moved the other way, as they usually do against <it>: "),
            ("peers.unmirrored", "Unusually, stocks moved the same way: "),
        ):
            if self.holds(claim):
                return self.state(lead + "<listed>, in total returns.", claim, listed=listed)
        return None

    def _news_lead(self) -> Text | None:
        news, coverage = self.sheet.news, self.sheet.coverage
        if not coverage.news_covers:
            if coverage.news_first is None:
                return self.state("The store holds no news, so no headline is cited.", "news.gap")
            return self.state(
                "The news data do not reach this date (they run from <first> to <last>), so no headline is cited.",
                "news.gap",
                first=day(coverage.news_first, year=True),
                last=day(coverage.news_last or coverage.news_first, year=True),
            )
        if not news:
            return None
        # The day's own news explains the day: the best-ranked item of that date leads.
        first = next((n for n in news if n.published.date() == self.sheet.data_as_of), news[0])
        self.cited.add(first.url)
        return self.state(
            (
                "The day's headline for <it>"
                if first.published.date() == self.sheet.data_as_of
                else "The headline that bears most on <it>"
            )
            + ": “<title>” (<domain>, <when>).",
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
                + self.way("return_5")
                + " {return_5:pct} over {window.week:num} sessions and {return_20:pct} over {window.month:num}"
                + self._month_tail()
                + ".",
                "clocks.agree",
                *self._month_claim(),
            )
            if self.holds("clocks.agree")
            else self.state(
                "<it> <is> "
                + self.way("return_5")
                + " {return_5:pct} over {window.week:num} sessions but "
                + self.way("return_20")
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
        elif self.holds("high.intraday"):
            high = self.state(
                "The session set a fresh {window.year_weeks:num}-week high of {high_252:price} before the close, {drawdown_252:pct} below it.",
                "high.intraday",
            )
        elif self.holds("low.intraday") and f.has("low_252"):
            high = self.state(
                "The session set a fresh {window.year_weeks:num}-week low of {low_252:price} before the close, {above_low_252:pct} above it.",
                "low.intraday",
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
            shape, claims = self.pick(
                (
                    ("averages.above", ": both averages rise beneath it as support"),
                    ("averages.below", ": both averages sit overhead"),
                    ("averages.mixed", ": the short and the long trend disagree"),
                )
            )
            averages = self.state(
                "Price sits {distance_sma_50:pct} "
                + side50
                + " the {window.sma_50:num}-day average ({sma_50:price}) and {distance_sma_200:pct} "
                + side200
                + " the {window.sma_200:num}-day ({sma_200:price})"
                + shape
                + ".",
                *claims,
            )
        return self.paragraph(clocks, high, averages)

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
            read, claims = self.pick(
                (
                    ("volatility.calm", ", calm by its own standards"),
                    ("volatility.wild", ", wild by its own standards"),
                )
            )
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
            return self.paragraph(self.state(missing[s.benchmark], spx=SPX))
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
                    spx=SPX,
                )
            )
        return self.paragraph(
            self.state(
                "On a total-return basis <it> <has> trailed <spx> by {strength.vs_spy_20:pct} over {window.month:num} sessions"
                + margin
                + ".",
                "strength.behind",
                *wide,
                spx=SPX,
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
