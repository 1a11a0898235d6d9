"""`CalendarEvent`: a scheduled macro release or central-bank decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import polars as pl

from pulsewire.errors import DataError

IMPORTANCE_LEVELS: Final = ("low", "medium", "high")

CALENDAR_SCHEMA: Final = pl.Schema(
    {
        "date": pl.Date(),
        "time_utc": pl.Time(),
        "event": pl.String(),
        "country": pl.String(),
        "importance": pl.String(),
    }
)
"""Columns of a batch of calendar events; `time_utc` is null where the time is unknown."""


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One release on one day; `time_utc` is None when the agency's time is not known."""

    date: dt.date
    event: str
    country: str
    importance: str
    time_utc: dt.time | None = None

    def __post_init__(self) -> None:
        if not self.event.strip():
            raise DataError("event", self.event, "is empty")
        if self.importance not in IMPORTANCE_LEVELS:
            raise DataError(
                "importance",
                self.importance,
                f"{self.importance!r} is not one of {', '.join(IMPORTANCE_LEVELS)}",
            )

    @property
    def ts_event(self) -> dt.datetime | None:
        """When the release happens (UTC), if its time is known."""
        if self.time_utc is None:
            return None
        return dt.datetime.combine(self.date, self.time_utc, tzinfo=dt.UTC)
