"""Conviction 0-100: how far the record of calls made in today's state backs today's lean.

The **lean** is Pulse's label (Bullish: a rise, Bearish: a fall; Neutral leans nowhere).
The **state** is the lean and the weather: calm when 20-day volatility is below its
long-run median (Threat's first input below 0), stormy otherwise.

The **record** of a state, at a close: the non-overlapping past cases (every 5th bar of
each symbol) of the symbol's peer group in that state whose 5-bar outcome was known by
that close, and how many moved the lean's way (`hits`), against the group's base rate:
the share of all its known cases that moved that way. A symbol of no group reads the
record of every symbol.

With z = (hits - n x base) / sqrt(n x base x (1 - base)), the desk's **call** is the
lean, unless the record runs against it by 3.5 standard errors or more: then the call is
the other side, against the tape (on the bundle, only the VIX's mean reversion does so).
Conviction = min(100, 20 x the z of the call's side), 0 when the record of the lean is
no better than its base rate. It is Low below 20 x 1.96 (the base rate inside the
record's 95% interval: no measured edge), High from 70 (z of 3.5), and Moderate between.
The agreement of Pulse's signals was tried as part of the state and as a component; it
did not beat the base rate out of sample, so it is not in the score.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Final

import numpy as np

from pulsewire._types import BoolArray, FloatArray, IntArray
from pulsewire.model.history import Z_95
from pulsewire.model.score import Component, Score
from pulsewire.scores.groups import GROUP_NAMES, POOLED
from pulsewire.scores.pulse import BEARISH_BELOW, BULLISH_ABOVE
from pulsewire.scores.threat import HORIZON

POINTS_PER_Z: Final = 20.0
LOW_BELOW: Final = POINTS_PER_Z * Z_95
HIGH_FROM: Final = 70.0
MIN_CASES: Final = 30
"""Known cases a state needs before its record counts."""

STATES: Final = ("Bullish, calm", "Bullish, stormy", "Bearish, calm", "Bearish, stormy")
AGAINST_AT: Final = -HIGH_FROM / POINTS_PER_Z
"""z at or below which the record calls the other side (-3.5)."""
RULE: Final = (
    f"{POINTS_PER_Z:g} x z of the record over the base rate, for the side it favours "
    f"(the lean unless z <= {AGAINST_AT:g}), 0 to 100"
)


def conviction_label(value: float) -> str:
    """Return Low, Moderate or High for a Conviction value."""
    if value < LOW_BELOW:
        return "Low"
    return "High" if value >= HIGH_FROM else "Moderate"


def lean_states(pulse: FloatArray, storm: FloatArray) -> IntArray:
    """Return each cell's index into `STATES`, -1 where Pulse is Neutral or unknown."""
    with np.errstate(invalid="ignore"):
        side = np.where(pulse > BULLISH_ABOVE, 0, np.where(pulse < BEARISH_BELOW, 2, -1))
        state = side + (storm >= 0)
    result: IntArray = np.where((side >= 0) & np.isfinite(storm), state, -1)
    return result


