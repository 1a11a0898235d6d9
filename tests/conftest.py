"""Shared fixtures: the real data in ../shared/data and stores built from it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from pulsewire.ingest import ingest
from pulsewire.sources import bundled_data
from pulsewire.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TABLES = ("bars", "news", "calendar_events", "ingest_log")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The real data set beside the repository (CI places ../shared there)."""
    assert SHARED.is_dir(), f"the real data set is expected at {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def bundled_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the bundled data, built once per session; copy it before writing."""
    path = tmp_path_factory.mktemp("bundled") / "pulsewire.duckdb"
    with Store.open(path) as store:
        ingest([bundled_data()], store, NOW)
    return path


@pytest.fixture
def bundled_store(bundled_store_file: Path, tmp_path: Path) -> Path:
    """A private copy of the bundled store that a test may write to."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(bundled_store_file, path)
    return path


def snapshot(path: Path) -> dict[str, pl.DataFrame]:
    """Return every table of the store at `path`, in a stable order."""
    with Store.open(path, read_only=True) as store:
        return {name: store.table(name) for name in TABLES}


def assert_same_content(before: dict[str, pl.DataFrame], after: dict[str, pl.DataFrame]) -> None:
    """Assert two snapshots hold the same tables with the same rows."""
    assert before.keys() == after.keys()
    for name in before:
        assert before[name].equals(after[name]), f"table {name} changed"
