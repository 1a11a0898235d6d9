from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.model import Panel
from pulsewire.scores.board import ScoreBoard
from pulsewire.sources import load


@pytest.fixture(scope="session")
def events(shared: Path) -> list[dt.date]:
    frame = load(str(shared / "calendar" / "events.csv")).frame
    return frame.filter(pl.col("importance") == "high")["date"].to_list()


@pytest.fixture(scope="session")
def board(real_panel: Panel, events: list[dt.date]) -> ScoreBoard:
    return ScoreBoard.compute(UniverseAnalysis.compute(real_panel), events)