@dataclass(frozen=True, slots=True)
class LeanRecord:
    """The record of one state in one group at one close: what `Conviction` reads."""

    state: str
    group: str
    horizon: int
    cases: int
    """Non-overlapping past cases in this state with an outcome known by the close."""
    hits: int
    """Of them, those that moved the lean's way."""
    all_cases: int
    """All the group's known cases: the base rate's n."""
    all_moves: int
    """Of them, those that moved the lean's way."""

    @property
    def label(self) -> str:
        return self.state.split(",")[0]

    @property
    def hit_rate(self) -> float:
        return self.hits / self.cases if self.cases else math.nan

    @property
    def base_rate(self) -> float:
        return self.all_moves / self.all_cases if self.all_cases else math.nan

    @property
    def z(self) -> float:
        """Standard errors by which the hit rate beats the base rate (NaN: too few cases)."""
        base = self.base_rate
        if self.cases < MIN_CASES or not 0 < base < 1:
            return math.nan
        return (self.hits - self.cases * base) / math.sqrt(self.cases * base * (1 - base))

    @property
    def against(self) -> bool:
        """Whether the record runs so far against the lean that the call is the other side."""
        return math.isfinite(self.z) and self.z <= AGAINST_AT

    @property
    def call(self) -> str:
        """The side the desk calls: the lean, or the other side when the record is against."""
        if not self.against:
            return self.label
        return "Bearish" if self.label == "Bullish" else "Bullish"

    @property
    def verdict(self) -> str:
        """'edge', 'none', 'worse' (beyond the interval the other way) or 'against'."""
        if not math.isfinite(self.z) or abs(self.z) < Z_95:
            return "none"
        if self.z > 0:
            return "edge"
        return "against" if self.against else "worse"

    def explain(self) -> str:
        """Return the record in one line: state, group, hit rate, base rate, n and z."""
        move = "rise" if self.label == "Bullish" else "fall"
        z = "too few cases" if not math.isfinite(self.z) else f"z {self.z:+.1f}"
        return (
            f"record: {self.state} on {self.group}, {self.hit_rate:.1%} of {self.cases:,} "
            f"non-overlapping cases saw a {self.horizon}-bar {move} against "
            f"{self.base_rate:.1%} of {self.all_cases:,} ({z})"
        )

    def points(self) -> float:
        """Conviction's points: 20 per standard error the record backs the call, 0 to 100."""
        if not math.isfinite(self.z):
            return 0.0
        return min(100.0, POINTS_PER_Z * (-self.z if self.against else max(self.z, 0.0)))


