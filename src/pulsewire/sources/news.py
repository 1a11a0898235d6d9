"""Headlines from JSONL or Parquet archives (``published,title,summary,source,url,origin``).

Text is kept exactly as received: it is never trusted, and it is escaped wherever it is
rendered later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import polars as pl

from pulsewire.model import NEWS_SCHEMA, Batch, news_id
from pulsewire.sources.tables import RawTable, parse_column, parse_timestamps, require_columns

NEWS_REQUIRED: Final = ("published", "title", "url")
NEWS_OPTIONAL: Final = ("summary", "source", "origin")


def news_frame(
    ts_event: Sequence[dt.datetime],
    title: Sequence[str],
    url: Sequence[str],
    summary: Sequence[str],
    source: Sequence[str],
    origin: Sequence[str],
) -> pl.DataFrame:
    """Return a news batch's frame, keyed by `news_id`, from aligned columns."""
    ids = [news_id(u, t, ts) for u, t, ts in zip(url, title, ts_event, strict=True)]
    return pl.DataFrame(
        {
            "news_id": ids,
            "ts_event": ts_event,
            "title": title,
            "summary": summary,
            "source": source,
            "url": url,
            "origin": origin,
        },
        schema=NEWS_SCHEMA,
    )


def news_from_table(table: RawTable) -> Batch:
    """Return the validated headlines of a JSONL or Parquet news file.

    Raises
    ------
    SourceError
        At the earliest record without a title, url or a zoned `published` time.
    """
    require_columns(table, NEWS_REQUIRED)
    published, bad_time = parse_timestamps(table, "published")
    # Parsed text is only checked for presence; the frame keeps it exactly as received.
    _, bad_title = parse_column(table, "title", pl.String())
    _, bad_url = parse_column(table, "url", pl.String())
    table.raise_first((bad_time, bad_title, bad_url))
    height = table.frame.height
    optional = {
        name: (
            table.frame[name].fill_null("").to_list()
            if name in table.frame.columns
            else [""] * height
        )
        for name in NEWS_OPTIONAL
    }
    frame = news_frame(
        published.to_list(),
        table.frame["title"].to_list(),
        table.frame["url"].to_list(),
        optional["summary"],
        optional["source"],
        optional["origin"],
    )
    return Batch("news", table.origin, table.sha256, frame)
