"""Which sessions a series should have, by its trading calendar, as of a given moment.

Each exchange calendar's sessions are read once into an array, and the last closed
session is cached per calendar and moment: a universe asks the same few questions for
every symbol.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import exchange_calendars as xcals
import numpy as np
import pandas as pd

from pulsewire._types import DateArray
from pulsewire.model import ALWAYS_OPEN, calendar_for

CALENDAR_START = "1990-01-01"
CALENDAR_END = "2030-12-31"
"""Range of the exchange calendars built here: older than any bundled series, and fixed
so that an answer never depends on the day the code runs."""


@functools.cache
def _exchange(name: str) -> xcals.ExchangeCalendar:
    return xcals.get_calendar(name, start=CALENDAR_START, end=CALENDAR_END)


@functools.cache
def _sessions(name: str) -> DateArray:
    """Return every session of exchange calendar `name`, ascending, read-only."""
    sessions: DateArray = _exchange(name).sessions.to_numpy().astype("datetime64[D]")
    sessions.flags.writeable = False
    return sessions


@functools.lru_cache(maxsize=1024)
def last_closed_session(calendar: str, now: dt.datetime) -> dt.date:
    """Return the latest session of `calendar` whose bar is complete at `now`.

    An exchange session is complete at its close; a 24/7 (UTC) day is complete at the
    next midnight UTC.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if calendar == ALWAYS_OPEN:
        return now.astimezone(dt.UTC).date() - dt.timedelta(days=1)
    minute = pd.Timestamp(now).tz_convert("UTC").floor("min")
    return _exchange(calendar).minute_to_past_session(minute).date()  # type: ignore[no-any-return]


def sessions_in(calendar: str, first: dt.date, last: dt.date) -> DateArray:
    """Return the sessions of `calendar` in [first, last], ascending, as datetime64[D].

    Every UTC day is a session of `ALWAYS_OPEN`. The array is empty when `last` is
    before `first`.
    """
    if last < first:
        return np.empty(0, dtype="datetime64[D]")
    if calendar == ALWAYS_OPEN:
        return np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    sessions = _sessions(calendar)
    start, stop = np.datetime64(first, "D"), np.datetime64(last, "D")
    if start < sessions[0] or stop > sessions[-1]:
        # Out of the calendar's range: exchange_calendars raises its error naming the bound.
        _exchange(calendar).sessions_in_range(first.isoformat(), last.isoformat())
    return sessions[
        np.searchsorted(sessions, start, side="left") : np.searchsorted(
            sessions, stop, side="right"
        )
    ].copy()


def sessions_between(calendar: str, after: dt.date, through: dt.date) -> int:
    """Return how many sessions fall in (after, through]."""
    return int(sessions_in(calendar, after + dt.timedelta(days=1), through).size)


@dataclass(frozen=True, slots=True)
class Freshness:
    """Whether a series is up to date: its last bar against the last complete session."""

    calendar: str
    last_bar: dt.date
    expected: dt.date
    sessions_behind: int

    @property
    def current(self) -> bool:
        """True when no complete session is missing at the end of the series."""
        return self.sessions_behind == 0


def freshness(symbol: str, last_bar: dt.date, now: dt.datetime) -> Freshness:
    """Return how far `symbol`'s last bar lags its calendar's last complete session at `now`."""
    calendar = calendar_for(symbol)
    expected = last_closed_session(calendar, now)
    return Freshness(calendar, last_bar, expected, sessions_between(calendar, last_bar, expected))
