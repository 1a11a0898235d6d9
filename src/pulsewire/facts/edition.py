"""The FactSheets of one edition: every symbol at one close, sharing one pass of work.

The analysis and scores are computed once for the universe (`UniverseAnalysis`,
`ScoreBoard`), the news of every symbol is selected in one pass over the window, and
each symbol then reads its cell. `map_sheets` splits that last, per-symbol stage over
forked worker processes, which read the universe their parent computed.

No symbol holds an edition hostage: one with no bar by the date, or too few bars for
its scores, is left out with the reason (`LeftOut`), and the others are written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

import numpy as np
import polars as pl

from pulsewire.analysis.context import correlations
from pulsewire.analysis.rows import as_date
from pulsewire.analysis.sessions import last_closed_session
from pulsewire.analysis.snapshot import SymbolAnalysis, UniverseAnalysis
from pulsewire.errors import check_at_least
from pulsewire.facts.build import EVENT_DAYS, build_factsheet
from pulsewire.facts.news import END_OF_DAY, known_at, news_window, select_edition_news
from pulsewire.facts.sheet import Coverage, FactSheet, Source
from pulsewire.model import CalendarEvent, Panel, Stale, calendar_for
from pulsewire.scores.board import ScoreBoard, SymbolScores

CORRELATION_BARS = 60
"""Bars of the correlations that relate symbols of an edition."""

CORRELATION_ROWS = 504
"""Trailing panel rows the correlations are computed on: two years of sessions, room for
60 common bars of any pair whose sheet is less than a year and a half old."""

NEWS_COVER_DAYS = 7
"""Days up to the as-of in which the news data must hold items to cover it."""

NEWS_COVER_ITEMS = 50
"""Fewest headlines known in those days for the news data to cover the as-of. Measured on
the bundle: since 2025-08-11 every 7 days hold 100 or more (the thinnest are in May-July
2026, when Inflexion has none); before, never more than 20 (stray items: WSJ's stale
January 2025 feed, evergreen pages of 2024), and nothing in 2020."""

_Result = TypeVar("_Result")


class Omission(StrEnum):
    """Why an edition left a symbol out."""

    NOT_STORED = "not in the store"
    NO_BAR_YET = "no bar yet"
    TOO_LITTLE_HISTORY = "too little history for scores"
    UNTRACED = "a number its FactSheet cannot back"


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A symbol an edition could not write, why, and what the store holds of it."""

    symbol: str
    reason: Omission
    first_bar: dt.date | None
    """Its first bar in the store; None when the store holds none."""
    bars: int
    """Its bars up to the close the sheet would read."""
    detail: str = ""
    """What exactly failed, when the reason alone does not say (the untraced number)."""

    def __str__(self) -> str:
        if self.detail:
            return f"{self.symbol}: {self.reason} ({self.detail})"
        if self.first_bar is None:
            return f"{self.symbol}: {self.reason}"
        if self.bars == 0:
            return f"{self.symbol}: {self.reason} (first bar {self.first_bar})"
        return f"{self.symbol}: {self.reason} ({self.bars} bars since {self.first_bar})"


@dataclass(frozen=True)
class Sheets(Generic[_Result]):
    """The per-symbol stage of an edition: a result for each symbol written, in order,
    and the symbols left out, in order."""

    written: tuple[_Result, ...]
    left_out: tuple[LeftOut, ...]

    @classmethod
    def split(cls, results: Iterable[_Result | LeftOut]) -> Sheets[_Result]:
        """Return the results that are written apart from those that say why not."""
        items = list(results)
        return cls(
            tuple(r for r in items if not isinstance(r, LeftOut)),
            tuple(r for r in items if isinstance(r, LeftOut)),
        )


def evening(day: dt.date) -> dt.datetime:
    """Return the moment an edition of `day` is written: after every close of the day."""
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=dt.UTC)


