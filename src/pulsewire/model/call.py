"""`Call`: what one article committed to, kept so that it can be graded later."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Final, Literal

import polars as pl

from pulsewire.errors import DataError

CallOrigin = Literal["edition", "replay"]
"""`edition`: published by `pulsewire write`; `replay`: what the desk would have published."""

CALL_SCHEMA: Final = pl.Schema(
    {
        "origin": pl.String(),
        "as_of": pl.Date(),
        "symbol": pl.String(),
        "close": pl.Float64(),
        "pulse": pl.Float64(),
        "pulse_label": pl.String(),
        "threat_level": pl.Int8(),
        "call": pl.String(),
        "conviction": pl.Float64(),
        "threat_probability": pl.Float64(),
        "support_low": pl.Float64(),
        "support_high": pl.Float64(),
        "resistance_low": pl.Float64(),
        "resistance_high": pl.Float64(),
    }
)
"""Columns of the store's `calls` table; a missing level or threat is null."""


@dataclass(frozen=True, slots=True)
class Call:
    """A direction, a threat level with its probability, and two zones to watch.

    `call` is the side the article takes: Pulse's label, or the other side when the
    record of its state runs against it (`scores.conviction`); Neutral takes none.
    `threat_level` 0 means no calibrated Threat; a zone is None when the article named none.
    """

    origin: CallOrigin
    as_of: dt.date
    symbol: str
    close: float
    pulse: float
    pulse_label: str
    threat_level: int
    threat_probability: float
    call: str
    conviction: float
    support: tuple[float, float] | None
    resistance: tuple[float, float] | None

    def __post_init__(self) -> None:
        if not 0 <= self.threat_level <= 5:
            raise DataError("threat_level", self.threat_level, "is not 0-5")
        for name in ("support", "resistance"):
            zone = getattr(self, name)
            if zone is not None and not zone[0] <= zone[1]:
                raise DataError(name, zone, "low is above high")
        if self.support is not None and self.support[0] > self.close:
            raise DataError("support", self.support, f"is above the close {self.close}")
        if self.resistance is not None and self.resistance[1] < self.close:
            raise DataError("resistance", self.resistance, f"is below the close {self.close}")

    def row(self) -> dict[str, Any]:
        """Return the call as one row of `CALL_SCHEMA`."""
        support, resistance = self.support or (None, None), self.resistance or (None, None)
        return {
            "origin": self.origin,
            "as_of": self.as_of,
            "symbol": self.symbol,
            "close": self.close,
            "pulse": self.pulse,
            "pulse_label": self.pulse_label,
            "threat_level": self.threat_level,
            "call": self.call,
            "conviction": self.conviction,
            "threat_probability": None
            if math.isnan(self.threat_probability)
            else self.threat_probability,
            "support_low": support[0],
            "support_high": support[1],
            "resistance_low": resistance[0],
            "resistance_high": resistance[1],
        }
