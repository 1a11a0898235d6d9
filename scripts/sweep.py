"""Write and store an edition for every date of the bundled news era: `make sweep`.

Every date must write; an edition that leaves a symbol out is named with why. The
editions go through `Desk.write`, the path `pulsewire write` takes, into a scratch
store; the report is printed and written to SWEEP.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import tempfile
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pulsewire.desk import AsOf, Desk
from pulsewire.ingest import ingest
from pulsewire.sources import bundled_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("SWEEP.md"))
    args = parser.parse_args()
    console = Console(stderr=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        store = Path(scratch) / "sweep.duckdb"
        ingest([bundled_data()], store, dt.datetime.now(dt.UTC))
        desk = Desk.open(store)
        days = desk.news_era()
        partial: list[str] = []
        reasons: Counter[str] = Counter()
        articles = 0
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
            task = progress.add_task("writing editions", total=len(days))
            for day in days:
                sheets = desk.sheets(AsOf(day, None))
                edition = desk.write(sheets, dt.datetime.now(dt.UTC)).edition
                articles += len(edition.articles)
                if edition.left_out:
                    partial.append(f"- {day}: " + "; ".join(map(str, edition.left_out)))
                    reasons.update(str(s.reason) for s in edition.left_out)
                progress.advance(task)
    took = time.perf_counter() - started
    lines = [
        "# Sweep: an edition for every date of the bundled news era",
        "",
        f"`make sweep` on {platform.node()} ({platform.machine()}), "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {took:.0f} s.",
        "",
        f"- dates: {len(days):,}, {days[0]} to {days[-1]}; every one written and stored",
        f"- articles: {articles:,}",
        f"- whole editions: {len(days) - len(partial):,}; partial: {len(partial):,}",
        *(f"  - {reason}: {count:,} symbol-dates" for reason, count in reasons.most_common()),
        "",
        "## Partial editions",
        "",
        *(partial or ["None."]),
        "",
    ]
    args.out.write_text("\n".join(lines))
    console.print("\n".join(lines[:10]))


if __name__ == "__main__":
    main()
