from __future__ import annotations

import datetime as dt

import exchange_calendars as xcals
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis import freshness, last_closed_session
from pulsewire.analysis.sessions import CALENDAR_END, CALENDAR_START, sessions_in
from pulsewire.model import ALWAYS_OPEN, XNYS


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-08-21 19:59", "2026-08-20"),  # Friday, NYSE still open (closes 20:00 UTC)
        ("2026-08-21 20:00", "2026-08-21"),  # at the close the session is complete
        ("2026-08-23 12:00", "2026-08-21"),  # Sunday
        ("2026-11-27 12:00", "2026-11-25"),  # Friday after Thanksgiving: half day, not closed yet
        ("2026-11-26 23:00", "2026-11-25"),  # Thanksgiving: closed all day
    ],
)
def test_last_closed_nyse_session(now: str, expected: str) -> None:
    assert last_closed_session(XNYS, utc(now)).isoformat() == expected


def test_crypto_day_is_complete_at_next_utc_midnight() -> None:
    assert last_closed_session(ALWAYS_OPEN, utc("2026-08-21 00:00")) == dt.date(2026, 8, 20)
    assert last_closed_session(ALWAYS_OPEN, utc("2026-08-20 23:59")) == dt.date(2026, 8, 19)


def test_bundled_series_are_current_at_their_last_date() -> None:
    evening = utc("2026-08-21 21:00")
    assert freshness("SPY", dt.date(2026, 8, 21), evening).current
    assert freshness("BTC-USD", dt.date(2026, 8, 20), evening).current


def test_series_ending_in_july_is_stale_by_counted_sessions() -> None:
    state = freshness("ACWI", dt.date(2026, 7, 27), utc("2026-08-21 21:00"))
    assert not state.current
    assert state.expected == dt.date(2026, 8, 21)
    assert state.sessions_behind == 19  # Jul 28..31 (4) + Aug 3..21 (15)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        last_closed_session(XNYS, dt.datetime(2026, 8, 21))


@settings(max_examples=200, deadline=None)
@given(
    first=st.dates(dt.date(1990, 1, 2), dt.date(2030, 12, 31)),
    days=st.integers(-5, 800),
)
def test_sessions_in_equals_the_exchange_calendar(first: dt.date, days: int) -> None:
    last = min(first + dt.timedelta(days=days), dt.date(2030, 12, 31))
    calendar = xcals.get_calendar(XNYS, start=CALENDAR_START, end=CALENDAR_END)
    expected = (
        calendar.sessions_in_range(first.isoformat(), last.isoformat())
        .to_numpy()
        .astype("datetime64[D]")
        if first <= last
        else np.empty(0, dtype="datetime64[D]")
    )

    assert np.array_equal(sessions_in(XNYS, first, last), expected)


def test_sessions_outside_the_calendar_raise_naming_the_bound() -> None:
    with pytest.raises(xcals.errors.DateOutOfBounds, match="first session"):
        sessions_in(XNYS, dt.date(1990, 1, 1), dt.date(1990, 2, 1))


def test_last_closed_session_asked_twice_gives_the_same_date() -> None:
    now = utc("2026-08-23 12:00")
    assert last_closed_session(XNYS, now) == last_closed_session(XNYS, now) == dt.date(2026, 8, 21)
