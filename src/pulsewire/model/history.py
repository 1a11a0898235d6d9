"""`HistoryResult`: what followed the past days on which a condition held, and its verdict.

A sentence that starts "historically..." needs a measured figure behind it. This module
holds the figure, the confidence interval around it and the verdict on whether it backs
a claim; `pulsewire.analysis.history` measures it from prices.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Final

from pulsewire.errors import DataError

Z_95: Final = 1.959963984540054
"""Two-sided 95% quantile of the standard normal distribution."""

MIN_CASES: Final = 30
"""Fewest independent cases a claim may rest on.

Below 30, the 95% interval of a frequency near 10% spans about 20 points, too wide to
tell most conditions from the base rate; the usual rule of thumb for a normal-based
interval agrees.
"""

MIN_EPISODES: Final = 10
"""Fewest distinct episodes (runs of consecutive condition days) a claim may rest on.

Thirty cases drawn from two long spells tell two stories, not thirty: the verdict asks
for ten separate spells as well.
"""


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval of a binomial proportion.

    With ``p = successes / trials`` and ``n = trials`` the bounds are
    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``. Unlike the normal (Wald)
    interval it stays inside [0, 1] and keeps a non-zero width at 0 or `trials` successes.

    Parameters
    ----------
    successes
        Number of successes, in [0, `trials`].
    trials
        Number of trials, at least 0. With no trials every proportion is consistent
        with the data, and the interval is (0.0, 1.0).
    z
        Standard normal quantile of the confidence level; the default gives 95%.

    Returns
    -------
    tuple[float, float]
        The lower and upper bound.

    Raises
    ------
    DataError
        If `successes` is outside [0, `trials`] or `z` is not positive.
    """
    if not 0 <= successes <= trials:
        raise DataError("successes", successes, f"{successes} is outside [0, trials={trials}]")
    if not z > 0:
        raise DataError("z", z, f"{z} is not a positive quantile")
    if trials == 0:
        return 0.0, 1.0
    n = float(trials)
    p = successes / n
    shrink = 1.0 + z * z / n
    center = (p + z * z / (2.0 * n)) / shrink
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / shrink
    # At 0 or `trials` successes a bound is 0 or 1 exactly; the formula would round it.
    low = 0.0 if successes == 0 else center - half
    high = 1.0 if successes == trials else center + half
    return low, high


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


@dataclass(frozen=True, slots=True)
class HistoryClaim:
    """The figures a "historically..." sentence may quote; only a supported result has one.

    A large move is a forward log return over `horizon` bars beyond `sigmas` trailing
    standard deviations (scaled to the horizon). It followed `large_moves` of `cases`
    independent past cases between `first_date` and `last_date` (`frequency`, with the
    95% Wilson interval [`interval_low`, `interval_high`]), against `base_rate` on all
    past days of the same symbols.
    """

    symbols: tuple[str, ...]
    condition: str
    as_of: dt.date
    horizon: int
    sigmas: float
    cases: int
    episodes: int
    large_moves: int
    frequency: float
    interval_low: float
    interval_high: float
    base_rate: float
    lift: float
    first_date: dt.date
    last_date: dt.date

    @property
    def more_often(self) -> bool:
        """True when large moves followed the condition more often than usual."""
        return self.frequency > self.base_rate


