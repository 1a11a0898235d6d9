"""The point-in-time calendar on the real bundled calendar (actual release dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pulsewire.facts.calendar import known_ahead, released, rescheduled
from pulsewire.model import CalendarEvent
from pulsewire.store import Store

UTC = dt.UTC
NFP = "Employment Situation (Nonfarm Payrolls)"
CPI = "CPI (Consumer Price Index)"
RETAIL = "Advance Retail Sales"
GDP = "Gross Domestic Product (GDP)"
PCE = "Personal Income and Outlays (PCE)"
FOMC = "FOMC Rate Decision"


@pytest.fixture(scope="module")
def events(bundled_store_file: Path) -> list[CalendarEvent]:
    with Store.open(bundled_store_file, read_only=True) as store:
        return store.events()


def test_rescheduled_marks_the_shutdown_schedule_and_nothing_before(
    events: list[CalendarEvent],
) -> None:
    marked = {(e.event, e.date.isoformat()) for e in rescheduled(tuple(events))}

    assert marked == {
        *((NFP, d) for d in ("2025-11-20", "2025-12-16", "2026-01-09", "2026-02-11")),
        *((CPI, d) for d in ("2025-10-24", "2025-12-18", "2026-01-13", "2026-02-13")),
        *((RETAIL, d) for d in ("2025-11-25", "2025-12-16", "2026-01-14", "2026-02-10")),
        *((GDP, d) for d in ("2025-12-23", "2026-01-22")),
        *((PCE, d) for d in ("2025-12-05", "2025-12-23", "2026-01-22")),
    }
    # The FOMC's meetings are set a year ahead; July 3 2025 payrolls came before a
    # Friday holiday, the January 2024 one and CPI's seasonal revisions are supplements.
    assert all(e.date >= dt.date(2025, 10, 1) for e in rescheduled(tuple(events)))


def test_on_2026_02_02_payrolls_on_feb_11_are_not_listed_ahead(
    events: list[CalendarEvent],
) -> None:
    ahead = known_ahead(events, dt.date(2026, 2, 2), 14)

    assert (NFP, dt.date(2026, 2, 11)) in {(e.event, e.date) for e in events}
    assert not [e for e in ahead if e.event in (NFP, CPI)]


def test_regular_releases_and_fomc_meetings_are_listed_ahead(
    events: list[CalendarEvent],
) -> None:
    assert [(e.event, e.date) for e in known_ahead(events, dt.date(2026, 3, 9), 14)] == [
        (FOMC, dt.date(2026, 3, 18))
    ]
    ahead = known_ahead(events, dt.date(2025, 9, 1), 14)
    assert (NFP, dt.date(2025, 9, 5)) in [(e.event, e.date) for e in ahead]


def test_a_release_counts_as_printed_from_its_time(events: list[CalendarEvent]) -> None:
    day = dt.date(2026, 2, 11)  # the delayed January jobs report, 08:30 ET = 13:30 UTC

    assert released(events, day, dt.datetime(2026, 2, 11, 13, 29, tzinfo=UTC)) == []
    (out,) = released(events, day, dt.datetime(2026, 2, 11, 23, 59, tzinfo=UTC))
    assert out.event == NFP and out in rescheduled(tuple(events))
    # BEA's releases have no time: they count from the evening.
    gdp = dt.date(2026, 1, 22)
    assert released(events, gdp, dt.datetime(2026, 1, 22, 15, tzinfo=UTC)) == []
    assert {
        e.event for e in released(events, gdp, dt.datetime(2026, 1, 22, 23, 59, tzinfo=UTC))
    } == {
        GDP,
        PCE,
    }
