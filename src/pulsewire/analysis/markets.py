"""The markets on the day: the desk's bellwethers, each against its own volatility, and the tape.

An article explains a move by the cross-asset picture, so for a date D each bellwether
of `BELLWETHERS` the panel holds gives its move at its last bar on or before D, only
while that bar is current (`context.last_move`: no session of its calendar has passed
since it, so a stopped series drops out). The move is a total return (`adj_close`, as
every comparison across symbols in `context`), and its size is the log of it over the
bellwether's own 20-day daily volatility known at the bar before (the yardstick before
the move).

Weekends and holidays. On a Saturday, SPY's Friday bar is still current (no NYSE session
has passed) and is listed, dated Friday, but it is not the day's move: the tape is read
only from bars dated D itself (`MarketMove.same_day`). So a Saturday or a US holiday,
when Bitcoin trades alone, has no tape reading rather than Friday's tape passed off as
the day's.

The tape (`TAPE_RULES`, checked in order, the first that holds wins; else mixed):

- **risk-on**: equities up (SPY), the VIX down, and credit up (HYG);
- **risk-off**: equities down, the VIX up, and a haven up: Treasuries (TLT), gold (GLD)
  or the dollar (UUP);
- **mixed**: SPY moved on D but neither rule holds;
- **no reading**: SPY has no bar on D.

A leg is "up" only when its move is at least `TAPE_SIGMAS` of its own daily sigmas that
way, and a leg without a same-day move does not hold. The rules are data, so the
writer's audit re-checks a claimed tape from the `market.*.sigmas` facts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np

from pulsewire._types import FloatArray
from pulsewire.analysis.context import last_move
from pulsewire.errors import DataError
from pulsewire.model import Panel

__all__ = [
    "BELLWETHERS",
    "TAPE_RULES",
    "TAPE_SIGMAS",
    "CrossAsset",
    "Leg",
    "MarketMove",
    "Tape",
    "TapeRule",
    "classify_tape",
    "cross_asset",
]

BELLWETHERS: Final = ("SPY", "TLT", "UUP", "GLD", "VIX", "HYG", "USO", "BTC-USD")
"""The desk's picture of the markets: the S&P 500, long Treasuries, the dollar, gold, the
VIX, high yield, oil and Bitcoin, in the order an article lists them."""

TAPE_SIGMAS: Final = 0.5
"""Smallest move, in the leg's own daily sigmas, that counts as up or down for the tape.
Half a sigma is about the median absolute daily move of a normal market (0.67 sigma):
below it a leg is noise, and a 0.1% tick in SPY does not make a risk-on day."""


class Tape(StrEnum):
    """How the markets traded on the day, taken together."""

    RISK_ON = "risk-on"
    RISK_OFF = "risk-off"
    MIXED = "mixed"
    NO_READING = "no reading"


@dataclass(frozen=True, slots=True)
class Leg:
    """One condition of a tape rule: `symbol` moved `direction` (+1 up, -1 down)."""

    symbol: str
    direction: int

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise DataError("direction", self.direction, "is not +1 (up) or -1 (down)")

    def holds(self, sigmas: Mapping[str, float]) -> bool:
        """Whether the leg's same-day move is at least `TAPE_SIGMAS` its way."""
        size = sigmas.get(self.symbol, math.nan)
        return bool(size * self.direction >= TAPE_SIGMAS)


@dataclass(frozen=True, slots=True)
class TapeRule:
    """A tape, and what it needs: every leg of `all_of` and, if any, one of `any_of`."""

    tape: Tape
    all_of: tuple[Leg, ...]
    any_of: tuple[Leg, ...] = ()

    def holds(self, sigmas: Mapping[str, float]) -> bool:
        """Whether the rule holds on the same-day moves `sigmas` (symbol: daily sigmas)."""
        every = all(leg.holds(sigmas) for leg in self.all_of)
        return every and (not self.any_of or any(leg.holds(sigmas) for leg in self.any_of))


TAPE_RULES: Final = (
    TapeRule(Tape.RISK_ON, (Leg("SPY", 1), Leg("VIX", -1), Leg("HYG", 1))),
    TapeRule(
        Tape.RISK_OFF,
        (Leg("SPY", -1), Leg("VIX", 1)),
        (Leg("TLT", 1), Leg("GLD", 1), Leg("UUP", 1)),
    ),
)
"""The tapes a day can be classified as, in the order they are tried."""


def classify_tape(sigmas: Mapping[str, float]) -> Tape:
    """Return the tape of a day from its same-day moves in daily sigmas (symbol: sigmas)."""
    if not math.isfinite(sigmas.get("SPY", math.nan)):
        return Tape.NO_READING
    return next((rule.tape for rule in TAPE_RULES if rule.holds(sigmas)), Tape.MIXED)


@dataclass(frozen=True, slots=True)
class MarketMove:
    """A bellwether's total return at its last current bar, in its own daily sigmas."""

    symbol: str
    date: dt.date
    change: float
    sigmas: float | None
    """log(1 + change) over the 20-day daily volatility at its bar before; None without one."""
    same_day: bool
    """Whether the bar is dated the day asked: only those make the tape."""


@dataclass(frozen=True, slots=True)
class CrossAsset:
    """The bellwethers' moves on `as_of`, in `BELLWETHERS` order, and the tape they make."""

    as_of: dt.date
    moves: tuple[MarketMove, ...]
    tape: Tape


def cross_asset(panel: Panel, as_of: dt.date, volatility: FloatArray) -> CrossAsset:
    """Return the bellwethers' moves and the tape at the close of `as_of`.

    Parameters
    ----------
    panel
        Daily bars; bellwethers it does not hold are left out, as are those with no
        current bar by `as_of`.
    as_of
        The date; later bars are not read.
    volatility
        (T, N) 20-day daily volatility of `panel.adj_close` (`daily_volatility`).
    """
    moves = []
    for symbol in BELLWETHERS:
        move = last_move(panel, symbol, as_of) if symbol in panel else None
        if move is None or not move.current:
            continue
        before = int(np.searchsorted(panel.dates, np.datetime64(move.previous, "D")))
        daily = float(volatility[before, panel.column(symbol)])
        sigmas = math.log1p(move.change) / daily if daily > 0 else math.nan
        moves.append(
            MarketMove(
                symbol,
                move.date,
                move.change,
                sigmas if math.isfinite(sigmas) else None,
                move.date == as_of,
            )
        )
    same_day = {m.symbol: m.sigmas for m in moves if m.same_day and m.sigmas is not None}
    return CrossAsset(as_of, tuple(moves), classify_tape(same_day))
