"""Build the package's bundled data (Parquet, zstd) from ../shared/data: `make bundle`.

Every file goes through pulsewire's own validating sources first, so the bundle holds
only data that ingest accepts. The output is deterministic: the same inputs and the
same polars version give byte-identical files.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import polars as pl

from pulsewire.sources import load

NOT_REDISTRIBUTABLE = ("enochwork123-stack/stockscrap",)
"""News origins whose licence forbids shipping them (see news/SOURCES.md)."""


def _write(frame: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path, compression="zstd", compression_level=19, statistics=True)


def build(shared: Path, out: Path) -> list[str]:
    """Write the bundle under `out` and return one line per file written."""
    lines: list[str] = []
    if out.exists():
        for child in ("prices", "news", "calendar"):
            shutil.rmtree(out / child, ignore_errors=True)
    for csv in sorted((shared / "prices").glob("*.csv")):
        frame = load(str(csv)).frame.drop("symbol")
        _write(frame, out / "prices" / f"{csv.stem}.parquet")
        lines.append(f"prices/{csv.stem}.parquet: {frame.height} bars")

    news = load(str(shared / "news" / "headlines.jsonl")).frame
    kept = news.filter(~pl.col("origin").is_in(NOT_REDISTRIBUTABLE)).select(
        pl.col("ts_event").alias("published"), "title", "summary", "source", "url", "origin"
    )
    _write(kept, out / "news" / "headlines.parquet")
    lines.append(
        f"news/headlines.parquet: {kept.height} items "
        f"({news.height - kept.height} dropped from {', '.join(NOT_REDISTRIBUTABLE)})"
    )
    feeds = out / "news" / "feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared / "news" / "feeds" / "llm.xml", feeds / "llm.xml")
    lines.append(f"news/feeds/llm.xml: {load(str(feeds / 'llm.xml')).rows} items (RSS, copied)")

    events = load(str(shared / "calendar" / "events.csv")).frame
    _write(events, out / "calendar" / "events.parquet")
    lines.append(f"calendar/events.parquet: {events.height} events")

    for folder in ("prices", "news", "calendar"):
        shutil.copyfile(shared / folder / "SOURCES.md", out / folder / "SOURCES.md")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/pulsewire/data"))
    args = parser.parse_args()
    for line in build(args.shared, args.out):
        print(line)


if __name__ == "__main__":
    main()
