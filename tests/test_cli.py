"""The CLI as a person or a script uses it: real subprocesses on a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pulsewire.cli import PARTIAL_EXIT


def run(
    *args: str, db: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulsewire", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PULSEWIRE_DB": str(db), "COLUMNS": "200", **(env or {})},
        check=False,
    )


def test_ingest_then_status_as_json(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    first = run("ingest", "--json", db=db)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["totals"] == {
        "symbols": 28,
        "bars": 167_653,
        "news": 21_768,
        "calendar_events": 290,
    }
    second = json.loads(run("ingest", "--json", db=db).stdout)
    assert second["added"] == {"bars": 0, "news": 0, "calendar_events": 0}
    assert len(second["files_unchanged"]) == 31

    status = run("status", "--json", "--asof", "2026-08-21T21:00", db=db)
    assert status.returncode == 0, status.stderr
    series = {s["symbol"]: s for s in json.loads(status.stdout)["series"]}
    assert len(series) == 28
    assert series["SPY"]["current"] and series["BTC-USD"]["current"]
    assert not series["ACWI"]["current"]
    assert series["ACWI"]["last"] == "2026-07-27"


def test_status_table_names_stale_series(real_files: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    run("ingest", str(real_files / "prices" / "IWM.csv"), db=db)
    shown = run("status", "--asof", "2026-11-25", db=db)
    assert shown.returncode == 0
    assert "IWM" in shown.stdout
    # A date means its evening: the Nov 25 session has closed by then.
    assert "stale, 67 behind" in shown.stdout


def test_bad_file_is_one_line_with_hint_and_nonzero_exit(real_files: Path, tmp_path: Path) -> None:
    lines = (real_files / "prices" / "IWM.csv").read_text().splitlines()
    lines[500] = lines[500].replace(lines[500].split(",")[4], "oops", 1)
    bad = tmp_path / "IWM.csv"
    bad.write_text("\n".join(lines) + "\n")
    result = run("ingest", str(bad), db=tmp_path / "store.duckdb")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {bad}:501: close: 'oops' is not a number"]


def test_missing_path_and_missing_store_are_clear(tmp_path: Path) -> None:
    missing = run("ingest", str(tmp_path / "nowhere"), db=tmp_path / "s.duckdb")
    assert missing.returncode == 1
    assert "no such file or folder" in missing.stderr
    status = run("status", db=tmp_path / "empty" / "s.duckdb")
    assert status.returncode == 1
    assert "hint: run `pulsewire ingest` first" in status.stderr


def test_text_from_outside_is_printed_literally(real_files: Path, tmp_path: Path) -> None:
    db = tmp_path / "[bold red]x[/]" / "store.duckdb"
    ingested = run("ingest", str(real_files / "prices" / "SPY.csv"), db=db)
    assert f"store {db}:" in ingested.stdout
    shown = run("status", db=db)
    assert shown.returncode == 0, shown.stderr
    assert "".join(str(db).split()) in "".join(shown.stdout.split())


def test_analyze_reads_levels_regime_and_context_at_a_past_close(bundled_store_file: Path) -> None:
    shown = run("analyze", "IWM", "--asof", "2026-02-02", "--json", db=bundled_store_file)
    assert shown.returncode == 0, shown.stderr
    analysis = json.loads(shown.stdout)
    assert (analysis["as_of"], analysis["close"]) == ("2026-02-02", 262.18)
    assert analysis["regime"] in {"trend up", "trend down", "range", "squeeze", "breakout"}
    prices = [level["price"] for level in analysis["levels"]["levels"]]
    assert min(prices) < 262.18 < max(prices)
    assert [m["symbol"] for m in analysis["day"]["related"]] == ["SPY", "QQQ", "DIA"]
    assert all(h["last_date"] <= "2026-02-02" for h in analysis["calm_history"])


def test_analyze_says_a_series_that_stopped_is_stale(bundled_store_file: Path) -> None:
    shown = run("analyze", "ACWI", db=bundled_store_file)
    assert shown.returncode == 0, shown.stderr
    assert "ACWI data is stale since 2026-07-27" in shown.stdout.replace("\n", " ")


def test_a_made_up_ticker_gets_an_article_of_its_own(tmp_path: Path, real_files: Path) -> None:
    # Real IWM bars under a ticker the desk has never heard of: no name, no peers, no SPY.
    bars = tmp_path / "ZZZT.csv"
    bars.write_text((real_files / "prices" / "IWM.csv").read_text())
    db = tmp_path / "store.duckdb"
    assert run("ingest", str(bars), db=db).returncode == 0
    written = run("write", "--asof", "2026-02-02", "--json", db=db)
    assert written.returncode == 0, written.stderr
    edition = json.loads(written.stdout)
    assert [a["slug"] for a in edition["articles"]] == ["zzzt-2026-02-02"]
    assert edition["left_out"] == []
    brief = run("brief", "ZZZT", "--asof", "2026-02-02", "--format", "json", db=db)
    assert brief.returncode == 0, brief.stderr
    article = json.loads(brief.stdout)
    assert article["title"].startswith("ZZZT ") and article["category"] == "Markets"
    assert article["tags"][:2] == ["zzzt", "other"] and article["related"] == []
    body = " ".join(article["body"])
    assert "$262.18" in body and "no relative strength" in body
    assert "Russell" not in body and "small cap" not in body


def test_write_names_the_symbols_an_early_edition_left_out(bundled_store: Path) -> None:
    as_json = run("write", "--asof", "2011-08-08", "--json", db=bundled_store)
    assert as_json.returncode == PARTIAL_EXIT, as_json.stderr
    edition = json.loads(as_json.stdout)
    assert len(edition["articles"]) == 24 and edition["partial"]
    assert edition["left_out"] == [
        {"symbol": symbol, "reason": "no bar yet", "first_bar": first, "bars": 0, "detail": ""}
        for symbol, first in (
            ("BTC-USD", "2014-09-17"),
            ("ETH-USD", "2017-11-09"),
            ("XLC", "2018-06-19"),
            ("XLRE", "2015-10-08"),
        )
    ]
    shown = run("write", "--asof", "2018-02-05", db=bundled_store)
    assert shown.returncode == PARTIAL_EXIT, shown.stderr
    assert "Edition of 2018-02-05: 26 articles" in shown.stdout
    assert "Left out: 2 symbols (the edition is partial)" in shown.stdout
    rows = {line.split("│")[1].strip(): line for line in shown.stdout.splitlines() if "│" in line}
    assert "too little history for scores" in rows["ETH-USD"] and "89" in rows["ETH-USD"]
    assert "no bar yet" in rows["XLC"] and "2018-06-19" in rows["XLC"]


def test_nothing_to_write_is_one_line_with_a_hint(tmp_path: Path, real_files: Path) -> None:
    db = tmp_path / "store.duckdb"
    run("ingest", str(real_files / "prices" / "IWM.csv"), db=db)  # bars from 2022-01-03
    early = run("write", "--asof", "2021-06-01", db=db)
    assert early.returncode == 1
    errors = [line for line in early.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: --asof: 2021-06-01 is before the first stored bar (2022-01-03)"]
    young = run("write", "--asof", "2022-02-01", db=db)
    assert young.returncode == 1
    assert "error: as_of 2022-02-01: IWM: too little history for scores" in young.stderr
    assert "hint: the first bar is 2022-01-03 (IWM)" in young.stderr
    unknown = run("brief", "NOPE", db=db)
    assert unknown.returncode == 1
    assert "error: symbol: NOPE: not in the store" in unknown.stderr
    assert "hint: run `pulsewire status`" in unknown.stderr


def test_ingest_fetches_a_loopback_feed_only_when_allowed(tmp_path: Path) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from pulsewire.sources import bundled_data

    folder = Path(bundled_data()) / "news" / "feeds"
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"127.0.0.1:{server.server_port}"
        url = f"http://{origin}/llm.xml"
        db = tmp_path / "store.duckdb"
        refused = run("ingest", url, db=db)
        assert refused.returncode == 1
        assert f"error: {url}: " in refused.stderr and "loopback" in refused.stderr
        assert not db.exists()
        allowed = run("ingest", url, "--allow-feed", origin, "--json", db=db)
        server.shutdown()
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout)["added"]["news"] == 280
