"""The audit: every figure prints its own fact, every claim holds, no part contradicts another.

It reads the article as the writer left it, text and marks (`Article.marks`):

- each figure mark prints exactly its fact key, at the sheet's precision, with the
  right sign: the 50-day average printed where the close is claimed fails;
- each date mark is a date of the sheet, each name a name the desk knows, each quote
  a headline, event or finding of the sheet, verbatim;
- no digit stands outside a mark: a number typed into the words is caught;
- each claim the article records (`Article.claims`) holds on the sheet;
- the contradiction rules hold: the direction words of title, dek and lead agree
  with the day's move and its size; the Take's plan agrees with the call; trend words
  agree with ADX.

A score's explanation is the sheet's own, checked verbatim.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from pulsewire.article.model import Article, Mark
from pulsewire.facts.format import forms, price_scale, show_date
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import profile, universe
from pulsewire.writer import messages

_ISO: Final = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_SHORT: Final = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b")
_NUMBER: Final = re.compile(r"[-+]?\$?\d[\d,]*(?:\.\d+)?(?:%|x|st|nd|rd|th)?")
_UP: Final = re.compile(r"\b(rose|climb|jump|soar|gain|edge[sd]? up|rise|rall)", re.IGNORECASE)
_DOWN: Final = re.compile(
    r"\b(fell|fall|tumble|plunge|slip|edge[sd]? down|sank|sink|drop)", re.IGNORECASE
)
_SOFT: Final = re.compile(
    r"\b(edges? (up|down)|slips?|rises?|hold steady|holds steady)\b", re.IGNORECASE
)
_BUY: Final = re.compile(r"\bbuy\b", re.IGNORECASE)
_SELL: Final = re.compile(r"\b(sell|short)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Untraced:
    """Something in the text the sheet cannot back: a figure, a claim or a contradiction."""

    section: str
    token: str
    text: str


def _sections(article: Article) -> Iterator[tuple[str, str]]:
    yield "title", article.title
    yield "dek", article.dek
    yield "summary", article.summary
    for name in ("body", "watch", "catalysts", "risks", "opportunities"):
        for index, text in enumerate(getattr(article, name)):
            yield f"{name}[{index}]", text
    yield "take", article.take


def _dates(sheet: FactSheet) -> set[dt.date]:
    days = {sheet.as_of, sheet.data_as_of}
    days.update(d for lv in sheet.levels for d in (lv.first_touch, lv.last_touch))
    days.update(e.date for e in (*sheet.events, *sheet.released))
    days.update(r.first for r in sheet.rarity)
    days.update(m.date for m in sheet.markets.moves)
    cover, move, year = sheet.coverage, sheet.move, sheet.year_range
    days.update(
        d
        for d in (
            cover.news_first,
            cover.news_last,
            cover.calendar_first,
            cover.calendar_last,
            move.last_as_large if move else None,
            *(
                (year.high_date, year.low_date, year.last_new_high, year.last_new_low)
                if year
                else ()
            ),
        )
        if d is not None
    )
    days.update(s.published.date() for s in sheet.news)
    days.update(d for h in sheet.history for d in (h.first, h.last) if d is not None)
    for text in (sheet.stale_reason or "", *sheet.findings):
        days.update(dt.date.fromisoformat(found) for found in _ISO.findall(text))
    return days


class _Reader:
    """What the sheet lets an article print, gathered once per audit."""

    def __init__(self, sheet: FactSheet) -> None:
        self.sheet = sheet
        self.scale = price_scale(sheet.facts)
        self.days = {d.isoformat(): d for d in _dates(sheet)}
        self.names = {
            n.lower()
            for n in (
                *(p.name.text for p in universe().values()),
                *(r.text for r in profile(sheet.symbol).references),
                *(p.full_name for p in universe().values()),
                sheet.symbol,
                sheet.name,
                *(r.name for r in sheet.related),
            )
        }
        self.quotes = {
            *(s.title for s in sheet.news),
            *(e.event for e in (*sheet.events, *sheet.released)),
            *sheet.findings,
            *([sheet.stale_reason] if sheet.stale_reason else []),
        }

    def problem(self, mark: Mark, text: str) -> str | None:
        """Return why `text`, at `mark`, is not what the sheet holds; None when it is."""
        if mark.kind == "figure":
            fact = self.sheet.facts.get(mark.key or "")
            if fact is None:
                return f"no fact {mark.key!r}"
            bare = text.lstrip("+-").lstrip("$")
            if bare not in forms(fact, scale=self.scale):
                return f"prints {text!r}, not {mark.key}"
            if (text.startswith("+") and fact.value <= 0) or (
                text.startswith("-") and fact.value >= 0
            ):
                return f"the sign of {mark.key} is wrong"
            return None
        if mark.kind == "date":
            known = self.days.get(mark.key or "")
            if known is None:
                return "a date the sheet does not hold"
            written = (show_date(known), f"{show_date(known)}, {known.year}", known.isoformat())
            return None if text in written else "a date printed another way"
        if mark.kind == "name":
            return None if text.lower() in self.names else "a name the desk does not know"
        return None if text in self.quotes else "a quote the sheet does not hold"


def _contradictions(article: Article, sheet: FactSheet) -> Iterator[Untraced]:
    """The rules a reader checks first: direction, size, plan against call, trend against ADX."""

    def holds(claim: str) -> bool:
        return messages.holds(claim, sheet)

    lead = article.body[0] if article.body and not sheet.stale else ""
    for section, text in (("title", article.title), ("dek", article.dek), ("body[0]", lead)):
        if sheet.stale:
            break
        if holds("move.down") and _UP.search(text) and not _DOWN.search(text):
            yield Untraced(section, "direction", text)
        if holds("move.up") and _DOWN.search(text) and not _UP.search(text):
            yield Untraced(section, "direction", text)
    if (holds("move.big") or holds("move.shock")) and _SOFT.search(article.title):
        yield Untraced("title", "soft verb for a big move", article.title)
    call = messages.call(sheet)
    if call == "Bullish" and _SELL.search(article.take):
        yield Untraced("take", "a sell plan on a long call", article.take)
    if call == "Bearish" and _BUY.search(article.take):
        yield Untraced("take", "a buy plan on a short call", article.take)
    for section, text in _sections(article):
        if "No trend qualifies" in text and not holds("adx.none"):
            yield Untraced(section, "no trend, with ADX at a trend", text)
        if "The regime is a trend" in text and not holds("adx.trend"):
            yield Untraced(section, "a trend, with ADX under the line", text)


def audit(article: Article, sheet: FactSheet) -> list[Untraced]:
    """Return every figure, date, claim or contradiction of `article` that `sheet` cannot back."""
    reader = _Reader(sheet)
    texts = dict(_sections(article))
    found: list[Untraced] = []
    covered: dict[str, list[tuple[int, int]]] = {}
    for mark in article.marks:
        text = texts.get(mark.section)
        if text is None or not 0 <= mark.start < mark.end <= len(text):
            found.append(Untraced(mark.section, "mark", "a mark outside its section"))
            continue
        span = text[mark.start : mark.end]
        problem = reader.problem(mark, span)
        if problem is not None:
            found.append(Untraced(mark.section, span, problem))
        covered.setdefault(mark.section, []).append((mark.start, mark.end))
    for section, text in texts.items():
        rest = list(text)
        for start, end in covered.get(section, ()):
            rest[start:end] = " " * (end - start)
        unmarked = "".join(rest)
        for token in _SHORT.findall(unmarked):
            found.append(Untraced(section, token, text))
        for token in _NUMBER.findall(_SHORT.sub(" ", unmarked)):
            found.append(Untraced(section, token, text))
    by_name = {s.name: s for s in sheet.scores}
    for badge in article.scores:
        score = by_name.get(badge.name)
        if score is None or badge.explanation != score.explanation:
            found.append(Untraced(f"score {badge.name}", badge.display, badge.explanation))
    for claim in article.claims:
        if not messages.holds(claim.rpartition(":")[2], sheet):
            found.append(Untraced("claims", claim, "the sheet does not hold it"))
    found.extend(_contradictions(article, sheet))
    return found
