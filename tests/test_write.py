"""`write` as all or nothing: the store and the --out folder hold one whole edition each,
whatever fails and whenever the process dies; one bad article never costs the edition."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from pulsewire import cli
from pulsewire.article.model import Article
from pulsewire.cli import PARTIAL_EXIT, app
from pulsewire.desk import AsOf, Desk
from pulsewire.facts.sheet import FactSheet
from pulsewire.ingest import ingest
from pulsewire.publish.folder import MANIFEST
from pulsewire.store import Store
from pulsewire.writer import edition as writer_edition
from tests.conftest import NOW
from tests.test_cli import run

DAY = "2026-02-02"


@pytest.fixture(scope="module")
def small_store_file(real_files: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real IWM, SPY and VIX bars from 2022 with the real news and calendar slices."""
    path = tmp_path_factory.mktemp("small") / "store.duckdb"
    ingest([str(real_files / name) for name in ("prices", "news", "calendar")], path, NOW)
    return path


@pytest.fixture
def store(small_store_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    path.write_bytes(small_store_file.read_bytes())
    return path


def stored(path: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    with Store.open(path, read_only=True) as store:
        return store.table("articles"), store.table("calls"), store.table("left_out")


def folder_content(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def whole_edition(folder: Path, symbols: set[str]) -> str:
    """Return the one publication time of a whole edition folder, or fail."""
    manifest = json.loads((folder / MANIFEST).read_text())["files"]
    assert sorted(manifest) == sorted(p.name for p in folder.iterdir() if p.name != MANIFEST)
    articles = [
        json.loads((folder / name).read_text()) for name in manifest if name.endswith("json")
    ]
    assert {a["symbol"] for a in articles} == symbols
    for article in articles:
        for suffix in (".html", ".md"):
            assert (folder / f"{article['slug']}{suffix}").stat().st_size > 1000
    (published,) = {a["published"] for a in articles}
    return str(published)


@pytest.mark.parametrize(
    ("limit", "failure"),
    [
        pytest.param(8 * 1024, "error: --out {out}: cannot write ", id="the files"),
        pytest.param(64 * 1024, "error: write to {store} failed: ", id="the store"),
    ],
)
def test_a_write_that_cannot_finish_leaves_store_and_folder_as_they_were(
    store: Path, tmp_path: Path, limit: int, failure: str
) -> None:
    out = tmp_path / "edition"
    assert run("write", "--asof", DAY, "--out", str(out), db=store).returncode == 0
    before, files = stored(store), folder_content(out)

    def small_files() -> None:
        # Writing past `limit` bytes of any file fails with EFBIG, as on a full disk: at
        # 8 KiB the staged HTML fails; at 64 KiB the files pass and the store's commit fails.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    failed = subprocess.run(
        [sys.executable, "-m", "pulsewire", "write", "--asof", DAY, "--out", str(out)],
        env={**os.environ, "PULSEWIRE_DB": str(store), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        check=False,
    )
    assert failed.returncode == 1, failed.stderr
    (error,) = [line for line in failed.stderr.splitlines() if line.startswith("error:")]
    assert error.startswith(failure.format(out=out, store=store)), error
    assert "unexpected" not in failed.stderr
    for table, was in zip(stored(store), before, strict=True):
        assert table.equals(was)
    assert folder_content(out) == files
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_what_is_in_the_way_of_out_is_refused_before_anything_changes(
    store: Path, tmp_path: Path
) -> None:
    before = stored(store)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "keep.md").write_text("mine too")
    link = tmp_path / "link"
    link.symlink_to(theirs)
    cases = {
        a_file: "is a file, not a folder",
        theirs: "holds files pulsewire did not write",
        link: "is a symlink; pulsewire never writes through one",
        a_file / "edition": "cannot create a folder",
    }
    for out, reason in cases.items():
        result = run("write", "--asof", DAY, "--out", str(out), db=store)
        assert result.returncode == 1
        assert f"error: --out {out}: {reason}" in result.stderr, result.stderr
    assert a_file.read_text() == "mine" and folder_content(theirs) == {"keep.md": b"mine too"}
    for table, was in zip(stored(store), before, strict=True):
        assert table.equals(was)


def test_a_symlink_planted_in_the_output_folder_is_never_followed(
    store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "edition"
    assert run("write", "--asof", DAY, "--out", str(out), db=store).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    planted = out / "iwm-2026-02-02.html"
    planted.unlink()
    planted.symlink_to(victim)
    again = run("write", "--asof", DAY, "--out", str(out), db=store)
    assert again.returncode == 0, again.stderr
    assert victim.read_text() == "untouched"
    assert not planted.is_symlink() and planted.read_text().startswith("<!doctype html>")


def test_a_kill_at_any_moment_leaves_the_old_edition_or_the_new_one_in_each_place(
    store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "edition"
    symbols = {"IWM", "SPY", "VIX"}
    assert run("write", "--asof", DAY, "--out", str(out), db=store).returncode == 0
    start = time.perf_counter()
    assert run("write", "--asof", DAY, "--out", str(out), db=store).returncode == 0
    took = time.perf_counter() - start
    chance = random.Random(11)
    in_the_window = 0
    for kill in range(12):
        articles = stored(store)[0]
        old = whole_edition(out, symbols)
        writing = subprocess.Popen(
            [sys.executable, "-m", "pulsewire", "write", "--asof", DAY, "--out", str(out)],
            env={**os.environ, "PULSEWIRE_DB": str(store)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if kill % 2:
            # Any moment of the run, however loaded the machine is...
            time.sleep(took * chance.random())
        else:
            # ...and moments after the files start, when the folder and store change.
            while writing.poll() is None and not list(tmp_path.glob(".edition.pulsewire-*")):
                time.sleep(0.002)
            time.sleep(chance.uniform(0, 0.2))
            in_the_window += writing.poll() is None
        writing.send_signal(signal.SIGKILL)
        writing.wait()
        now = whole_edition(out, symbols)
        after = stored(store)[0]
        assert after.height == 3 and after["published"].n_unique() == 1
        assert set(after["symbol"]) == symbols
        # Each place holds the edition it held, or the whole new one: never an older one.
        assert after.equals(articles) or after["published"][0] > articles["published"][0]
        assert now == old or now > old
    assert in_the_window >= 3


def test_symbols_are_read_once_each_and_an_empty_list_is_refused(store: Path) -> None:
    for names in ("", " , "):
        empty = run("write", "--asof", DAY, "--symbols", names, db=store)
        assert empty.returncode == 1
        assert f"error: --symbols: {names!r} names no symbol" in empty.stderr
    twice = run("write", "--asof", DAY, "--symbols", "IWM,IWM,iwm", "--json", db=store)
    assert twice.returncode == 0, twice.stderr
    assert "note: --symbols names IWM more than once: written once" in twice.stderr
    assert [a["slug"] for a in json.loads(twice.stdout)["articles"]] == ["iwm-2026-02-02"]
    bad = run("write", "--symbols", "IWM;rm", db=store)
    assert bad.returncode == 1 and "error: symbol: 'IWM;RM' is not a ticker" in bad.stderr


def test_an_article_that_fails_its_audit_is_left_out_and_the_rest_is_written(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = writer_edition.write_article

    def with_an_untraced_number(sheet: FactSheet, published: object) -> Article:
        article = real(sheet, published)  # type: ignore[arg-type]
        if sheet.symbol != "SPY":
            return article
        return article.model_copy(update={"take": article.take + " It could fall 12.34%."})

    monkeypatch.setattr(writer_edition, "write_article", with_an_untraced_number)
    monkeypatch.setenv("PULSEWIRE_DB", str(store))
    result = CliRunner().invoke(app, ["write", "--asof", DAY, "--json"])
    assert result.exit_code == PARTIAL_EXIT, result.output
    edition = json.loads(result.stdout)
    assert edition["partial"] and [a["slug"][:3] for a in edition["articles"]] == ["iwm", "vix"]
    (gone,) = edition["left_out"]
    assert gone["symbol"] == "SPY" and gone["detail"] == "take: '12.34%'"
    articles, calls, left_out = stored(store)
    assert sorted(articles["symbol"]) == ["IWM", "VIX"]
    assert sorted(calls.filter(pl.col("origin") == "edition")["symbol"]) == ["IWM", "VIX"]
    assert left_out.select("symbol", "reason", "detail").rows() == [
        ("SPY", "a number its FactSheet cannot back", "take: '12.34%'")
    ]


def test_headline_terms_and_data_findings_with_digits_no_longer_cost_an_article(
    bundled_store_file: Path,
) -> None:
    # Dates the news era could not write: "russell 2000" and "10 year" were matched terms.
    desk = Desk.open(bundled_store_file)
    for day, symbol in (("2026-05-26", "IWM"), ("2025-12-24", "IEF"), ("2026-02-13", "IEF")):
        sheets = desk.sheets(AsOf(dt.date.fromisoformat(day), None), [symbol])
        edition = writer_edition.write_edition(sheets.written, NOW)
        assert [a.symbol for a in edition.articles] == [symbol], edition.left_out


def test_ctrl_c_says_what_was_kept(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(path: Path) -> Desk:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.Desk, "open", interrupted)
    monkeypatch.setenv("PULSEWIRE_DB", str(store))
    result = CliRunner().invoke(app, ["write", "--asof", DAY])
    assert result.exit_code == 130
    assert "interrupted: the store and the --out folder each hold the edition they held before" in (
        " ".join(result.output.split())
    )


def test_a_series_a_thousand_sessions_stale_is_written_and_says_so(tmp_path: Path) -> None:
    from pulsewire.sources import bundled_data

    prices = Path(bundled_data()) / "prices"
    iwm = pl.read_parquet(prices / "IWM.parquet").filter(pl.col("date") <= dt.date(2022, 8, 25))
    iwm.write_csv(tmp_path / "IWM.csv")
    pl.read_parquet(prices / "SPY.parquet").write_csv(tmp_path / "SPY.csv")
    path = tmp_path / "store.duckdb"
    ingest([str(tmp_path / "IWM.csv"), str(tmp_path / "SPY.csv")], path, NOW)
    desk = Desk.open(path)
    sheets = desk.sheets(AsOf(dt.date(2026, 8, 21), None), ["IWM"])
    edition = writer_edition.write_edition(sheets.written, NOW)
    assert edition.left_out == ()
    (article,) = edition.articles
    assert "1000 sessions behind 2026-08-21" in article.body[0]
