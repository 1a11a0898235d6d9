"""The scorecard: every call the desk made, graded against what prices did next.

- **Direction**: a Bullish call hits when the 5-bar forward log return (adjusted
  closes) is above 0, a Bearish call when it is below; Neutral makes no direction call.
  The yardstick is the share of rises over the same graded calls.
- **Threat**: the Brier score of the calibrated probability of a sharp move (the
  Threat module's definition) against what followed, beside the Brier score of always
  forecasting the graded calls' own frequency (climatology); skill = 1 - ratio.
- **Levels**: within `LEVEL_BARS` bars, a support *broke* when a close fell below its
  zone, *held* when a low reached the zone's top and no close broke it, and stayed
  *untested* otherwise; resistance mirrors it. A call with fewer bars after it is
  *pending* unless its level has already broken.

Grading reads bars after the call by design; a call is only graded once they exist.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import polars as pl

from pulsewire._types import BoolArray, FloatArray, IntArray
from pulsewire.analysis.levels import levels_asof
from pulsewire.analysis.rows import as_date, last_bar_rows, lead_bar_rows
from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.model.call import CALL_SCHEMA, Call
from pulsewire.model.history import wilson_interval
from pulsewire.model.panel import Panel
from pulsewire.scores.board import ScoreBoard
from pulsewire.scores.pulse import pulse_label
from pulsewire.scores.threat import HORIZON

LEVEL_BARS: Final = 20
"""Bars after a call within which a named level is judged held or broken."""

Side = Literal["support", "resistance"]
OUTCOMES: Final = ("held", "broke", "untested", "pending")

GRADE_SCHEMA: Final = pl.Schema(
    {
        "origin": pl.String(),
        "as_of": pl.Date(),
        "symbol": pl.String(),
        "forward_return": pl.Float64(),
        "direction_hit": pl.Boolean(),
        "sharp_move": pl.Boolean(),
        "support_outcome": pl.String(),
        "resistance_outcome": pl.String(),
    }
)
"""Columns of the store's `grades` table; null where a call cannot be graded yet."""


def call_at(universe: UniverseAnalysis, board: ScoreBoard, symbol: str, row: int) -> Call:
    """Return the call an article on `symbol` at `row` makes: its scores and nearest zones."""
    panel, column = board.panel, board.panel.column(symbol)
    levels = levels_asof(
        panel.dates, panel.high, panel.low, panel.close, universe.indicators.atr_14, column, row
    )
    support, resistance = levels.nearest_support, levels.nearest_resistance
    value = float(board.pulse[row, column])
    return Call(
        origin="replay",
        as_of=as_date(panel.dates[row]),
        symbol=symbol,
        close=float(panel.close[row, column]),
        pulse=value,
        pulse_label=pulse_label(value),
        threat_level=int(board.threat.levels[row, column]),
        threat_probability=float(board.threat.predicted[row, column]),
        call=board.call(symbol, row),
        conviction=float(board.conviction[row, column]),
        support=None if support is None else (support.low, support.high),
        resistance=None if resistance is None else (resistance.low, resistance.high),
    )


def replay_rows(board: ScoreBoard, every: int, since: dt.date) -> Iterator[tuple[str, int]]:
    """Yield (symbol, row) for every `every`-th scored bar of each symbol from `since` on."""
    first = int(np.searchsorted(board.panel.dates, np.datetime64(since, "D")))
    for column, symbol in enumerate(board.panel.symbols):
        scored = np.isfinite(board.pulse[first:, column]) & np.isfinite(board.risk[first:, column])
        for row in np.flatnonzero(scored)[::every]:
            yield symbol, first + int(row)


def calls_frame(calls: list[Call]) -> pl.DataFrame:
    """Return calls as a frame of `CALL_SCHEMA`."""
    return pl.DataFrame([c.row() for c in calls], schema=CALL_SCHEMA, orient="row")


def _outcomes(
    crossing: BoolArray, touching: BoolArray, complete: BoolArray, named: BoolArray
) -> np.ndarray:
    """Return each call's outcome from its (bars, calls) crossing and touching closes/prices."""
    crossed, touched = np.asarray(crossing.any(axis=0)), np.asarray(touching.any(axis=0))
    outcome = np.where(crossed, "broke", np.where(touched, "held", "untested")).astype(object)
    outcome[~crossed & ~complete] = "pending"
    outcome[~named] = None
    return outcome


