"""`Batch`: one validated file's worth of records, columnar, on its way to the store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

BatchKind = Literal["bars", "news", "calendar"]


@dataclass(frozen=True)
class Batch:
    """Validated records from one file or feed.

    `frame` follows the schema of its kind (`BAR_SCHEMA`, `NEWS_SCHEMA`,
    `CALENDAR_SCHEMA`); `sha256` identifies the bytes it came from, so that the store
    can tell a file it has already ingested. `notes` carries what the source chose to
    drop (entries of a malformed feed) so that the caller can say so.
    """

    kind: BatchKind
    origin: str
    sha256: str
    frame: pl.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        """Number of records in the batch."""
        return self.frame.height
