from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl

from pulsewire.analysis.context import RELATED, BenchmarkBar
from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.article.model import Article
from pulsewire.desk import Desk
from pulsewire.facts.edition import build_sheets, evening
from pulsewire.facts.format import show
from pulsewire.facts.sheet import FactSheet
from pulsewire.ingest import ingest
from pulsewire.model import Panel, universe
from pulsewire.scores.board import ScoreBoard
from pulsewire.sources import bundled_data
from pulsewire.store import Store
from pulsewire.writer.audit import audit
from pulsewire.writer.edition import Edition, write_edition
from tests.conftest import NOW
from tests.writer.conftest import sheets_at


def _sentences(article: Article) -> list[str]:
    texts = (article.title, article.dek, article.summary, *article.body, *article.watch)
    texts += (*article.catalysts, *article.risks, *article.opportunities, article.take)
    return [s for text in texts for s in re.split(r"(?<=[.!?])\s+", text) if s]


def test_every_number_of_ten_editions_traces_to_its_factsheet(
    editions: dict[dt.date, Edition],
) -> None:
    articles = 0
    for edition in editions.values():
        assert len(edition.articles) == 28
        for article, sheet in zip(edition.articles, edition.sheets, strict=True):
            assert audit(article, sheet) == []
            articles += 1
    assert articles == 280


def test_the_audit_catches_a_number_the_sheet_does_not_hold(
    editions: dict[dt.date, Edition],
) -> None:
    edition = editions[dt.date(2026, 2, 2)]
    article, sheet = edition.articles[0], edition.sheets[0]
    forged = article.model_copy(update={"take": article.take + " Expect 12.34% by Mar 3."})
    assert {u.token for u in audit(forged, sheet)} == {"12.34%", "Mar 3"}


def test_no_article_repeats_a_sentence(editions: dict[dt.date, Edition]) -> None:
    for edition in editions.values():
        for article in edition.articles:
            sentences = _sentences(article)
            assert len(sentences) == len(set(sentences)), article.slug


_NUMBER = re.compile(r"[-+]?\$?\d[\d,]*(?:\.\d+)?(?:%|x|st|nd|rd|th)?")


def _masked(sentence: str, names: re.Pattern[str]) -> str:
    """Return a sentence with symbol names and numbers replaced, as the variety check reads it."""
    return _NUMBER.sub("#", names.sub("@", sentence))


def test_nine_in_ten_sentences_of_an_edition_are_its_own(
    editions: dict[dt.date, Edition],
) -> None:
    # The check: at least 80% of one edition's sentences unique once numbers and
    # symbol names (tickers and reader names) are masked, on every one of ten dates.
    words = sorted(
        {*universe(), *(p.name.text for p in universe().values())}, key=len, reverse=True
    )
    names = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    for day, edition in editions.items():
        masked = [_masked(s, names) for a in edition.articles for s in _sentences(a)]
        counts = Counter(masked)
        unique = sum(counts[s] == 1 for s in masked) / len(masked)
        assert unique >= 0.8, (day, unique, counts.most_common(3))


def test_writing_again_gives_the_same_edition(desk: Desk, editions: dict[dt.date, Edition]) -> None:
    day = dt.date(2026, 2, 2)
    again = write_edition(sheets_at(desk, day), evening(day))
    assert again.articles == editions[day].articles


def test_iwm_on_2026_02_02_is_written_from_that_close(editions: dict[dt.date, Edition]) -> None:
    edition = editions[dt.date(2026, 2, 2)]
    article = next(a for a in edition.articles if a.symbol == "IWM")
    text = " ".join(_sentences(article))
    assert "$262.18" in text  # the real close of that day
    assert "$258.20" in text and "$271.60" in text  # nearest support and resistance
    assert all(source.published <= evening(dt.date(2026, 2, 2)) for source in article.sources)
    assert {badge.name for badge in article.scores} == {"Pulse", "Conviction", "Risk", "Threat"}
    assert len(article.related) == 3 and "SPY" in {r.symbol for r in article.related}


