"""How rare today's readings are against the symbol's own past, and how big the day's move is.

The writer picks an article's angle by salience against the symbol's own history, rarest
first, so each reading gets a share of the symbol's bars on which it was at least as
extreme. Definitions, for one symbol at its as-of bar t (bars are its finite rows):

- **Extremeness** of a reading x (`READINGS`): ``|x - centre|`` when both tails are news
  (returns, distance from the 200-day average, RSI from its midpoint 50), ``x - centre``
  when only the high one is (a heavy volume day is news, a thin one is not), ``centre - x``
  when only the low one is (a deeper drawdown is rarer; the drawdown is at most 0).
- **Rarity** = the share of the symbol's bars s <= t with a reading whose extremeness is
  at least today's, today included: in (0, 1], ``1 / bars`` when today is the most
  extreme ever seen. Ties count as at least as extreme, so a rarity never flatters.
  Only bars up to t are read: appending bars never changes an earlier rarity.
- **Move in sigmas**: the day's log price return ``log(close[t] / close[t-1])`` over the
  daily volatility of closes known at the previous bar (the yardstick before the move, so
  a crash does not shrink itself): the 20-day one, and the long-run one (median of the
  20-day values over `LONG_RUN_YEARS` of the symbol's bars, as Threat's yardstick).
- **Last as large**: the last earlier bar whose 1-bar price return had the same sign and
  at least today's size: "the biggest one-day drop since ...". None when there is none.

Returns here are price returns from `close` (the `return_*` indicators), the figures an
article prints for the symbol's own move; total returns are in `context`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import numpy as np

from pulsewire._types import DateArray, FloatArray, IntArray
from pulsewire.analysis.history import daily_volatility, long_run_volatility
from pulsewire.analysis.rows import as_date, at_rows, lagged_bar_rows, log_returns
from pulsewire.errors import DataError

__all__ = [
    "RARITY_MIN_BARS",
    "READINGS",
    "DayMove",
    "MoveSigmas",
    "Rarity",
    "RarityArrays",
    "Reading",
    "Tail",
    "day_move",
    "extremeness",
    "move_sigmas",
    "rarities",
    "rarity_shares",
]

RARITY_MIN_BARS: Final = 252
"""Fewest readings (today's included) a rarity is stated on: a year of bars. Against fewer,
"the rarest in its history" would be said of a fund's first months, where it means little."""


class Tail(StrEnum):
    """Which side of a reading is the rare one."""

    BOTH = "both"
    HIGH = "high"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Reading:
    """How a reading's extremeness is measured: distance from `centre` on `tail`."""

    tail: Tail
    centre: float = 0.0


READINGS: Final[Mapping[str, Reading]] = MappingProxyType(
    {
        "return_1": Reading(Tail.BOTH),
        "return_5": Reading(Tail.BOTH),
        "return_20": Reading(Tail.BOTH),
        # Only a heavy day is news: a ratio of 0.5 is an ordinary quiet session.
        "volume_ratio_20": Reading(Tail.HIGH, 1.0),
        # Two-sided: as far above the 200-day average is as rare as as far below it.
        "distance_sma_200": Reading(Tail.BOTH),
        # Distance from the midpoint: overbought and oversold are both extremes.
        "rsi_14": Reading(Tail.BOTH, 50.0),
        "drawdown_252": Reading(Tail.LOW),
    }
)
"""The readings ranked against the symbol's own history (indicator names), and how."""


def extremeness(values: FloatArray, reading: Reading) -> FloatArray:
    """Return how extreme each value is, larger rarer (NaN stays NaN)."""
    centred = values - reading.centre
    if reading.tail is Tail.BOTH:
        return np.abs(centred)
    return centred if reading.tail is Tail.HIGH else -centred


@dataclass(frozen=True, slots=True)
class RarityArrays:
    """Rarity of each column at its own row (N,): share, readings counted, first row."""

    share: FloatArray
    bars: IntArray
    first_row: IntArray


def rarity_shares(extreme: FloatArray, rows: IntArray) -> RarityArrays:
    """Return each column's rarity at `rows[j]`, from rows up to it only.

    Parameters
    ----------
    extreme
        (T, N) `extremeness`, NaN where there is no reading.
    rows
        (N,) the as-of row of each column.

    Returns
    -------
    RarityArrays
        Share in (0, 1] of the readings up to the row at least as extreme as the row's
        own; NaN (and first row -1) where the row has no reading.

    Raises
    ------
    DataError
        If `rows` is not one row per column inside the array.
    """
    length, width = extreme.shape
    if rows.shape != (width,) or (rows < 0).any() or (rows >= length).any():
        raise DataError("rows", rows, f"needs {width} rows in [0, {length - 1}]")
    known = np.isfinite(extreme) & (np.arange(length)[:, None] <= rows[None, :])
    today = extreme[rows, np.arange(width)]
    with np.errstate(invalid="ignore"):
        at_least = known & (extreme >= today[None, :])
    bars = known.sum(axis=0)
    counted = np.isfinite(today) & (bars > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(counted, at_least.sum(axis=0) / bars, np.nan)
    first = np.where(counted, known.argmax(axis=0), -1)
    return RarityArrays(share, np.where(counted, bars, 0), first)


@dataclass(frozen=True, slots=True)
class Rarity:
    """How rare today's value of one reading is among the symbol's bars since `first`."""

    reading: str
    value: float
    share: float
    """Share of the `bars` readings at least as extreme as today's, today included."""
    bars: int
    first: dt.date

    def __post_init__(self) -> None:
        if not 0 < self.share <= 1:
            raise DataError("share", self.share, "is outside (0, 1]")
        if self.bars < 1:
            raise DataError("bars", self.bars, "a rarity counts at least today")


def rarities(
    readings: Mapping[str, FloatArray], dates: DateArray, column: int, row: int
) -> tuple[Rarity, ...]:
    """Return the rarity of each of `READINGS` for one column at `row`, in that order.

    A reading without a value at `row`, or with fewer than `RARITY_MIN_BARS` values up to
    it, is left out. Only rows up to `row` are read.
    """
    found = []
    head = slice(0, row + 1)
    for name, reading in READINGS.items():
        values = readings[name][head, column : column + 1]
        result = rarity_shares(extremeness(values, reading), np.array([row]))
        bars = int(result.bars[0])
        if bars >= RARITY_MIN_BARS:
            found.append(
                Rarity(
                    name,
                    float(values[row, 0]),
                    float(result.share[0]),
                    bars,
                    as_date(dates[result.first_row[0]]),
                )
            )
    return tuple(found)


@dataclass(frozen=True, slots=True)
class MoveSigmas:
    """The day's log price return in daily sigmas (T, N), against each yardstick."""

    twenty_day: FloatArray
    long_run: FloatArray


def move_sigmas(close: FloatArray, periods_per_year: FloatArray, years: int) -> MoveSigmas:
    """Return each bar's move in the 20-day and the long-run daily volatility before it.

    Parameters
    ----------
    close
        (T, N) closes, NaN where a symbol has no bar.
    periods_per_year
        (N,) bars in a year of each symbol's calendar: the long-run window is `years` of
        them.
    years
        Years of bars in the long-run median, at least 1.
    """
    if years < 1:
        raise DataError("years", years, "must be at least 1")
    daily = daily_volatility(close, 20)
    window = np.asarray(years * periods_per_year, dtype=np.intp)
    previous = lagged_bar_rows(np.isfinite(close), 1)
    move = log_returns(close)
    with np.errstate(invalid="ignore", divide="ignore"):
        return MoveSigmas(
            move / at_rows(daily, previous),
            move / at_rows(long_run_volatility(daily, window), previous),
        )


@dataclass(frozen=True, slots=True)
class DayMove:
    """The size of the day's move against the symbol's own volatility and its past moves."""

    change: float
    """1-bar price return, as `return_1`."""
    sigmas_20: float | None
    sigmas_long: float | None
    last_as_large: dt.date | None
    """The last earlier bar with a move of the same sign at least as large."""
    sessions_since: int | None
    """The symbol's bars from that bar to today (1: the bar before)."""


def day_move(
    change: FloatArray, sigmas: MoveSigmas, dates: DateArray, column: int, row: int
) -> DayMove | None:
    """Return the day's move of one column at `row`, or None when it has no 1-bar return.

    `change` is the (T, N) 1-bar price return; only rows up to `row` are read.
    """
    past = change[: row + 1, column]
    today = float(past[-1])
    if not np.isfinite(today):
        return None

    def finite(value: float) -> float | None:
        return float(value) if np.isfinite(value) else None

    last: dt.date | None = None
    since: int | None = None
    if today != 0:
        with np.errstate(invalid="ignore"):
            larger = np.flatnonzero(np.sign(past[:-1]) == np.sign(today))
        larger = larger[np.abs(past[larger]) >= abs(today)]
        if larger.size:
            last = as_date(dates[larger[-1]])
            since = int(np.isfinite(past[larger[-1] + 1 :]).sum())
    return DayMove(
        today,
        finite(sigmas.twenty_day[row, column]),
        finite(sigmas.long_run[row, column]),
        last,
        since,
    )
