"""Each bad input is a real price file with one defect; the error names file, line and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from pulsewire.errors import SourceError
from pulsewire.ingest import ingest
from pulsewire.sources import load
from tests.conftest import NOW, assert_same_content, is_whole, snapshot

Edit = Callable[[list[str]], list[str]]
ROW = 810  # 0-based data row; it sits on line ROW + 2 of the file


def _set(field: str, value: str, row: int = ROW) -> Edit:
    def edit(lines: list[str]) -> list[str]:
        header = lines[0].split(",")
        cells = lines[row + 1].split(",")
        cells[header.index(field)] = value
        lines[row + 1] = ",".join(cells)
        return lines

    return edit


def _high_below_close(lines: list[str]) -> list[str]:
    cells = lines[ROW + 1].split(",")
    close = float(cells[4])
    cells[1] = f"{min(float(cells[1]), close - 2):.4f}"  # so that only close is above high
    cells[2] = f"{close - 1:.4f}"
    cells[3] = f"{min(float(cells[3]), close - 2):.4f}"
    lines[ROW + 1] = ",".join(cells)
    return lines


def _low_above_open(lines: list[str]) -> list[str]:
    cells = lines[ROW + 1].split(",")
    cells[3] = f"{min(float(cells[1]), float(cells[4])) + 0.5:.4f}"
    cells[2] = f"{max(float(cells[2]), float(cells[3]) + 1):.4f}"
    lines[ROW + 1] = ",".join(cells)
    return lines


def _copy_previous_date(lines: list[str]) -> list[str]:
    previous = lines[ROW].split(",")[0]
    return _set("date", previous)(lines)


def _swap_with_previous(lines: list[str]) -> list[str]:
    lines[ROW], lines[ROW + 1] = lines[ROW + 1], lines[ROW]
    return lines


def _rename(old: str, new: str) -> Edit:
    def edit(lines: list[str]) -> list[str]:
        lines[0] = lines[0].replace(old, new)
        return lines

    return edit


def _drop_column(name: str) -> Edit:
    def edit(lines: list[str]) -> list[str]:
        index = lines[0].split(",").index(name)
        return [",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines]

    return edit


DEFECTS: dict[str, tuple[Edit, int | None, str | None, str]] = {
    # name: (edit, line, field, words in the reason)
    "unparseable date": (_set("date", "2003-13-45"), ROW + 2, "date", "is not a date"),
    "non-numeric price": (_set("close", "12.3x"), ROW + 2, "close", "not a number"),
    "empty price": (_set("open", ""), ROW + 2, "open", "missing value"),
    "NaN price": (_set("low", "NaN"), ROW + 2, "low", "NaN is not a price"),
    "infinite price": (_set("high", "inf"), ROW + 2, "high", "inf is not a finite price"),
    "zero price": (_set("adj_close", "0"), ROW + 2, "adj_close", "0 is not a positive price"),
    "negative price": (_set("open", "-71.5"), ROW + 2, "open", "-71.5 is not a positive price"),
    "negative volume": (_set("volume", "-100"), ROW + 2, "volume", "negative volume"),
    "high below close": (_high_below_close, ROW + 2, "high", "is below close"),
    "low above open or close": (_low_above_open, ROW + 2, "low", "is above"),
    "duplicate date": (_copy_previous_date, ROW + 2, "date", "duplicate date"),
    "descending date": (_swap_with_previous, ROW + 2, "date", "descending date"),
    "missing column": (_drop_column("adj_close"), 1, "adj_close", "missing column"),
    "misnamed column": (_rename("close,adj", "Close,adj"), 1, "close", "found 'Close'"),
    "header only": (lambda lines: lines[:1], None, None, "no rows after the header"),
    "empty file": (lambda lines: [], None, None, "empty file"),
}


def _write_defective(real_files: Path, folder: Path, edit: Edit) -> Path:
    lines = (real_files / "prices" / "IWM.csv").read_text().splitlines()
    path = folder / "IWM.csv"
    path.write_text("\n".join(edit(lines)) + "\n")
    return path


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_bad_price_file_names_file_line_field_and_leaves_store_unchanged(
    defect: str, real_files: Path, bundled_store: Path, tmp_path: Path
) -> None:
    edit, line, field, reason = DEFECTS[defect]
    folder = tmp_path / "prices"
    folder.mkdir()
    good = folder / "SPY.csv"
    good.write_bytes((real_files / "prices" / "SPY.csv").read_bytes())
    bad = _write_defective(real_files, folder, edit)
    before = snapshot(bundled_store)

    with pytest.raises(SourceError) as caught:
        ingest([str(folder)], bundled_store, NOW, force=True)

    error = caught.value
    assert (error.path, error.line, error.field) == (str(bad), line, field)
    where = str(bad) if line is None else f"{bad}:{line}"
    assert str(error).startswith(f"{where}: ")
    assert reason in error.reason
    assert_same_content(before, snapshot(bundled_store))


def test_high_below_close_message_quotes_both_values(real_files: Path, tmp_path: Path) -> None:
    lines = (real_files / "prices" / "IWM.csv").read_text().splitlines()
    cells = lines[ROW + 1].split(",")
    cells[1:5] = ["103.0", "101.2", "100.0", "103.5"]
    lines[ROW + 1] = ",".join(cells)
    path = tmp_path / "IWM.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError) as caught:
        load(str(path))
    assert str(caught.value) == f"{path}:{ROW + 2}: high: 101.2 is below close 103.5"


def test_empty_volume_is_accepted_for_an_index(real_files: Path) -> None:
    batch = load(str(real_files / "prices" / "VIX.csv"))
    assert batch.rows == 1166
    assert batch.frame["volume"].null_count() == 1166


def test_every_shared_price_file_is_valid(shared: Path) -> None:
    paths = sorted((shared / "prices").glob("*.csv"))
    rows = {path.stem: load(str(path)).rows for path in paths}
    assert rows == {path.stem: len(path.read_text().splitlines()) - 1 for path in paths}
    whole, slices = (28, 167_653), (3, 1163 + 1163 + 1166)
    assert (len(rows), sum(rows.values())) == (whole if is_whole(shared) else slices)


def test_parquet_and_csv_of_the_same_series_read_equal(real_files: Path, tmp_path: Path) -> None:
    csv = load(str(real_files / "prices" / "IWM.csv")).frame
    parquet = tmp_path / "IWM.parquet"
    csv.drop("symbol").write_parquet(parquet)
    assert load(str(parquet)).frame.equals(csv)


def test_bad_value_in_parquet_is_reported_by_row(real_files: Path, tmp_path: Path) -> None:
    frame = load(str(real_files / "prices" / "IWM.csv")).frame.drop("symbol")
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 5).then(-1.0).otherwise(pl.col("low")).alias("low")
    )
    path = tmp_path / "IWM.parquet"
    frame.write_parquet(path)
    with pytest.raises(SourceError) as caught:
        load(str(path))
    assert str(caught.value) == f"{path}:row 6: low: -1 is not a positive price"


def test_file_name_that_is_not_a_ticker_is_rejected(real_files: Path, tmp_path: Path) -> None:
    path = tmp_path / "IWM copy.csv"
    path.write_bytes((real_files / "prices" / "IWM.csv").read_bytes())
    with pytest.raises(SourceError, match="symbol"):
        load(str(path))


def test_row_with_an_extra_field_names_its_line(real_files: Path, tmp_path: Path) -> None:
    lines = (real_files / "prices" / "IWM.csv").read_text().splitlines()
    lines[ROW + 1] += ",7"
    path = tmp_path / "IWM.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError) as caught:
        load(str(path))
    assert str(caught.value) == f"{path}:{ROW + 2}: 8 fields where the header has 7"


def _with_row(real_files: Path, folder: Path, name: str, date: str, *, first: bool) -> Path:
    """The real IWM slice under `name`, with one more bar (a copy of its first or last)."""
    lines = (real_files / "prices" / "IWM.csv").read_text().splitlines()
    model = lines[1 if first else -1].split(",")
    row = ",".join([date, *model[1:]])
    lines = [lines[0], row, *lines[1:]] if first else [*lines, row]
    path = folder / name
    path.write_text("\n".join(lines) + "\n")
    return path


def test_bar_from_1988_is_accepted_the_calendar_has_it(real_files: Path, tmp_path: Path) -> None:
    path = _with_row(real_files, tmp_path, "IWM.csv", "1988-09-12", first=True)
    batch = load(str(path), now=NOW)
    assert batch.rows == 1164
    assert batch.frame["date"][0].isoformat() == "1988-09-12"


def test_bar_before_the_calendar_s_first_day_names_its_line(
    real_files: Path, tmp_path: Path
) -> None:
    path = _with_row(real_files, tmp_path, "IWM.csv", "1677-12-31", first=True)
    with pytest.raises(SourceError) as caught:
        load(str(path), now=NOW)
    assert str(caught.value) == (
        f"{path}:2: date: 1677-12-31 is before 1678-01-01, the first day calendar XNYS has sessions"
    )


def test_bar_from_the_future_names_its_line(real_files: Path, tmp_path: Path) -> None:
    # NOW is 2026-11-25 12:00 UTC: a bar of that day is in progress, the next day's is not.
    today = _with_row(real_files, tmp_path, "IWM.csv", "2026-11-25", first=False)
    assert load(str(today), now=NOW).rows == 1164
    path = _with_row(real_files, tmp_path, "IWM.csv", "2027-11-25", first=False)
    with pytest.raises(SourceError) as caught:
        load(str(path), now=NOW)
    assert str(caught.value) == (
        f"{path}:1165: date: 2027-11-25 is in the future (today is 2026-11-25 UTC)"
    )


def test_future_bar_in_parquet_is_reported_by_row(real_files: Path, tmp_path: Path) -> None:
    frame = load(str(real_files / "prices" / "IWM.csv")).frame.drop("symbol")
    path = tmp_path / "IWM.parquet"
    frame.with_columns(pl.col("date").dt.offset_by("100d")).write_parquet(path)
    with pytest.raises(SourceError) as caught:
        load(str(path), now=NOW)
    # 100 days on, the bar of 2026-08-17 (CSV line 1160) is dated NOW's day; the next is not.
    assert str(caught.value) == (
        f"{path}:row 1160: date: 2026-11-26 is in the future (today is 2026-11-25 UTC)"
    )


@pytest.mark.parametrize(
    ("name", "symbol"),
    [
        ("iwm.csv", "IWM"),
        ("btc-usd.csv", "BTC-USD"),
        ("7203.t.csv", "7203.T"),
        ("^vix.csv", "^VIX"),
    ],
)
def test_ticker_from_a_file_name_is_upper_cased(
    name: str, symbol: str, real_files: Path, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes((real_files / "prices" / "IWM.csv").read_bytes())
    assert load(str(path), now=NOW).frame["symbol"].unique().to_list() == [symbol]
