"""`Store`: the DuckDB file that holds bars, news, calendar events and the ingest log.

This is the only module that speaks SQL. Every write is one transaction: a batch lands
whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Self

import duckdb
import polars as pl

from pulsewire.errors import StoreBusyError, StoreError
from pulsewire.model import Batch, CalendarEvent

_LOCK_HOLDER = re.compile(r"PID (\d+)")
_QUOTED_FILE = re.compile(r' (?:from |on )?file "[^"]*"')  # the path, already in the message


@dataclass(frozen=True, slots=True)
class SeriesCoverage:
    """What the store holds of one symbol's series."""

    symbol: str
    first: dt.date
    last: dt.date
    bars: int


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """Row counts of every table, for status lines and idempotence checks."""

    symbols: int
    bars: int
    news: int
    calendar_events: int
    ingests: int


# A DuckDB file is three 4 KiB headers (the main one, then two database headers) and
# then whole blocks; its main header carries these magic bytes after an 8-byte checksum.
_HEADER_BYTES = 3 * 4096
_MAGIC = (8, b"DUCK")
_CORRUPT_HINT = (
    "restore it from a backup, or move it aside and run `pulsewire ingest` to build it again"
)


def _is_duckdb_file(path: Path) -> bool:
    offset, magic = _MAGIC
    try:
        with path.open("rb") as handle:
            return handle.read(offset + len(magic))[offset:] == magic
    except OSError:
        return False


def _corrupt(path: Path, reason: str) -> StoreError:
    reason = _QUOTED_FILE.sub("", reason)
    return StoreError(f"store {path} is corrupt or truncated: {reason}", hint=_CORRUPT_HINT)


def _open_error(path: Path, error: duckdb.Error, *, read_only: bool) -> StoreError:
    """Return the error to raise when DuckDB refuses to open `path` (for `read_only`).

    A lock conflict says who holds the file when that is known: DuckDB refuses a read
    lock only to a writer, and when it refuses a write lock it adds that the file could
    be opened read-only if the holder only reads.
    """
    message = str(error)
    first = message.splitlines()[0] if message else type(error).__name__
    lowered = message.lower()
    if "could not set lock" in lowered or "conflicting lock" in lowered:
        holder = _LOCK_HOLDER.search(message)
        who = f"another process (PID {holder.group(1)})" if holder else "another process"
        if read_only:
            doing = f"{who} is writing to {path}"
        elif "read-only mode" in lowered:
            doing = f"{who} holds {path} open for reading"
        else:
            doing = f"{who} holds {path} open"
        return StoreBusyError(
            f"store is busy: {doing}",
            hint="wait for it to finish, or pass --db to use another store",
        )
    if _is_duckdb_file(path):
        return _corrupt(path, first)
    return StoreError(
        f"cannot open store {path}: {first}",
        hint="pass --db a pulsewire store (a DuckDB file), or a new path to create one",
    )


def _connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as e:
        raise _open_error(path, e, read_only=read_only) from e