def grade_calls(calls: pl.DataFrame, panel: Panel, sharp_moves: FloatArray) -> pl.DataFrame:
    """Grade `calls` (`CALL_SCHEMA`) against `panel`, one row per call.

    `sharp_moves` is `threat.sharp_moves` of the panel's adjusted closes, (T, N).
    """
    has_bar = np.isfinite(panel.close)
    column = np.array([panel.column(s) for s in calls["symbol"].to_list()], dtype=np.intp)
    day_row = np.searchsorted(panel.dates, calls["as_of"].to_numpy().astype("datetime64[D]"))
    row = last_bar_rows(has_bar)[np.minimum(day_row, panel.dates.size - 1), column]

    def ahead(lead: int) -> IntArray:
        rows: IntArray = lead_bar_rows(has_bar, lead)[row, column]
        return rows

    forward_row = ahead(HORIZON)
    known = forward_row >= 0
    forward = np.where(
        known, np.log(panel.adj_close[forward_row, column] / panel.adj_close[row, column]), np.nan
    )
    # Calls stored before the desk could call against its lean read as the lean.
    label = calls.select(pl.coalesce("call", "pulse_label"))["call"].to_numpy()
    directional = known & np.isin(label, ("Bullish", "Bearish"))
    hit = np.where(label == "Bullish", forward > 0, forward < 0)
    sharp = sharp_moves[row, column]

    window = np.stack([ahead(k) for k in range(1, LEVEL_BARS + 1)])  # (bars, calls)
    inside = window >= 0
    picked = np.maximum(window, 0)
    closes = np.where(inside, panel.close[picked, column], np.nan)
    lows = np.where(inside, panel.low[picked, column], np.inf)
    highs = np.where(inside, panel.high[picked, column], -np.inf)
    complete = inside[-1]
    support_low, support_high, resist_low, resist_high = (
        calls[name].to_numpy().astype(float)
        for name in ("support_low", "support_high", "resistance_low", "resistance_high")
    )
    with np.errstate(invalid="ignore"):
        support = _outcomes(
            (closes < support_low),
            (lows <= support_high),
            complete,
            np.isfinite(support_low),
        )
        resistance = _outcomes(
            (closes > resist_high),
            (highs >= resist_low),
            complete,
            np.isfinite(resist_high),
        )
    return pl.DataFrame(
        {
            "origin": calls["origin"],
            "as_of": calls["as_of"],
            "symbol": calls["symbol"],
            "forward_return": forward,
            "direction_hit": [
                bool(h) if d else None for h, d in zip(hit, directional, strict=True)
            ],
            "sharp_move": [None if math.isnan(x) else x > 0 for x in sharp],
            # As lists: an object array of nothing but None has no type polars can cast.
            "support_outcome": support.tolist(),
            "resistance_outcome": resistance.tolist(),
        },
        schema=GRADE_SCHEMA,
    )


@dataclass(frozen=True, slots=True)
class DirectionRecord:
    """How one side's direction calls (Bullish: a rise) did over 5 bars."""

    label: str
    calls: int
    hits: int
    rate: float
    low: float
    high: float
    up_share: float
    """Share of rises over the same calls: what always calling "up" would have scored."""


@dataclass(frozen=True, slots=True)
class LevelRecord:
    """What became of one side's named zones within `LEVEL_BARS` bars."""

    side: Side
    named: int
    held: int
    broke: int
    untested: int
    pending: int

    @property
    def held_share(self) -> float:
        """Held among the zones price reached and that are decided (NaN if none)."""
        tested = self.held + self.broke
        return self.held / tested if tested else math.nan


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The graded record of every stored call."""

    calls: int
    first: dt.date | None
    last: dt.date | None
    direction: tuple[DirectionRecord, ...]
    threat_cases: int
    brier: float
    brier_climatology: float
    levels: tuple[LevelRecord, ...]

    @property
    def brier_skill(self) -> float:
        """1 - Brier / climatology's Brier: above 0 beats forecasting the average."""
        return 1.0 - self.brier / self.brier_climatology if self.brier_climatology else math.nan


def _direction(grades: pl.DataFrame, label: str) -> DirectionRecord:
    rows = grades.filter(pl.col("direction_hit").is_not_null())
    if label != "all":
        rows = rows.filter(pl.coalesce("call", "pulse_label") == label)
    n, hits = rows.height, int(rows["direction_hit"].sum())
    low, high = wilson_interval(hits, n)
    ups = int((rows["forward_return"] > 0).sum())
    return DirectionRecord(
        label, n, hits, hits / n if n else math.nan, low, high, ups / n if n else math.nan
    )


def scorecard(calls: pl.DataFrame, grades: pl.DataFrame) -> Scorecard:
    """Return the record of `calls` from their `grades` (both keyed by origin, as_of, symbol)."""
    graded = calls.join(grades, on=["origin", "as_of", "symbol"], how="inner")
    threat = graded.filter(
        pl.col("threat_probability").is_not_null() & pl.col("sharp_move").is_not_null()
    )
    probability = threat["threat_probability"].to_numpy()
    outcome = threat["sharp_move"].cast(pl.Float64).to_numpy()
    base = float(outcome.mean()) if outcome.size else math.nan
    levels = []
    for side in ("support", "resistance"):
        found = graded[f"{side}_outcome"].value_counts().rows_by_key(f"{side}_outcome")
        counts = {outcome: rows[0][0] for outcome, rows in found.items()}
        levels.append(
            LevelRecord(
                side, sum(counts.get(o, 0) for o in OUTCOMES), *(counts.get(o, 0) for o in OUTCOMES)
            )
        )
    return Scorecard(
        calls=calls.height,
        first=calls["as_of"].min() if calls.height else None,  # type: ignore[arg-type]
        last=calls["as_of"].max() if calls.height else None,  # type: ignore[arg-type]
        direction=tuple(_direction(graded, label) for label in ("Bullish", "Bearish", "all")),
        threat_cases=int(outcome.size),
        brier=float(np.mean((probability - outcome) ** 2)) if outcome.size else math.nan,
        brier_climatology=float(np.mean((base - outcome) ** 2)) if outcome.size else math.nan,
        levels=tuple(levels),
    )
