"""Cross-asset context: related symbols, relative strength, correlations, the day's moves.

Returns are total returns from `adj_close` (split and dividend adjusted): an ETF going
ex-dividend has not lost the dividend, and a price return would show a bond or utility
fund lagging a growth fund by its yield. A ratio of two adjusted closes depends only on
the distributions between their dates, so a back-adjusted series leaks nothing from
after the later date. For VIX, crypto and UUP `adj_close` equals `close`.

Symbols keep different calendars (crypto trades on weekends, ETFs do not), so a symbol
is compared with another at "its last bar on or before" each date, and only while that
bar is current: no session of the other's own calendar has passed since it
(`sessions_in`). A series that stopped (ACWI after 2026-07-27) drops out of the
comparison instead of lending its old price to every later date.

Nothing here needs a particular symbol: a panel without the benchmark gets no relative
strength against it (`benchmark_bar` says why), and related symbols the panel does not
hold are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import numpy as np

from pulsewire._types import BoolArray, FloatArray, IntArray
from pulsewire.analysis.rows import at_rows, lagged_bar_rows, last_bar_rows
from pulsewire.analysis.sessions import sessions_between, sessions_in
from pulsewire.errors import DataError
from pulsewire.model import AssetClass, Panel, calendar_for, universe

ASSET_CLASS: Final[Mapping[str, AssetClass]] = MappingProxyType(
    {s: p.asset_class for s, p in universe().items() if p.asset_class is not None}
)
"""Asset class of each bundled symbol (`pulsewire.model.universe`)."""

RELATED: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {s: p.related for s, p in universe().items()}
)
"""Related symbols of each bundled symbol (its peers), most related first (the universe's)."""

BENCHMARK: Final = "SPY"
"""The market every symbol is also measured against, when the panel holds it."""

STRENGTH_WINDOWS: Final = (5, 20, 60)
"""Windows of relative strength, in bars of the symbol: a week, a month, a quarter."""

CORRELATION_WINDOWS: Final = (20, 60)
"""Windows of return correlation, in dates both symbols have a bar: a month, a quarter."""


def window_returns(prices: FloatArray, window: int) -> FloatArray:
    """Return each symbol's simple return over its last `window` bars.

    Parameters
    ----------
    prices
        (T, N), NaN where a symbol has no bar.
    window
        How many of the symbol's own bars back the return starts.

    Returns
    -------
    FloatArray
        (T, N); NaN where there is no bar, or fewer than `window` bars before it.
    """
    if window < 1:
        raise DataError("window", window, "must be at least 1")
    return _returns_since(prices, lagged_bar_rows(np.isfinite(prices), window))


def _returns_since(prices: FloatArray, start: IntArray) -> FloatArray:
    return prices / at_rows(prices, start) - 1


def basket_returns(
    prices: FloatArray, current: BoolArray, window: int, members: IntArray
) -> FloatArray:
    """Return the mean return of each symbol's basket over the symbol's own window.

    For symbol j at a row where it has a bar, each member k of `members[j]` returns from
    its last bar on or before the date of j's bar `window` bars back to its last bar on
    or before the row; the basket return is the mean over the members whose price is
    `current` at both ends (an equal-weight basket bought at the start of the window).

    Parameters
    ----------
    prices
        (T, N), NaN where a symbol has no bar.
    current
        (T, N) True where a symbol's last bar on or before the row is still current.
    window
        Bars of the symbol that the window spans.
    members
        (N, K) columns of each symbol's basket, padded with -1.

    Returns
    -------
    FloatArray
        (T, N); NaN where the symbol has no window or no member has a return.
    """
    if window < 1:
        raise DataError("window", window, "must be at least 1")
    has_bar = np.isfinite(prices)
    start = lagged_bar_rows(has_bar, window)
    return _basket(_current_levels(prices, has_bar, current), has_bar, start, members)


def _current_levels(prices: FloatArray, has_bar: BoolArray, current: BoolArray) -> FloatArray:
    """Return each symbol's last price on or before each row while current, else NaN."""
    levels: FloatArray = np.where(current, at_rows(prices, last_bar_rows(has_bar)), np.nan)
    return levels


def _basket(
    level: FloatArray, has_bar: BoolArray, start: IntArray, members: IntArray
) -> FloatArray:
    """Return `basket_returns` from its parts: the windows' first rows are `start`."""
    columns = np.maximum(members, 0)
    with np.errstate(invalid="ignore"):
        change = level[:, columns] / level[np.maximum(start, 0)[:, :, None], columns[None]] - 1
    counted = (members >= 0)[None, :, :] & (start >= 0)[:, :, None] & np.isfinite(change)
    count = counted.sum(axis=2)
    with np.errstate(invalid="ignore"):
        mean: FloatArray = np.where(counted, change, 0.0).sum(axis=2) / count
    return np.where(has_bar & (count > 0), mean, np.nan)


def pair_correlations(
    prices: FloatArray, left: IntArray, right: IntArray, window: int
) -> FloatArray:
    """Return the rolling Pearson correlation of the daily returns of column pairs.

    Pair p aligns columns `left[p]` and `right[p]` on the rows where both have a bar:
    each return runs from the previous such row, and the correlation covers the last
    `window` of them.

    Parameters
    ----------
    prices
        (T, N), NaN where a symbol has no bar.
    left, right
        (P,) columns of each pair.
    window
        Returns in each correlation, at least 2.

    Returns
    -------
    FloatArray
        (T, P) in [-1, 1]; NaN where the pair has no common bar, during the first
        `window` common bars, and where a side does not move in the window.
    """
    if window < 2:
        raise DataError("window", window, "must be at least 2")
    a, b = prices[:, left], prices[:, right]
    both = np.isfinite(a) & np.isfinite(b)
    previous = lagged_bar_rows(both, 1)
    x, y = a / at_rows(a, previous) - 1, b / at_rows(b, previous) - 1
    counted = both & (previous >= 0)
    first = lagged_bar_rows(counted, window - 1)

    def window_sum(values: FloatArray) -> FloatArray:
        # Running sums make every window one subtraction; the first return is added back.
        values = np.where(counted, values, 0.0)
        running = np.cumsum(values, axis=0)
        return running - at_rows(running, first) + at_rows(values, first)

    sx, sy = window_sum(x), window_sum(y)
    sxx, syy, sxy = window_sum(x * x), window_sum(y * y), window_sum(x * y)
    vx, vy = sxx - sx * sx / window, syy - sy * sy / window
    # A variance below 1e-9 of the mean square is rounding of a series that did not move.
    moved = (vx > 1e-9 * sxx) & (vy > 1e-9 * syy)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (sxy - sx * sy / window) / np.sqrt(vx * vy)
    return np.where(moved & (first >= 0), np.clip(r, -1.0, 1.0), np.nan)


def current_bars(panel: Panel) -> BoolArray:
    """Return where each symbol's last bar on or before a date is current at that date.

    A bar is current while no session of the symbol's calendar (`calendar_for`) has
    passed since it: SPY's Friday bar is current on Saturday and Sunday.

    Returns
    -------
    BoolArray
        (T, N); False before a symbol's first bar.
    """
    last = last_bar_rows(np.isfinite(panel.adj_close))
    if panel.dates.size == 0:
        return last >= 0
    calendars = [calendar_for(symbol) for symbol in panel.symbols]
    first, final = panel.dates[0].item(), panel.dates[-1].item()
    # Sessions of each calendar passed by each date: equal counts, no session between.
    passed = {
        c: np.searchsorted(sessions_in(c, first, final), panel.dates, side="right")
        for c in set(calendars)
    }
    count = np.stack([passed[c] for c in calendars], axis=1)
    current: BoolArray = (last >= 0) & (count == np.take_along_axis(count, np.maximum(last, 0), 0))
    return current


def _peers(panel: Panel, related: Mapping[str, tuple[str, ...]]) -> list[list[int]]:
    """Return the columns of each symbol's related symbols that the panel holds."""
    return [[panel.column(r) for r in related.get(s, ()) if r in panel] for s in panel.symbols]


def _padded(columns: list[list[int]]) -> IntArray:
    width = max((len(c) for c in columns), default=0)
    return np.array([c + [-1] * (width - len(c)) for c in columns], dtype=np.intp).reshape(
        len(columns), width
    )


@dataclass(frozen=True)
class RelativeStrength:
    """Return differences over `window` bars of each symbol (T, N), as simple returns.

    `vs_benchmark` is the symbol's return minus the benchmark's, `vs_peers` minus the
    mean return of its related symbols, over the same dates (`basket_returns`).
    """

    window: int
    vs_benchmark: FloatArray
    vs_peers: FloatArray


def relative_strength(
    panel: Panel,
    window: int,
    *,
    related: Mapping[str, tuple[str, ...]] = RELATED,
    benchmark: str | None = BENCHMARK,
) -> RelativeStrength:
    """Return each symbol's relative strength over its last `window` bars.

    The one-window case of `relative_strengths`, which gives the parameters.
    """
    (strength,) = relative_strengths(panel, (window,), related=related, benchmark=benchmark)
    return strength


def relative_strengths(
    panel: Panel,
    windows: Sequence[int],
    *,
    related: Mapping[str, tuple[str, ...]] = RELATED,
    benchmark: str | None = BENCHMARK,
) -> tuple[RelativeStrength, ...]:
    """Return each symbol's relative strength over its last bars, for each of `windows`.

    Which bars are current (`current_bars`) does not depend on the window: it is found
    once for all of them.

    Parameters
    ----------
    panel
        Daily bars; returns come from `adj_close`.
    windows
        Bars of each symbol the returns span (see `STRENGTH_WINDOWS`).
    related
        Related symbols of each symbol; those absent from `panel` are left out.
    benchmark
        The symbol every other is measured against; it must be in `panel`. None
        measures against no benchmark: `vs_benchmark` is NaN throughout.

    Returns
    -------
    tuple[RelativeStrength, ...]
        One per window, in order: (T, N) arrays on the panel's rows; NaN where a symbol
        has no bar or no window.

    Raises
    ------
    DataError
        If `benchmark` is not in `panel`, or a window is below 1.
    """
    prices = panel.adj_close
    has_bar = np.isfinite(prices)
    level = _current_levels(prices, has_bar, current_bars(panel))
    market = _padded([[] if benchmark is None else [panel.column(benchmark)]] * len(panel.symbols))
    peers = _padded(_peers(panel, related))
    strengths = []
    for window in windows:
        if window < 1:
            raise DataError("window", window, "must be at least 1")
        # The window's first bars serve the symbol's return and both baskets'.
        start = lagged_bar_rows(has_bar, window)
        own = _returns_since(prices, start)
        strengths.append(
            RelativeStrength(
                window,
                own - _basket(level, has_bar, start, market),
                own - _basket(level, has_bar, start, peers),
            )
        )
    return tuple(strengths)


@dataclass(frozen=True)
class Correlations:
    """Rolling return correlations (`pair_correlations`) of symbol pairs, (T, P)."""

    window: int
    pairs: tuple[tuple[str, str], ...]
    values: FloatArray

    def __post_init__(self) -> None:
        if self.values.shape[1:] != (len(self.pairs),):
            raise DataError("values", self.values.shape, f"does not have {len(self.pairs)} columns")

    def of(self, symbol: str, other: str) -> FloatArray:
        """Return the (T,) correlations of `symbol` with `other`."""
        try:
            return self.values[:, self.pairs.index((symbol, other))]
        except ValueError:
            raise DataError("pair", (symbol, other), "is not a correlated pair") from None


def correlations(
    panel: Panel,
    window: int,
    *,
    related: Mapping[str, tuple[str, ...]] = RELATED,
    benchmark: str = BENCHMARK,
    symbols: Sequence[str] | None = None,
) -> Correlations:
    """Return the rolling correlations of each symbol with its related symbols and the benchmark.

    Parameters
    ----------
    panel
        Daily bars; returns come from `adj_close`.
    window
        Common bars each correlation spans (see `CORRELATION_WINDOWS`).
    related
        Related symbols of each symbol; those absent from `panel` are left out.
    benchmark
        Paired with every other symbol too, when it is in `panel`.
    symbols
        The symbols whose pairs to compute, in this order (default: all of `panel`);
        each pair's values do not depend on the others.

    Returns
    -------
    Correlations
        One pair (symbol, other) per symbol and each of its related symbols, then the
        benchmark unless related already; values on the panel's rows.
    """
    chosen = panel.symbols if symbols is None else tuple(symbols)
    peers = _peers(panel, related)
    pairs: list[tuple[str, str]] = []
    for symbol in chosen:
        others = [panel.symbols[c] for c in peers[panel.column(symbol)]]
        if benchmark in panel and benchmark not in {symbol, *others}:
            others.append(benchmark)
        pairs += [(symbol, other) for other in others]
    left = np.array([panel.column(s) for s, _ in pairs], dtype=np.intp)
    right = np.array([panel.column(o) for _, o in pairs], dtype=np.intp)
    return Correlations(
        window, tuple(pairs), pair_correlations(panel.adj_close, left, right, window)
    )


@dataclass(frozen=True, slots=True)
class Move:
    """A symbol's return from its previous bar to its bar of `date` (total return)."""

    symbol: str
    date: dt.date
    previous: dt.date
    change: float
    current: bool
    """No session of the symbol's calendar passed between `date` and the date asked."""

    def __post_init__(self) -> None:
        if self.previous >= self.date:
            raise DataError("previous", self.previous, f"is not before {self.date}")
        if not self.change > -1:
            raise DataError("change", self.change, "is not a return above -100%")


@dataclass(frozen=True, slots=True)
class DayContext:
    """What a symbol and its related symbols did on a date, each on its last bar by then."""

    symbol: str
    asset_class: AssetClass | None
    as_of: dt.date
    move: Move
    related: tuple[Move, ...]


def last_move(panel: Panel, symbol: str, as_of: dt.date) -> Move | None:
    """Return `symbol`'s move at its last bar on or before `as_of`, None with fewer than two.

    `current` says whether no session of its calendar has passed since that bar.
    """
    stop = np.searchsorted(panel.dates, np.datetime64(as_of, "D"), side="right")
    prices = panel.adj_close[:stop, panel.column(symbol)]
    rows = np.flatnonzero(np.isfinite(prices))[-2:]
    if rows.size < 2:
        return None
    date, previous = panel.dates[rows[1]].item(), panel.dates[rows[0]].item()
    change = float(prices[rows[1]] / prices[rows[0]] - 1)
    current = sessions_between(calendar_for(symbol), date, as_of) == 0
    return Move(symbol, date, previous, change, current)


def day_context(
    panel: Panel,
    symbol: str,
    as_of: dt.date,
    *,
    related: Mapping[str, tuple[str, ...]] = RELATED,
) -> DayContext:
    """Return the 1-bar moves of `symbol` and its related symbols on `as_of`.

    Each move is the symbol's last bar on or before `as_of` against the bar before it:
    on a Sunday, BTC-USD's move is Sunday's and QQQ's is Friday's (current: no NYSE
    session since). A related symbol that stopped shows its last move, not current.

    Parameters
    ----------
    panel
        Daily bars; returns come from `adj_close`.
    symbol
        The symbol in question.
    as_of
        The date asked; later bars are not used.
    related
        Related symbols; those absent from `panel` or without two bars by `as_of` are
        left out.

    Returns
    -------
    DayContext
        The symbol's move, then its related symbols' moves in `related` order.

    Raises
    ------
    DataError
        If `symbol` is not in `panel` or has fewer than two bars by `as_of`.
    """
    move = last_move(panel, symbol, as_of)
    if move is None:
        raise DataError("as_of", as_of, f"{symbol} has fewer than two bars by then")
    moves = (last_move(panel, r, as_of) for r in related.get(symbol, ()) if r in panel)
    return DayContext(
        symbol, ASSET_CLASS.get(symbol), as_of, move, tuple(m for m in moves if m is not None)
    )


class BenchmarkBar(StrEnum):
    """Whether a symbol can be measured against the benchmark at a date, and if not why."""

    CURRENT = "current"
    """The benchmark has a current bar: relative strength is measured (given its window)."""
    SELF = "the benchmark itself"
    NOT_HELD = "no benchmark series"
    """The panel holds no benchmark at all: a store of the user's own symbols."""
    NOT_YET = "no benchmark bar yet"
    """The benchmark has fewer than two bars by the date: its history starts later."""
    NOT_CURRENT = "no current benchmark bar"
    """The benchmark's last bar by the date is not current: its series stopped."""


def benchmark_bar(
    panel: Panel, symbol: str, as_of: dt.date, *, benchmark: str = BENCHMARK
) -> BenchmarkBar:
    """Return whether `symbol` can be measured against `benchmark` at the close of `as_of`.

    The benchmark's last bar on or before `as_of` counts while no session of its
    calendar has passed since it, as in `current_bars`.
    """
    if symbol == benchmark:
        return BenchmarkBar.SELF
    if benchmark not in panel:
        return BenchmarkBar.NOT_HELD
    move = last_move(panel, benchmark, as_of)
    if move is None:
        return BenchmarkBar.NOT_YET
    return BenchmarkBar.CURRENT if move.current else BenchmarkBar.NOT_CURRENT
