"""The bundled store read once, and the editions every writer test reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.facts.edition import build_sheets, evening
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import Panel
from pulsewire.scores.board import ScoreBoard
from pulsewire.store import Store
from pulsewire.writer.edition import Edition, write_edition

# Ten closes across the bundled history where all 28 series have scores.
DATES = tuple(
    dt.date.fromisoformat(d)
    for d in (
        "2020-03-16",
        "2020-11-09",
        "2021-06-30",
        "2022-06-13",
        "2023-03-13",
        "2023-10-27",
        "2024-08-05",
        "2025-04-07",
        "2026-02-02",
        "2026-08-21",
    )
)


class Desk:
    """The bundled store read once: what every edition of these tests is written from."""

    def __init__(self, path: Path) -> None:
        with Store.open(path, read_only=True) as store:
            self.panel = Panel.from_bars(store.bars())
            self.events = store.events()
            self.news = store.table("news")
            event_dates = store.event_dates()
        self.universe = UniverseAnalysis.compute(self.panel)
        self.board = ScoreBoard.compute(self.universe, event_dates)

    def sheets(self, day: dt.date, symbols: tuple[str, ...] | None = None) -> list[FactSheet]:
        chosen = symbols or self.panel.symbols
        sheets = build_sheets(self.universe, self.board, day, chosen, self.events, self.news)
        return list(sheets.written)

    def edition(self, day: dt.date) -> Edition:
        return write_edition(self.sheets(day), evening(day))


@pytest.fixture(scope="package")
def desk(bundled_store_file: Path) -> Desk:
    return Desk(bundled_store_file)


@pytest.fixture(scope="package")
def editions(desk: Desk) -> dict[dt.date, Edition]:
    return {day: desk.edition(day) for day in DATES}