@dataclass(frozen=True)
class LeanRecords:
    """Every state's record at every row, per group, as cumulative counts (T, groups, ...)."""

    groups: tuple[str, ...]
    """`GROUP_NAMES` then `POOLED`."""
    cases: IntArray
    """(T, groups, states): known cases in each state by each row."""
    hits: IntArray
    """(T, groups, states): of them, those that moved the lean's way."""
    all_cases: IntArray
    """(T, groups): all known cases."""
    ups: IntArray
    """(T, groups): known cases followed by a rise."""
    downs: IntArray
    """(T, groups): known cases followed by a fall."""

    def base_rates(self, up: BoolArray, codes: IntArray) -> FloatArray:
        """Return each cell's group share of known cases that rose (`up`) or else fell."""
        rows = np.arange(up.shape[0])[:, None]
        g = np.where(codes >= 0, codes, len(self.groups) - 1)[None, :]
        moves = np.where(up, self.ups[rows, g], self.downs[rows, g])
        with np.errstate(invalid="ignore", divide="ignore"):
            base: FloatArray = moves / self.all_cases[rows, g]
        return base

    def gather(
        self, states: IntArray, codes: IntArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Return (cases, hits, base rate) of every cell's state, (T, N) each."""
        rows = np.arange(states.shape[0])[:, None]
        g = np.where(codes >= 0, codes, len(self.groups) - 1)[None, :]
        s = np.maximum(states, 0)
        base = self.base_rates(states < 2, codes)
        return self.cases[rows, g, s].astype(float), self.hits[rows, g, s].astype(float), base

    def z_scores(self, states: IntArray, codes: IntArray) -> FloatArray:
        """Return the z of every cell's state record (NaN: no lean, or too few cases)."""
        n, hits, base = self.gather(states, codes)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (hits - n * base) / np.sqrt(n * base * (1 - base))
        valid = (states >= 0) & (n >= MIN_CASES) & (base > 0) & (base < 1)
        result: FloatArray = np.where(valid, z, np.nan)
        return result

    def points(self, states: IntArray, codes: IntArray) -> FloatArray:
        """Return Conviction (T, N) for every cell: what `conviction_score` gives one cell."""
        z = np.nan_to_num(self.z_scores(states, codes))
        backing = np.where(z <= AGAINST_AT, -z, np.maximum(z, 0.0))
        result: FloatArray = np.minimum(100.0, POINTS_PER_Z * backing)
        return result

    def calls_up(self, states: IntArray, codes: IntArray) -> BoolArray:
        """Return where the desk's call is a rise: a Bullish lean, or a Bearish one reversed."""
        with np.errstate(invalid="ignore"):
            against = self.z_scores(states, codes) <= AGAINST_AT
        up: BoolArray = (states >= 0) & ((states < 2) != against)
        return up

    def at(self, row: int, group: str | None, state: int) -> LeanRecord:
        """Return the record of `state` for a symbol of `group` (None: pooled) at `row`."""
        g = self.groups.index(group or POOLED)
        moves = self.ups if state < 2 else self.downs
        return LeanRecord(
            STATES[state],
            self.groups[g],
            HORIZON,
            int(self.cases[row, g, state]),
            int(self.hits[row, g, state]),
            int(self.all_cases[row, g]),
            int(moves[row, g]),
        )


def lean_records(
    states: IntArray, forward: FloatArray, known_at: IntArray, codes: IntArray, cases: BoolArray
) -> LeanRecords:
    """Return the cumulative records of every state, each case counted from the row it is known.

    Parameters
    ----------
    states
        (T, N) `lean_states`.
    forward
        (T, N) 5-bar forward log returns.
    known_at
        (T, N) row of the 5th next bar (-1: not yet).
    codes
        (N,) each symbol's index into `GROUP_NAMES`, -1 for none.
    cases
        (T, N) the non-overlapping bars that count.
    """
    rows, groups = states.shape[0], len(GROUP_NAMES) + 1
    counted = cases & (known_at >= 0) & np.isfinite(forward)
    row_of, column = np.nonzero(counted)
    when = known_at[row_of, column]
    up, down = forward[row_of, column] > 0, forward[row_of, column] < 0
    state = states[row_of, column]
    width = groups * len(STATES)

    def cumulative(at: IntArray, keys: IntArray, weight: BoolArray, width: int) -> IntArray:
        flat = np.bincount(at * width + keys, weights=weight, minlength=rows * width)
        counts: IntArray = np.cumsum(flat.reshape(rows, width), axis=0).astype(np.int64)
        return counts

    shape = (rows, groups, len(STATES))
    counts = {name: np.zeros(shape, np.int64) for name in ("cases", "hits")}
    totals = {name: np.zeros((rows, groups), np.int64) for name in ("all", "ups", "downs")}
    # Each case counts for its own group and for the pooled record of every symbol.
    for group in (codes[column], np.full(column.size, groups - 1)):
        inside = group >= 0
        at, g, s = when[inside], group[inside], state[inside]
        leaning = s >= 0
        key = g * len(STATES) + np.maximum(s, 0)
        hit = np.where(s < 2, up[inside], down[inside]) & leaning
        counts["cases"] += cumulative(at, key, leaning, width).reshape(shape)
        counts["hits"] += cumulative(at, key, hit, width).reshape(shape)
        totals["all"] += cumulative(at, g, np.ones(g.size, bool), groups)
        totals["ups"] += cumulative(at, g, up[inside], groups)
        totals["downs"] += cumulative(at, g, down[inside], groups)
    return LeanRecords(
        (*GROUP_NAMES, POOLED),
        counts["cases"],
        counts["hits"],
        totals["all"],
        totals["ups"],
        totals["downs"],
    )


def conviction_score(symbol: str, as_of: dt.date, record: LeanRecord | None) -> Score:
    """Return Conviction from the record of today's state (None: Neutral, no lean)."""
    if record is None:
        component = Component("record", math.nan, "no lean: Pulse is Neutral", 0.0)
    else:
        component = Component("record", record.z, RULE, record.points())
    value = component.contribution
    return Score("Conviction", symbol, as_of, value, conviction_label(value), 0.0, (component,))
