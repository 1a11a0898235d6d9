"""`Regime`: the state a market is in, in the words a desk uses."""

from __future__ import annotations

import enum


class Regime(enum.StrEnum):
    """What price is doing; see `pulsewire.analysis.regime` for the rules and thresholds."""

    TREND_UP = "trend up"
    TREND_DOWN = "trend down"
    RANGE = "range"
    SQUEEZE = "squeeze"
    BREAKOUT = "breakout"

    @property
    def code(self) -> int:
        """The small integer that stands for this regime in (T, N) code arrays."""
        return list(Regime).index(self)

    @classmethod
    def of_code(cls, code: int) -> Regime | None:
        """Return the regime of a code, or None for `NO_REGIME` (warm-up)."""
        return None if code < 0 else list(Regime)[code]


NO_REGIME = -1
"""Code of a bar whose inputs are still warming up."""
