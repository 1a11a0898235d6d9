"""Measure pulsewire's ingest and reads against plain DuckDB and polars, and its indicators
against TA-Lib and pandas-ta-classic: `make bench`.

Everything runs in one process and lands in one markdown file together with the machine,
versions and command that produced it, because ratios only mean something next to those.
No network is needed: the inputs are `--shared` and the package's bundled data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from itertools import count
from pathlib import Path
from typing import Final

import duckdb
import numpy as np
import polars as pl
from rich.console import Console
from rich.progress import Progress

from articles import article_section, measure_articles
from articles import goal_lines as article_goal_lines
from indicators import Universe, indicator_section, measure_indicators
from indicators import goal_lines as indicator_goal_lines
from pulsewire.ingest import IngestReport, ingest
from pulsewire.sources import bundled_data
from pulsewire.store import Store
from scores import score_section

REPEATS: Final = 5
GOAL: Final = 2.0
"""The issue's goal: validated ingest within this factor of the plain DuckDB load."""
READS: Final = 2_000
WARMUP_READS: Final = 50
LAST: Final = 300
SYNTHETIC_SYMBOLS: Final = 2_000
SYNTHETIC_BARS: Final = 2_520
SEED: Final = 7

PRICE_FIELDS: Final = ("open", "high", "low", "close", "adj_close", "volume")
CSV_COLUMNS: Final = {"date": "DATE", **dict.fromkeys(PRICE_FIELDS, "DOUBLE")}
POLARS_SCHEMA: Final = {"date": pl.Date(), **dict.fromkeys(PRICE_FIELDS, pl.Float64())}
BARS_DDL: Final = "CREATE TABLE bars (symbol VARCHAR, date DATE, {})".format(
    ", ".join(f"{field} DOUBLE" for field in PRICE_FIELDS)
)
SYMBOL_FROM_FILENAME: Final = "parse_filename(filename, true) AS symbol, * EXCLUDE (filename)"
LAST_BARS_SQL: Final = """
    SELECT * FROM (SELECT * FROM bars WHERE symbol = $symbol ORDER BY date DESC LIMIT $count)
    ORDER BY date
"""
"""The query `Store.last_bars` runs, so plain tables are read exactly as the store is."""

Reader = Callable[[str], pl.DataFrame]


@dataclass(frozen=True)
class Timing:
    label: str
    median_ms: float
    min_ms: float


@dataclass(frozen=True)
class Comparison:
    """pulsewire's time, the plain DuckDB loads the goal is judged on, and other tools."""

    pulsewire: Timing
    duckdb: list[Timing]
    others: list[Timing]

    @property
    def fastest_plain(self) -> Timing:
        return min((*self.duckdb, *self.others), key=lambda t: t.median_ms)


@dataclass(frozen=True)
class Latency:
    data: str
    layout: str
    rows: int
    row_groups: int
    p50_ms: float
    p99_ms: float
    mean_ms: float


