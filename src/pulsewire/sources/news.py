"""Headlines from JSONL or Parquet archives (``published,title,summary,source,url,origin``).

Text is cleaned on the way in (`clean_text`: no escape sequences, control characters or
bidi overrides, one space between words, NFC) and otherwise kept as received: it is
never trusted, and it is escaped wherever it is rendered later.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from pulsewire.model import NEWS_SCHEMA, Batch, Problem, news_key_id
from pulsewire.model.text import clean_series
from pulsewire.sources.tables import RawTable, parse_columns, parse_timestamps, require_columns

NEWS_REQUIRED: Final = ("published", "title", "url")
NEWS_OPTIONAL: Final = ("summary", "source", "origin")
NEWS_TEXT: Final = ("title", "summary", "source", "url")
"""The fields of a headline that come from outside and are cleaned with `clean_text`."""


def clean_news_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Return `frame` with `clean_text` applied to each of its `NEWS_TEXT` columns."""
    return frame.with_columns(
        clean_series(frame[name]) for name in NEWS_TEXT if name in frame.columns
    )


def with_news_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """Return news columns (`ts_event`, `title`, `url`, ...) keyed and ordered as `NEWS_SCHEMA`.

    The text is cleaned first (`clean_news_text`), so the key of an item is that of its
    clean text; an item received clean keeps the key it always had. An item that the
    cleaning leaves without a title or a url (it held only control characters) cannot
    be cited and is dropped, like one received blank.
    """
    frame = clean_news_text(frame).filter((pl.col("title") != "") & (pl.col("url") != ""))
    return _keyed(frame)


def _keyed(frame: pl.DataFrame) -> pl.DataFrame:
    """Return clean news columns with their `news_id`, ordered and cast as `NEWS_SCHEMA`."""
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
        At the earliest record without a title, url or a zoned `published` time, or
        whose title or url holds nothing printable (only control characters).
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
    frame = clean_news_text(frame)
    table.raise_first(_first_blank(frame, table, name) for name in ("title", "url"))
    return Batch("news", table.origin, table.sha256, _keyed(frame))


def _first_blank(frame: pl.DataFrame, table: RawTable, name: str) -> Problem | None:
    """Return the first row whose `name` the cleaning emptied, if any."""
    rows = (frame[name] == "").arg_true()
    if rows.is_empty():
        return None
    row = int(rows[0])
    value = table.frame[name][row]
    return Problem(row, name, value, f"{value!r} holds no printable text")
