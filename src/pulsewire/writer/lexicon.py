"""The desk's words for scheduled releases: what each kind means and what could go wrong.

A symbol's own words (its names, what moves it) are its universe profile's
(`pulsewire.model.universe`); these are the words for the calendar's releases, which
every symbol shares. None contains a digit, so the audit has nothing to trace in them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class Release:
    """A kind of scheduled release: the story it tells and the tag it is filed under."""

    story: str
    """'jobs', 'inflation', 'fed', 'spending', 'growth' or 'macro': keys the wordings."""
    tag: str


RELEASES: Final[tuple[tuple[str, Release], ...]] = (
    ("employment", Release("jobs", "jobs-report")),
    ("cpi", Release("inflation", "cpi")),
    ("fomc", Release("fed", "fomc")),
    ("retail", Release("spending", "retail-sales")),
    ("gross domestic", Release("growth", "gdp")),
    ("personal income", Release("inflation", "pce")),
)
"""A needle of a calendar event's name, and the release it names."""

_UNLISTED: Final = Release("macro", "macro")

EVENT_CHANNELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "jobs": "payrolls reset the growth story",
        "inflation": "inflation data feed straight into rate expectations",
        "fed": "the rate decision and its guidance set the cost of money",
        "spending": "retail sales test the consumer",
        "growth": "the growth print sets the backdrop",
        "macro": "a scheduled release can move the whole tape",
    }
)
"""Why each kind of release can move markets."""


def release(event: str) -> Release:
    """Return the release a calendar event's name names; an unlisted one is 'macro'."""
    lowered = event.lower()
    return next((kind for needle, kind in RELEASES if needle in lowered), _UNLISTED)
