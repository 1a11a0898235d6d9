"""Find the files under the paths a user names and read each with the right source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Final

import httpx

from pulsewire.errors import SourceError
from pulsewire.model import PRICE_FIELDS, Batch, BatchKind
from pulsewire.sources.bars import BAR_COLUMNS, bars_from_table
from pulsewire.sources.calendar import CALENDAR_COLUMNS, calendar_from_table
from pulsewire.sources.news import NEWS_OPTIONAL, NEWS_REQUIRED, news_from_table
from pulsewire.sources.rss import RssNewsSource, is_url, news_from_feed
from pulsewire.sources.tables import RawTable, TableFormat, file_error, read_table

TABLE_FORMATS: Final[dict[str, TableFormat]] = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
FEED_SUFFIXES: Final = (".xml", ".rss", ".atom")

_COLUMNS_OF: Final[dict[BatchKind, tuple[str, ...]]] = {
    "bars": BAR_COLUMNS,
    "news": (*NEWS_REQUIRED, *NEWS_OPTIONAL),
    "calendar": CALENDAR_COLUMNS,
}


def bundled_data() -> str:
    """Return the folder of the real data shipped with the package (see its SOURCES.md)."""
    return str(resources.files("pulsewire") / "data")


def discover(paths: Sequence[str]) -> list[str]:
    """Return the files (and feed URLs) to ingest: folders expand to their data files, sorted.

    Raises
    ------
    SourceError
        If a path does not exist or names a file of an unknown kind.
    """
    found: list[str] = []
    for location in paths:
        if is_url(location):
            found.append(location)
            continue
        path = Path(location)
        if path.is_dir():
            found.extend(
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in (*TABLE_FORMATS, *FEED_SUFFIXES)
            )
        elif path.is_file():
            if path.suffix.lower() not in (*TABLE_FORMATS, *FEED_SUFFIXES):
                file_error(
                    location,
                    f"unknown file type {path.suffix!r}",
                    "pulsewire reads .csv, .parquet, .jsonl and RSS/Atom (.xml) files",
                )
            found.append(location)
        else:
            file_error(location, "no such file or folder")
    return found


def kind_of(table: RawTable) -> BatchKind:
    """Return which records a table holds, judged by its column names.

    The kind whose columns overlap most wins, so that a file with one misnamed column
    still reaches the validator that can name the mistake.
    """
    present = {c.strip().lower() for c in table.frame.columns}
    overlap = {kind: len(present & set(cols)) for kind, cols in _COLUMNS_OF.items()}
    best = max(overlap, key=lambda kind: overlap[kind])
    if overlap[best] == 0:
        file_error(
            table.origin,
            f"not a price, news or calendar file (columns: {', '.join(table.frame.columns)})",
            "prices need date,open,high,low,close,adj_close,volume",
        )
    return best


def fetch(location: str, client: httpx.Client | None = None) -> bytes:
    """Return the bytes of a file or feed URL: the only I/O of reading a source."""
    if is_url(location):
        return RssNewsSource(client).extract(location)
    try:
        return Path(location).read_bytes()
    except OSError as e:
        raise SourceError(location, None, None, None, f"cannot read: {e.strerror}") from e


def parse(location: str, data: bytes, now: dt.datetime | None = None) -> Batch:
    """Validate the bytes read from `location` into a `Batch`, choosing the source by type.

    `now` (default: the clock) is the present the bars are read at: a bar dated after
    its UTC day is refused.

    Raises
    ------
    SourceError
        If the bytes cannot be parsed or any record in them is invalid.
    """
    if is_url(location) or location.lower().endswith(FEED_SUFFIXES):
        return news_from_feed(location, data)
    present = dt.datetime.now(dt.UTC) if now is None else now
    path = Path(location)
    numeric = (*PRICE_FIELDS, "volume")
    table = read_table(location, data, TABLE_FORMATS[path.suffix.lower()], numeric)
    transforms: dict[BatchKind, Callable[[RawTable], Batch]] = {
        "bars": lambda t: bars_from_table(t, path.stem, present),
        "news": news_from_table,
        "calendar": calendar_from_table,
    }
    return transforms[kind_of(table)](table)


def load(
    location: str, client: httpx.Client | None = None, now: dt.datetime | None = None
) -> Batch:
    """Read and validate one file or feed into a `Batch`, as `parse` does at `now`."""
    return parse(location, fetch(location, client), now)
