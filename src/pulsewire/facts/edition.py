"""The FactSheets of one edition: every symbol at one close, sharing one pass of work.

The analysis and scores are computed once for the universe (`UniverseAnalysis`,
`ScoreBoard`), the news of every symbol is selected in one pass over the window, and
each symbol then reads its cell. `map_sheets` splits that last, per-symbol stage over
forked worker processes, which read the universe their parent computed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import polars as pl

from pulsewire.analysis.context import correlations
from pulsewire.analysis.snapshot import SymbolAnalysis, UniverseAnalysis
from pulsewire.errors import check_at_least
from pulsewire.facts.build import build_factsheet
from pulsewire.facts.news import news_window, select_edition_news
from pulsewire.facts.sheet import FactSheet, Source
from pulsewire.model import CalendarEvent, Stale
from pulsewire.scores.board import ScoreBoard

CORRELATION_BARS = 60
"""Bars of the correlations that relate symbols of an edition."""

CORRELATION_ROWS = 504
"""Trailing panel rows the correlations are computed on: two years of sessions, room for
60 common bars of any pair whose sheet is less than a year and a half old."""

_Result = TypeVar("_Result")


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


@dataclass(frozen=True)
class _Edition:
    """What every sheet of an edition reads, its news already selected.

    Building sheets from it runs numpy and Python only, no polars: safe in a process
    forked from one whose polars thread pool is running.
    """

    universe: UniverseAnalysis
    board: ScoreBoard
    as_of: dt.date
    events: Sequence[CalendarEvent]
    headlines: Mapping[str, tuple[Source, ...]]

    @classmethod
    def prepare(
        cls,
        universe: UniverseAnalysis,
        board: ScoreBoard,
        as_of: dt.date,
        symbols: Sequence[str],
        events: Sequence[CalendarEvent],
        news: pl.DataFrame,
    ) -> _Edition:
        now = evening(as_of)
        headlines = select_edition_news(news_window(news, now), symbols, now)
        return cls(universe, board, as_of, events, headlines)

    def sheets(self, symbols: Sequence[str]) -> Iterator[FactSheet]:
        """Yield the FactSheet of each of `symbols`, in order."""
        universe, as_of, now = self.universe, self.as_of, evening(self.as_of)
        # Only these symbols' pairs, on the trailing rows up to `as_of`: each value is
        # causal and its own, and a 60-bar window needs no more history than that.
        dates = universe.panel.dates
        stop = int(np.searchsorted(dates, np.datetime64(as_of, "D"), side="right"))
        start = max(0, stop - CORRELATION_ROWS)
        recent = universe.panel.select(slice(start, stop))
        pairs = correlations(recent, CORRELATION_BARS, symbols=symbols)
        related: dict[str, list[tuple[str, int]]] = {}
        for index, (first, other) in enumerate(pairs.pairs):
            related.setdefault(first, []).append((other, index))
        for symbol in symbols:
            analysis = _trusted_snapshot(universe, symbol, as_of, now)
            row = int(np.searchsorted(dates, np.datetime64(analysis.as_of, "D")))
            yield build_factsheet(
                analysis,
                self.board.at(symbol, analysis.as_of),
                as_of,
                self.events,
                self.headlines[symbol],
                {
                    other: float(pairs.values[row - start, index]) if row >= start else np.nan
                    for other, index in related.get(symbol, ())
                },
            )


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
    edition = _Edition.prepare(universe, board, as_of, symbols, events, news)
    sheets = []
    for symbol, sheet in zip(symbols, edition.sheets(symbols), strict=True):
        sheets.append(sheet)
        if on_sheet is not None:
            on_sheet(symbol)
    return sheets


def map_sheets(
    universe: UniverseAnalysis,
    board: ScoreBoard,
    as_of: dt.date,
    symbols: Sequence[str],
    events: Sequence[CalendarEvent],
    news: pl.DataFrame,
    each: Callable[[FactSheet], _Result],
    *,
    workers: int = 1,
) -> list[_Result]:
    """Return `each` of the FactSheet of every symbol, as `build_sheets` builds them.

    With `workers` above 1 the symbols are cut into that many runs, each run built and
    passed to `each` in a process forked after the news is selected: the sheets'
    Python work then uses as many cores, and only what `each` returns is pickled back
    (a FactSheet costs more to pickle than to write and render). `each` need not be
    picklable; its results must be.

    Parameters
    ----------
    universe, board, as_of, symbols, events, news
        As `build_sheets`.
    each
        What to do with each sheet, e.g. write and render its article.
    workers
        Processes to split the symbols over, at least 1; 1 runs in this process.

    Returns
    -------
    list
        The results in the order of `symbols`.

    Raises
    ------
    ParameterError
        If `workers` is below 1.
    concurrent.futures.process.BrokenProcessPool
        If a worker dies.
    """
    check_at_least("workers", workers, 1)
    edition = _Edition.prepare(universe, board, as_of, symbols, events, news)
    if workers == 1 or len(symbols) < 2:
        return [each(sheet) for sheet in edition.sheets(symbols)]
    count = len(symbols)
    runs = [symbols[k * count // workers : (k + 1) * count // workers] for k in range(workers)]
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt,
        initargs=(edition, each),
    ) as pool:
        return [result for done in pool.map(_run, runs) for result in done]


# A worker's edition and `each`: handed over by fork, so neither is pickled.
_job: tuple[_Edition, Callable[[FactSheet], Any]] | None = None


def _adopt(edition: _Edition, each: Callable[[FactSheet], Any]) -> None:
    global _job
    _job = (edition, each)


def _run(symbols: Sequence[str]) -> list[Any]:
    if _job is None:
        raise RuntimeError("a map_sheets worker runs without its edition")
    edition, each = _job
    return [each(sheet) for sheet in edition.sheets(symbols)]
