"""Support and resistance from swing pivots, clustered into zones scaled by the ATR.

Definitions (k = `pivot_bars`, tolerance = `tolerance_atr` x the ATR of the as-of bar):

- **Pivot.** Bar i is a pivot high when its high is strictly above the highs of the k
  bars before it and at or above the highs of the k bars after it; a pivot low mirrors
  this on lows. The tie rule puts one pivot on the first bar of a flat top or bottom.
  "Bars" are the symbol's own bars (its finite rows). The pivot is known at the close of
  the k-th bar after it, its confirmation bar, and not before.
- **Zone.** The known pivots formed in the last `lookback_bars` bars, highs and lows
  together, sorted by price and swept upward: a pivot joins the current zone while it
  lies within the tolerance of the zone's lowest pivot, else it starts a new zone. So
  every two pivots of a zone are within the tolerance of each other.
- **Level.** One per zone: price = mean of its pivot prices, bounds = their min and max,
  touches = its pivots (first and last touch are their formation dates). Kind, against
  the last close: support if the price is at or below it and the zone holds only pivot
  lows, resistance if above it and holding only pivot highs, otherwise both (flipped).
- **Strength** (0-100) = 100 x (1 - exp(-S / `STRENGTH_SCALE`)), where S sums over the
  zone's pivots recency x reaction: recency = 0.5 ** (age in bars / `HALF_LIFE_BARS`),
  reaction = min(move away over the k confirming bars / ATR, `REACTION_CAP_ATR`) /
  `REACTION_CAP_ATR`. One fresh pivot with a full reaction scores 39, two 63, four 86.
- **Range.** For a level S at or below the last close and a level R above it, the box
  is [S low, R high] and its run the trailing bars whose closes all lie in the box.
  Price is boxed when the box is at most `range_max_atr` ATRs tall, the run lasts at
  least `range_min_bars` bars, and at least `range_min_touches` pivot lows of S and as
  many pivot highs of R formed inside the run (the touches on each side). Of the boxes
  that qualify, the range is the narrowest (then the longest).
- **Swing high / low** of the last quarter: the highest known pivot high and the lowest
  known pivot low formed in the last `swing_bars` bars (the earliest of equal ones).

The map an article quotes (`watch_map`) keeps only levels a reader can use:

- **At the close.** A zone whose nearest edge lies within `AT_CLOSE_ATR` ATRs of the
  close (0 when the close is inside it) is where price already is, not a level to watch
  for: it is listed apart, `at_close`, and no support or resistance is.
- **Fresh 52-week extremes.** The 52-week high (low) set in the last
  `FRESH_EXTREME_BARS` bars, which no zone holds yet because its pivot is not
  confirmed, is a zone of its own (touched once, strength 0). A zone that holds the
  52-week high or low carries it (`Zone.extreme`).
- **Open air** above (below): no level of the whole map and no 52-week high (low) set
  before the as-of bar lies within `OPEN_AIR_ATR` ATRs of the close on that side. The
  as-of bar's own high is not a ceiling from the past: a close at a fresh high with
  nothing overhead is open air.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from pulsewire._types import BoolArray, DateArray, FloatArray, IntArray
from pulsewire.analysis.extremes import YearExtreme, YearRange
from pulsewire.errors import DataError, ParameterError, check_at_least, check_within
from pulsewire.model.level import Level, LevelKind, LevelMap, Pivot, Range

PIVOT_BARS: Final = 5
"""Bars on each side of a pivot; also its confirmation lag."""
TOLERANCE_ATR: Final = 0.5
"""Widest zone, in ATRs of the as-of bar."""
LOOKBACK_BARS: Final = 252
"""Pivots older than a year of sessions form no level."""
SWING_BARS: Final = 63
"""A quarter of sessions, for the prior swing high and low."""
RANGE_MIN_BARS: Final = 20
"""A month of sessions: a shorter pause is not a range."""
RANGE_MIN_TOUCHES: Final = 2
"""Swing lows at the floor, and swing highs at the ceiling, that make a range."""
RANGE_MAX_ATR: Final = 6.0
"""Tallest range, in ATRs of the as-of bar: a wider box is a swing, not a pause."""
HALF_LIFE_BARS: Final = 63
"""Age at which a pivot counts half towards strength."""
REACTION_CAP_ATR: Final = 2.0
"""A move away from the pivot of this many ATRs counts in full towards strength."""
STRENGTH_SCALE: Final = 2.0
"""Sum of recency-weighted reactions at which strength reaches 63 (1 - 1/e)."""
AT_CLOSE_ATR: Final = 0.5
"""A zone nearer the close than half a day's range is where price is, not a level ahead:
a normal session's swing takes price through it (editors found a fifth of quoted levels
within a quarter of a range of the close)."""
FRESH_EXTREME_BARS: Final = 10
"""Two weeks of sessions: a 52-week high or low this recent is on the map before the
`PIVOT_BARS` bars that confirm its pivot, and while it is still the ceiling traders watch."""
OPEN_AIR_ATR: Final = 3.0
"""Room, in ATRs, with no level and no 52-week extreme that makes "open air": about
three days' ranges, the reach of the Watch section's triggers and targets."""


class SwingPivots(NamedTuple):
    """Pivots of a panel, marked on their formation bar.

    `confirmed_row` holds, for each pivot, the row at whose close it becomes known
    (the `pivot_bars`-th later bar of its symbol), and -1 where there is no pivot.
    """

    high: BoolArray
    low: BoolArray
    confirmed_row: IntArray


def _tops(values: FloatArray, pivot_bars: int) -> BoolArray:
    # Strictly above the k values before, at or above the k after; NaN never qualifies.
    length = values.shape[0]
    tops = np.zeros(values.shape, dtype=np.bool_)
    if length < 2 * pivot_bars + 1:
        return tops
    highest = np.max(sliding_window_view(values, pivot_bars, axis=0), axis=-1)
    middle = values[pivot_bars : length - pivot_bars]
    tops[pivot_bars : length - pivot_bars] = (middle > highest[: length - 2 * pivot_bars]) & (
        middle >= highest[pivot_bars + 1 :]
    )
    return tops


def swing_pivots(high: FloatArray, low: FloatArray, pivot_bars: int = PIVOT_BARS) -> SwingPivots:
    """Return the swing pivot highs and lows of every symbol, by formation bar.

    Parameters
    ----------
    high, low
        (T, N) bars; a row where either is NaN is no bar of that symbol and is skipped,
        so "the k bars after" are the symbol's next k bars.
    pivot_bars
        k: the bars compared on each side.

    Returns
    -------
    SwingPivots
        (T, N) masks of pivot highs and lows, and the row confirming each pivot.

    Raises
    ------
    ParameterError
        If `pivot_bars` is below 1 or the shapes differ.
    """
    check_at_least("pivot_bars", pivot_bars, 1)
    if high.shape != low.shape:
        raise ParameterError(
            "low", low.shape, f"low has shape {low.shape}, not that of high {high.shape}"
        )
    # Pack each column's bars to the top (time order kept), find pivots there, scatter back.
    bar = np.isfinite(high) & np.isfinite(low)
    order = np.argsort(~bar, axis=0, kind="stable")
    packed_high = np.take_along_axis(np.where(bar, high, np.nan), order, axis=0)
    packed_low = np.take_along_axis(np.where(bar, low, np.nan), order, axis=0)
    tops = _tops(packed_high, pivot_bars)
    bottoms = _tops(-packed_low, pivot_bars)
    confirmed = np.full(order.shape, -1, dtype=np.intp)
    confirmed[: max(order.shape[0] - pivot_bars, 0)] = order[pivot_bars:]
    confirmed[~(tops | bottoms)] = -1
    back = np.argsort(order, axis=0)
    return SwingPivots(
        high=np.take_along_axis(tops, back, axis=0),
        low=np.take_along_axis(bottoms, back, axis=0),
        confirmed_row=np.take_along_axis(confirmed, back, axis=0),
    )


def levels_asof(
    dates: DateArray,
    high: FloatArray,
    low: FloatArray,
    close: FloatArray,
    atr: FloatArray,
    column: int,
    row: int,
    *,
    pivot_bars: int = PIVOT_BARS,
    tolerance_atr: float = TOLERANCE_ATR,
    lookback_bars: int = LOOKBACK_BARS,
    swing_bars: int = SWING_BARS,
    range_min_bars: int = RANGE_MIN_BARS,
    range_min_touches: int = RANGE_MIN_TOUCHES,
    range_max_atr: float = RANGE_MAX_ATR,
) -> LevelMap:
    """Return the support and resistance of one symbol as known at the close of `row`.

    Only rows up to `row` are read. The definitions are in the module docstring.

    Parameters
    ----------
    dates
        (T,) session dates.
    high, low, close
        (T, N) bars, NaN where a symbol has no bar.
    atr
        (T, N) average true range computed by the caller (e.g. ATR(14) on the same bars).
    column
        The symbol's column.
    row
        The as-of row. If the symbol has no bar there, its last bar before is used, and
        the map is as of that bar's date.
    pivot_bars, tolerance_atr, lookback_bars, swing_bars
        See the module docstring; the defaults are this module's constants.
    range_min_bars, range_min_touches, range_max_atr
        As above.

    Returns
    -------
    LevelMap
        The levels by price, the nearest support and resistance, the range if price is
        boxed, and the swing high and low of the last `swing_bars` bars.

    Raises
    ------
    ParameterError
        If an array's shape, `column`, `row` or a parameter is out of bounds.
    DataError
        If the symbol has no bar up to `row`, or its ATR on the as-of bar is not positive.
    """
    shape = (dates.shape[0], close.shape[1] if close.ndim == 2 else 0)
    for name, values in (("high", high), ("low", low), ("close", close), ("atr", atr)):
        if values.shape != shape or shape[1] == 0:
            raise ParameterError(
                name, values.shape, f"{name} has shape {values.shape}, expected {shape} with N >= 1"
            )
    check_within("column", column, shape[1])
    check_within("row", row, shape[0])
    for name, value in (
        ("pivot_bars", pivot_bars),
        ("lookback_bars", lookback_bars),
        ("swing_bars", swing_bars),
        ("range_min_bars", range_min_bars),
        ("range_min_touches", range_min_touches),
    ):
        check_at_least(name, value, 1)
    for name, ratio in (("tolerance_atr", tolerance_atr), ("range_max_atr", range_max_atr)):
        if not ratio > 0:
            raise ParameterError(name, ratio, f"{name}={ratio} is not above 0")

    head = slice(0, row + 1)
    h, lo, c, a = (values[head, column] for values in (high, low, close, atr))
    bars = np.flatnonzero(np.isfinite(h) & np.isfinite(lo) & np.isfinite(c))
    if bars.size == 0:
        raise DataError("close", None, f"column {column} has no bar up to row {row}")
    h, lo, c, a, days = h[bars], lo[bars], c[bars], a[bars], dates[head][bars]
    last = bars.size - 1
    as_of: dt.date = days[last].item()
    if not (math.isfinite(a[last]) and a[last] > 0):
        raise DataError("atr", float(a[last]), f"is not a positive ATR on {as_of} (warm-up?)")
    atr_now = float(a[last])
    # Each pivot is paired with its age in bars.
    aged = _pivots(days, h, lo, pivot_bars, max(lookback_bars, swing_bars))
    zones = _zones([(age, p) for age, p in aged if age < lookback_bars], tolerance_atr * atr_now)
    levels = tuple(
        sorted((_level(zone, float(c[last]), atr_now, as_of) for zone in zones), key=_price)
    )
    quarter = [p for age, p in aged if age < swing_bars]
    return LevelMap(
        as_of=as_of,
        close=float(c[last]),
        levels=levels,
        range=_range(levels, c, days, range_min_bars, range_min_touches, range_max_atr * atr_now),
        swing_high=max((p for p in quarter if p.is_high), key=_price, default=None),
        swing_low=min((p for p in quarter if not p.is_high), key=_price, default=None),
    )


def _price(item: Level | Pivot) -> float:
    return item.price


def _pivots(
    days: DateArray, high: FloatArray, low: FloatArray, pivot_bars: int, window: int
) -> list[tuple[int, Pivot]]:
    # The known pivots formed in the last `window` bars of one symbol with their age in
    # bars, oldest first. `high` and `low` are the symbol's bars only, already packed as
    # `swing_pivots` would pack them, so a pivot at bar i is confirmed at bar i + k. A
    # pivot compares only the k bars either side of it: they are found on the window and
    # the k bars before it, not on the whole series.
    last = high.size - 1
    start = max(last - window + 1, 0)
    offset = max(start - pivot_bars, 0)
    tops = _tops(high[offset:], pivot_bars)
    bottoms = _tops(-low[offset:], pivot_bars)
    found: list[tuple[int, Pivot]] = []
    for j in (start - offset + np.flatnonzero((tops | bottoms)[start - offset :])).tolist():
        i = offset + j
        after = slice(i + 1, i + pivot_bars + 1)
        formed: dt.date = days[i].item()
        confirmed: dt.date = days[i + pivot_bars].item()
        if tops[j]:
            reaction = float(high[i] - low[after].min())
            found.append((last - i, Pivot(formed, confirmed, float(high[i]), True, reaction)))
        if bottoms[j]:
            reaction = float(high[after].max() - low[i])
            found.append((last - i, Pivot(formed, confirmed, float(low[i]), False, reaction)))
    return found


def _zones(pivots: list[tuple[int, Pivot]], tolerance: float) -> list[list[tuple[int, Pivot]]]:
    zones: list[list[tuple[int, Pivot]]] = []
    for item in sorted(pivots, key=lambda item: item[1].price):
        if zones and item[1].price - zones[-1][0][1].price <= tolerance:
            zones[-1].append(item)
        else:
            zones.append([item])
    return zones


def _level(zone: list[tuple[int, Pivot]], close: float, atr: float, as_of: dt.date) -> Level:
    pivots = tuple(p for _, p in sorted(zone, key=lambda item: -item[0]))
    prices = [p.price for p in pivots]
    # The mean is clamped because its rounding may fall outside a zone of equal prices.
    price = min(max(math.fsum(prices) / len(prices), min(prices)), max(prices))
    weight = math.fsum(
        0.5 ** (age / HALF_LIFE_BARS) * min(p.reaction / atr, REACTION_CAP_ATR) / REACTION_CAP_ATR
        for age, p in zone
    )
    return Level(
        price=price,
        low=min(prices),
        high=max(prices),
        kind=LevelKind.of(price, close, pivots),
        strength=100 * (1 - math.exp(-weight / STRENGTH_SCALE)),
        as_of=as_of,
        pivots=pivots,
    )


def _range(
    levels: tuple[Level, ...],
    close: FloatArray,
    days: DateArray,
    min_bars: int,
    min_touches: int,
    max_height: float,
) -> Range | None:
    # Try each support below the close with each resistance above; keep the narrowest box.
    found: list[Range] = []
    for support in (level for level in levels if level.supports(close[-1])):
        for resistance in (level for level in levels if not level.supports(close[-1])):
            if resistance.high - support.low > max_height:
                continue
            outside = np.flatnonzero((close < support.low) | (close > resistance.high))
            start = int(outside[-1]) + 1 if outside.size else 0
            first: dt.date = days[start].item()
            floor = sum(1 for p in support.pivots if not p.is_high and p.date >= first)
            ceiling = sum(1 for p in resistance.pivots if p.is_high and p.date >= first)
            if close.size - start >= min_bars and min(floor, ceiling) >= min_touches:
                found.append(
                    Range(
                        low=support.low,
                        high=resistance.high,
                        start=first,
                        bars=close.size - start,
                        support_touches=floor,
                        resistance_touches=ceiling,
                        as_of=days[-1].item(),
                    )
                )
    return min(found, key=lambda box: (box.high - box.low, -box.bars), default=None)


@dataclass(frozen=True, slots=True)
class Zone:
    """A zone of the map an article quotes: a level of pivots, or a fresh 52-week extreme.

    `level` is None for a fresh extreme no pivot backs yet; `extreme` is the 52-week
    high or low the zone is or holds, if any.
    """

    price: float
    low: float
    high: float
    level: Level | None
    extreme: YearExtreme | None

    def distance(self, close: float) -> float:
        """Return how far the zone's nearest edge lies from `close` (0 when it holds it)."""
        return max(self.low - close, close - self.high, 0.0)


