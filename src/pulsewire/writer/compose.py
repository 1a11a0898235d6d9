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

from pulsewire.article.model import Article, Mark, ScoreBadge, SourceRef
from pulsewire.facts.sheet import FactSheet, ScoreFact
from pulsewire.writer import thresholds as t
from pulsewire.writer.lexicon import release
from pulsewire.writer.plan import Plan
from pulsewire.writer.prose import headline_case
from pulsewire.writer.spans import (
    Text,
    marks,
    render,
)
from pulsewire.writer.story import Story


class _Writer(Story, Plan):
    """Writes one article: the story, then the map and the plan, over one shared state."""

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
