"""The FactSheets of one edition: every symbol at one close, sharing one pass of work.

The analysis and scores are computed once for the universe (`UniverseAnalysis`,
`ScoreBoard`), the news of every symbol is selected in one pass over the window, and
each symbol then reads its cell.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import polars as pl

from pulsewire.analysis.context import correlations
from pulsewire.analysis.snapshot import SymbolAnalysis, UniverseAnalysis
from pulsewire.facts.build import build_factsheet
from pulsewire.facts.news import news_window, select_edition_news
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import CalendarEvent, Stale
from pulsewire.scores.board import ScoreBoard

CORRELATION_BARS = 60
"""Bars of the correlations that relate symbols of an edition."""


def evening(day: dt.date) -> dt.datetime:
    """Return the moment an edition of `day` is written: after every close of the day."""
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=dt.UTC)


def _trusted_snapshot(
    universe: UniverseAnalysis, symbol: str, as_of: dt.date, now: dt.datetime
) -> SymbolAnalysis:
    """Return the snapshot of `symbol` at its last bar that is data, not a repeat.

    A frozen feed repeats one bar: those copies would read as a calm, compressed market
    (the reference article's "flatlined" mistake). The sheet is read at the bar they
    repeat, and keeps the finding that says so.
    """
    analysis = universe.snapshot(symbol, as_of, now)
    frozen = [f for f in analysis.findings if isinstance(f, Stale) and f.since < analysis.as_of]
    if not frozen:
        return analysis
    trusted = universe.snapshot(symbol, frozen[0].since, now)
    return dataclasses.replace(trusted, findings=analysis.findings)


def build_sheets(
    universe: UniverseAnalysis,
    board: ScoreBoard,
    as_of: dt.date,
    symbols: Sequence[str],
    events: Sequence[CalendarEvent],
    news: pl.DataFrame,
    on_sheet: Callable[[str], None] | None = None,
) -> list[FactSheet]:
    """Return the FactSheet of each symbol at the close of `as_of`, news up to that evening."""
    now = evening(as_of)
    headlines = select_edition_news(news_window(news, now), symbols, now)
    # Only these symbols' pairs, up to `as_of`: each pair's values are causal and its own.
    pairs = correlations(universe.panel.until(as_of), CORRELATION_BARS, symbols=symbols)
    related: dict[str, list[tuple[str, int]]] = {}
    for index, (first, other) in enumerate(pairs.pairs):
        related.setdefault(first, []).append((other, index))
    dates = universe.panel.dates
    sheets = []
    for symbol in symbols:
        analysis = _trusted_snapshot(universe, symbol, as_of, now)
        row = int(np.searchsorted(dates, np.datetime64(analysis.as_of, "D")))
        sheets.append(
            build_factsheet(
                analysis,
                board.at(symbol, analysis.as_of),
                as_of,
                events,
                headlines[symbol],
                {
                    other: float(pairs.values[row, index])
                    for other, index in related.get(symbol, ())
                },
            )
        )
        if on_sheet is not None:
            on_sheet(symbol)
    return sheets
