"""`NewsItem`: one headline as received from a feed or archive."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Final

import polars as pl

from pulsewire.errors import DataError

NEWS_SCHEMA: Final = pl.Schema(
    {
        "news_id": pl.String(),
        "ts_event": pl.Datetime("us", "UTC"),
        "title": pl.String(),
        "summary": pl.String(),
        "source": pl.String(),
        "url": pl.String(),
        "origin": pl.String(),
    }
)
"""Columns of a batch of news. Text is stored cleaned of control characters and escape
codes (`clean_text`), otherwise as received, and escaped on output."""


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def news_key_id(key: str) -> str:
    """Return the id for a key ``url \\x1f title \\x1f microseconds since the epoch``."""
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def news_id(url: str, title: str, ts_event: dt.datetime) -> str:
    """Return the stable key of a headline: a hash of its link, title and publication time.

    The link alone is not unique (some feeds point every item at their home page), and a
    key derived from content makes re-ingesting the same item a no-op.
    """
    micros = (ts_event - _EPOCH) // dt.timedelta(microseconds=1)
    return news_key_id("\x1f".join((url, title, str(micros))))


@dataclass(frozen=True, slots=True)
class NewsItem:
    """A headline: when it was published (`ts_event`, UTC), what it says and where from."""

    ts_event: dt.datetime
    title: str
    url: str
    summary: str = ""
    source: str = ""
    origin: str = ""

    def __post_init__(self) -> None:
        if self.ts_event.tzinfo is None:
            raise DataError("published", self.ts_event, "timestamp has no time zone")
        for field in ("title", "url"):
            if not getattr(self, field).strip():
                raise DataError(field, getattr(self, field), "is empty")

    @property
    def news_id(self) -> str:
        """The stable key under which the store keeps this item."""
        return news_id(self.url, self.title, self.ts_event)