def test_a_frozen_feed_gets_a_stale_article_and_no_calm_story(desk: Desk) -> None:
    # IWM's last bar copied onto the next sessions: prices that never move.
    panel = desk.panel
    column, last = panel.column("IWM"), panel.last_row("IWM", dt.date(2026, 8, 14))
    arrays = {name: getattr(panel, name).copy() for name in ("open", "high", "low", "close")}
    arrays |= {"adj_close": panel.adj_close.copy(), "volume": panel.volume.copy()}
    later = np.flatnonzero(np.isfinite(panel.close[last + 1 :, column]))[:5] + last + 1
    for values in arrays.values():
        values[later, column] = values[last, column]
    frozen = Panel(panel.dates, panel.symbols, **arrays)
    universe = UniverseAnalysis.compute(frozen)
    board = ScoreBoard.compute(universe, [])
    day = dt.date(2026, 8, 21)
    sheets = build_sheets(universe, board, day, ("IWM",), desk.events, desk.news).written
    article = write_edition(sheets, evening(day)).articles[0]
    assert article.stale and sheets[0].stale
    # The copies are not data: the sheet is read at the bar they repeat, so its scores
    # are the real ones of that close, not a compression the copies would fake.
    repeated = dt.date(2026, 8, 14)
    assert sheets[0].data_as_of == repeated and article.data_as_of == repeated
    real = desk.board.at("IWM", repeated)
    threat = next(b for b in article.scores if b.name == "Threat")
    assert real.threat is not None and threat.value == real.threat.value
    # Our own words: quoted headlines are other people's.
    text = re.sub(r"“[^”]*”", "", " ".join(_sentences(article))).lower()
    assert "stale" in text and "repeats" in text
    for word in ("calm", "flat", "squeeze", "quiet", "coil"):
        assert word not in text
    assert audit(article, sheets[0]) == []


