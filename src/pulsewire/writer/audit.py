"""The audit: every number in an article's text must come from its FactSheet.

It reads the text as a reader does, not the writer's intent: it finds each date and
each number in every prose field (title to Take, score explanations included) and
looks for a fact that prints that way. Names that contain digits ("Russell 2000", or a
user's own ticker such as "7203.T"), quoted headlines, the terms a headline matched
("russell 2000", "10 year"), calendar event names and the data findings the sheet
states ("1,000 sessions behind") are the sheet's own words and are skipped before
numbers are read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from pulsewire.article.model import Article
from pulsewire.facts.format import forms, price_scale, show_date
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import universe

_ISO: Final = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_SHORT: Final = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b")
_NUMBER: Final = re.compile(
    r"(?<![\w.])[-+]?\$?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%|x|st|nd|rd|th)?)(?!\w|\.\d)"
)


@dataclass(frozen=True, slots=True)
class Untraced:
    """A number or date in the text that no fact of the sheet prints."""

    section: str
    token: str
    text: str


def _sections(article: Article) -> Iterator[tuple[str, str]]:
    yield "title", article.title
    yield "dek", article.dek
    yield "summary", article.summary
    for badge in article.scores:
        yield f"score {badge.name}", badge.explanation
    for name in ("body", "watch", "catalysts", "risks", "opportunities"):
        for index, text in enumerate(getattr(article, name)):
            yield f"{name}[{index}]", text
    yield "take", article.take


def _dates(sheet: FactSheet) -> set[dt.date]:
    days = {sheet.as_of, sheet.data_as_of}
    days.update(d for lv in sheet.levels for d in (lv.first_touch, lv.last_touch))
    days.update(e.date for e in sheet.events)
    days.update(s.published.date() for s in sheet.news)
    days.update(d for h in sheet.history for d in (h.first, h.last) if d is not None)
    for text in (sheet.stale_reason or "", *sheet.findings):
        days.update(dt.date.fromisoformat(found) for found in _ISO.findall(text))
    return days


def audit(article: Article, sheet: FactSheet) -> list[Untraced]:
    """Return every number or date of `article`'s text that `sheet` cannot back."""
    scale = price_scale(sheet.facts)  # prices print with the decimals of the close
    printable = {form for fact in sheet.facts.values() for form in forms(fact, scale=scale)}
    days = _dates(sheet)
    iso, short = {d.isoformat() for d in days}, {show_date(d) for d in days}
    phrases = sorted(
        {
            *(p.name.text for p in universe().values()),
            sheet.symbol,
            sheet.name,
            *(s.title for s in sheet.news),
            *(term for s in sheet.news for term in s.matched),
            *sheet.findings,
            *([sheet.stale_reason] if sheet.stale_reason else []),
            *(e.event for e in sheet.events),
        },
        key=len,
        reverse=True,
    )
    words = re.compile("|".join(re.escape(phrase) for phrase in phrases), re.IGNORECASE)
    found = []
    for section, text in _sections(article):
        rest = words.sub(" ", text)
        for pattern, known in ((_ISO, iso), (_SHORT, short)):
            for token in pattern.findall(rest):
                if token not in known:
                    found.append(Untraced(section, token, text))
            rest = pattern.sub(" ", rest)
        for token in _NUMBER.findall(rest):
            if token not in printable:
                found.append(Untraced(section, token, text))
    return found
