"""Shared fixtures: the real data (bundle, tests/data, ../shared/data) and stores built from it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from pulsewire.ingest import ingest
from pulsewire.model import Panel, calendar_for
from pulsewire.sources import bundled_data, load
from pulsewire.store import Store

REPO = Path(__file__).resolve().parents[1]
BUNDLE = Path(bundled_data())
SLICES = REPO / "tests" / "data"
SHARED = REPO.parent / "shared" / "data"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TABLES = ("bars", "news", "calendar_events", "ingest_log")
NEED_SHARED = pytest.StashKey[list[str]]()  # the tests deselected for want of SHARED


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"shared: needs the whole real data set in {SHARED}; deselected and listed without it",
    )


def pytest_report_header(config: pytest.Config) -> str:
    if SHARED.is_dir():
        return f"real data: the bundle, tests/data and the whole set in {SHARED}"
    return f"real data: the bundle and tests/data; {SHARED} is absent: `shared` tests deselected"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ../shared/data, deselect (never skip) the tests that need it, and say so."""
    if SHARED.is_dir():
        return
    needs = [item for item in items if item.get_closest_marker("shared")]
    if needs:
        config.hook.pytest_deselected(items=needs)
        items[:] = [item for item in items if not item.get_closest_marker("shared")]
        config.stash[NEED_SHARED] = [item.nodeid for item in needs]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    needs = terminalreporter.config.stash.get(NEED_SHARED, [])
    if needs:
        terminalreporter.section(f"deselected: {SHARED} is absent")
        for nodeid in needs:
            terminalreporter.write_line(nodeid)


@pytest.fixture(scope="session")
def real_files() -> Path:
    """Real raw files in their original formats: verbatim slices of ../shared/data committed in
    tests/data (see its README), so every clone makes its defects in the same real files."""
    return SLICES


@pytest.fixture(
    scope="session",
    params=[
        pytest.param(SLICES, id="slices"),
        pytest.param(SHARED, id="shared", marks=pytest.mark.shared),
    ],
)
def shared(request: pytest.FixtureRequest) -> Path:
    """Real raw files in the layout of ../shared/data, to check against the bundle: the committed
    slices always, and the whole set too when it is beside the repository (as in CI)."""
    root: Path = request.param
    return root


def is_whole(root: Path) -> bool:
    """Whether `root` is the whole real data set, so it must match all of the bundle."""
    return root == SHARED


@pytest.fixture(scope="session")
def bundled_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the bundled data, built once per session; copy it before writing."""
    path = tmp_path_factory.mktemp("bundled") / "pulsewire.duckdb"
    ingest([str(BUNDLE)], path, NOW)
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


# Real panels for the analysis tests, read from the bundle through the sources.


@pytest.fixture(scope="session")
def real_bars() -> pl.DataFrame:
    """All 28 real series, long format (`BAR_SCHEMA`), from the bundle: the same bars as the
    shared CSVs (`test_shared_csvs_and_bundled_parquet_hold_the_same_bars`), on any clone."""
    return pl.concat(
        load(str(path)).frame for path in sorted((BUNDLE / "prices").glob("*.parquet"))
    )


@pytest.fixture(scope="session")
def real_panel(real_bars: pl.DataFrame) -> Panel:
    """All 28 symbols on the union of their dates (crypto adds weekends: NaN for ETFs)."""
    return Panel.from_bars(real_bars)


@pytest.fixture(scope="session")
def xnys_panel(real_panel: Panel) -> Panel:
    """The 26 symbols that trade on NYSE sessions, on their own dates."""
    return real_panel.subset(tuple(s for s in real_panel.symbols if calendar_for(s) == "XNYS"))
