from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.model import Panel
from pulsewire.scores.board import ScoreBoard
from pulsewire.sources import load
from tests.conftest import BUNDLE


@pytest.fixture(scope="session")
def events() -> list[dt.date]:
    """The high-importance release dates of the real calendar, from the bundle on any clone."""
    frame = load(str(BUNDLE / "calendar" / "events.parquet")).frame
    return frame.filter(pl.col("importance") == "high")["date"].to_list()


@pytest.fixture(scope="session")
def board(real_panel: Panel, events: list[dt.date]) -> ScoreBoard:
    return ScoreBoard.compute(UniverseAnalysis.compute(real_panel), events)
