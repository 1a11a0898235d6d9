"""What an article may claim: each claim a named condition on the FactSheet.

A sentence that says "an outsized day" or "no trend qualifies" states a claim; the
writer states it only when its condition holds, records it on the article, and the
audit evaluates the condition again on the sheet, so a template edited carelessly or
a future LLM backend cannot say what the data does not support. The angle of the
article, the one story it tells, is the rarest of its candidate claims against the
symbol's own history.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from statistics import NormalDist
from typing import Final, Literal

from pulsewire.facts.format import show
from pulsewire.facts.sheet import FactSheet
from pulsewire.writer import thresholds as t

Condition = Callable[[FactSheet], bool]
Angle = Literal[
    "stale", "move", "high", "low", "breakout", "squeeze", "stretch", "month", "trend", "range"
]


def _v(sheet: FactSheet, key: str) -> float:
    fact = sheet.facts.get(key)
    return math.nan if fact is None else fact.value


def swing(sheet: FactSheet, bars: float) -> float | None:
    """The symbol's usual move over `bars` bars: its 20-day volatility scaled to them.

    The volatility was annualised by the symbol's own year (365 bars for crypto), so
    the same year scales it back.
    """
    vol, year = _v(sheet, "realized_volatility_20"), _v(sheet, "periods_per_year")
    if not (vol > 0 and year > 0):
        return None
    return vol * math.sqrt(bars / year)


def sigmas(sheet: FactSheet) -> float | None:
    """The day's move in the symbol's long-run daily standard deviations; None when unknown.

    The long run (`move.sigmas_long`) is the yardstick a reader of the symbol knows: a
    calm month would make an ordinary day look big against the last 20 bars alone.
    Without it (a short history) the 20-bar one is used. A stopped feed's last "move"
    may be a repeated bar: its size says nothing.
    """
    if sheet.stale:
        return None
    long_run = _v(sheet, "move.sigmas_long")
    if not math.isnan(long_run):
        return long_run
    usual = swing(sheet, 1)
    return None if usual is None else _v(sheet, "return_1") / usual


def _flat(sheet: FactSheet) -> bool:
    return show(sheet.facts["return_1"]) == show(
        sheet.facts["return_1"].model_copy(update={"value": 0.0})
    )


def _size(low: float, high: float) -> Condition:
    def holds(sheet: FactSheet) -> bool:
        z = sigmas(sheet)
        return z is not None and low <= abs(z) < high

    return holds


def _at(sheet: FactSheet, key: str) -> bool:
    """Whether the close is at the 52-week extreme `key` measures from, as printed (0.0%).

    The bar that sets a fresh high may close far below it (a reversal): only a close
    at the extreme is "a fresh high"; otherwise the session's high was.
    """
    fact = sheet.facts.get(key)
    return fact is not None and show(fact) == show(fact.model_copy(update={"value": 0.0}))


def _month(sheet: FactSheet) -> float | None:
    usual = swing(sheet, _v(sheet, "window.month"))
    return None if usual is None else abs(_v(sheet, "return_20")) / usual


def _rsi(sheet: FactSheet) -> float:
    return _v(sheet, "rsi_14")


def call(sheet: FactSheet) -> str:
    """The side the desk calls: Pulse's label, or the other side when the record says so."""
    record = sheet.record
    if record is not None and record.verdict == "against":
        return record.call
    return next(s.label for s in sheet.scores if s.name == "Pulse")


def _peers(sheet: FactSheet) -> tuple[int, int]:
    moves = [r for r in sheet.related if f"related.{r.symbol}.change" in sheet.facts]
    up = _v(sheet, "return_1") > 0
    return sum((r.change > 0) == up for r in moves), len(moves)


def _mirror(sheet: FactSheet) -> bool:
    """Whether the symbol moves against its related markets by design: the VIX and stocks."""
    return sheet.asset_class == "volatility"


def _threat_likelier(sheet: FactSheet) -> bool:
    freq, p, base = (_v(sheet, f"threat.{k}") for k in ("frequency", "probability", "base_rate"))
    return min(freq, p) > base


