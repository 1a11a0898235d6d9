"""--asof as a reader means it: a date reads its closes and news to its evening, a minute
reads only what was known at that minute, and an as-of the desk cannot answer is one line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.test_cli import run


def brief(db: Path, asof: str) -> dict[str, object]:
    shown = run("brief", "IWM", "--asof", asof, "--format", "json", db=db)
    assert shown.returncode == 0, shown.stderr
    article: dict[str, object] = json.loads(shown.stdout)
    return article


def test_a_minute_reads_only_the_bars_closed_and_the_news_out_by_then(
    bundled_store_file: Path,
) -> None:
    evening = brief(bundled_store_file, "2026-02-02")
    assert "$262.18" in " ".join(evening["body"])  # type: ignore[arg-type]
    noon = dt.datetime(2026, 2, 2, 12, 0, tzinfo=dt.UTC)
    article = brief(bundled_store_file, "2026-02-02T12:00")
    body = " ".join(article["body"])  # type: ignore[arg-type]
    # Monday at noon UTC the NYSE has not opened: Friday's close is the last one known.
    assert "$259.65" in body and "$262.18" not in body
    published = [
        dt.datetime.fromisoformat(s["published"])  # type: ignore[index]
        for s in article["sources"]  # type: ignore[attr-defined]
    ]
    assert published and all(p < noon for p in published)
    # An item stamped with Feb 2 and no time may be from after noon: it waits for the evening.
    assert all(p.date() < noon.date() for p in published if p.time() == dt.time(0))


@pytest.mark.parametrize(
    ("asof", "error"),
    [
        ("9999-12-31", "--asof: 9999-12-31 is in the future (now is "),
        ("2099-01-01T10:00", "--asof: 2099-01-01T10:00 is in the future (now is "),
        ("0001-01-01", "--asof: 0001-01-01 is before 1900-01-01"),
        ("2026-13-01", "--asof: '2026-13-01' is not a date or a time"),
        ("2026-02-02T25:00", "--asof: '2026-02-02T25:00' is not a date or a time"),
        ("1950-06-01", "--asof: 1950-06-01 is before the first stored bar (1990-01-02)"),
    ],
)
def test_an_asof_the_desk_cannot_answer_is_one_line(
    bundled_store_file: Path, asof: str, error: str
) -> None:
    for command in ("brief", "analyze"):
        shown = run(command, "IWM", "--asof", asof, db=bundled_store_file)
        assert shown.returncode == 1, shown.stderr
        (line,) = [x for x in shown.stderr.splitlines() if x.startswith("error:")]
        assert line.startswith(f"error: {error}"), line
        assert "unexpected" not in shown.stderr


def test_a_replay_since_a_late_or_future_date_is_graded_or_refused(bundled_store: Path) -> None:
    late = run("scorecard", "--replay", "--since", "2026-08-20", "--json", db=bundled_store)
    assert late.returncode == 0, late.stderr  # every call still pending: graded as such
    assert json.loads(late.stdout)["calls"] == 24
    future = run("scorecard", "--replay", "--since", "9999-01-01", db=bundled_store)
    assert future.returncode == 1
    assert "error: --since: 9999-01-01 is in the future" in future.stderr


def test_by_default_a_bar_of_today_still_forming_is_not_read(tmp_path: Path) -> None:
    import polars as pl

    from pulsewire.sources import bundled_data

    # Real BTC-USD bars moved on to end yesterday (UTC), and a bar dated today: a 24/7 day
    # closes at the next midnight, so today's bar is still forming.
    bars = pl.read_parquet(Path(bundled_data()) / "prices" / "BTC-USD.parquet").head(-1)
    today = dt.datetime.now(dt.UTC).date()
    bars = bars.with_columns(pl.col("date") + (today - dt.timedelta(days=1) - bars["date"][-1]))
    last = bars.tail(1)
    forming = last.with_columns(
        pl.lit(today).alias("date"),
        *(pl.col(c) * 1.5 for c in ("open", "high", "low", "close", "adj_close")),
    )
    path = tmp_path / "BTC-USD.csv"
    pl.concat([bars, forming]).write_csv(path)
    db = tmp_path / "store.duckdb"
    assert run("ingest", str(path), db=db).returncode == 0
    shown = run("brief", "BTC-USD", "--format", "json", db=db)
    assert shown.returncode == 0, shown.stderr
    body = " ".join(json.loads(shown.stdout)["body"])
    assert f"{last['close'][0]:,.2f}" in body
    assert f"{forming['close'][0]:,.2f}" not in body
