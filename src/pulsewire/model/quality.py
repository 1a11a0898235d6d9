"""Data quality findings: what is wrong with a series, and since or on which date.

Each finding is a frozen record that checks its own invariants, so a later stage can
quote it ("IWM data is stale since 2026-08-21") without re-deriving anything.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from pulsewire.errors import DataError
from pulsewire.model.symbols import check_symbol


@dataclass(frozen=True, slots=True)
class Stale:
    """A series with nothing new since `since`, as of the moment it was assessed.

    Either its last bar lags its calendar's last complete session (`sessions_behind` >
    0), or its last bars repeat one bar (a frozen feed: `since` is then the date of
    the bar they repeat, before `last_bar`), or both.
    """

    symbol: str
    since: dt.date
    last_bar: dt.date
    expected: dt.date
    sessions_behind: int

    def __post_init__(self) -> None:
        check_symbol(self.symbol)
        if self.sessions_behind < 0:
            raise DataError("sessions_behind", self.sessions_behind, "is negative")
        if self.since > self.last_bar:
            raise DataError("since", self.since, f"is after the last bar {self.last_bar}")
        if not self.frozen and self.sessions_behind == 0:
            raise DataError("since", self.since, "a current series with live bars is not stale")

    @property
    def frozen(self) -> bool:
        """True when the last bars repeat an earlier one rather than stopping."""
        return self.since < self.last_bar

    def __str__(self) -> str:
        how = f"repeats its {self.since} bar" if self.frozen else f"stopped at {self.last_bar}"
        behind = f", {self.sessions_behind} sessions behind {self.expected}"
        return f"{self.symbol} data is stale since {self.since}: it {how}" + (
            behind if self.sessions_behind else ""
        )


@dataclass(frozen=True, slots=True)
class FrozenRun:
    """`bars` consecutive bars, `first` to `last`, that carry one and the same price.

    `first` is the bar that was repeated: the last one that was news.
    """

    symbol: str
    first: dt.date
    last: dt.date
    bars: int

    def __post_init__(self) -> None:
        check_symbol(self.symbol)
        if self.bars < 2:
            raise DataError("bars", self.bars, "a run has at least 2 bars")
        if self.last <= self.first:
            raise DataError("last", self.last, f"is not after first {self.first}")

    def __str__(self) -> str:
        return f"{self.symbol} repeats one price on {self.bars} bars, {self.first} to {self.last}"


@dataclass(frozen=True, slots=True)
class Gap:
    """`sessions` consecutive sessions of the series' calendar with no bar, `first` to `last`."""

    symbol: str
    first: dt.date
    last: dt.date
    sessions: int

    def __post_init__(self) -> None:
        check_symbol(self.symbol)
        if self.sessions < 1:
            raise DataError("sessions", self.sessions, "a gap misses at least 1 session")
        if self.last < self.first:
            raise DataError("last", self.last, f"is before first {self.first}")

    def __str__(self) -> str:
        return f"{self.symbol} misses {self.sessions} sessions, {self.first} to {self.last}"


class OhlcRule(StrEnum):
    """A rule every bar obeys, up to `pulsewire.model.bar.OHLC_TOLERANCE`."""

    HIGH_BELOW_BODY = "high below max(open, close)"
    LOW_ABOVE_BODY = "low above min(open, close)"
    HIGH_BELOW_LOW = "high below low"


@dataclass(frozen=True, slots=True)
class OhlcInconsistency:
    """A bar whose prices break one or more `OhlcRule`s."""

    symbol: str
    date: dt.date
    open: float
    high: float
    low: float
    close: float
    broken: tuple[OhlcRule, ...]

    def __post_init__(self) -> None:
        check_symbol(self.symbol)
        if not self.broken:
            raise DataError("broken", self.broken, "an inconsistency breaks at least one rule")

    def __str__(self) -> str:
        return f"{self.symbol} bar of {self.date} breaks: {'; '.join(self.broken)}"


@dataclass(frozen=True, slots=True)
class Outlier:
    """A daily log return far outside the series' own recent range (robust z-score)."""

    symbol: str
    date: dt.date
    log_return: float
    z_score: float

    def __post_init__(self) -> None:
        check_symbol(self.symbol)
        for name in ("log_return", "z_score"):
            if not math.isfinite(getattr(self, name)):
                raise DataError(name, getattr(self, name), "is not finite")

    def __str__(self) -> str:
        return (
            f"{self.symbol} moved {math.expm1(self.log_return):+.1%} on {self.date} "
            f"(robust z {self.z_score:+.1f})"
        )


Finding = Stale | FrozenRun | Gap | OhlcInconsistency | Outlier
"""Any data quality finding."""
