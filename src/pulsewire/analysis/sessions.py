"""Which sessions a series should have, by its trading calendar, as of a given moment.

Each exchange calendar's sessions and closes are read once into arrays covering the
dates asked so far, and the last closed session is cached per calendar and moment: a
universe asks the same few questions for every symbol.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass
from typing import Final

import exchange_calendars as xcals
import numpy as np
import numpy.typing as npt

from pulsewire._types import DateArray
from pulsewire.errors import DataError
from pulsewire.model import ALWAYS_OPEN, calendar_for
from pulsewire.model.symbols import calendar_range

FIRST_BUILT: Final = dt.date(1990, 1, 1)
"""Where a calendar starts when nothing earlier has been asked of it: before every bundled
series. A calendar grows to the dates asked (older data, a later clock), so the span
built never changes an answer: a session is a session whatever else is built."""
YEARS_AHEAD: Final = 5
"""How many years past the clock (or past the latest date asked) a calendar is built,
so that a clock moving on does not rebuild it every day."""


@dataclass(frozen=True, slots=True)
class _Span:
    """The sessions of one exchange calendar from `first` to `last` (both covered)."""

    first: dt.date
    last: dt.date
    sessions: DateArray
    closes: npt.NDArray[np.int64]
    """Each session's close, in nanoseconds since the epoch (UTC)."""

    def covers(self, first: dt.date, last: dt.date) -> bool:
        return self.first <= first and last <= self.last


_spans: dict[str, _Span] = {}
_building = threading.Lock()


def _out_of_range(calendar: str, day: dt.date) -> DataError:
    low, high = calendar_range(calendar)
    return DataError(
        "date",
        day,
        f"{day} is outside calendar {calendar!r}, which has sessions from {low} to {high}",
    )


def _span(calendar: str, first: dt.date, last: dt.date) -> _Span:
    """Return exchange calendar `calendar`'s sessions over at least [first, last].

    The span built so far is kept; a date outside it rebuilds the calendar over the
    union of both, with room to spare, within `calendar_range`.

    Raises
    ------
    DataError
        If `first` or `last` is outside `calendar_range(calendar)`.
    """
    span = _spans.get(calendar)
    if span is not None and span.covers(first, last):
        return span
    low, high = calendar_range(calendar)
    for day in (first, last):
        if not low <= day <= high:
            raise _out_of_range(calendar, day)
    with _building:
        span = _spans.get(calendar)
        if span is not None and span.covers(first, last):
            return span
        today = dt.datetime.now(dt.UTC).date()
        start = min(first, FIRST_BUILT if span is None else span.first)
        stop = max(last, today if span is None else span.last)
        if span is None or stop > span.last:
            stop = dt.date(min(stop.year + YEARS_AHEAD, high.year), 12, 31)
        start, stop = max(start, low), min(stop, high)
        exchange = xcals.get_calendar(calendar, start=start.isoformat(), end=stop.isoformat())
        sessions: DateArray = exchange.sessions.to_numpy().astype("datetime64[D]")
        closes: npt.NDArray[np.int64] = np.asarray(exchange.closes_nanos, dtype=np.int64)
        sessions.flags.writeable = False
        closes.flags.writeable = False
        span = _Span(start, stop, sessions, closes)
        _spans[calendar] = span
        return span


@functools.lru_cache(maxsize=1024)
def last_closed_session(calendar: str, now: dt.datetime) -> dt.date:
    """Return the latest session of `calendar` whose bar is complete at `now`.

    An exchange session is complete at its close; a 24/7 (UTC) day is complete at the
    next midnight UTC.

    Raises
    ------
    DataError
        If `now` is outside the calendar's range (`calendar_range`).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(dt.UTC).date()
    if calendar == ALWAYS_OPEN:
        return today - dt.timedelta(days=1)
    low, _ = calendar_range(calendar)
    # Every session closing by `now` is dated by `now`'s UTC day or the next (a close
    # can fall after midnight UTC); a month back always holds a closed session, else
    # look further back.
    instant = int(np.datetime64(now.astimezone(dt.UTC).replace(tzinfo=None), "ns").astype(np.int64))
    back = dt.timedelta(days=31)
    while True:
        first = max(today - back, low)
        span = _span(calendar, first, today + dt.timedelta(days=2))
        at = int(np.searchsorted(span.closes, instant, side="right")) - 1
        if at >= 0:
            return span.sessions[at].astype(dt.date)  # type: ignore[no-any-return]
        if first == low:
            raise _out_of_range(calendar, today)
        back *= 8


def sessions_in(calendar: str, first: dt.date, last: dt.date) -> DateArray:
    """Return the sessions of `calendar` in [first, last], ascending, as datetime64[D].

    Every UTC day is a session of `ALWAYS_OPEN`. The array is empty when `last` is
    before `first`.

    Raises
    ------
    DataError
        If `first` or `last` is outside the calendar's range (`calendar_range`).
    """
    if last < first:
        return np.empty(0, dtype="datetime64[D]")
    if calendar == ALWAYS_OPEN:
        return np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    sessions = _span(calendar, first, last).sessions
    start, stop = np.datetime64(first, "D"), np.datetime64(last, "D")
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
