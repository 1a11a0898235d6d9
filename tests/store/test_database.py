from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from pulsewire.errors import StoreBusyError, StoreError
from pulsewire.ingest import ingest
from pulsewire.store import Store
from tests.conftest import NOW, assert_same_content, snapshot


def test_second_writer_gets_store_is_busy(bundled_store: Path, real_files: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from pathlib import Path
                from pulsewire.store import Store
                with Store.open(Path({str(bundled_store)!r})):
                    print("holding", flush=True)
                    sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreBusyError) as caught:
            Store.open(bundled_store)
        assert "store is busy" in str(caught.value)
        assert f"PID {holder.pid}" in str(caught.value)
    finally:
        holder.communicate("")
    before = snapshot(bundled_store)
    ingest([str(real_files / "prices" / "SPY.csv")], bundled_store, NOW)
    after = snapshot(bundled_store)
    del before["ingest_log"], after["ingest_log"]
    assert_same_content(before, after)


def test_read_only_open_of_missing_store_says_to_ingest(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(tmp_path / "none.duckdb", read_only=True)
    assert "no store at" in str(caught.value)
    assert "pulsewire ingest" in caught.value.hint


def test_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database")
    with pytest.raises(StoreError, match="cannot open store"):
        Store.open(path)


def test_newer_file_replaces_bars_with_the_same_dates(
    bundled_store: Path, real_files: Path, tmp_path: Path
) -> None:
    lines = (real_files / "prices" / "IWM.csv").read_text().splitlines()
    header, last = lines[0], lines[-1].split(",")
    last[4] = last[5] = str(float(last[4]) + 0.01)  # a vendor's corrected close
    last[2] = str(max(float(last[2]), float(last[4])))
    path = tmp_path / "IWM.csv"
    path.write_text(header + "\n" + ",".join(last) + "\n")
    report = ingest([str(path)], bundled_store, NOW)
    assert report.after.bars == report.before.bars
    with Store.open(bundled_store, read_only=True) as store:
        assert store.last_bars("IWM", 1)["close"][0] == float(last[4])


def test_calendar_events_come_back_as_releases_in_date_order(bundled_store_file: Path) -> None:
    with Store.open(bundled_store_file, read_only=True) as store:
        events, rows = store.events(), store.table("calendar_events")
        high = store.event_dates()
    assert len(events) == rows.height
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert sorted({e.date for e in events if e.importance == "high"}) == high
    cpi = [e for e in events if e.event.startswith("CPI") and e.date.year == 2026]
    assert cpi and all(e.importance == "high" for e in cpi)


def test_a_store_from_before_the_desk_could_call_against_its_lean_gains_the_columns(
    tmp_path: Path,
) -> None:
    # The calls table as the first stores made it: no `call`, no `conviction`.
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as old:
        old.execute(
            "CREATE TABLE calls (origin VARCHAR NOT NULL, as_of DATE NOT NULL, "
            "symbol VARCHAR NOT NULL, close DOUBLE NOT NULL, pulse DOUBLE NOT NULL, "
            "pulse_label VARCHAR NOT NULL, threat_level TINYINT NOT NULL, "
            "threat_probability DOUBLE, support_low DOUBLE, support_high DOUBLE, "
            "resistance_low DOUBLE, resistance_high DOUBLE, PRIMARY KEY (origin, as_of, symbol))"
        )
        old.execute(
            "INSERT INTO calls VALUES ('edition', DATE '2026-02-02', 'IWM', 262.18, 70.1, "
            "'Bullish', 2, 0.05, NULL, NULL, NULL, NULL)"
        )
    with Store.open(path) as store:
        calls = store.table("calls")
    assert {"call", "conviction"} <= set(calls.columns)
    assert calls.row(0, named=True)["pulse_label"] == "Bullish"
    assert calls.row(0, named=True)["call"] is None  # graded as its lean


BLOCK = 262_144  # DuckDB's block; the file is three 4 KiB headers and then whole blocks
CUTS = {
    "inside the main header": lambda size: 100,
    "after the headers": lambda size: 12_288,
    "after the first block": lambda size: 12_288 + BLOCK,
    "half": lambda size: size // 2,
    "90%": lambda size: size * 9 // 10,
    "one block short": lambda size: size - BLOCK,
    "one byte short": lambda size: size - 1,
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "writable"])
@pytest.mark.parametrize("cut", list(CUTS))
def test_a_truncated_store_is_refused_and_left_as_it_was(
    bundled_store: Path, cut: str, read_only: bool
) -> None:
    size = bundled_store.stat().st_size
    with bundled_store.open("r+b") as handle:
        handle.truncate(CUTS[cut](size))
    before = _digest(bundled_store)

    with pytest.raises(StoreError) as caught:
        Store.open(bundled_store, read_only=read_only)

    assert not isinstance(caught.value, StoreBusyError)
    assert str(caught.value).startswith(f"store {bundled_store} is corrupt or truncated: ")
    assert "\n" not in str(caught.value) and "backup" in caught.value.hint
    assert _digest(bundled_store) == before
    assert sorted(p.name for p in bundled_store.parent.iterdir()) == [bundled_store.name]