class Scratch:
    """Hands out fresh database paths, so every timed load starts from no file at all."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._serial = count()

    def db(self) -> Path:
        return self._root / f"{next(self._serial)}.duckdb"


def measure(progress: Progress, label: str, run: Callable[[], object]) -> Timing:
    """Time `run` REPEATS times after one untimed warm-up that fills the OS file cache."""
    task = progress.add_task(label, total=REPEATS + 1)
    seconds: list[float] = []
    for _ in range(REPEATS + 1):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
        progress.advance(task)
    timed = seconds[1:]
    return Timing(label, statistics.median(timed) * 1e3, min(timed) * 1e3)


def pulsewire_ingest(locations: Sequence[str], path: Path) -> IngestReport:
    return ingest(locations, path, dt.datetime.now(dt.UTC))


def pulsewire_reingest(locations: Sequence[str], path: Path) -> None:
    """Re-ingest into an existing store; a file rewritten means the sha256 skip is broken."""
    if pulsewire_ingest(locations, path).written:
        raise SystemExit(f"re-ingest of {', '.join(locations)} rewrote unchanged files")


def read_csv(
    con: duckdb.DuckDBPyConnection, files: str | list[str], *, sniff: bool
) -> duckdb.DuckDBPyRelation:
    """Read price CSVs with their column types; `sniff=False` also skips dialect sniffing.

    DuckDB sniffs even when `columns` is given, and on files this small that is most of
    the time, so the bench shows both.
    """
    if sniff:
        return con.read_csv(files, columns=CSV_COLUMNS, header=True, filename=True)
    return con.read_csv(
        files,
        columns=CSV_COLUMNS,
        header=True,
        filename=True,
        auto_detect=False,
        sep=",",
        date_format="%Y-%m-%d",
    )


def duckdb_csv_per_file(files: Sequence[Path], path: Path, *, sniff: bool) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(BARS_DDL)
        for file in files:
            relation = read_csv(con, str(file), sniff=sniff)
            relation.project(SYMBOL_FROM_FILENAME).insert_into("bars")


def duckdb_csv_one_call(files: Sequence[Path], path: Path, *, sniff: bool) -> None:
    with duckdb.connect(str(path)) as con:
        relation = read_csv(con, [str(file) for file in files], sniff=sniff)
        relation.project(SYMBOL_FROM_FILENAME).create("bars")


def polars_csv(files: Sequence[Path]) -> pl.DataFrame:
    scans = [
        pl.scan_csv(f, schema=POLARS_SCHEMA).with_columns(symbol=pl.lit(f.stem)) for f in files
    ]
    return pl.concat(scans).collect()


def polars_to_duckdb(frame: pl.DataFrame, path: Path, order_by: str = "") -> None:
    """Write `frame` as table `bars` of a new DuckDB file, in the physical order `order_by`."""
    with duckdb.connect(str(path)) as con:
        con.register("frame", frame)
        con.execute(f"CREATE TABLE bars AS SELECT * FROM frame {order_by}")


def duckdb_parquet(bundle: Path, path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        prices = [str(p) for p in sorted((bundle / "prices").glob("*.parquet"))]
        con.read_parquet(prices, filename=True).project(SYMBOL_FROM_FILENAME).create("bars")
        con.read_parquet(str(bundle / "news" / "headlines.parquet")).create("news")
        con.read_parquet(str(bundle / "calendar" / "events.parquet")).create("calendar_events")


def synthetic_bars() -> pl.DataFrame:
    """A seeded random-walk universe, big enough (dozens of row groups) for order to matter."""
    rng = np.random.default_rng(SEED)
    shape = (SYNTHETIC_SYMBOLS, SYNTHETIC_BARS)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, shape), axis=1))
    open_ = np.concatenate([close[:, :1], close[:, :-1]], axis=1)
    wick = 1 + np.abs(rng.normal(0, 0.005, (2, *shape)))
    return pl.DataFrame(
        {
            "symbol": np.repeat([f"S{i:04d}" for i in range(SYNTHETIC_SYMBOLS)], SYNTHETIC_BARS),
            "date": np.tile(
                np.busday_offset("2016-01-04", np.arange(SYNTHETIC_BARS), roll="forward"),
                SYNTHETIC_SYMBOLS,
            ),
            "open": open_.ravel(),
            "high": (np.maximum(open_, close) * wick[0]).ravel(),
            "low": (np.minimum(open_, close) / wick[1]).ravel(),
            "close": close.ravel(),
            "adj_close": close.ravel(),
            "volume": rng.integers(100_000, 10_000_000, close.size).astype(np.float64),
        }
    )


@contextmanager
def store_reader(path: Path) -> Iterator[Reader]:
    with Store.open(path, read_only=True) as store:
        yield lambda symbol: store.last_bars(symbol, LAST)


@contextmanager
def duckdb_reader(path: Path) -> Iterator[Reader]:
    with duckdb.connect(str(path), read_only=True) as con:
        yield lambda symbol: con.sql(LAST_BARS_SQL, params={"symbol": symbol, "count": LAST}).pl()


def storage_shape(path: Path) -> tuple[int, int]:
    """Return the rows and row groups of `bars`: row groups are what DuckDB can skip."""
    with duckdb.connect(str(path), read_only=True) as con:
        ((rows,),) = con.sql("SELECT count(*) FROM bars").fetchall()
        ((groups,),) = con.sql(
            "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('bars')"
        ).fetchall()
    return rows, groups


def latency(
    progress: Progress,
    data: str,
    layout: str,
    path: Path,
    symbols: Sequence[str],
    open_reader: Callable[[Path], AbstractContextManager[Reader]],
) -> Latency:
    """Time READS one-symbol reads of the last LAST bars, cycling through `symbols`."""
    task = progress.add_task(f"reads: {data}, {layout}", total=READS)
    rows, groups = storage_shape(path)
    seconds: list[float] = []
    with open_reader(path) as read:
        for symbol in symbols[:WARMUP_READS]:
            read(symbol)
        for i in range(READS):
            symbol = symbols[i % len(symbols)]
            start = time.perf_counter()
            frame = read(symbol)
            seconds.append(time.perf_counter() - start)
            if frame.height != LAST:
                raise SystemExit(f"{path}: {symbol} gave {frame.height} bars, not {LAST}")
            progress.advance(task)
    ms = np.array(seconds) * 1e3
    p50, p99 = np.percentile(ms, [50, 99])
    return Latency(data, layout, rows, groups, float(p50), float(p99), float(ms.mean()))


def read_latencies(progress: Progress, scratch: Scratch, store_path: Path) -> list[Latency]:
    """Read the store and a date-ordered copy of it, then the same for a synthetic universe."""
    with Store.open(store_path, read_only=True) as store:
        bars = store.table("bars")
    symbols = sorted(bars["symbol"].unique())
    real = f"real: {len(symbols)} symbols"
    by_date = scratch.db()
    polars_to_duckdb(bars, by_date, "ORDER BY date, symbol")
    results = [
        latency(
            progress, real, "pulsewire store, (symbol, date)", store_path, symbols, store_reader
        ),
        latency(progress, real, "plain DuckDB, (date, symbol)", by_date, symbols, duckdb_reader),
    ]
    synthetic = synthetic_bars()
    data = f"synthetic: {SYNTHETIC_SYMBOLS:,} symbols x {SYNTHETIC_BARS:,} bars"
    names = synthetic["symbol"].unique().shuffle(seed=SEED).to_list()
    for order in ("symbol, date", "date, symbol"):
        path = scratch.db()
        polars_to_duckdb(synthetic, path, f"ORDER BY {order}")
        results.append(
            latency(progress, data, f"plain DuckDB, ({order})", path, names, duckdb_reader)
        )
    return results


def machine() -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    kib = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    return [
        ("CPU", cpu),
        ("cores", str(os.cpu_count())),
        ("RAM", f"{kib / 2**20:.1f} GiB"),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("DuckDB", duckdb.__version__),
        ("polars", pl.__version__),
        ("pulsewire", version("pulsewire")),
    ]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = [" | ".join(header), " | ".join("---" for _ in header)]
    return [*(f"| {line} |" for line in lines), *(f"| {' | '.join(row)} |" for row in rows)]


def goal_lines(comparison: Comparison) -> list[str]:
    """Give every DuckDB ratio, but judge the goal on the fastest, the strictest reading."""
    pulsewire = comparison.pulsewire.median_ms
    lines = [
        f"- pulsewire ÷ {t.label}: **{pulsewire / t.median_ms:.2f}x**" for t in comparison.duckdb
    ]
    fastest = min(comparison.duckdb, key=lambda t: t.median_ms)
    ratio = pulsewire / fastest.median_ms
    verdict = "met" if ratio <= GOAL else "not met"
    return [
        *lines,
        "",
        f"Judged on the fastest DuckDB load ({fastest.label}): {ratio:.2f}x, goal **{verdict}**.",
    ]


def comparison_table(comparison: Comparison) -> list[str]:
    fastest = comparison.fastest_plain
    rows = [
        (
            t.label,
            f"{t.median_ms:,.1f}",
            f"{t.min_ms:,.1f}",
            f"{t.median_ms / fastest.median_ms:.2f}x",
        )
        for t in (comparison.pulsewire, *comparison.duckdb, *comparison.others)
    ]
    return [
        *table(("tool", "median ms", "min ms", "median ÷ fastest plain load"), rows),
        "",
        f"Fastest plain load: {fastest.label}.",
        "",
    ]


def render(
    command: str,
    seconds: float,
    csv: Comparison,
    csv_report: IngestReport,
    bundle: Comparison,
    bundle_report: IngestReport,
    reingests: list[tuple[Timing, Timing]],
    reads: list[Latency],
    indicators: list[Universe],
) -> str:
    now = dt.datetime.now(dt.UTC)
    bars, b = csv_report.after, bundle_report.after
    reingest_rows = [
        (
            again.label,
            f"{again.median_ms:,.1f}",
            f"{again.min_ms:,.1f}",
            f"{again.median_ms / first.median_ms:.2f}x",
        )
        for again, first in reingests
    ]
    read_rows = []
    for r in reads:
        base = next(x for x in reads if x.data == r.data)
        read_rows.append(
            (
                r.data,
                r.layout,
                f"{r.rows:,}",
                str(r.row_groups),
                f"{r.p50_ms:.2f}",
                f"{r.p99_ms:.2f}",
                f"{r.mean_ms:.2f}",
                f"{r.p50_ms / base.p50_ms:.2f}x",
            )
        )
    lines = [
        "# Benchmarks",
        "",
        f"Produced on {now:%Y-%m-%d %H:%M} UTC by `{command}`",
        "(the command `make bench` runs).",
        "",
        "Every load starts from no database file and includes opening and closing it. Times",
        f"are the median and minimum of {REPEATS} runs after one untimed warm-up",
        "(`time.perf_counter`). Everything ran in one process, one measurement at a time,",
        f"in {seconds:.0f} s.",
        "",
        *table(("machine", ""), machine()),
        "",
        f"## 1. Ingest of price CSVs ({bars.symbols} files, {bars.bars:,} bars)",
        "",
        f"Goal (from the issue): validated ingest within {GOAL:g}x of the plain DuckDB load.",
        "",
        *goal_lines(csv),
        "",
        *comparison_table(csv),
        "pulsewire also validates every row, sorts bars by (symbol, date) and logs each file's",
        "sha256; the plain loads only parse. DuckDB gets the column types",
        "(`columns={'date': 'DATE', 'open': 'DOUBLE', ...}`) and polars the same `schema`.",
        "DuckDB still sniffs each CSV's dialect when `columns` is given; the rows marked",
        "\"no sniffing\" also pass `auto_detect=False, sep=',', date_format='%Y-%m-%d'`,",
        "and the difference is what sniffing costs.",
        "",
        f"## 2. Ingest of all bundled data ({b.bars:,} bars, {b.news:,} news items, "
        f"{b.calendar_events:,} calendar events)",
        "",
        *goal_lines(bundle),
        "",
        *comparison_table(bundle),
        "pulsewire also reads the bundled RSS feed (`news/feeds/llm.xml`, included in the",
        "news count above), which plain DuckDB has no reader for.",
        "",
        "## 3. Re-ingest of unchanged files",
        "",
        "A second ingest of the same files into the same store; each file is skipped by its",
        "sha256 (the run fails if any is rewritten).",
        "",
        *table(("ingest", "median ms", "min ms", "median ÷ first ingest median"), reingest_rows),
        "",
        f"## 4. Read latency: last {LAST} bars of one symbol",
        "",
        f"Each row times {READS:,} reads, one at a time, after {WARMUP_READS} untimed ones:",
        "real symbols in turn, synthetic ones in a seeded shuffled order. The store is read",
        "with `Store.last_bars`, plain tables with the same SQL via",
        "`con.sql(query, params=...).pl()`. Date-ordered tables hold the same rows in",
        "`ORDER BY date, symbol`, the order a daily feed appends them in. The synthetic",
        f"universe is a seeded random walk (seed {SEED}), not market data.",
        "",
        *table(
            (
                "data",
                "table and physical order",
                "rows",
                "row groups",
                "p50 ms",
                "p99 ms",
                "mean ms",
                "p50 ÷ (symbol, date) p50",
            ),
            read_rows,
        ),
        "",
        *indicator_section(indicators),
    ]
    return "\n".join(lines)


def bench_csv(progress: Progress, scratch: Scratch, prices: Path) -> Comparison:
    csvs = sorted(prices.glob("*.csv"))
    return Comparison(
        measure(
            progress,
            "pulsewire ingest (validated)",
            lambda: pulsewire_ingest([str(prices)], scratch.db()),
        ),
        [
            measure(
                progress,
                "DuckDB read_csv per file, INSERT",
                lambda: duckdb_csv_per_file(csvs, scratch.db(), sniff=True),
            ),
            measure(
                progress,
                "DuckDB read_csv of all files in one call, CREATE TABLE AS",
                lambda: duckdb_csv_one_call(csvs, scratch.db(), sniff=True),
            ),
            measure(
                progress,
                "DuckDB read_csv per file, INSERT, no sniffing",
                lambda: duckdb_csv_per_file(csvs, scratch.db(), sniff=False),
            ),
            measure(
                progress,
                "DuckDB read_csv of all files in one call, CREATE TABLE AS, no sniffing",
                lambda: duckdb_csv_one_call(csvs, scratch.db(), sniff=False),
            ),
        ],
        [
            measure(
                progress,
                "polars scan_csv per file, concat, collect (in memory)",
                lambda: polars_csv(csvs),
            ),
            measure(
                progress,
                "polars as above, then CREATE TABLE AS in DuckDB",
                lambda: polars_to_duckdb(polars_csv(csvs), scratch.db()),
            ),
        ],
    )


def bench_bundle(progress: Progress, scratch: Scratch, bundle: Path) -> Comparison:
    return Comparison(
        measure(
            progress,
            "pulsewire ingest of the whole bundle (validated)",
            lambda: pulsewire_ingest([str(bundle)], scratch.db()),
        ),
        [
            measure(
                progress,
                "DuckDB read_parquet per table, CREATE TABLE AS",
                lambda: duckdb_parquet(bundle, scratch.db()),
            )
        ],
        [],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument(
        "--only",
        choices=["articles", "scores"],
        help="run one section and print it instead of writing --out",
    )
    args = parser.parse_args()
    if args.only == "articles":
        print("\n".join(article_section(measure_articles())))
        return
    if args.only == "scores":
        print("\n".join(score_section()))
        return
    start = time.perf_counter()
    command = shlex.join([os.path.relpath(sys.executable), *sys.argv])
    prices, bundle = args.shared / "prices", Path(bundled_data())
    console = Console(stderr=True)
    with (
        tempfile.TemporaryDirectory(prefix="pulsewire-bench-") as tmp,
        Progress(console=console) as progress,
    ):
        scratch = Scratch(Path(tmp))
        csv = bench_csv(progress, scratch, prices)
        bundled = bench_bundle(progress, scratch, bundle)
        csv_store, bundle_store = scratch.db(), scratch.db()
        csv_report = pulsewire_ingest([str(prices)], csv_store)
        bundle_report = pulsewire_ingest([str(bundle)], bundle_store)
        reingests = [
            (
                measure(
                    progress,
                    "re-ingest of the price CSVs",
                    lambda: pulsewire_reingest([str(prices)], csv_store),
                ),
                csv.pulsewire,
            ),
            (
                measure(
                    progress,
                    "re-ingest of the bundled data",
                    lambda: pulsewire_reingest([str(bundle)], bundle_store),
                ),
                bundled.pulsewire,
            ),
        ]
        reads = read_latencies(progress, scratch, csv_store)
        indicators = measure_indicators(progress)
        progress.console.print("scores over a universe")
        scores = score_section()
        progress.console.print("articles end to end")
        articles = measure_articles()
    seconds = time.perf_counter() - start
    report = render(
        command, seconds, csv, csv_report, bundled, bundle_report, reingests, reads, indicators
    )
    args.out.write_text(report + "\n\n" + "\n".join([*scores, *article_section(articles)]))
    console.print(f"wrote {args.out}")
    for line in (
        *goal_lines(csv),
        *goal_lines(bundled),
        *indicator_goal_lines(indicators),
        *article_goal_lines(articles),
    ):
        if line:
            console.print(line.replace("**", ""), markup=False)


if __name__ == "__main__":
    main()
