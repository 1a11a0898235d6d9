"""The calendar as the desk knew it at a moment: releases known ahead, releases printed.

The calendar holds *actual* release dates, the shutdown-disrupted ones of 2025-26
included (see ``data/calendar/SOURCES.md``). An article may list a release ahead of its
as-of only if that date was known then. A regular date was: each agency publishes its
year's schedule before the year starts, and the FOMC its meetings a year ahead. A date
set after a disruption was not, and the data holds no time at which it was announced,
so a *rescheduled* release is never listed ahead; once it has printed it is a fact like
any other (`released`).

A release of a series in `SCHEDULES` is rescheduled when any of these holds, each
measured on the bundled calendar's regular releases of 2022-01 .. 2025-09:

==========  ==========================================================================
mark        rule
==========  ==========================================================================
weekday     it falls on a weekday the series never uses (`Schedule.weekdays`): the
            Employment Situation comes out on Fridays, or on the Thursday before a
            Friday the NYSE is closed (2025-07-03); CPI Tue-Fri; GDP and PCE Wed-Fri.
            A supplementary release (less than `SUPPLEMENT_DAYS` after the previous
            one of its series: CPI's seasonal revisions, retail sales' annual one) is
            not held to the weekday.
gap         it comes more than `Schedule.max_gap` days after the previous release of
            its series: a month was skipped. The longest regular gaps are 35 days (BLS
            and Census, a five-week month) and 42 (BEA, after its early December
            release); the disrupted ones are 43 to 89.
recovery    it comes within `RECOVERY_DAYS` after a release marked by the gap: the
            schedule that followed the break was set after it.
==========  ==========================================================================

On the bundled calendar this marks 17 releases (`rescheduled`): NFP 2025-11-20,
2025-12-16, 2026-01-09, 2026-02-11; CPI 2025-10-24, 2025-12-18, 2026-01-13, 2026-02-13;
retail sales 2025-11-25, 2025-12-16, 2026-01-14, 2026-02-10; GDP 2025-12-23,
2026-01-22; PCE 2025-12-05, 2025-12-23, 2026-01-22. NFP 2026-01-09 and CPI 2026-01-13
may have kept their first dates, which the data cannot tell: the rule errs on the side
of listing nothing it cannot show was known. A series not in `SCHEDULES` (the FOMC, or a
user's own) is taken as scheduled.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from pulsewire.analysis.sessions import sessions_in
from pulsewire.model import CalendarEvent

__all__ = [
    "RECOVERY_DAYS",
    "SCHEDULES",
    "SUPPLEMENT_DAYS",
    "UNTIMED_OUT",
    "Schedule",
    "known_ahead",
    "released",
    "rescheduled",
]

MON, TUE, WED, THU, FRI = 1, 2, 3, 4, 5


@dataclass(frozen=True, slots=True)
class Schedule:
    """A data series' regular schedule: the weekdays it uses and its longest gap."""

    weekdays: frozenset[int]
    """ISO weekdays (Monday 1) of its regular releases."""
    max_gap: int
    """Most calendar days between two regular releases."""
    holiday_eve: bool = False
    """Whether a release moves to the Thursday when the NYSE is closed that Friday."""


SCHEDULES: Final[Mapping[str, Schedule]] = MappingProxyType(
    {
        "Employment Situation (Nonfarm Payrolls)": Schedule(
            frozenset({FRI}), max_gap=38, holiday_eve=True
        ),
        "CPI (Consumer Price Index)": Schedule(frozenset({TUE, WED, THU, FRI}), max_gap=38),
        "Advance Retail Sales": Schedule(frozenset({MON, TUE, WED, THU, FRI}), max_gap=38),
        "Gross Domestic Product (GDP)": Schedule(frozenset({WED, THU, FRI}), max_gap=45),
        "Personal Income and Outlays (PCE)": Schedule(frozenset({WED, THU, FRI}), max_gap=45),
    }
)
"""The regular schedule of each data series of the calendar, by event name."""

SUPPLEMENT_DAYS: Final = 14
"""A release this soon after the previous one of its series is a supplementary one."""

RECOVERY_DAYS: Final = 90
"""Days after a release that ends a skipped month during which the series' dates were
set after the break (the 2025 shutdown's schedule ran to February 2026)."""

UNTIMED_OUT: Final = dt.time(21, 0)
"""When a release of unknown time (BEA's, around the shutdown) counts as printed: the
NYSE's close in winter, hours after any agency releases."""


def _holiday_eve(day: dt.date) -> bool:
    """Whether `day` is a Thursday before a Friday the NYSE is closed."""
    friday = day + dt.timedelta(days=1)
    return day.isoweekday() == THU and sessions_in("XNYS", friday, friday).size == 0


@functools.lru_cache(maxsize=8)
def rescheduled(events: tuple[CalendarEvent, ...]) -> frozenset[CalendarEvent]:
    """Return the releases of `events` that the module's rule marks as rescheduled.

    Their dates were set after a disruption, at a moment the data does not hold, so no
    article lists them ahead. Cached: an edition asks once per sheet.
    """
    marked: set[CalendarEvent] = set()
    series: dict[str, list[CalendarEvent]] = {}
    for event in sorted(events, key=lambda e: e.date):
        if event.event in SCHEDULES:
            series.setdefault(event.event, []).append(event)
    for name, releases in series.items():
        schedule = SCHEDULES[name]
        broke: dt.date | None = None
        previous: dt.date | None = None
        for event in releases:
            gap = None if previous is None else (event.date - previous).days
            supplement = gap is not None and gap < SUPPLEMENT_DAYS
            weekday = event.date.isoweekday() in schedule.weekdays or (
                schedule.holiday_eve and _holiday_eve(event.date)
            )
            if gap is not None and gap > schedule.max_gap:
                broke = event.date
            recovering = broke is not None and 0 <= (event.date - broke).days <= RECOVERY_DAYS
            if recovering or not (weekday or supplement):
                marked.add(event)
            previous = event.date
    return frozenset(marked)


def known_ahead(events: Sequence[CalendarEvent], as_of: dt.date, days: int) -> list[CalendarEvent]:
    """Return the high-importance releases of the `days` after `as_of` known on `as_of`.

    A rescheduled one (`rescheduled`) is left out: its date was not known then.
    """
    moved = rescheduled(tuple(events))
    return sorted(
        (
            e
            for e in events
            if 0 < (e.date - as_of).days <= days and e.importance == "high" and e not in moved
        ),
        key=lambda e: (e.date, e.event),
    )


def released(
    events: Iterable[CalendarEvent], day: dt.date, moment: dt.datetime
) -> list[CalendarEvent]:
    """Return the high-importance releases of `day` out by `moment`: what printed that day.

    A release of unknown time counts from `UNTIMED_OUT`. Rescheduled releases count:
    once out, a release is a fact whenever its date was set.
    """
    return sorted(
        (
            e
            for e in events
            if e.date == day
            and e.importance == "high"
            and (e.ts_event or dt.datetime.combine(day, UNTIMED_OUT, tzinfo=dt.UTC)) <= moment
        ),
        key=lambda e: (e.ts_event or dt.datetime.combine(day, UNTIMED_OUT, tzinfo=dt.UTC), e.event),
    )
