"""An edition: one article per FactSheet, each pointing to the others it relates to."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from pulsewire.article.model import Article, RelatedRef
from pulsewire.facts.edition import LeftOut, Omission
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import profile
from pulsewire.model.call import Call
from pulsewire.writer.audit import audit
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
            for peer in profile(sheet.symbol).related:
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
    if other.symbol in profile(sheet.symbol).related:
        return "related market"
    if other.asset_class == sheet.asset_class:
        return f"same asset class ({sheet.asset_class})"
    return "shared themes"


def write_edition(
    sheets: Sequence[FactSheet],
    published: dt.datetime,
    left_out: Sequence[LeftOut] = (),
    alongside: Sequence[tuple[FactSheet, Article]] = (),
) -> Edition:
    """Return the edition of `sheets`, each article audited and linked to its most related.

    An article with a number its sheet cannot back is left out, named with the number,
    and the others are written: no article holds an edition hostage. `left_out` are the
    symbols `build_sheets` could not write; the edition keeps them so that its reader
    learns what is missing and why. `alongside` are the stored articles of the same
    date that this edition joins (a rewrite of some symbols): the new articles may link
    to them.
    """
    kept: list[tuple[FactSheet, Article]] = []
    untraced: list[LeftOut] = []
    for sheet in sheets:
        draft = write_article(sheet, published)
        found = audit(draft, sheet)
        if found:
            first = found[0]
            detail = f"{first.section}: {first.token!r}"
            untraced.append(LeftOut(sheet.symbol, Omission.UNTRACED, None, 0, detail))
        else:
            kept.append((sheet, draft))
    every = [*kept, *alongside]
    ranked = _related([s for s, _ in every], [a for _, a in every])
    articles = [
        draft.model_copy(
            update={
                "related": tuple(
                    RelatedRef(
                        symbol=every[o][0].symbol,
                        title=every[o][1].title,
                        slug=every[o][1].slug,
                        reason=_reason(sheet, every[o][0]),
                    )
                    for o in others
                )
            }
        )
        for (sheet, draft), others in zip(kept, ranked, strict=False)
    ]
    as_of = sheets[0].as_of if sheets else published.date()
    return Edition(
        as_of,
        published,
        tuple(s for s, _ in kept),
        tuple(articles),
        (*left_out, *untraced),
    )


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


def left_out_rows(edition: Edition) -> pl.DataFrame:
    """Return what the edition left out as rows of the store's `left_out` table."""
    gone = edition.left_out
    return pl.DataFrame(
        {
            "as_of": [edition.as_of] * len(gone),
            "symbol": [s.symbol for s in gone],
            "reason": [str(s.reason) for s in gone],
            "detail": [s.detail for s in gone],
            "first_bar": [s.first_bar for s in gone],
            "bars": [s.bars for s in gone],
        },
        schema={
            "as_of": pl.Date(),
            "symbol": pl.String(),
            "reason": pl.String(),
            "detail": pl.String(),
            "first_bar": pl.Date(),
            "bars": pl.Int64(),
        },
    )


def stored_edition(
    articles: pl.DataFrame, left_out: pl.DataFrame, rewritten: Collection[str]
) -> tuple[list[tuple[FactSheet, Article]], list[LeftOut]]:
    """Return the stored articles (with their sheets) and omissions a rewrite keeps.

    `articles` and `left_out` are a date's rows of the store's tables (`Store.edition`);
    the rows of the `rewritten` symbols are dropped, the others kept as stored.
    """
    kept = [
        (
            FactSheet.model_validate_json(row["factsheet"]),
            Article.model_validate_json(row["article"]),
        )
        for row in articles.iter_rows(named=True)
        if row["symbol"] not in rewritten
    ]
    gone = [
        LeftOut(
            row["symbol"], Omission(row["reason"]), row["first_bar"], row["bars"], row["detail"]
        )
        for row in left_out.iter_rows(named=True)
        if row["symbol"] not in rewritten
    ]
    return kept, gone