CLAIMS: Final[Mapping[str, Condition]] = {
    "stale": lambda s: s.stale,
    "move.flat": lambda s: _flat(s),
    "move.up": lambda s: _v(s, "return_1") > 0 and not _flat(s),
    "move.down": lambda s: _v(s, "return_1") < 0 and not _flat(s),
    "move.small": _size(0, t.SMALL_MOVE),
    "move.normal": _size(t.SMALL_MOVE, t.LARGE_MOVE),
    "move.large": _size(t.LARGE_MOVE, t.BIG_MOVE),
    "move.big": _size(t.BIG_MOVE, t.SHOCK_MOVE),
    "move.shock": _size(t.SHOCK_MOVE, math.inf),
    "move.rare": lambda s: _v(s, "rarity.return_1") <= t.RARE and not s.stale,
    "move.record": lambda s: (
        not s.stale
        and s.move is not None
        and s.move.last_as_large is None
        and "rarity.return_1" in s.facts
        and not _flat(s)
    ),
    "tape.risk-on": lambda s: s.markets.tape == "risk-on",
    "tape.risk-off": lambda s: s.markets.tape == "risk-off",
    "tape.mixed": lambda s: s.markets.tape == "mixed",
    "release.today": lambda s: bool(s.released),
    "news.gap": lambda s: not s.coverage.news_covers,
    "calendar.gap": lambda s: not s.coverage.calendar_covers,
    "low.fresh": lambda s: _v(s, "new_low_252") == 1 and _at(s, "above_low_252"),
    "low.intraday": lambda s: _v(s, "new_low_252") == 1 and not _at(s, "above_low_252"),
    "open-air.above": lambda s: _v(s, "resistance.open_air") == 1,
    "open-air.below": lambda s: _v(s, "support.open_air") == 1,
    "clocks.agree": lambda s: (_v(s, "return_5") > 0) == (_v(s, "return_20") > 0),
    "clocks.split": lambda s: (_v(s, "return_5") > 0) != (_v(s, "return_20") > 0),
    "month.outsized": lambda s: (_month(s) or 0) >= t.OUTSIZED_MONTH,
    "month.quiet": lambda s: _month(s) is not None and _month(s) < t.QUIET_MONTH,  # type: ignore[operator]
    "high.fresh": lambda s: _v(s, "new_high_252") == 1 and _at(s, "drawdown_252"),
    "high.intraday": lambda s: _v(s, "new_high_252") == 1 and not _at(s, "drawdown_252"),
    "drawdown.deep": lambda s: _v(s, "drawdown_252") < -t.DEEP_DRAWDOWN,
    "drawdown.bear": lambda s: _v(s, "drawdown_252") < -t.BEAR_DRAWDOWN,
    "averages.above": lambda s: _v(s, "distance_sma_50") > 0 and _v(s, "distance_sma_200") > 0,
    "averages.below": lambda s: _v(s, "distance_sma_50") < 0 and _v(s, "distance_sma_200") < 0,
    "averages.mixed": lambda s: (_v(s, "distance_sma_50") > 0) != (_v(s, "distance_sma_200") > 0),
    "regime.trend up": lambda s: s.regime == "trend up" and not s.stale,
    "regime.trend down": lambda s: s.regime == "trend down" and not s.stale,
    "regime.squeeze": lambda s: s.regime == "squeeze" and not s.stale,
    "regime.breakout": lambda s: s.regime == "breakout" and not s.stale,
    "regime.range": lambda s: s.regime == "range" and not s.stale,
    "adx.trend": lambda s: _v(s, "adx_14") >= _v(s, "threshold.adx_trend"),
    "adx.none": lambda s: _v(s, "adx_14") < _v(s, "threshold.adx_trend"),
    "adx.weak": lambda s: _v(s, "adx_14") < t.WEAK_ADX,
    "rsi.overbought": lambda s: _rsi(s) > _v(s, "threshold.rsi_high"),
    "rsi.oversold": lambda s: _rsi(s) < _v(s, "threshold.rsi_low"),
    "rsi.upper": lambda s: t.RSI_UPPER_HALF <= _rsi(s) <= _v(s, "threshold.rsi_high"),
    "rsi.lower": lambda s: _v(s, "threshold.rsi_low") <= _rsi(s) <= t.RSI_LOWER_HALF,
    "rsi.middle": lambda s: t.RSI_LOWER_HALF < _rsi(s) < t.RSI_UPPER_HALF,
    "volatility.calm": lambda s: _v(s, "volatility_percentile") < t.CALM_VOLATILITY,
    "volatility.wild": lambda s: _v(s, "volatility_percentile") > t.WILD_VOLATILITY,
    "volume.heavy": lambda s: _v(s, "volume_ratio_20") >= t.HEAVY_VOLUME,
    "volume.light": lambda s: _v(s, "volume_ratio_20") <= t.LIGHT_VOLUME,
    "strength.ahead": lambda s: _v(s, "strength.vs_spy_20") > 0,
    "strength.behind": lambda s: _v(s, "strength.vs_spy_20") < 0,
    "strength.wide": lambda s: abs(_v(s, "strength.vs_spy_20")) > t.WIDE_GAP,
    "peers.shared": lambda s: not _mirror(s) and _peers(s)[1] > 0 and _peers(s)[0] == _peers(s)[1],
    "peers.alone": lambda s: not _mirror(s) and _peers(s)[1] > 0 and _peers(s)[0] == 0,
    "peers.split": lambda s: 0 < _peers(s)[0] < _peers(s)[1],
    "peers.mirror": lambda s: _mirror(s) and _peers(s)[1] > 0 and _peers(s)[0] == 0,
    "peers.unmirrored": lambda s: _mirror(s) and _peers(s)[1] > 0 and _peers(s)[0] == _peers(s)[1],
    "threat.likelier": _threat_likelier,
    "record.edge": lambda s: s.record is not None and s.record.verdict == "edge",
    "record.none": lambda s: s.record is not None and s.record.verdict == "none",
    "record.worse": lambda s: s.record is not None and s.record.verdict == "worse",
    "record.against": lambda s: s.record is not None and s.record.verdict == "against",
    "call.Bullish": lambda s: call(s) == "Bullish",
    "call.Bearish": lambda s: call(s) == "Bearish",
    "call.Neutral": lambda s: call(s) == "Neutral",
    "events.none": lambda s: not s.events and s.coverage.calendar_covers,
    "levels.no-support": lambda s: s.nearest("support") is None,
    "levels.no-resistance": lambda s: s.nearest("resistance") is None,
}
"""Every claim the writer may state, by name, and when it holds."""


