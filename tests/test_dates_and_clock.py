"""Bars far back in time and clocks far ahead: the calendars follow the data and the clock."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run


def _iwm_from_1988(real_files: Path, folder: Path) -> Path:
    """The real IWM slice with one bar of 1988 before its first (a copy of that bar)."""
    lines = (real_files / "prices" / "IWM.csv").read_text().splitlines()
    lines.insert(1, "1988-09-12," + lines[1].split(",", 1)[1])
    path = folder / "IWM.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_series_from_1988_is_ingested_and_analysed(real_files: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    path = _iwm_from_1988(real_files, tmp_path)
    ingested = run("ingest", str(path), str(real_files / "prices" / "SPY.csv"), db=db)
    assert ingested.returncode == 0, ingested.stderr

    status = run("status", "--json", "--asof", "2026-08-21T21:00", db=db)
    assert status.returncode == 0, status.stderr
    series = {s["symbol"]: s for s in json.loads(status.stdout)["series"]}
    assert series["IWM"]["first"] == "1988-09-12"
    assert series["IWM"]["current"]

    analysed = run("analyze", "IWM", "--asof", "2026-08-21", "--json", db=db)
    assert analysed.returncode == 0, analysed.stderr
    assert json.loads(analysed.stdout)


def test_status_with_a_clock_past_2030(real_files: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    assert run("ingest", str(real_files / "prices" / "IWM.csv"), db=db).returncode == 0
    for asof, expected, behind in (
        ("2031-01-01", "2030-12-31", 1095),
        ("2040-06-01T12:00", "2040-05-31", 3459),
    ):
        status = run("status", "--json", "--asof", asof, db=db)
        assert status.returncode == 0, status.stderr
        (iwm,) = json.loads(status.stdout)["series"]
        assert (iwm["expected_last"], iwm["sessions_behind"]) == (expected, behind)
