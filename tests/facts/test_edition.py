from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.errors import ParameterError
from pulsewire.facts.edition import Omission, build_sheets, map_sheets
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import CalendarEvent, Panel
from pulsewire.scores.board import ScoreBoard
from pulsewire.store import Store


class Edition:
    """The bundled store read once: universe, scores, calendar and news."""

    def __init__(self, path: Path) -> None:
        with Store.open(path, read_only=True) as store:
            self.panel = Panel.from_bars(store.bars())
            self.events: list[CalendarEvent] = store.events()
            self.news: pl.DataFrame = store.table("news")
            event_dates = store.event_dates()
        self.universe = UniverseAnalysis.compute(self.panel)
        self.board = ScoreBoard.compute(self.universe, event_dates)


@pytest.fixture(scope="module")
def edition(bundled_store_file: Path) -> Edition:
    return Edition(bundled_store_file)


def as_json(sheet: FactSheet) -> str:
    return sheet.model_dump_json()


@pytest.mark.parametrize("day", [dt.date(2026, 2, 2), dt.date(2026, 8, 21), dt.date(2024, 8, 5)])
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_sheets_built_by_workers_equal_those_built_here_in_order(
    edition: Edition, day: dt.date, workers: int
) -> None:
    symbols = edition.panel.symbols
    args = (edition.universe, edition.board, day, symbols, edition.events, edition.news)

    mapped = map_sheets(*args, as_json, workers=workers)

    assert mapped.written == tuple(as_json(sheet) for sheet in build_sheets(*args).written)
    assert mapped.left_out == ()


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_leave_out_the_symbols_build_sheets_leaves_out(
    edition: Edition, workers: int
) -> None:
    day = dt.date(2014, 10, 15)
    args = (edition.universe, edition.board, day, edition.panel.symbols)
    built = build_sheets(*args, edition.events, edition.news)

    mapped = map_sheets(*args, edition.events, edition.news, as_json, workers=workers)

    assert mapped.written == tuple(as_json(sheet) for sheet in built.written)
    assert mapped.left_out == built.left_out
    assert {(s.symbol, s.reason) for s in mapped.left_out} == {
        ("BTC-USD", Omission.TOO_LITTLE_HISTORY),
        ("ETH-USD", Omission.NO_BAR_YET),
        ("XLC", Omission.NO_BAR_YET),
        ("XLRE", Omission.NO_BAR_YET),
    }


def test_more_workers_than_symbols_gives_each_symbol_once(edition: Edition) -> None:
    day, symbols = dt.date(2026, 8, 21), ("SPY", "GLD")
    args = (edition.universe, edition.board, day, symbols, edition.events, edition.news)

    assert map_sheets(*args, lambda sheet: sheet.symbol, workers=4).written == ("SPY", "GLD")


def test_error_in_a_worker_reaches_the_caller(edition: Edition) -> None:
    def fail(sheet: FactSheet) -> None:
        raise ValueError(f"cannot write {sheet.symbol}")

    args = (edition.universe, edition.board, dt.date(2026, 8, 21), ("SPY", "GLD"))
    with pytest.raises(ValueError, match="cannot write"):
        map_sheets(*args, edition.events, edition.news, fail, workers=2)


def test_workers_below_one_is_named(edition: Edition) -> None:
    args = (edition.universe, edition.board, dt.date(2026, 8, 21), ("SPY",))
    with pytest.raises(ParameterError, match="workers=0"):
        map_sheets(*args, edition.events, edition.news, as_json, workers=0)


@pytest.mark.parametrize(
    ("day", "news_covers", "calendar_covers"),
    [
        (dt.date(2020, 3, 16), False, False),  # before both
        (dt.date(2025, 9, 2), True, True),
        (dt.date(2026, 3, 9), True, False),  # GDP and PCE end 2026-01-22
    ],
)
def test_coverage_says_where_the_news_and_calendar_stop(
    edition: Edition, day: dt.date, news_covers: bool, calendar_covers: bool
) -> None:
    (sheet,) = build_sheets(
        edition.universe, edition.board, day, ["SPY"], edition.events, edition.news
    ).written
    covered = sheet.coverage

    assert covered.news_covers is news_covers
    assert covered.calendar_covers is calendar_covers
    assert covered.calendar_first == dt.date(2022, 1, 7)
    assert covered.calendar_last == dt.date(2026, 1, 22)  # GDP and PCE end first
    assert covered.news_first is not None and covered.news_first <= dt.date(2025, 8, 11)
    assert sheet.facts["coverage.news_items"].value == covered.news_items
