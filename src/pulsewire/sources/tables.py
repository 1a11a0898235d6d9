"""Read a file's bytes into columns, and parse columns with errors that point at a line.

Every tabular source (CSV, Parquet, JSONL) goes through here, so a bad cell is reported
the same way whatever the format: ``file:line: field: what is wrong``.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, NoReturn

import polars as pl

from pulsewire.errors import SourceError
from pulsewire.model import Problem

TableFormat = Literal["csv", "parquet", "jsonl"]


@dataclass(frozen=True)
class RawTable:
    """A file read as columns (text formats: all strings), with its origin and digest.

    Row ``i`` of a CSV is on line ``i + 2`` (after the header), of a JSONL file on line
    ``i + 1``; a Parquet file has no lines, so its rows are reported as ``row i+1``.
    """

    origin: str
    sha256: str
    frame: pl.DataFrame
    first_line: int | None

    def error(self, problem: Problem) -> SourceError:
        """Return the `SourceError` that locates `problem` in this file."""
        if self.first_line is None:
            return SourceError(
                self.origin,
                problem.row + 1,
                problem.field,
                problem.value,
                problem.reason,
                line_label="row ",
            )
        return SourceError(
            self.origin, self.first_line + problem.row, problem.field, problem.value, problem.reason
        )

    def raise_first(self, problems: Iterable[Problem | None]) -> None:
        """Raise the error of the earliest problem, if there is one."""
        found = [p for p in problems if p is not None]
        if found:
            raise self.error(min(found, key=lambda p: p.row))


def file_error(origin: str, reason: str, hint: str = "") -> NoReturn:
    """Raise a `SourceError` about a whole file."""
    raise SourceError(origin, None, None, None, reason, hint=hint)


def _read_csv(data: bytes, numeric: Collection[str]) -> pl.DataFrame:
    """Read CSV cells as text, except `numeric` columns when all of them parse as numbers.

    Parsing numbers in the reader is the fast path; if any cell refuses, everything is
    read as text so that `parse_columns` can say which cell. Dates always stay text:
    the reader would also accept day-first dates such as 02-01-2020.
    """
    if numeric:
        try:
            return pl.read_csv(
                io.BytesIO(data),
                infer_schema=False,
                schema_overrides=dict.fromkeys(numeric, pl.Float64()),
            )
        except pl.exceptions.PolarsError:
            pass  # a cell that is not a number: read it as text and locate it below
    return pl.read_csv(io.BytesIO(data), infer_schema=False)


def read_table(
    origin: str, data: bytes, fmt: TableFormat, numeric: Collection[str] = ()
) -> RawTable:
    """Return the columns of a CSV, Parquet or JSONL file given as bytes.

    Raises
    ------
    SourceError
        If the file is empty, has no rows, or cannot be parsed in its format.
    """
    if not data.strip():
        file_error(origin, "empty file", "expected a header line and at least one row")
    digest = hashlib.sha256(data).hexdigest()
    if fmt == "jsonl":
        return _read_jsonl(origin, digest, data)
    try:
        frame = _read_csv(data, numeric) if fmt == "csv" else pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as e:
        if fmt == "csv":
            _raise_ragged_row(origin, data)
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise SourceError(origin, None, None, None, f"not a readable {fmt} file: {first}") from e
    if frame.height == 0:
        file_error(origin, "no rows after the header", "the file holds column names only")
    return RawTable(origin, digest, frame, 2 if fmt == "csv" else None)


def _raise_ragged_row(origin: str, data: bytes) -> None:
    """Find the first CSV row whose number of fields differs from the header's."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace")))
    header = next(rows, [])
    for row in rows:
        if row and len(row) != len(header):
            raise SourceError(
                origin,
                rows.line_num,
                None,
                row,
                f"{len(row)} fields where the header has {len(header)}",
            )


def _read_jsonl(origin: str, digest: str, data: bytes) -> RawTable:
    records: list[dict[str, object]] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        file_error(origin, f"not UTF-8 text ({e.reason} at byte {e.start})")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            raise SourceError(origin, number, None, None, "empty line")
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise SourceError(
                origin, number, None, line[:80], f"not JSON ({e.msg} at column {e.colno})"
            ) from e
        if not isinstance(record, dict):
            raise SourceError(
                origin, number, None, record, f"expected a JSON object, got {type(record).__name__}"
            )
        records.append(record)
    columns = sorted({key for record in records for key in record})
    for number, record in enumerate(records, start=1):
        for key, value in record.items():
            if value is not None and not isinstance(value, str):
                raise SourceError(
                    origin, number, key, value, f"expected text, got {type(value).__name__}"
                )
    frame = pl.DataFrame(
        {key: [record.get(key) for record in records] for key in columns},
        schema=dict.fromkeys(columns, pl.String()),
    )
    return RawTable(origin, digest, frame, 1)


def require_columns(table: RawTable, required: Sequence[str]) -> None:
    """Raise if a required column is missing, naming the column it was probably meant to be."""
    present = table.frame.columns
    missing = [name for name in required if name not in present]
    if not missing:
        return
    name = missing[0]
    unknown = [c for c in present if c not in required]
    guess = difflib.get_close_matches(name, unknown, n=1, cutoff=0.5) or [
        c for c in unknown if c.strip().lower() == name
    ]
    where = f" (found {guess[0]!r}: column names are exact and lower case)" if guess else ""
    raise SourceError(
        table.origin,
        1 if table.first_line == 2 else None,
        name,
        None,
        f"missing column{where}",
        hint=f"expected columns: {', '.join(required)}",
    )


