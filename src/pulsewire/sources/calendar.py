"""The economic calendar from CSV or Parquet (``date,time_utc,event,country,importance``)."""

from __future__ import annotations

from typing import Final

import polars as pl

from pulsewire.model import CALENDAR_SCHEMA, IMPORTANCE_LEVELS, Batch, Problem
from pulsewire.sources.tables import RawTable, parse_columns, require_columns

CALENDAR_COLUMNS: Final = ("date", "time_utc", "event", "country", "importance")


def calendar_from_table(table: RawTable) -> Batch:
    """Return the validated events of a calendar file.

    Raises
    ------
    SourceError
        At the earliest bad row: unparseable date or time, empty event or country,
        unknown importance, or the same event twice on one day.
    """
    require_columns(table, CALENDAR_COLUMNS)
    frame, problem = parse_columns(table, dict(CALENDAR_SCHEMA), optional=("time_utc",))
    table.raise_first([problem])
    problems: list[Problem | None] = []
    importance = frame["importance"]
    unknown = (~importance.is_in(IMPORTANCE_LEVELS)).arg_true()
    if unknown.len():
        at = int(unknown[0])
        problems.append(
            Problem(
                at,
                "importance",
                importance[at],
                f"{importance[at]!r} is not one of {', '.join(IMPORTANCE_LEVELS)}",
            )
        )
    key = pl.struct("date", "event", "country")
    again = frame.select(~key.is_first_distinct()).to_series().arg_true()
    if again.len():
        at = int(again[0])
        event = frame["event"][at]
        problems.append(
            Problem(at, "event", event, f"{event!r} is listed twice on {frame['date'][at]}")
        )
    table.raise_first(problems)
    return Batch("calendar", table.origin, table.sha256, frame)
