from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pulsewire.errors import SourceError
from pulsewire.sources import load
from tests.conftest import BUNDLE

ROW = 100  # data row that gets the defect; on line ROW + 2


def _with(real_files: Path, tmp_path: Path, column: int, value: str) -> Path:
    lines = (real_files / "calendar" / "events.csv").read_text().splitlines()
    cells = lines[ROW + 1].split(",")
    cells[column] = value
    lines[ROW + 1] = ",".join(cells)
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_real_calendar_reads_whole(shared: Path) -> None:
    frame = load(str(shared / "calendar" / "events.csv")).frame
    assert frame.height == 290
    assert frame.equals(load(str(BUNDLE / "calendar" / "events.parquet")).frame)
    fomc = frame.filter(frame["event"] == "FOMC Rate Decision")
    assert fomc["time_utc"].drop_nulls().len() == fomc.height
    jobs = frame.filter(frame["date"] == dt.date(2026, 2, 11))
    assert jobs["event"].to_list() == ["Employment Situation (Nonfarm Payrolls)"]


@pytest.mark.parametrize(
    ("column", "value", "field", "reason"),
    [
        (0, "2024-02-30", "date", "is not a date"),
        (1, "25:61", "time_utc", "is not a time"),
        (2, "", "event", "missing value"),
        (4, "urgent", "importance", "is not one of low, medium, high"),
    ],
)
def test_bad_calendar_row_names_line_and_field(
    real_files: Path, tmp_path: Path, column: int, value: str, field: str, reason: str
) -> None:
    path = _with(real_files, tmp_path, column, value)
    with pytest.raises(SourceError) as caught:
        load(str(path))
    assert (caught.value.line, caught.value.field) == (ROW + 2, field)
    assert reason in str(caught.value)


def test_same_event_twice_on_a_day_is_an_error(real_files: Path, tmp_path: Path) -> None:
    lines = (real_files / "calendar" / "events.csv").read_text().splitlines()
    lines.insert(ROW + 2, lines[ROW + 1])
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError, match="listed twice") as caught:
        load(str(path))
    assert caught.value.line == ROW + 3