@dataclass(frozen=True, slots=True)
class HistoryResult:
    """What followed the past days on which a condition held, measured as of `as_of`.

    A past day counts only when its forward window of `horizon` bars ends by `as_of`,
    so the outcome was known then. Counts over days with a known outcome:

    - `condition_days`: days on which the condition held (windows overlap: a 30-day
      spell gives 30 correlated days);
    - `episodes`: runs of consecutive such days, per symbol;
    - `cases`: the sample every rate below uses: condition days whose forward windows
      do not overlap, taken greedily from the earliest and at most one across
      `symbols` per window (peers add dates, not copies of the same move);
    - `large_moves` and `up_moves`: cases followed by a large move, by a rise;
    - `base_days`, `base_large_moves`, `base_up_moves`: the same over every day of
      `symbols` with a known outcome, whether the condition held or not.

    `mean_return` and `median_return` are of the cases' forward log returns (NaN with
    no case); `first_date` and `last_date` are the first and last case (None with no
    case). `holds_at_as_of` says whether the condition holds for `symbols[0]` at
    `as_of`, which is when a sentence about it makes sense.
    """

    symbols: tuple[str, ...]
    condition: str
    as_of: dt.date
    horizon: int
    volatility_window: int
    sigmas: float
    condition_days: int
    episodes: int
    cases: int
    large_moves: int
    up_moves: int
    mean_return: float
    median_return: float
    base_days: int
    base_large_moves: int
    base_up_moves: int
    first_date: dt.date | None
    last_date: dt.date | None
    holds_at_as_of: bool

    def __post_init__(self) -> None:
        if not self.symbols or len(set(self.symbols)) != len(self.symbols):
            raise DataError("symbols", self.symbols, "is empty or repeats a symbol")
        if not self.condition.strip():
            raise DataError("condition", self.condition, "is empty")
        if self.horizon < 1:
            raise DataError("horizon", self.horizon, f"{self.horizon} is below 1 bar")
        if self.volatility_window < 2:
            raise DataError("volatility_window", self.volatility_window, "is below 2 returns")
        if not (math.isfinite(self.sigmas) and self.sigmas > 0):
            raise DataError("sigmas", self.sigmas, f"{self.sigmas} is not a positive number")
        for part, whole in (
            ("large_moves", "cases"),
            ("up_moves", "cases"),
            ("cases", "condition_days"),
            ("episodes", "condition_days"),
            ("condition_days", "base_days"),
            ("base_large_moves", "base_days"),
            ("base_up_moves", "base_days"),
            ("large_moves", "base_large_moves"),
            ("up_moves", "base_up_moves"),
        ):
            value, bound = getattr(self, part), getattr(self, whole)
            if not 0 <= value <= bound:
                raise DataError(part, value, f"{value} is outside [0, {whole}={bound}]")
        if (self.cases > 0) != (self.episodes > 0) or (self.cases > 0) != (self.condition_days > 0):
            raise DataError("cases", self.cases, "has no case, episode or day without the others")
        if self.cases == 0:
            if self.first_date is not None or self.last_date is not None:
                raise DataError("first_date", self.first_date, "is set without a case")
            if not (math.isnan(self.mean_return) and math.isnan(self.median_return)):
                raise DataError("mean_return", self.mean_return, "is set without a case")
            return
        if self.first_date is None or self.last_date is None:
            raise DataError("first_date", self.first_date, "is missing for a sample with cases")
        if not self.first_date <= self.last_date < self.as_of:
            raise DataError(
                "last_date",
                self.last_date,
                f"is not in [first_date={self.first_date}, as_of={self.as_of})",
            )
        for name in ("mean_return", "median_return"):
            if not math.isfinite(getattr(self, name)):
                raise DataError(name, getattr(self, name), "is not finite for a sample")

    @property
    def frequency(self) -> float:
        """Return the share of cases followed by a large move (NaN with no case)."""
        return _ratio(self.large_moves, self.cases)

    @property
    def base_rate(self) -> float:
        """Return the share of all past days followed by a large move (NaN with none)."""
        return _ratio(self.base_large_moves, self.base_days)

    @property
    def lift(self) -> float:
        """Return `frequency` / `base_rate` (NaN with no case or a zero base rate)."""
        return _ratio(self.large_moves * self.base_days, self.cases * self.base_large_moves)

    @property
    def up_share(self) -> float:
        """Return the share of cases followed by a rise (NaN with no case)."""
        return _ratio(self.up_moves, self.cases)

    @property
    def base_up_share(self) -> float:
        """Return the share of all past days followed by a rise (NaN with none)."""
        return _ratio(self.base_up_moves, self.base_days)

    @property
    def interval(self) -> tuple[float, float]:
        """Return the 95% Wilson interval of `frequency`, computed on the cases."""
        return wilson_interval(self.large_moves, self.cases)

    @property
    def supported(self) -> bool:
        """True when the measured history backs a claim; `reason` says why or why not."""
        return self._verdict()[0]

    @property
    def reason(self) -> str:
        """Return why the history does or does not back a claim, in one line."""
        return self._verdict()[1]

    def _verdict(self) -> tuple[bool, str]:
        low, high = self.interval
        if self.cases == 0:
            return False, f"no past day met the condition with a known {self.horizon}-bar outcome"
        if self.cases < MIN_CASES:
            return False, f"{self.cases} independent cases, below the minimum of {MIN_CASES}"
        if self.episodes < MIN_EPISODES:
            return False, f"{self.episodes} episodes, below the minimum of {MIN_EPISODES}"
        measured = (
            f"large moves followed {self.large_moves} of {self.cases} cases "
            f"({self.frequency:.1%}, 95% interval {low:.1%}-{high:.1%})"
        )
        if low <= self.base_rate <= high:
            return False, f"{measured}: the interval contains the base rate {self.base_rate:.1%}"
        side = "above" if low > self.base_rate else "below"
        return True, f"{measured}: the interval lies {side} the base rate {self.base_rate:.1%}"

    def claim(self) -> HistoryClaim | None:
        """Return the figures a "historically..." sentence may quote, or None if unsupported."""
        if not self.supported or self.first_date is None or self.last_date is None:
            return None
        low, high = self.interval
        return HistoryClaim(
            symbols=self.symbols,
            condition=self.condition,
            as_of=self.as_of,
            horizon=self.horizon,
            sigmas=self.sigmas,
            cases=self.cases,
            episodes=self.episodes,
            large_moves=self.large_moves,
            frequency=self.frequency,
            interval_low=low,
            interval_high=high,
            base_rate=self.base_rate,
            lift=self.lift,
            first_date=self.first_date,
            last_date=self.last_date,
        )
