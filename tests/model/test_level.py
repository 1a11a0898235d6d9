"""Invariants of the level types: a Level, Pivot, Range or LevelMap that breaks one cannot exist."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from pulsewire.errors import DataError
from pulsewire.model.level import Level, LevelKind, LevelMap, Pivot, Range


def day(row: int) -> dt.date:
    return dt.date(2026, 1, 1) + dt.timedelta(days=row)


PIVOT = Pivot(day(2), day(4), 99.5, False, 5.0)


def test_level_with_price_outside_its_zone_raises() -> None:
    with pytest.raises(DataError, match=re.escape("price: 98.0 is outside the zone [99.5, 99.5]")):
        Level(98.0, 99.5, 99.5, LevelKind.SUPPORT, 10.0, day(20), (PIVOT,))


def test_level_with_pivot_confirmed_after_as_of_raises() -> None:
    with pytest.raises(DataError, match="after as_of"):
        Level(99.5, 99.5, 99.5, LevelKind.SUPPORT, 10.0, day(3), (PIVOT,))


def test_level_map_with_support_holding_a_pivot_high_raises() -> None:
    high = dataclasses.replace(PIVOT, is_high=True)
    level = Level(99.5, 99.5, 99.5, LevelKind.SUPPORT, 10.0, day(20), (PIVOT, high))
    with pytest.raises(DataError, match="kind support breaks the close 105"):
        LevelMap(day(20), 105.0, (level,), None, None, None)


def test_level_map_with_support_above_the_close_raises() -> None:
    level = Level(99.5, 99.5, 99.5, LevelKind.SUPPORT, 10.0, day(20), (PIVOT,))
    with pytest.raises(DataError, match="kind support breaks the close 99"):
        LevelMap(day(20), 99.0, (level,), None, None, None)


def test_level_without_touch_raises() -> None:
    with pytest.raises(DataError, match="at least one touch"):
        Level(99.5, 99.5, 99.5, LevelKind.SUPPORT, 10.0, day(20), ())


def test_pivot_confirmed_before_it_formed_raises() -> None:
    with pytest.raises(DataError, match="before formation"):
        Pivot(day(4), day(2), 99.5, False, 5.0)


def test_range_with_high_not_above_low_raises() -> None:
    with pytest.raises(DataError, match=re.escape("high: 99.0 is not above low 99.5")):
        Range(99.5, 99.0, day(0), 21, 2, 2, day(20))
