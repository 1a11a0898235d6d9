"""`Article`: what the writer produces and every renderer reads (JSON schema v1)."""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from pydantic import AwareDatetime, Field, FiniteFloat, PositiveInt

from pulsewire._frozen import Frozen

SCHEMA_VERSION: Final = 1


class ScoreBadge(Frozen):
    """One score as the badge shows it, with its one-line explanation."""

    name: Literal["Pulse", "Conviction", "Risk", "Threat"]
    value: FiniteFloat
    label: str
    display: str = Field(description="'54/100', 'Medium', '3/5'.")
    explanation: str


class SourceRef(Frozen):
    """A cited headline."""

    title: str
    snippet: str
    domain: str
    url: str
    published: AwareDatetime


class Mark(Frozen):
    """A stretch of one section's text that is not the writer's own words.

    A `figure` prints the fact `key` of the article's FactSheet, a `date` the date
    `key` (ISO); a `name` is a symbol's name and a `quote` a headline, an event or a
    data finding, quoted as the sheet holds it. The audit checks each, and that no digit
    stands outside them; a site links each figure to its provenance.
    """

    section: str = Field(description="'title', 'body[2]', 'take'...")
    start: int
    end: int
    kind: Literal["figure", "date", "name", "quote"]
    key: str | None = None


class RelatedRef(Frozen):
    """Another article of the same edition, and why it is related."""

    symbol: str
    title: str
    slug: str
    reason: str


class Article(Frozen):
    """A scored, sourced analysis article about one symbol at one close."""

    schema_version: Literal[1] = SCHEMA_VERSION
    slug: str = Field(description="'iwm-2026-02-02': unique within an edition.")
    symbol: str
    title: str = Field(min_length=1)
    dek: str
    category: str
    tags: tuple[str, ...]
    sentiment: Literal["Bullish", "Neutral", "Bearish"]
    scores: tuple[ScoreBadge, ...]
    summary: str = Field(description="The analysis box: one line.")
    body: tuple[str, ...] = Field(description="Paragraphs.")
    watch: tuple[str, ...] = Field(description="Levels, triggers and targets, MAs, RSI, volume.")
    catalysts: tuple[str, ...]
    risks: tuple[str, ...]
    opportunities: tuple[str, ...]
    take: str = Field(min_length=1)
    sources: tuple[SourceRef, ...]
    related: tuple[RelatedRef, ...]
    reading_minutes: PositiveInt
    published: AwareDatetime = Field(description="When the article was written (UTC).")
    data_as_of: dt.date = Field(description="The date of the last bar the article uses.")
    stale: bool = Field(description="The data stopped before the date asked for.")
    marks: tuple[Mark, ...] = Field(
        default=(), description="Every figure, date, name and quote of the text, located."
    )
    claims: tuple[str, ...] = Field(
        default=(), description="The messages the text states, each a condition on the sheet."
    )