def coverage(news: pl.DataFrame, events: Sequence[CalendarEvent], now: dt.datetime) -> Coverage:
    """Return what `news` and `events` reach at `now`: an article says where they stop
    rather than read their silence as a quiet day (see `Coverage`)."""
    stamps = news.select(pl.col("ts_event").dt.convert_time_zone("UTC"))
    known = known_at(pl.col("ts_event"))
    items = stamps.filter(
        (known <= now) & (known > now - dt.timedelta(days=NEWS_COVER_DAYS))
    ).height
    first, last = stamps["ts_event"].min(), stamps["ts_event"].max()
    ends: dict[str, dt.date] = {}
    for event in events:
        ends[event.event] = max(event.date, ends.get(event.event, event.date))
    calendar_first = min((e.date for e in events), default=None)
    calendar_last = min(ends.values(), default=None)
    day = now.date()
    return Coverage(
        news_first=first.date() if isinstance(first, dt.datetime) else None,
        news_last=last.date() if isinstance(last, dt.datetime) else None,
        news_items=items,
        news_covers=items >= NEWS_COVER_ITEMS,
        calendar_first=calendar_first,
        calendar_last=calendar_last,
        calendar_covers=calendar_first is not None
        and calendar_last is not None
        and calendar_first <= day
        and day + dt.timedelta(days=EVENT_DAYS) <= calendar_last,
    )


def closed_by(symbol: str, day: dt.date, until: dt.datetime | None) -> dt.date:
    """Return the last day whose bar of `symbol` an edition of `day` may read.

    That is `day` itself, unless a moment `until` is given: then the last session of the
    symbol's calendar that had closed by then (a 24/7 day closes at the next midnight).
    """
    if until is None:
        return day
    return min(day, last_closed_session(calendar_for(symbol), until))


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
    until: dt.datetime | None
    """The moment asked for, when a time was given: then a bar counts only once its
    session has closed by then, and news only up to it."""
    now: dt.datetime
    """The moment the sheets are read at: `until`, else the evening of `as_of`."""
    coverage: Coverage

    @classmethod
    def prepare(
        cls,
        universe: UniverseAnalysis,
        board: ScoreBoard,
        as_of: dt.date,
        symbols: Sequence[str],
        events: Sequence[CalendarEvent],
        news: pl.DataFrame,
        until: dt.datetime | None,
    ) -> _Edition:
        now = evening(as_of) if until is None else until
        headlines = select_edition_news(news_window(news, now), symbols, now)
        return cls(
            universe, board, as_of, events, headlines, until, now, coverage(news, events, now)
        )

    def sheets(self, symbols: Sequence[str]) -> Iterator[FactSheet | LeftOut]:
        """Yield the FactSheet of each of `symbols`, in order, or why it is left out."""
        universe, as_of = self.universe, self.as_of
        # Only these symbols' pairs, on the trailing rows up to `as_of`: each value is
        # causal and its own, and a 60-bar window needs no more history than that.
        dates = universe.panel.dates
        stop = int(np.searchsorted(dates, np.datetime64(as_of, "D"), side="right"))
        start = max(0, stop - CORRELATION_ROWS)
        recent = universe.panel.select(slice(start, stop))
        stored = [s for s in symbols if s in universe.panel]
        pairs = correlations(recent, CORRELATION_BARS, symbols=stored)
        related: dict[str, list[tuple[str, int]]] = {}
        for index, (first, other) in enumerate(pairs.pairs):
            related.setdefault(first, []).append((other, index))
        for symbol in symbols:
            read = self._read(symbol)
            if isinstance(read, LeftOut):
                yield read
                continue
            analysis, scores = read
            row = int(np.searchsorted(dates, np.datetime64(analysis.as_of, "D")))
            yield build_factsheet(
                analysis,
                scores,
                as_of,
                self.events,
                self.headlines[symbol],
                {
                    other: float(pairs.values[row - start, index]) if row >= start else np.nan
                    for other, index in related.get(symbol, ())
                },
                self.now,
                self.coverage,
            )

    def _read(self, symbol: str) -> tuple[SymbolAnalysis, SymbolScores] | LeftOut:
        """Return the analysis and scores a sheet of `symbol` reads, or why there are none.

        The scores are checked first: a symbol still warming up may have too few bars
        for the rest of its snapshot (the day's move needs two).
        """
        panel = self.universe.panel
        if symbol not in panel:
            return LeftOut(symbol, Omission.NOT_STORED, None, 0)
        first = _first_bar(panel, symbol)
        day = closed_by(symbol, self.as_of, self.until)
        now = self.now
        if first is None or first > day:
            return LeftOut(symbol, Omission.NO_BAR_YET, first, 0)
        scores = _scores(self.board, symbol, day)
        if scores is not None:
            analysis = _trusted_snapshot(self.universe, symbol, day, now)
            if analysis.as_of != as_date(panel.dates[panel.last_row(symbol, day)]):
                # A frozen feed: the sheet reads the bar its copies repeat.
                day = analysis.as_of
                scores = _scores(self.board, symbol, day)
            if scores is not None:
                return analysis, scores
        return LeftOut(symbol, Omission.TOO_LITTLE_HISTORY, first, _bars_by(panel, symbol, day))


