"""`Score`: a number a reader sees (Pulse 54/100), with the parts it is the sum of."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from pulsewire.errors import DataError

SUM_TOLERANCE = 1e-9
"""How far the components' sum may stray from the score (floating-point rounding)."""


@dataclass(frozen=True, slots=True)
class Component:
    """One input of a score: its value, the rule that weighs it, and what it adds."""

    name: str
    value: float
    rule: str
    contribution: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.contribution):
            raise DataError("contribution", self.contribution, f"{self.name}: is not finite")


@dataclass(frozen=True, slots=True)
class Score:
    """A score on a documented scale, equal to `base` plus the sum of its components."""

    name: str
    symbol: str
    as_of: dt.date
    value: float
    label: str
    base: float
    components: tuple[Component, ...]

    def __post_init__(self) -> None:
        total = self.base + math.fsum(c.contribution for c in self.components)
        if abs(total - self.value) > SUM_TOLERANCE:
            raise DataError(
                "components", total, f"{self.name}: base + components = {total}, not {self.value}"
            )

    def explain(self) -> str:
        """Return the score in one line: value and label = base + every part, in rule order.

        Each figure is rounded to 0.1 on its own, so the printed parts may miss the
        printed value by a few tenths of rounding, never more.
        """
        parts = " ".join(
            f"{'-' if c.contribution < 0 else '+'} {c.name} {_one_decimal(abs(c.contribution))}"
            for c in self.components
        )
        value, base = _one_decimal(self.value), _one_decimal(self.base)
        return f"{self.name} {value} ({self.label}) = {base} {parts}".rstrip()


def _one_decimal(number: float) -> str:
    """Return a number to one decimal, without a trailing '.0' (8.04 -> '8', 7.26 -> '7.3')."""
    return f"{round(number, 1):g}"