def test_a_store_with_free_blocks_or_a_pending_wal_is_whole(
    bundled_store: Path, tmp_path: Path
) -> None:
    before = snapshot(bundled_store)
    # Freed blocks: DuckDB counts them but cuts them off the end of the file.
    with duckdb.connect(str(bundled_store)) as con:
        con.execute("CREATE TABLE copy AS SELECT * FROM bars; CHECKPOINT; DROP TABLE copy")
    # A writer that died before its checkpoint leaves its rows in the WAL.
    subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import os, duckdb
                con = duckdb.connect({str(bundled_store)!r})
                con.execute("SET checkpoint_threshold = '10GB'")
                con.execute("CREATE TABLE copy AS SELECT * FROM bars")
                con.execute("INSERT INTO ingest_log SELECT * FROM ingest_log LIMIT 1")
                os._exit(0)
                """
            ),
        ],
        check=True,
    )
    assert (tmp_path / "store.duckdb.wal").exists()
    with Store.open(bundled_store, read_only=True) as store:
        assert store.counts().ingests == before["ingest_log"].height + 1
    with Store.open(bundled_store) as store:
        assert store.table("bars").equals(before["bars"])


def _holder(path: Path, read_only: bool) -> subprocess.Popen[str]:
    """A second process that opens the store and holds it until its stdin closes."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from pathlib import Path
                from pulsewire.store import Store
                with Store.open(Path({str(path)!r}), read_only={read_only}):
                    print("holding", flush=True)
                    sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


@pytest.mark.parametrize(
    ("holder_reads", "read_only", "doing"),
    [
        (True, False, "holds {path} open for reading"),
        (False, False, "is writing to {path}"),
        (False, True, "is writing to {path}"),
    ],
    ids=["reader-then-writer", "writer-then-writer", "writer-then-reader"],
)
def test_busy_store_says_whether_the_holder_reads_or_writes(
    bundled_store: Path, holder_reads: bool, read_only: bool, doing: str
) -> None:
    holder = _holder(bundled_store, holder_reads)
    try:
        with pytest.raises(StoreBusyError) as caught:
            Store.open(bundled_store, read_only=read_only)
    finally:
        holder.communicate("")
    who = f"another process (PID {holder.pid})"
    assert str(caught.value) == f"store is busy: {who} " + doing.format(path=bundled_store)
    assert "--db" in caught.value.hint


def test_readers_share_a_store(bundled_store: Path) -> None:
    holder = _holder(bundled_store, True)
    try:
        with Store.open(bundled_store, read_only=True) as store:
            assert store.counts().symbols == 28
    finally:
        holder.communicate("")
