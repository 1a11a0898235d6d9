"""Ingest of the bundled data end to end, idempotence, and a round-trip property."""

from __future__ import annotations

import datetime as dt
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
    with Store.open(bundled_store) as store:
        report = ingest([bundled_data()], store, NOW + dt.timedelta(days=1))
    assert report.written == ()
    assert len(report.unchanged) == 31
    assert_same_content(before, snapshot(bundled_store))


def test_forced_reingest_keeps_the_same_records(bundled_store: Path) -> None:
    before = snapshot(bundled_store)
    with Store.open(bundled_store) as store:
        report = ingest([bundled_data()], store, NOW + dt.timedelta(days=1), force=True)
    after = snapshot(bundled_store)
    assert len(report.written) == 31
    for name in ("bars", "news", "calendar_events"):
        assert before[name].equals(after[name]), name


def test_shared_csvs_and_bundled_parquet_hold_the_same_bars(
    shared: Path, bundled_store_file: Path, tmp_path: Path
) -> None:
    with Store.open(tmp_path / "csv.duckdb") as store:
        ingest([str(shared / "prices")], store, NOW)
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
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)))
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
        with Store.open(Path(folder) / "store.duckdb") as store:
            ingest([str(path)], store, NOW)
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
    with Store.open(tmp_path / "store.duckdb") as store, pytest.raises(SourceError) as caught:
        ingest([str(tmp_path)], store, NOW)
    assert (Path(caught.value.path).name, caught.value.line) == ("AAA.csv", 1001)