def _first_bar(panel: Panel, symbol: str) -> dt.date | None:
    rows = np.flatnonzero(np.isfinite(panel.close[:, panel.column(symbol)]))
    return as_date(panel.dates[rows[0]]) if rows.size else None


def _bars_by(panel: Panel, symbol: str, day: dt.date) -> int:
    stop = int(np.searchsorted(panel.dates, np.datetime64(day, "D"), side="right"))
    return int(np.isfinite(panel.close[:stop, panel.column(symbol)]).sum())


def _scores(board: ScoreBoard, symbol: str, day: dt.date) -> SymbolScores | None:
    """Return the scores of `symbol` at its last bar by `day`, None while they warm up."""
    return board.at(symbol, day) if board.scored(symbol, day) else None


def build_sheets(
    universe: UniverseAnalysis,
    board: ScoreBoard,
    as_of: dt.date,
    symbols: Sequence[str],
    events: Sequence[CalendarEvent],
    news: pl.DataFrame,
    on_sheet: Callable[[str], None] | None = None,
    until: dt.datetime | None = None,
) -> Sheets[FactSheet]:
    """Return the FactSheet of each symbol at the close of `as_of`, news up to that evening.

    With `until` (a moment of `as_of`), each symbol reads its last bar whose session had
    closed by then and the news known by then: nothing from later in the day. An item
    stamped with a date only is known from the end of its day (`known_at`), so neither
    a minute of that day nor its evening cites it.
    A symbol that is not stored, has no bar by `as_of` or too few for its scores is left
    out, with why; `on_sheet` is called with each symbol once it is done either way.
    """
    edition = _Edition.prepare(universe, board, as_of, symbols, events, news, until)
    sheets = []
    for symbol, sheet in zip(symbols, edition.sheets(symbols), strict=True):
        sheets.append(sheet)
        if on_sheet is not None:
            on_sheet(symbol)
    return Sheets.split(sheets)


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
) -> Sheets[_Result]:
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
    Sheets
        The results in the order of `symbols`, and the symbols left out.

    Raises
    ------
    ParameterError
        If `workers` is below 1.
    concurrent.futures.process.BrokenProcessPool
        If a worker dies.
    """
    check_at_least("workers", workers, 1)
    edition = _Edition.prepare(universe, board, as_of, symbols, events, news, None)
    if workers == 1 or len(symbols) < 2:
        return Sheets.split(_each(edition, each, symbols))
    count = len(symbols)
    runs = [symbols[k * count // workers : (k + 1) * count // workers] for k in range(workers)]
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_adopt,
        initargs=(edition, each),
    ) as pool:
        return Sheets.split(result for done in pool.map(_run, runs) for result in done)


def _each(
    edition: _Edition, each: Callable[[FactSheet], _Result], symbols: Sequence[str]
) -> list[_Result | LeftOut]:
    return [s if isinstance(s, LeftOut) else each(s) for s in edition.sheets(symbols)]


# A worker's edition and `each`: handed over by fork, so neither is pickled.
_job: tuple[_Edition, Callable[[FactSheet], Any]] | None = None


def _adopt(edition: _Edition, each: Callable[[FactSheet], Any]) -> None:
    global _job
    _job = (edition, each)


def _run(symbols: Sequence[str]) -> list[Any]:
    if _job is None:
        raise RuntimeError("a map_sheets worker runs without its edition")
    return _each(*_job, symbols)
