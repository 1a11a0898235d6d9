"""Support and resistance: swing `Pivot`s, the `Level` zones they form, a trading `Range`.

Every record here is a view "as of" one session close and checks that it uses nothing
later: a pivot cannot be confirmed after the `as_of` of the level that holds it.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass

from pulsewire.errors import DataError


class LevelKind(enum.StrEnum):
    """The role of a level relative to the last close.

    `SUPPORT` lies at or below the close and holds only pivot lows (price turned up
    there); `RESISTANCE` lies above it and holds only pivot highs (price turned down
    there). `BOTH` marks a flipped level: it holds a pivot from the side opposite to
    where it now lies (broken resistance now below the close, broken support above it,
    or a zone where price turned both ways).
    """

    SUPPORT = "support"
    RESISTANCE = "resistance"
    BOTH = "both"

    @classmethod
    def of(cls, price: float, close: float, pivots: Iterable[Pivot]) -> LevelKind:
        """Return the kind of a zone at `price` holding `pivots`, against `close`."""
        above = price > close
        if all(pivot.is_high is above for pivot in pivots):
            return cls.RESISTANCE if above else cls.SUPPORT
        return cls.BOTH


def _check_finite(field: str, value: float) -> None:
    if not math.isfinite(value):
        raise DataError(field, value, f"{value} is not a finite price")


@dataclass(frozen=True, slots=True)
class Pivot:
    """A swing high or low: formed on `date`, known at the close of `confirmed`.

    `reaction` is how far price moved away from the pivot over the bars that confirmed
    it (for a high: its high minus the lowest low of those bars), in price units.
    """

    date: dt.date
    confirmed: dt.date
    price: float
    is_high: bool
    reaction: float

    def __post_init__(self) -> None:
        _check_finite("price", self.price)
        if not (math.isfinite(self.reaction) and self.reaction >= 0):
            raise DataError("reaction", self.reaction, "is not a finite distance >= 0")
        if self.confirmed < self.date:
            raise DataError(
                "confirmed", self.confirmed, f"{self.confirmed} is before formation {self.date}"
            )


@dataclass(frozen=True, slots=True)
class Level:
    """A support or resistance zone: pivots whose prices lie within a tolerance.

    `price` is the mean of the pivot prices and [`low`, `high`] their span. `pivots` are
    ordered by formation date; one pivot is one touch. `strength` is a 0-100 score. The
    `kind` is set against the close of `as_of`, which the `LevelMap` holding it checks.
    """

    price: float
    low: float
    high: float
    kind: LevelKind
    strength: float
    as_of: dt.date
    pivots: tuple[Pivot, ...]

    def __post_init__(self) -> None:
        for name in ("price", "low", "high"):
            _check_finite(name, getattr(self, name))
        if not self.low <= self.price <= self.high:
            raise DataError(
                "price", self.price, f"{self.price} is outside the zone [{self.low}, {self.high}]"
            )
        if not 0 <= self.strength <= 100:
            raise DataError("strength", self.strength, f"{self.strength} is outside [0, 100]")
        if not self.pivots:
            raise DataError("pivots", self.pivots, "a level needs at least one touch")
        for pivot in self.pivots:
            if not self.low <= pivot.price <= self.high:
                raise DataError(
                    "pivots", pivot, f"{pivot.price} is outside the zone [{self.low}, {self.high}]"
                )
            if pivot.confirmed > self.as_of:
                raise DataError(
                    "pivots", pivot, f"confirmed {pivot.confirmed}, after as_of {self.as_of}"
                )
        if any(a.date > b.date for a, b in zip(self.pivots, self.pivots[1:], strict=False)):
            raise DataError("pivots", self.pivots, "are not ordered by formation date")

    def supports(self, close: float) -> bool:
        """Return whether the level lies on the support side of `close` (at or below it)."""
        return self.price <= close

    @property
    def touches(self) -> int:
        """The number of pivots in the zone."""
        return len(self.pivots)

    @property
    def first_touch(self) -> dt.date:
        """The formation date of the oldest pivot in the zone."""
        return self.pivots[0].date

    @property
    def last_touch(self) -> dt.date:
        """The formation date of the newest pivot in the zone."""
        return self.pivots[-1].date


@dataclass(frozen=True, slots=True)
class Range:
    """Price boxed in [`low`, `high`] for the last `bars` bars, since `start`.

    `support_touches` counts the pivot lows of the floor level formed inside the box,
    `resistance_touches` the pivot highs of the ceiling level.
    """

    low: float
    high: float
    start: dt.date
    bars: int
    support_touches: int
    resistance_touches: int
    as_of: dt.date

    def __post_init__(self) -> None:
        _check_finite("low", self.low)
        _check_finite("high", self.high)
        if not self.low < self.high:
            raise DataError("high", self.high, f"{self.high} is not above low {self.low}")
        if self.bars < 1:
            raise DataError("bars", self.bars, "a range lasts at least one bar")
        for name in ("support_touches", "resistance_touches"):
            if getattr(self, name) < 0:
                raise DataError(name, getattr(self, name), "is negative")
        if self.start > self.as_of:
            raise DataError("start", self.start, f"{self.start} is after as_of {self.as_of}")


@dataclass(frozen=True, slots=True)
class LevelMap:
    """Every level of one symbol as of one close, with the ones a reader asks for first.

    `levels` are ordered by price. `swing_high` and `swing_low` are the extreme pivots of
    the last quarter.
    """

    as_of: dt.date
    close: float
    levels: tuple[Level, ...]
    range: Range | None
    swing_high: Pivot | None
    swing_low: Pivot | None

    def __post_init__(self) -> None:
        _check_finite("close", self.close)
        if any(a.price > b.price for a, b in zip(self.levels, self.levels[1:], strict=False)):
            raise DataError("levels", self.levels, "are not ordered by price")
        for level in self.levels:
            if level.as_of != self.as_of:
                raise DataError("levels", level, f"is not as of {self.as_of}")
            if level.kind is not LevelKind.of(level.price, self.close, level.pivots):
                raise DataError("levels", level, f"kind {level.kind} breaks the close {self.close}")
        if self.range is not None and self.range.as_of != self.as_of:
            raise DataError("range", self.range, f"is not as of {self.as_of}")
        for name, is_high in (("swing_high", True), ("swing_low", False)):
            swing: Pivot | None = getattr(self, name)
            if swing is not None and (swing.is_high is not is_high or swing.confirmed > self.as_of):
                raise DataError(name, swing, f"is not a pivot known by {self.as_of}")

    @property
    def nearest_support(self) -> Level | None:
        """The highest level (of any kind) at or below the close."""
        below = [level for level in self.levels if level.supports(self.close)]
        return below[-1] if below else None

    @property
    def nearest_resistance(self) -> Level | None:
        """The lowest level (of any kind) above the close."""
        above = [level for level in self.levels if not level.supports(self.close)]
        return above[0] if above else None
