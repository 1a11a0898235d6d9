"""Headlines from JSONL or Parquet archives (``published,title,summary,source,url,origin``).

Text is kept exactly as received: it is never trusted, and it is escaped wherever it is
rendered later.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from pulsewire.model import NEWS_SCHEMA, Batch, news_key_id
from pulsewire.sources.tables import RawTable, parse_columns, parse_timestamps, require_columns

NEWS_REQUIRED: Final = ("published", "title", "url")
NEWS_OPTIONAL: Final = ("summary", "source", "origin")


def with_news_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """Return news columns (`ts_event`, `title`, `url`, ...) keyed and ordered as `NEWS_SCHEMA`."""
    keys = frame.select(
        pl.concat_str(
            pl.col("url"),
            pl.col("title"),
            pl.col("ts_event").dt.epoch("us").cast(pl.String),
            separator="\x1f",
        )
    ).to_series()
    ids = pl.Series("news_id", [news_key_id(key) for key in keys], dtype=pl.String())
    return frame.with_columns(ids).select(list(NEWS_SCHEMA)).cast(NEWS_SCHEMA)


def news_from_table(table: RawTable) -> Batch:
    """Return the validated headlines of a JSONL or Parquet news file.

    Raises
    ------
    SourceError
        At the earliest record without a title, url or a zoned `published` time.
    """
    require_columns(table, NEWS_REQUIRED)
    published, bad_time = parse_timestamps(table, "published")
    present = [name for name in NEWS_OPTIONAL if name in table.frame.columns]
    text, bad_text = parse_columns(
        table, dict.fromkeys(("title", "url", *present), pl.String()), optional=present
    )
    table.raise_first((bad_time, bad_text))
    # An item without an origin of its own comes from this file.
    default = {"summary": "", "source": "", "origin": table.origin}
    frame = text.with_columns(
        published.alias("ts_event"),
        *(pl.col(name).fill_null("") for name in present),
        *(pl.lit(default[name]).alias(name) for name in NEWS_OPTIONAL if name not in present),
    )
    return Batch("news", table.origin, table.sha256, with_news_ids(frame))
