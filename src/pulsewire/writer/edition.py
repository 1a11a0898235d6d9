"""An edition: one article per FactSheet, each pointing to the others it relates to."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from pulsewire.analysis.context import RELATED
from pulsewire.article.model import Article, RelatedRef
from pulsewire.facts.edition import LeftOut
from pulsewire.facts.sheet import FactSheet
from pulsewire.model.call import Call
from pulsewire.writer.compose import write_article

RELATED_ARTICLES = 3
_BLOCK = 512
"""Rows of the kinship matrix computed at once: 512 x 5,000 floats is 20 MB."""


@dataclass(frozen=True)
class Edition:
    """The articles of one as-of date and the sheets they were written from, in order,
    and the symbols it left out (no bar by then, too little history...), with why."""

    as_of: dt.date
    published: dt.datetime
    sheets: tuple[FactSheet, ...]
    articles: tuple[Article, ...]
    left_out: tuple[LeftOut, ...] = ()


def _related(sheets: Sequence[FactSheet], drafts: Sequence[Article]) -> list[list[int]]:
    """Return, for each article, its `RELATED_ARTICLES` most related others, best first.

    Kinship is named peers 3, same asset class 2, the absolute correlation, and 0.25 per
    shared tag; ties go to the symbol first in alphabetical order. It is computed as
    matrices in row blocks, so a 5,000-symbol edition costs seconds, not an hour.
    """
    count = len(sheets)
    order = sorted(range(count), key=lambda i: sheets[i].symbol)
    column = {sheets[i].symbol: rank for rank, i in enumerate(order)}
    vocabulary: dict[str, int] = {}
    tagged = [
        [vocabulary.setdefault(t, len(vocabulary)) for t in drafts[i].tags[1:]] for i in order
    ]
    tags = np.zeros((count, max(len(vocabulary), 1)), dtype=np.float64)
    for rank, indices in enumerate(tagged):
        tags[rank, indices] = 1.0
    classes = np.array([sheets[i].asset_class for i in order])
    best: list[list[int]] = [[] for _ in range(count)]
    for start in range(0, count, _BLOCK):
        rows = range(start, min(start + _BLOCK, count))
        named = np.zeros((len(rows), count))
        correlated = np.zeros((len(rows), count))
        for row, rank in enumerate(rows):
            sheet = sheets[order[rank]]
            for peer in RELATED.get(sheet.symbol, ()):
                if peer in column:
                    named[row, column[peer]] = 1.0
            for other in sheet.related:
                if other.symbol in column and math.isfinite(other.correlation):
                    correlated[row, column[other.symbol]] = abs(other.correlation)
        same = (classes[start : start + len(rows), None] == classes[None, :]).astype(np.float64)
        shared = tags[start : start + len(rows)] @ tags.T
        kinship = 3.0 * named + 2.0 * same + correlated + 0.25 * shared
        kinship[np.arange(len(rows)), np.arange(start, start + len(rows))] = -np.inf
        for row, rank in enumerate(rows):
            ranked = np.argsort(-kinship[row], kind="stable")[:RELATED_ARTICLES]
            best[order[rank]] = [order[int(c)] for c in ranked if np.isfinite(kinship[row, c])]
    return best


def _reason(sheet: FactSheet, other: FactSheet) -> str:
    if other.symbol in RELATED.get(sheet.symbol, ()):
        return "related market"
    if other.asset_class == sheet.asset_class:
        return f"same asset class ({sheet.asset_class})"
    return "shared themes"


def write_edition(
    sheets: Sequence[FactSheet], published: dt.datetime, left_out: Sequence[LeftOut] = ()
) -> Edition:
    """Return the edition of `sheets`, each article with its most related others.

    `left_out` are the symbols the edition could not write (`build_sheets` says which);
    the edition keeps them so that its reader learns what is missing and why.
    """
    drafts = [write_article(sheet, published) for sheet in sheets]
    articles = [
        draft.model_copy(
            update={
                "related": tuple(
                    RelatedRef(
                        symbol=sheets[o].symbol,
                        title=drafts[o].title,
                        slug=drafts[o].slug,
                        reason=_reason(sheet, sheets[o]),
                    )
                    for o in others
                )
            }
        )
        for sheet, draft, others in zip(sheets, drafts, _related(sheets, drafts), strict=True)
    ]
    as_of = sheets[0].as_of if sheets else published.date()
    return Edition(as_of, published, tuple(sheets), tuple(articles), tuple(left_out))


def edition_calls(edition: Edition) -> list[Call]:
    """Return what each article of `edition` committed to, for the scorecard."""
    calls = []
    for sheet in edition.sheets:
        scores = {s.name: s for s in sheet.scores}
        support, resistance = sheet.nearest("support"), sheet.nearest("resistance")
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
                call=scores["Pulse"].label if sheet.record is None else sheet.record.call,
                conviction=scores["Conviction"].value,
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
