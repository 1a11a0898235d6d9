from __future__ import annotations

import datetime as dt

import exchange_calendars as xcals
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis import freshness, last_closed_session
from pulsewire.analysis.sessions import sessions_between, sessions_in
from pulsewire.errors import DataError
from pulsewire.model import ALWAYS_OPEN, XNYS
from pulsewire.model.symbols import calendar_range


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
    calendar = xcals.get_calendar(XNYS, start="1990-01-01", end="2030-12-31")
    expected = (
        calendar.sessions_in_range(first.isoformat(), last.isoformat())
        .to_numpy()
        .astype("datetime64[D]")
        if first <= last
        else np.empty(0, dtype="datetime64[D]")
    )

    assert np.array_equal(sessions_in(XNYS, first, last), expected)


def test_sessions_outside_the_calendar_range_raise_naming_the_range() -> None:
    assert calendar_range(XNYS) == (dt.date(1678, 1, 1), dt.date(2261, 12, 31))
    with pytest.raises(DataError, match="from 1678-01-01 to 2261-12-31") as caught:
        sessions_in(XNYS, dt.date(1677, 1, 1), dt.date(1990, 2, 1))
    assert caught.value.field == "date"


def test_calendar_bound_of_the_library_narrows_the_range() -> None:
    # exchange_calendars builds Tokyo's calendar from 1997 only.
    assert calendar_range("XTKS")[0] == dt.date(1997, 1, 1)


def test_sessions_before_1990_are_the_exchange_calendar_s() -> None:
    # A series starting in 1988 (before the calendar first built) grows the calendar.
    expected = xcals.get_calendar(XNYS, start="1988-01-01", end="1988-12-31").sessions
    got = sessions_in(XNYS, dt.date(1988, 1, 1), dt.date(1988, 12, 31))
    assert np.array_equal(got, expected.to_numpy().astype("datetime64[D]"))
    assert got[0] == np.datetime64("1988-01-04")  # New Year's Day, then a weekend
    assert sessions_between(XNYS, dt.date(1987, 12, 31), dt.date(1990, 1, 2)) == 506


def test_growing_the_calendar_changes_no_session() -> None:
    before = sessions_in(XNYS, dt.date(1999, 1, 1), dt.date(2001, 12, 31))
    sessions_in(XNYS, dt.date(1885, 1, 1), dt.date(1885, 2, 1))  # grows it back
    sessions_in(XNYS, dt.date(2070, 1, 1), dt.date(2070, 2, 1))  # and forward
    assert np.array_equal(sessions_in(XNYS, dt.date(1999, 1, 1), dt.date(2001, 12, 31)), before)
    assert np.datetime64("2001-09-11") not in before  # closed after the attacks


@pytest.mark.parametrize(
    ("now", "expected", "behind"),
    [
        ("2031-01-01 00:00", "2030-12-31", 1095),  # past 2030, the end of the old fixed calendar
        ("2040-06-01 12:00", "2040-05-31", 3459),  # a Friday, before the close
    ],
)
def test_freshness_past_2030(now: str, expected: str, behind: int) -> None:
    state = freshness("SPY", dt.date(2026, 8, 21), utc(now))
    assert state.expected.isoformat() == expected
    assert state.sessions_behind == behind
    assert freshness("BTC-USD", utc(now).date() - dt.timedelta(days=1), utc(now)).current


@settings(max_examples=200, deadline=None)
@given(
    minute=st.datetimes(dt.datetime(1995, 1, 1), dt.datetime(2045, 12, 31)).map(
        lambda t: t.replace(second=0, microsecond=0, tzinfo=dt.UTC)
    )
)
def test_last_closed_session_is_the_exchange_calendar_s(minute: dt.datetime) -> None:
    calendar = xcals.get_calendar(XNYS, start="1994-01-01", end="2046-12-31")
    expected = calendar.minute_to_past_session(minute).date()
    assert last_closed_session(XNYS, minute) == expected


def test_last_closed_session_asked_twice_gives_the_same_date() -> None:
    now = utc("2026-08-23 12:00")
    assert last_closed_session(XNYS, now) == last_closed_session(XNYS, now) == dt.date(2026, 8, 21)