def holds(claim: str, sheet: FactSheet) -> bool:
    """Return whether `claim` is true of `sheet`; a claim with no condition never is."""
    condition = CLAIMS.get(claim)
    return condition is not None and bool(condition(sheet))


def _tail(z: float) -> float:
    """The two-sided normal chance of a move this many sigmas: a rarity without history."""
    return 2 * (1 - NormalDist().cdf(abs(z)))


def _rarity(sheet: FactSheet, key: str, fallback: float) -> float:
    """The share of the symbol's own past bars at least as extreme, else `fallback`."""
    measured = _v(sheet, f"rarity.{key}")
    return fallback if math.isnan(measured) else measured


FRESH_HIGH: Final = 0.2
"""The rarity given a fresh 52-week high: news, but common in a bull market (SPY set 70
in 2021), so it leads over a trend or a range and gives way to a rare move. A fresh low
is as rare as its depth below the high (`rarity.drawdown_252`)."""

ORDER: Final[tuple[Angle, ...]] = (
    "stale",
    "move",
    "high",
    "low",
    "breakout",
    "stretch",
    "month",
    "squeeze",
    "trend",
    "range",
)
"""The tie-break between equally rare angles: the fresher, more concrete story first."""


def angle(sheet: FactSheet) -> Angle:
    """Return the one story of the article: the rarest candidate against the symbol's history.

    A stale series is always about its data. Otherwise each candidate's rarity is the
    share of the symbol's own past bars at least as extreme (measured facts where the
    sheet has them); a regime read by rule (a breakout, a squeeze) is rare by that rule.
    """
    if sheet.stale:
        return "stale"
    z = sigmas(sheet)
    candidates: dict[Angle, float] = {"range": 1.0, "trend": 0.25}
    if z is not None and abs(z) >= t.LARGE_MOVE:
        candidates["move"] = _rarity(sheet, "return_1", _tail(z))
    if holds("high.fresh", sheet):
        candidates["high"] = FRESH_HIGH
    if holds("low.fresh", sheet):
        candidates["low"] = _rarity(sheet, "drawdown_252", FRESH_HIGH)
    if holds("regime.breakout", sheet):
        candidates["breakout"] = t.RARE
    if holds("regime.squeeze", sheet):
        candidates["squeeze"] = 0.1
    if holds("rsi.overbought", sheet) or holds("rsi.oversold", sheet):
        candidates["stretch"] = _rarity(sheet, "rsi_14", 0.1)
    if holds("month.outsized", sheet):
        candidates["month"] = _rarity(sheet, "return_20", 0.1)
    if not (holds("regime.trend up", sheet) or holds("regime.trend down", sheet)):
        del candidates["trend"]
    return min(candidates, key=lambda a: (candidates[a], ORDER.index(a)))