@dataclass(frozen=True, slots=True)
class WatchMap:
    """The usable levels of one close: each side nearest first, and what is at the close."""

    close: float
    atr: float
    supports: tuple[Zone, ...]
    resistances: tuple[Zone, ...]
    at_close: tuple[Zone, ...]
    open_air_above: bool
    open_air_below: bool


def _holds(level: Level, extreme: YearExtreme) -> bool:
    return level.low <= extreme.price <= level.high and any(
        p.is_high is extreme.is_high for p in level.pivots
    )


def watch_map(
    levels: LevelMap,
    atr: float,
    year: YearRange | None,
    *,
    at_close_atr: float = AT_CLOSE_ATR,
    fresh_bars: int = FRESH_EXTREME_BARS,
    open_air_atr: float = OPEN_AIR_ATR,
) -> WatchMap:
    """Return the levels of `levels` an article may quote, as the module docstring says.

    Parameters
    ----------
    levels
        The symbol's level map at one close.
    atr
        The ATR of that close, positive.
    year
        The 52-week range at that close; None before a year of bars.
    at_close_atr, fresh_bars, open_air_atr
        See the module docstring; the defaults are this module's constants.

    Raises
    ------
    ParameterError
        If `atr` is not positive or a parameter is out of its range.
    """
    for name, value in (
        ("atr", atr),
        ("at_close_atr", at_close_atr),
        ("open_air_atr", open_air_atr),
    ):
        if not value > 0:
            raise ParameterError(name, value, f"{name}={value} is not above 0")
    check_at_least("fresh_bars", fresh_bars, 1)
    close = levels.close
    extremes = () if year is None else (year.high, year.low)
    zones = [
        Zone(
            level.price,
            level.low,
            level.high,
            level,
            next((e for e in extremes if _holds(level, e)), None),
        )
        for level in levels.levels
    ]
    zones += [
        Zone(e.price, e.price, e.price, None, e)
        for e in extremes
        if e.bars_ago < fresh_bars and not any(_holds(level, e) for level in levels.levels)
    ]
    near = sorted(
        (z for z in zones if z.distance(close) < at_close_atr * atr),
        key=lambda z: z.distance(close),
    )
    usable = [z for z in zones if z.distance(close) >= at_close_atr * atr]

    def open_air(above: bool) -> bool:
        reach = open_air_atr * atr
        ahead = [
            z for z in zones if z.level is not None and (z.high > close if above else z.low < close)
        ]
        extreme = next((e for e in extremes if e.is_high is above and e.bars_ago > 0), None)
        walls = [z.distance(close) for z in ahead]
        if extreme is not None:
            walls.append(abs(extreme.price - close))
        return all(wall > reach for wall in walls)

    return WatchMap(
        close=close,
        atr=atr,
        supports=tuple(sorted((z for z in usable if z.price <= close), key=lambda z: -z.price)),
        resistances=tuple(sorted((z for z in usable if z.price > close), key=lambda z: z.price)),
        at_close=tuple(near),
        open_air_above=open_air(True),
        open_air_below=open_air(False),
    )
