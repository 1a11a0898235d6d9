"""An edition: one article per FactSheet, each pointing to the others it relates to."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from pulsewire.analysis.context import RELATED
from pulsewire.article.model import Article, RelatedRef
from pulsewire.facts.sheet import FactSheet
from pulsewire.model.call import Call
from pulsewire.writer.compose import write_article

RELATED_ARTICLES = 3


@dataclass(frozen=True)
class Edition:
    """The articles of one as-of date and the sheets they were written from, in order."""

    as_of: dt.date
    published: dt.datetime
    sheets: tuple[FactSheet, ...]
    articles: tuple[Article, ...]


def _kinship(sheet: FactSheet, other: FactSheet, article: Article, theirs: Article) -> float:
    """How related two articles are: named peers, then asset class, correlation and tags."""
    correlation = next((r.correlation for r in sheet.related if r.symbol == other.symbol), math.nan)
    shared = len(set(article.tags[1:]) & set(theirs.tags[1:]))
    return (
        3.0 * (other.symbol in RELATED.get(sheet.symbol, ()))
        + 2.0 * (other.asset_class == sheet.asset_class)
        + (abs(correlation) if math.isfinite(correlation) else 0.0)
        + 0.25 * shared
    )


def _reason(sheet: FactSheet, other: FactSheet) -> str:
    if other.symbol in RELATED.get(sheet.symbol, ()):
        return "related market"
    if other.asset_class == sheet.asset_class:
        return f"same asset class ({sheet.asset_class})"
    return "shared themes"


def write_edition(sheets: Sequence[FactSheet], published: dt.datetime) -> Edition:
    """Return the edition of `sheets`, each article with its most related others."""
    drafts = [write_article(sheet, published) for sheet in sheets]
    articles = []
    for sheet, draft in zip(sheets, drafts, strict=True):
        ranked = sorted(
            (
                (-_kinship(sheet, other, draft, theirs), other.symbol, other, theirs)
                for other, theirs in zip(sheets, drafts, strict=True)
                if other.symbol != sheet.symbol
            ),
            key=lambda item: (item[0], item[1]),
        )
        related = tuple(
            RelatedRef(symbol=o.symbol, title=a.title, slug=a.slug, reason=_reason(sheet, o))
            for _, _, o, a in ranked[:RELATED_ARTICLES]
        )
        articles.append(draft.model_copy(update={"related": related}))
    as_of = sheets[0].as_of if sheets else published.date()
    return Edition(as_of, published, tuple(sheets), tuple(articles))


def edition_calls(edition: Edition) -> list[Call]:
    """Return what each article of `edition` committed to, for the scorecard."""
    calls = []
    for sheet in edition.sheets:
        scores = {s.name: s for s in sheet.scores}
        support = next((lv for lv in sheet.levels if lv.side == "support"), None)
        resistance = next((lv for lv in sheet.levels if lv.side == "resistance"), None)
        threat = scores.get("Threat")
        calls.append(
            Call(
                origin="edition",
                as_of=sheet.as_of,
                symbol=sheet.symbol,
                close=sheet.facts["close"].value,
                pulse=scores["Pulse"].value,
                pulse_label=scores["Pulse"].label,
                threat_level=0 if threat is None else int(threat.value),
                threat_probability=math.nan
                if sheet.threat_probability is None
                else sheet.threat_probability,
                support=None if support is None else (support.low, support.high),
                resistance=None if resistance is None else (resistance.low, resistance.high),
            )
        )
    return calls


def edition_rows(edition: Edition) -> pl.DataFrame:
    """Return the edition as rows of the store's `articles` table."""
    return pl.DataFrame(
        {
            "as_of": [edition.as_of] * len(edition.articles),
            "slug": [a.slug for a in edition.articles],
            "symbol": [a.symbol for a in edition.articles],
            "published": [edition.published] * len(edition.articles),
            "article": [a.model_dump_json() for a in edition.articles],
            "factsheet": [s.model_dump_json() for s in edition.sheets],
        },
        schema_overrides={"published": pl.Datetime("us", "UTC")},
    )
