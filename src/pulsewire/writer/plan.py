"""The map and the plan: Watch levels, catalysts, risks, opportunities and the Take.

Each level is quoted once in Watch; the risks and opportunities name its edges; the
Take reads the call against the angle and the record, and its plan (entry, stop,
target) follows the call, with the stop at least one ATR from the entry.
"""

from __future__ import annotations

from collections.abc import Mapping

from pulsewire.facts.sheet import LevelFact
from pulsewire.writer.lexicon import EVENT_CHANNELS, release
from pulsewire.writer.prose import Prose
from pulsewire.writer.spans import (
    Text,
    day,
    joined,
    name,
    quote,
    words,
)

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


def _extreme(level: LevelFact) -> str:
    """', the 52-week high' for a zone that holds one, its figure a fact."""
    if level.extreme is None:
        return ""
    return ", the {window.year_weeks:num}-week " + level.extreme.rpartition(" ")[2]


class Plan(Prose):
    """Watch, catalysts, risks, opportunities and the Take."""

    def _zone(self, key: str) -> str:
        """A zone as '$258.20', or '$257.90-$258.50' when its ends print apart."""
        if self.f.price(f"{key}.low") == self.f.price(f"{key}.high"):
            return "{" + key + ".price:price}"
        return "{" + key + ".low:price}-{" + key + ".high:price}"

    def _level(self, level: LevelFact) -> Text:
        """The nearest zone on one side: where, what it is, how tested, and what lies beyond."""
        above = level.side == "resistance"
        key = f"{level.side}.1"
        edge = "{" + key + (".high" if above else ".low") + ":price}"
        what = _extreme(level)
        if not level.confirmed:
            history = ", set within the last {threshold.fresh_extreme_bars:num} sessions"
        else:
            tested = {1: "once", 2: "twice"}.get(level.touches, "{" + key + ".touches:num} times")
            history = ", tested " + tested + ", last <last>"
        flipped = (", a former floor" if above else ", a former ceiling") if level.flipped else ""
        nxt = f"{level.side}.2.price"
        claims: list[str] = []
        if self.f.has(nxt) and self._apart(f"{level.side}.1", f"{level.side}.2"):
            beyond = f"; a close {'above' if above else 'below'} {edge} opens {{{nxt}:price}}"
        elif self.holds("open-air.above" if above else "open-air.below"):
            claims.append("open-air.above" if above else "open-air.below")
            beyond = f"; {'above' if above else 'below'} it, open air: no level within {{threshold.open_air_atr:num}} ATRs"
        else:
            beyond = f"; no further {'ceiling' if above else 'floor'} is mapped"
        return self.state(
            ("Resistance" if above else "Support")
            + " sits at "
            + self._zone(key)
            + " ({"
            + key
            + ".distance:pct} "
            + ("above" if above else "below")
            + ")"
            + what
            + history
            + flipped
            + beyond
            + ".",
            *claims,
            last=day(level.last_touch),
        )

    def _apart(self, first: str, second: str) -> bool:
        """Whether two zones of one side stand at least half an ATR apart: two levels, not one."""
        gap = min(
            abs(self.f.value(f"{first}.low") - self.f.value(f"{second}.high")),
            abs(self.f.value(f"{first}.high") - self.f.value(f"{second}.low")),
        )
        return gap >= self.f.value("threshold.at_close_atr") * self.f.value("atr_14")

    def _at_close(self) -> Text | None:
        """A zone the close sits in: price is testing it, neither above nor below."""
        if not self.sheet.at_close:
            return None
        zone = self.sheet.at_close[0]
        what = _extreme(zone) + ("," if zone.extreme else "")
        return self.state(
            "At the close: price is testing the "
            + self._zone("at_close.1")
            + " zone"
            + what
            + " within half an ATR, so it counts as neither floor nor ceiling until a close leaves it."
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
        at_close = self._at_close()
        if at_close:
            items.append(at_close)
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
            read, claims = self.pick(
                (
                    ("volume.heavy", "heavy turnover"),
                    ("volume.light", "light turnover, so read the move lightly"),
                ),
                "ordinary turnover",
            )
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
            channel = EVENT_CHANNELS[release(first.event).story]
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
                    + ("; <it> trade<s> on <drivers>" if self.profile.drivers else "")
                    + (". After it: <later>." if rest else "."),
                    event=quote(first.event),
                    when=day(first.date),
                    later=later,
                    drivers=self.profile.drivers or "",
                )
            )
        elif self.holds("events.none"):
            items.append(
                self.state(
                    "No high-importance US release with a date known by now falls in the next two weeks.",
                    "events.none",
                )
            )
        if self.holds("calendar.gap"):
            items.append(self._calendar_gap())
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

    def _calendar_gap(self) -> Text:
        """Where the calendar data stop, so an empty list is not read as a quiet fortnight."""
        cover = self.sheet.coverage
        if cover.calendar_first is None:
            return self.state(
                "The store holds no economic calendar, so no release is listed.", "calendar.gap"
            )
        if self.sheet.as_of < cover.calendar_first:
            return self.state(
                "The calendar data start on <first>, so no release is listed for this date; that is not a sign that none was due.",
                "calendar.gap",
                first=day(cover.calendar_first, year=True),
            )
        return self.state(
            "The calendar data hold every series only through <last>, so releases after it may be missing here.",
            "calendar.gap",
            last=day(cover.calendar_last or cover.calendar_first, year=True),
        )

    def risks(self) -> tuple[Text, ...]:
        s, f, items = self.sheet, self.f, []
        if s.stale:
            items.append(
                self.state(
                    "The feed behind these figures stopped; the real price may be far from {close:price}."
                )
            )
        if self.support is not None:
            case = {
                "Bullish": " and the long case with it",
                "Bearish": ", as the short case expects",
            }
            items.append(
                self.state(
                    "A close below {support.1.low:price} breaks the nearest floor"
                    + case.get(self.call, "")
                    + "."
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
        if self.profile.known and self.call in ("Bullish", "Neutral"):
            items.append(
                self.state(
                    "The bear case: a fall from here would say that <reading>.",
                    reading=self.profile.if_down,
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
        s, items = self.sheet, []
        if s.stale:
            return (self.state("None we can vouch for until the feed is back."),)
        if self.resistance is not None:
            items.append(
                self.state("A close above {resistance.1.high:price} would turn the map up.")
            )
        if self.support is not None and self.call != "Bearish":
            items.append(
                self.state(
                    "A pullback that holds {support.1.low:price} offers a defined-risk entry."
                )
            )
        if self.profile.known and self.call in ("Bearish", "Neutral"):
            items.append(
                self.state(
                    "The bull case: a rise from here would say that <reading>.",
                    reading=self.profile.if_up,
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
        # Without a measured edge the plan is the lean's, not a recommendation: said so.
        edge = self.holds("record.edge") or self.holds("record.against")
        plan = "The plan: " if edge else "For a trader who takes the lean anyway: "
        if self.call == "Bullish":
            return self.state(
                plan
                + "buy pullbacks that hold {support.1.low:price}, with a stop at least one ATR ({atr_14:price}) under the entry and {resistance.1.high:price} the first target."
            )
        if self.call == "Bearish":
            return self.state(
                plan
                + "sell rallies that fail under {resistance.1.high:price}, with a stop at least one ATR ({atr_14:price}) above the entry and {support.1.low:price} the first target."
            )
        return self.state(
            "No trade in the middle: a close above {resistance.1.high:price} turns the case up, a close below {support.1.low:price} turns it down."
        )
