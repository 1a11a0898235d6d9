"""Ingest of the bundled data end to end, idempotence, and a round-trip property."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulsewire.errors import SourceError
from pulsewire.ingest import ingest
from pulsewire.sources import bundled_data, load
from pulsewire.store import Store
from tests.conftest import NOW, assert_same_content, is_whole, snapshot


def test_bundled_data_gives_28_symbols_and_all_bars(bundled_store_file: Path) -> None:
    with Store.open(bundled_store_file, read_only=True) as store:
        counts = store.counts()
        log = store.table("ingest_log")
    bundle = Path(bundled_data())
    news_rows = pl.read_parquet(bundle / "news" / "headlines.parquet").height
    feed_rows = load(str(bundle / "news" / "feeds" / "llm.xml")).rows
    assert (counts.symbols, counts.bars) == (28, 167_653)
    assert counts.news == news_rows + feed_rows == 21_488 + 280
    assert counts.calendar_events == pl.read_parquet(bundle / "calendar" / "events.parquet").height
    assert counts.calendar_events == 290
    assert log.height == 28 + 2 + 1
    assert set(log["kind"]) == {"bars", "news", "calendar"}


def test_bundle_leaves_out_the_origin_that_is_not_redistributable() -> None:
    origins = pl.read_parquet(Path(bundled_data()) / "news" / "headlines.parquet")["origin"]
    assert "enochwork123-stack/stockscrap" not in origins.unique().to_list()


def test_second_ingest_changes_nothing(bundled_store: Path) -> None:
    before = snapshot(bundled_store)
    report = ingest([bundled_data()], bundled_store, NOW + dt.timedelta(days=1))
    assert report.written == ()
    assert len(report.unchanged) == 31
    assert_same_content(before, snapshot(bundled_store))


def test_forced_reingest_keeps_the_same_records(bundled_store: Path) -> None:
    before = snapshot(bundled_store)
    report = ingest([bundled_data()], bundled_store, NOW + dt.timedelta(days=1), force=True)
    after = snapshot(bundled_store)
    assert len(report.written) == 31
    for name in ("bars", "news", "calendar_events"):
        assert before[name].equals(after[name]), name


def test_shared_csvs_and_bundled_parquet_hold_the_same_bars(
    shared: Path, bundled_store_file: Path, tmp_path: Path
) -> None:
    ingest([str(shared / "prices")], tmp_path / "csv.duckdb", NOW)
    with Store.open(tmp_path / "csv.duckdb", read_only=True) as store:
        from_csv = store.table("bars")
    with Store.open(bundled_store_file, read_only=True) as store:
        bundled = store.table("bars")
    spans = from_csv.group_by("symbol").agg(first=pl.col("date").min(), last=pl.col("date").max())
    over_the_spans = (
        bundled.join(spans, on="symbol")
        .filter(pl.col("date").is_between("first", "last"))
        .select(bundled.columns)
        .sort("symbol", "date")
    )
    assert from_csv.height > 0
    assert over_the_spans.equals(from_csv)  # every bundled bar of those dates, and no other
    if is_whole(shared):
        assert bundled.equals(from_csv)


def test_bars_are_physically_ordered_by_symbol_then_date(bundled_store_file: Path) -> None:
    with Store.open(bundled_store_file, read_only=True) as store:
        bars = store.table("bars")
        last = store.last_bars("IWM", 300)
    assert bars.select(pl.struct("symbol", "date").is_sorted()).item()
    assert last.height == 300
    assert last["date"].is_sorted()
    assert last["date"][-1] == dt.date(2026, 8, 21)


prices = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def bar_series(draw: st.DrawFn) -> pl.DataFrame:
    """A valid daily series: increasing dates, high/low enclosing open/close."""
    n = draw(st.integers(min_value=1, max_value=40))
    gaps = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=NOW.date() - dt.timedelta(200)))
    dates = [start + dt.timedelta(days=sum(gaps[: i + 1])) for i in range(n)]
    rows = []
    for day in dates:
        o, c = draw(prices), draw(prices)
        up, down = draw(st.floats(0, 1)), draw(st.floats(0, 0.99))
        high, low = max(o, c) * (1 + up), min(o, c) * (1 - down)
        volume = draw(st.none() | st.integers(0, 10**12).map(float))
        rows.append((day, o, high, low, c, draw(prices), volume))
    return pl.DataFrame(
        rows,
        schema=["date", "open", "high", "low", "close", "adj_close", "volume"],
        orient="row",
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series=bar_series())
def test_any_valid_series_written_to_csv_reads_back_equal(series: pl.DataFrame) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "TEST.csv"
        series.write_csv(path, float_precision=None)
        ingest([str(path)], Path(folder) / "store.duckdb", NOW)
        with Store.open(Path(folder) / "store.duckdb", read_only=True) as store:
            stored = store.last_bars("TEST", len(series) + 1)
    expected = series.with_columns(pl.lit("TEST").alias("symbol")).select(stored.columns)
    assert stored.equals(expected.cast(stored.schema))


def test_with_several_bad_files_the_first_in_order_is_reported(
    real_files: Path, tmp_path: Path
) -> None:
    lines = (real_files / "prices" / "IWM.csv").read_text().splitlines()
    for name, row in (("AAA", 1000), ("ZZZ", 3)):
        broken = lines.copy()
        broken[row] = broken[row].replace(broken[row].split(",")[1], "x", 1)
        (tmp_path / f"{name}.csv").write_text("\n".join(broken) + "\n")
    with pytest.raises(SourceError) as caught:
        ingest([str(tmp_path)], tmp_path / "store.duckdb", NOW)
    assert (Path(caught.value.path).name, caught.value.line) == ("AAA.csv", 1001)


def test_lower_case_file_name_is_stored_as_its_ticker(real_files: Path, tmp_path: Path) -> None:
    path = tmp_path / "aapl.csv"
    path.write_bytes((real_files / "prices" / "IWM.csv").read_bytes())
    report = ingest([str(path)], tmp_path / "store.duckdb", NOW)
    assert report.after.symbols == 1
    with Store.open(tmp_path / "store.duckdb", read_only=True) as store:
        assert [s.symbol for s in store.coverage()] == ["AAPL"]
        assert store.last_bars("AAPL", 1).height == 1


def test_same_bytes_under_another_name_are_ingested(real_files: Path, tmp_path: Path) -> None:
    # The ingest log knows a file by (base name, sha256): a price file's name is its symbol.
    db = tmp_path / "store.duckdb"
    data = (real_files / "prices" / "IWM.csv").read_bytes()
    for name in ("aapl.csv", "AAPL.csv", "QQQ.csv"):
        (tmp_path / name).write_bytes(data)
    assert len(ingest([str(tmp_path / "aapl.csv")], db, NOW).written) == 1
    renamed = ingest([str(tmp_path / "AAPL.csv"), str(tmp_path / "QQQ.csv")], db, NOW)
    assert [Path(b.origin).name for b in renamed.written] == ["AAPL.csv", "QQQ.csv"]
    assert renamed.unchanged == ()
    with Store.open(db, read_only=True) as store:
        bars = store.table("bars")
    assert bars.group_by("symbol").len().sort("symbol").rows() == [("AAPL", 1163), ("QQQ", 1163)]
    again = ingest([str(tmp_path / "aapl.csv"), str(tmp_path / "QQQ.csv")], db, NOW)
    assert (again.written, len(again.unchanged)) == ((), 2)


def test_moved_folder_is_unchanged(bundled_store: Path, tmp_path: Path) -> None:
    # The bundled store's log holds the bundle's full paths, as every store so far does.
    moved = tmp_path / "moved"
    shutil.copytree(bundled_data(), moved)
    before = snapshot(bundled_store)
    report = ingest([str(moved)], bundled_store, NOW + dt.timedelta(days=1))
    assert (report.written, len(report.unchanged)) == ((), 31)
    assert_same_content(before, snapshot(bundled_store))


def test_future_bar_stops_the_ingest_naming_its_line(
    real_files: Path, bundled_store: Path, tmp_path: Path
) -> None:
    lines = (real_files / "prices" / "IWM.csv").read_text().splitlines()
    lines.append("2027-08-23," + lines[-1].split(",", 1)[1])  # a year after the last bar
    path = tmp_path / "IWM.csv"
    path.write_text("\n".join(lines) + "\n")
    before = snapshot(bundled_store)
    with pytest.raises(SourceError) as caught:
        ingest([str(path)], bundled_store, NOW, force=True)
    assert (
        str(caught.value)
        == f"{path}:1165: date: 2027-08-23 is in the future (today is 2026-11-25 UTC)"
    )
    assert_same_content(before, snapshot(bundled_store))
    # Read a year on, the same file is no longer from the future.
    later = ingest([str(path)], bundled_store, NOW + dt.timedelta(days=365))
    assert later.after.bars == before["bars"].height + 1


_READ_ONLY = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).close()"


def test_store_is_readable_by_others_while_files_are_read(
    bundled_store: Path, real_files: Path
) -> None:
    # Another process reading the store while the files are fetched and validated:
    # DuckDB lets none in while a process holds the file open for writing.
    opened: list[int] = []

    def on_file(location: str, total: int) -> None:
        reader = subprocess.run(
            [sys.executable, "-c", _READ_ONLY, str(bundled_store)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert reader.returncode == 0, reader.stderr
        with Store.open(bundled_store, read_only=True) as store:  # and this process too
            opened.append(store.counts().symbols)

    prices = real_files / "prices"
    report = ingest(
        [str(prices / "SPY.csv"), str(prices / "VIX.csv")], bundled_store, NOW, on_file=on_file
    )
    assert opened == [28, 28]
    assert len(report.written) == 2
    assert report.before.ingests + 2 == report.after.ingests