_EXPECTED: Final[dict[pl.DataType, tuple[str, Callable[[pl.Expr], pl.Expr]]]] = {
    pl.Float64(): ("a number", lambda text: text.cast(pl.Float64, strict=False)),
    pl.Date(): ("a date (YYYY-MM-DD)", lambda text: text.str.to_date("%Y-%m-%d", strict=False)),
    pl.Time(): ("a time (HH:MM, UTC)", lambda text: text.str.to_time("%H:%M", strict=False)),
}
_RAW = "raw\0"


def _blank(column: pl.Expr, dtype: pl.DataType, target: pl.DataType) -> pl.Expr:
    """Null or empty cells; for text fields, whitespace-only cells too."""
    if dtype != pl.String:
        return column.is_null()
    if target == pl.String:
        return column.is_null() | (column.str.strip_chars().str.len_bytes() == 0)
    return column.is_null() | (column.str.len_bytes() == 0)


def _first_row(mask: pl.Expr, name: str) -> pl.Expr:
    return mask.arg_true().first().alias(name)


def parse_columns(
    table: RawTable, columns: Mapping[str, pl.DataType], optional: Collection[str] = ()
) -> tuple[pl.DataFrame, Problem | None]:
    """Parse text columns to numbers, ISO dates (YYYY-MM-DD), times (HH:MM) or text.

    Blank cells become null, and are a problem unless the column is `optional`; a cell
    that does not parse (including one padded with spaces) is a problem. Text stays
    exactly as received. Returns the parsed columns and the earliest problem, if any.
    """
    frame = table.frame
    values: list[pl.Expr] = []
    checks: list[pl.Expr] = []
    problems: list[Problem | None] = []
    for name, dtype in columns.items():
        raw_dtype = frame.schema[name]
        raw = pl.col(_RAW + name)
        blank = _blank(raw, raw_dtype, dtype)
        if name not in optional:
            checks.append(_first_row(blank, f"missing\0{name}"))
        if raw_dtype == pl.String and dtype in _EXPECTED:
            values.append(_EXPECTED[dtype][1](pl.col(name)).alias(name))
            checks.append(_first_row(pl.col(name).is_null() & ~blank, f"bad\0{name}"))
        elif raw_dtype == dtype or dtype == pl.String:
            values.append(pl.col(name))
        elif raw_dtype.is_numeric() and dtype.is_numeric():
            values.append(pl.col(name).cast(dtype))
        else:
            reason = f"column holds {raw_dtype} where {dtype} is expected"
            problems.append(Problem(0, name, None, reason))
            values.append(pl.col(name))
    # Parse once, then look for the first blank or unparseable cell of every column in
    # a second pass over raw and parsed columns side by side (no copies: hstack).
    parsed = frame.select(values)
    side_by_side = frame.select(pl.all().name.prefix(_RAW)).hstack(parsed)
    found = side_by_side.select(checks).row(0, named=True) if checks else {}
    for key, row in found.items():
        if row is None:
            continue
        check, name = key.split("\0")
        if check == "missing":
            problems.append(Problem(row, name, None, "missing value"))
        else:
            value = frame[name][row]
            expected = _EXPECTED[columns[name]][0]
            problems.append(Problem(row, name, value, f"{value!r} is not {expected}"))
    first = min((p for p in problems if p), key=lambda p: p.row, default=None)
    return parsed, first


def parse_timestamps(table: RawTable, column: str) -> tuple[pl.Series, Problem | None]:
    """Parse ISO 8601 timestamps with a zone (``2026-02-02T19:45:00Z``) to UTC.

    A timestamp without a zone is a problem: the desk never guesses which clock a
    headline was stamped with.
    """
    raw = table.frame[column]
    blank = table.frame.select(
        _first_row(_blank(pl.col(column), raw.dtype, pl.String()), column)
    ).item()
    missing = None if blank is None else Problem(blank, column, None, "missing value")
    utc = pl.Datetime("us", "UTC")
    if isinstance(raw.dtype, pl.Datetime):
        if raw.dtype.time_zone is None:
            return raw, Problem(0, column, None, "timestamps have no time zone")
        return raw.dt.convert_time_zone("UTC").cast(utc), missing
    values: list[dt.datetime | None] = []
    bad: Problem | None = None
    for row, text in enumerate(raw.to_list()):
        stamp = None
        if text is not None and text.strip():
            try:
                stamp = dt.datetime.fromisoformat(text.strip())
            except ValueError:
                bad = bad or Problem(row, column, text, f"{text!r} is not an ISO 8601 time")
            else:
                if stamp.tzinfo is None:
                    bad = bad or Problem(
                        row, column, text, f"{text!r} has no time zone (add Z or +00:00)"
                    )
                    stamp = None
                else:
                    stamp = stamp.astimezone(dt.UTC)
        values.append(stamp)
    first = min((p for p in (missing, bad) if p), key=lambda p: p.row, default=None)
    return pl.Series(column, values, dtype=utc), first