def _whole(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Raise `StoreError` unless the file at `path` holds every block the store uses.

    DuckDB opens a truncated file without complaint and fails only when a query reaches
    a block past its end, or it writes new blocks after the gap. So this compares the
    file's size with what the store's metadata says it uses: the file must end on a
    block, and hold at least as many blocks as are in use, and every block that a
    table's data (`pragma_storage_info`) or the metadata (`pragma_metadata_info`) points
    at. Metadata only: 10-20 ms on the bundled store, whatever its size.
    """
    try:
        ((block_size, used),) = connection.execute(
            "SELECT block_size, used_blocks FROM pragma_database_size() "
            "WHERE database_name = current_database()"
        ).fetchall()
        tables = connection.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
        data = " UNION ALL ".join(
            "SELECT greatest(block_id, list_max(additional_block_ids)) AS block "
            f"FROM pragma_storage_info('{name.replace(chr(39), chr(39) * 2)}') WHERE persistent"
            for (name,) in tables
        )
        query = "SELECT max(block_id) AS block FROM pragma_metadata_info()"
        ((last,),) = connection.execute(
            f"SELECT max(block) FROM ({query}{' UNION ALL ' + data if data else ''})"
        ).fetchall()
    except duckdb.Error as e:
        raise _corrupt(path, str(e).splitlines()[0]) from e
    size = path.stat().st_size
    blocks, partial = divmod(size - _HEADER_BYTES, block_size)
    needed = max(used, -1 if last is None else last + 1)
    if size < _HEADER_BYTES or partial:
        raise _corrupt(path, f"its {size:,} bytes end inside a block of {block_size:,}")
    if blocks < needed:
        raise _corrupt(
            path,
            f"it holds {blocks:,} blocks of {block_size:,} bytes where the store uses {needed:,}",
        )


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if a failed commit has not already ended it."""
    with suppress(duckdb.TransactionException):
        con.rollback()


class Store:
    """A pulsewire store in one DuckDB file; use as a context manager."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path) -> None:
        self._con = connection
        self.path = path

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Self:
        """Open (or create, unless `read_only`) the store at `path`.

        An existing file is checked before anything can write to it (`_whole`): a
        writable open first reads it read-only, so a corrupt file is left byte for byte
        as it was.

        Raises
        ------
        StoreBusyError
            If another process holds the file's lock; the message says whether it
            writes or only reads, when DuckDB tells.
        StoreError
            If the file is missing (read-only), is not a DuckDB database, or is a
            DuckDB file that is corrupt or truncated.
        """
        if read_only and not path.exists():
            raise StoreError(f"no store at {path}", hint="run `pulsewire ingest` first")
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            # Checked read-only: DuckDB may write to a file it opens for writing.
            checked = _connect(path, read_only=True)
            try:
                _whole(checked, path)
            except BaseException:
                checked.close()
                raise
            if read_only:
                return cls(checked, path)
            checked.close()
        connection = _connect(path, read_only=False)
        schema = resources.files("pulsewire.store").joinpath("schema.sql").read_text()
        connection.execute(schema)
        return cls(connection, path)

    def close(self) -> None:
        """Release the file and its lock."""
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def known_files(self) -> set[tuple[str, str]]:
        """Return the (origin, sha256) of every file already ingested.

        The origin is the path or URL the file was read from, as logged.
        """
        rows = self._con.execute("SELECT DISTINCT file, sha256 FROM ingest_log").fetchall()
        return {(row[0], row[1]) for row in rows}

    def write(self, batches: Sequence[Batch], ts_ingest: dt.datetime) -> None:
        """Write validated batches in one transaction, replacing records with the same key.

        Bars are keyed by (symbol, date), news by `news_id` (a news item is immutable:
        the first copy stored is kept), events by (date, event, country). On any error
        the store is left exactly as it was.
        """
        if not batches:
            return
        incoming = ("incoming_bars", "incoming_news", "incoming_calendar", "incoming_log")
        with self._transaction(*incoming):
            self._write_bars([b.frame for b in batches if b.kind == "bars"])
            self._write_news([b.frame for b in batches if b.kind == "news"], ts_ingest)
            self._write_calendar([b.frame for b in batches if b.kind == "calendar"])
            log = pl.DataFrame(
                {
                    "file": [b.origin for b in batches],
                    "kind": [b.kind for b in batches],
                    "sha256": [b.sha256 for b in batches],
                    "rows": [b.rows for b in batches],
                    "ts_ingest": [ts_ingest] * len(batches),
                },
                schema_overrides={"rows": pl.Int64(), "ts_ingest": pl.Datetime("us", "UTC")},
            )
            self._con.register("incoming_log", log)
            self._con.execute("INSERT INTO ingest_log SELECT * FROM incoming_log")

    @contextmanager
    def _transaction(self, *registered: str) -> Iterator[None]:
        """Run a block in one transaction: all of it lands, or none (registrations dropped)."""
        con = self._con
        con.begin()
        try:
            yield
            con.commit()
        except duckdb.Error as e:
            _rollback(con)
            raise StoreError(
                f"write to {self.path} failed: {str(e).splitlines()[0]}",
                hint="the store is as it was; check the disk has room and the file is writable",
            ) from e
        except BaseException:
            _rollback(con)
            raise
        finally:
            for name in registered:
                con.unregister(name)

    def _write_bars(self, frames: list[pl.DataFrame]) -> None:
        if not frames:
            return
        # Each batch holds one symbol in date order; sorted by symbol, their concatenation
        # is in (symbol, date) order unless a symbol comes in several files.
        frames = sorted(frames, key=lambda frame: str(frame["symbol"][0]))
        incoming = pl.concat(frames)
        in_order = len(frames) == len({frame["symbol"][0] for frame in frames})
        if not in_order:
            # The later file wins, as it would in a later batch.
            incoming = incoming.unique(["symbol", "date"], keep="last").sort("symbol", "date")
        self._con.register("incoming_bars", incoming)
        columns = "symbol, date, open, high, low, close, adj_close, volume"
        ((last_symbol,),) = self._con.execute("SELECT max(symbol) FROM bars").fetchall()
        if last_symbol is None or incoming["symbol"][0] > last_symbol:
            # New symbols that sort after every stored one: appending keeps the order.
            self._con.execute(f"INSERT INTO bars SELECT {columns} FROM incoming_bars")
            return
        # Otherwise rewrite the table in (symbol, date) order rather than append:
        # appends would interleave symbols and every one-symbol read would touch every
        # row group (a daily append is exactly that case).
        self._con.execute(
            f"""
            CREATE TABLE bars_next AS
            SELECT * FROM (
                SELECT * FROM bars ANTI JOIN incoming_bars USING (symbol, date)
                UNION ALL
                SELECT {columns} FROM incoming_bars
            ) ORDER BY symbol, date;
            DROP TABLE bars;
            ALTER TABLE bars_next RENAME TO bars;
            """
        )

    def _write_news(self, frames: list[pl.DataFrame], ts_ingest: dt.datetime) -> None:
        if not frames:
            return
        incoming = pl.concat(frames).unique("news_id", keep="first", maintain_order=True)
        self._con.register("incoming_news", incoming)
        self._con.execute(
            """
            INSERT INTO news
            SELECT news_id, ts_event, title, summary, source, url, origin, $ts_ingest
            FROM incoming_news
            ON CONFLICT (news_id) DO NOTHING
            """,
            {"ts_ingest": ts_ingest},
        )

    def _write_calendar(self, frames: list[pl.DataFrame]) -> None:
        if not frames:
            return
        incoming = pl.concat(frames).unique(
            ["date", "event", "country"], keep="last", maintain_order=True
        )
        self._con.register("incoming_calendar", incoming)
        self._con.execute(
            """
            INSERT OR REPLACE INTO calendar_events
            SELECT date, time_utc, event, country, importance FROM incoming_calendar
            """
        )

    def counts(self) -> StoreCounts:
        """Return the row count of every table."""
        (row,) = self._con.execute(
            """
            SELECT (SELECT count(DISTINCT symbol) FROM bars), (SELECT count(*) FROM bars),
                   (SELECT count(*) FROM news), (SELECT count(*) FROM calendar_events),
                   (SELECT count(*) FROM ingest_log)
            """
        ).fetchall()
        return StoreCounts(*row)

    def last_ingest(self) -> dt.datetime | None:
        """Return when the store was last written, in UTC, or None if never."""
        ((when,),) = self._con.execute("SELECT max(ts_ingest) FROM ingest_log").fetchall()
        return None if when is None else when.astimezone(dt.UTC)

    def coverage(self) -> list[SeriesCoverage]:
        """Return, per symbol, its first and last bar and how many bars it has."""
        rows = self._con.execute(
            """
            SELECT symbol, min(date), max(date), count(*) FROM bars
            GROUP BY symbol ORDER BY symbol
            """
        ).fetchall()
        return [SeriesCoverage(*row) for row in rows]

    def last_bars(self, symbol: str, count: int) -> pl.DataFrame:
        """Return the last `count` bars of `symbol`, oldest first."""
        frame: pl.DataFrame = self._con.sql(
            """
            SELECT * FROM (
                SELECT * FROM bars WHERE symbol = $symbol ORDER BY date DESC LIMIT $count
            ) ORDER BY date
            """,
            params={"symbol": symbol, "count": count},
        ).pl()
        return frame

    def bars(self, symbols: Sequence[str] | None = None) -> pl.DataFrame:
        """Return the bars of `symbols` (all when None), ordered by symbol and date."""
        if symbols is None:
            query = "SELECT * FROM bars ORDER BY symbol, date"
            frame: pl.DataFrame = self._con.sql(query).pl()
        else:
            query = (
                "SELECT * FROM bars WHERE symbol IN (SELECT unnest($symbols)) ORDER BY symbol, date"
            )
            frame = self._con.sql(query, params={"symbols": list(symbols)}).pl()
        return frame

    def write_calls(self, calls: pl.DataFrame, replace_origin: bool = False) -> None:
        """Store calls (`CALL_SCHEMA`) in one transaction, replacing the dates they cover.

        With `replace_origin`, every stored call of the incoming origins goes first (a
        new replay replaces the old one).
        """
        with self._transaction("incoming"):
            self._replace("calls", calls, "origin" if replace_origin else "origin, as_of")

    def write_grades(self, grades: pl.DataFrame) -> None:
        """Replace every stored grade with `grades` (`GRADE_SCHEMA`) in one transaction."""
        with self._transaction("incoming"):
            self._replace("grades", grades, None)

    def write_edition(
        self,
        as_of: dt.date,
        articles: pl.DataFrame,
        calls: pl.DataFrame,
        left_out: pl.DataFrame,
        *,
        symbols: Sequence[str] | None = None,
    ) -> None:
        """Store the edition of `as_of` in one transaction: articles, calls, what it left out.

        With `symbols`, only those symbols' rows of the date are replaced and the rest of
        its edition stays; without, the date's whole edition is. The frames have the
        columns of the `articles`, `calls` and `left_out` tables.
        """
        tables = {"articles": articles, "calls": calls, "left_out": left_out}
        with self._transaction(*(f"incoming_{name}" for name in tables)):
            for name, frame in tables.items():
                where = "as_of = $as_of" + (" AND origin = 'edition'" if name == "calls" else "")
                if symbols is not None:
                    where += " AND symbol IN (SELECT unnest($symbols))"
                params = {"as_of": as_of} | ({} if symbols is None else {"symbols": list(symbols)})
                self._con.execute(f"DELETE FROM {name} WHERE {where}", params)
                self._con.register(f"incoming_{name}", frame)
                self._con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming_{name}")

    def edition(self, as_of: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Return the stored articles of one as-of date by slug, and what it left out."""
        params = {"as_of": as_of}
        articles: pl.DataFrame = self._con.sql(
            "SELECT * FROM articles WHERE as_of = $as_of ORDER BY slug", params=params
        ).pl()
        left_out: pl.DataFrame = self._con.sql(
            "SELECT * FROM left_out WHERE as_of = $as_of ORDER BY symbol", params=params
        ).pl()
        return articles, left_out

    def _replace(self, table: str, frame: pl.DataFrame, key: str | None) -> None:
        """Inside a transaction: delete the rows sharing `key` with `frame` (all if None)."""
        con = self._con
        con.register("incoming", frame)
        if key is None:
            con.execute(f"DELETE FROM {table}")
        else:
            con.execute(
                f"DELETE FROM {table} WHERE ({key}) IN (SELECT DISTINCT {key} FROM incoming)"
            )
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")

    def event_dates(self, importance: str = "high") -> list[dt.date]:
        """Return the dates of the calendar's releases of one importance, in order."""
        rows = self._con.execute(
            "SELECT DISTINCT date FROM calendar_events WHERE importance = $importance "
            "ORDER BY date",
            {"importance": importance},
        ).fetchall()
        return [row[0] for row in rows]

    def events(self) -> list[CalendarEvent]:
        """Return every release of the calendar, in date order."""
        return [CalendarEvent(**row) for row in self.table("calendar_events").iter_rows(named=True)]

    def table(self, name: str) -> pl.DataFrame:
        """Return a whole table in a stable order (for audits and tests)."""
        order = {
            "bars": "symbol, date",
            "news": "news_id",
            "calendar_events": "date, event, country",
            "ingest_log": "ts_ingest, file",
            "calls": "origin, as_of, symbol",
            "grades": "origin, as_of, symbol",
            "articles": "as_of, slug",
            "left_out": "as_of, symbol",
        }
        if name not in order:
            raise StoreError(f"no table {name!r}", hint=f"tables: {', '.join(order)}")
        frame: pl.DataFrame = self._con.sql(f"SELECT * FROM {name} ORDER BY {order[name]}").pl()
        return frame
