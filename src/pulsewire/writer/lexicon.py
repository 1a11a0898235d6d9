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

EVENT_CHANNELS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "jobs": (
            "payrolls reset the growth story",
            "a labour-market surprise moves rate bets first",
            "the jobs count is the month's loudest growth signal",
        ),
        "inflation": (
            "inflation data feed straight into rate expectations",
            "a hot price print would push rate expectations up",
            "prices are what the Fed is watching",
        ),
        "fed": (
            "the rate decision and its guidance set the cost of money",
            "the Fed's words can move more than its rate",
            "policy guidance reprices every duration-sensitive asset",
        ),
        "spending": (
            "retail sales test the consumer",
            "spending data show whether demand is holding",
            "the consumer carries the economy, and this is its report card",
        ),
        "growth": (
            "the growth print sets the backdrop",
            "output data can change the recession debate",
            "the broadest gauge of the economy lands",
        ),
        "macro": ("a scheduled release can move the whole tape",),
    }
)
"""Why each kind of release can move markets, in a few wordings."""


EVENT_SHOCKS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "jobs": ("a payrolls surprise", "a miss or beat on jobs"),
        "inflation": ("a hot print", "an inflation surprise"),
        "fed": ("a hawkish turn", "a surprise in the guidance"),
        "spending": ("a consumer stumble", "a spending surprise"),
        "growth": ("a growth scare", "a surprise in output"),
        "macro": ("a surprise",),
    }
)
"""What could go wrong at each kind of release, as the subject of a risk line."""


def release(event: str) -> Release:
    """Return the release a calendar event's name names; an unlisted one is 'macro'."""
    lowered = event.lower()
    return next((kind for needle, kind in RELEASES if needle in lowered), _UNLISTED)