def test_a_store_of_iwm_alone_writes_its_article_and_says_what_it_cannot_compare(
    desk: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "own.duckdb"
    ingest([str(Path(bundled_data()) / "prices" / "IWM.parquet")], path, NOW)
    day = dt.date(2026, 2, 2)
    (sheet,) = sheets_at(Desk.open(path), day)
    article = write_edition([sheet], evening(day)).articles[0]
    assert audit(article, sheet) == []
    assert sheet.benchmark is BenchmarkBar.NOT_HELD and sheet.related == ()
    assert not [key for key in sheet.facts if key.startswith(("strength.", "related."))]
    said = [s for s in _sentences(article) if "S&P 500" in s]
    assert len(said) == 1 and "no relative strength" in said[0] and "related market" in said[0]
    # With the whole bundle the same close is measured against SPY and its peers.
    (bundled,) = sheets_at(desk, day, ("IWM",))
    assert bundled.benchmark is BenchmarkBar.CURRENT and len(bundled.related) == 3
    theirs = write_edition([bundled], evening(day)).articles[0]
    assert not any("no relative strength" in s for s in _sentences(theirs))
    # Pulse's relative strength is neutral, and every other part is IWM's own.
    own, full = sheet.scores[0].components, bundled.scores[0].components
    assert own["relative strength"] == 0 != full["relative strength"]
    assert {k: v for k, v in own.items() if k != "relative strength"} == {
        k: v for k, v in full.items() if k != "relative strength"
    }


def test_brief_and_write_commands(bundled_store: Path, tmp_path: Path) -> None:
    from tests.test_cli import run

    brief = run("brief", "IWM", "--asof", "2026-02-02", "--format", "markdown", db=bundled_store)
    assert brief.returncode == 0, brief.stderr
    assert brief.stdout.startswith("# ") and "262.18" in brief.stdout
    out = tmp_path / "edition"
    first = run("write", "--asof", "2026-08-21", "--out", str(out), db=bundled_store)
    assert first.returncode == 0, first.stderr
    assert len(list(out.glob("*.html"))) == 28
    with Store.open(bundled_store, read_only=True) as store:
        before = store.edition(dt.date(2026, 8, 21))[0]
    again = run("write", "--asof", "2026-08-21", "--symbols", "IWM,SPY", db=bundled_store)
    assert again.returncode == 0, again.stderr
    with Store.open(bundled_store, read_only=True) as store:
        stored = store.edition(dt.date(2026, 8, 21))[0]
        calls = store.table("calls")
    # Rewriting some symbols keeps the rest of the date's edition as it was.
    assert stored.height == 28
    assert calls.filter(pl.col("origin") == "edition").height == 28
    others = pl.col("symbol").is_in(["IWM", "SPY"]).not_()
    assert stored.filter(others).equals(before.filter(others))
    assert (stored.filter(~others)["published"] > before.filter(~others)["published"]).all()


def _kinship(sheet: FactSheet, other: FactSheet, tags: set[str], theirs: set[str]) -> float:
    """The kinship rule, pair by pair, as the reference for the matrix version."""
    correlation = next((r.correlation for r in sheet.related if r.symbol == other.symbol), np.nan)
    return (
        3.0 * (other.symbol in RELATED.get(sheet.symbol, ()))
        + 2.0 * (other.asset_class == sheet.asset_class)
        + (abs(correlation) if np.isfinite(correlation) else 0.0)
        + 0.25 * len(tags & theirs)
    )


def test_related_articles_are_the_three_most_kin(editions: dict[dt.date, Edition]) -> None:
    for day in (dt.date(2020, 3, 16), dt.date(2026, 2, 2)):
        edition = editions[day]
        tags = {a.symbol: set(a.tags[1:]) for a in edition.articles}
        for sheet, article in zip(edition.sheets, edition.articles, strict=True):
            ranked = sorted(
                (-_kinship(sheet, other, tags[sheet.symbol], tags[other.symbol]), other.symbol)
                for other in edition.sheets
                if other.symbol != sheet.symbol
            )
            assert [r.symbol for r in article.related] == [s for _, s in ranked[:3]]


def test_every_live_article_measures_its_threat_history(
    editions: dict[dt.date, Edition],
) -> None:
    # The chance, the size of the move, and the group's record at that level with its base
    # rate, all traced and named for the group they were counted on.
    checked = 0
    for edition in editions.values():
        for sheet, article in zip(edition.sheets, edition.articles, strict=True):
            if sheet.stale or sheet.threat is None:
                continue
            facts = sheet.facts
            line = next(p for p in article.body if p.startswith("Threat") or " Threat " in p)
            assert show(facts["threat.probability"]) in line
            assert show(facts["threat.move"]) in line
            if "threat.cases" in facts:
                assert show(facts["threat.cases"]) in line
                assert show(facts["threat.frequency"]) in line
                assert show(facts["threat.base_rate"]) in line
                assert sheet.threat.record_group in line
                checked += 1
    assert checked > 100


def test_every_lean_is_checked_against_its_groups_record(
    editions: dict[dt.date, Edition],
) -> None:
    checked = 0
    for edition in editions.values():
        for sheet, article in zip(edition.sheets, edition.articles, strict=True):
            record = sheet.record
            if sheet.stale or record is None:
                continue
            facts = sheet.facts
            for key in ("record.cases", "record.hit_rate", "record.base_rate"):
                assert show(facts[key]) in article.take, (article.slug, key)
            assert record.group.lower() in article.take.lower()
            # An edge is claimed only when the test finds one; a lean is never a "tilt".
            edge = (
                "above the base rate by more" in article.take
                or "better than the base rate" in article.take
            )
            assert edge == (record.verdict == "edge"), article.take
            assert ("worse than the base rate" in article.take) == (record.verdict == "worse")
            assert "tilt" not in article.take
            checked += 1
    assert checked > 100
