"""The bundled store read once, and the editions every writer test reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pulsewire.desk import AsOf, Desk
from pulsewire.facts.edition import evening
from pulsewire.facts.sheet import FactSheet
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


def sheets_at(desk: Desk, day: dt.date, symbols: tuple[str, ...] | None = None) -> list[FactSheet]:
    """The sheets an edition of `day` is written from (every symbol by default)."""
    return list(desk.sheets(AsOf(day, None), symbols).written)


@pytest.fixture(scope="package")
def desk(bundled_store_file: Path) -> Desk:
    """The bundled store read once: what every edition of these tests is written from."""
    return Desk.open(bundled_store_file)


@pytest.fixture(scope="package")
def editions(desk: Desk) -> dict[dt.date, Edition]:
    return {day: write_edition(sheets_at(desk, day), evening(day)) for day in DATES}
