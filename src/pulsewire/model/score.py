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

        Parts are rounded to 0.1 so that the printed ones add up to the printed value
        (largest remainders take the leftover tenths).
        """
        shown = _tenths([c.contribution for c in self.components], self.value - self.base)
        parts = " ".join(
            f"{'-' if tenths < 0 else '+'} {c.name} {abs(tenths) / 10:g}"
            for c, tenths in zip(self.components, shown, strict=True)
        )
        value = round(self.value * 10) / 10
        return f"{self.name} {value:g} ({self.label}) = {self.base:g} {parts}".rstrip()


def _tenths(values: list[float], total: float) -> list[int]:
    """Return `values` in whole tenths that sum to `total` in whole tenths."""
    scaled = [v * 10 for v in values]
    floors = [math.floor(v) for v in scaled]
    left = round(total * 10) - sum(floors)
    order = sorted(range(len(values)), key=lambda i: floors[i] - scaled[i])
    for i in order[: max(left, 0)]:
        floors[i] += 1
    return floors
