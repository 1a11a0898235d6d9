from __future__ import annotations

import datetime as dt

import pytest

from pulsewire.analysis import freshness, last_closed_session
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
