"""News from the real JSONL archive and the real RSS feed, and one defect at a time."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import polars as pl
import pytest

from pulsewire.errors import SourceError
from pulsewire.ingest import ingest
from pulsewire.model import NewsItem
from pulsewire.model.text import clean_text
from pulsewire.sources import RssNewsSource, load
from tests.conftest import BUNDLE, NOW, assert_same_content, is_whole, snapshot

LINE = 1234  # 1-based line of the archive that gets the defect
FEED = BUNDLE / "news" / "feeds" / "llm.xml"  # the real feed, shipped unchanged in the bundle


def _archive_with(real_files: Path, folder: Path, replace: str) -> Path:
    lines = (real_files / "news" / "headlines.jsonl").read_text().splitlines()
    lines[LINE - 1] = replace
    path = folder / "headlines.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _record(real_files: Path, **changes: object) -> str:
    line = (real_files / "news" / "headlines.jsonl").read_text().splitlines()[LINE - 1]
    record = json.loads(line)
    for key, value in changes.items():
        if value is None:
            record.pop(key)
        else:
            record[key] = value
    return json.dumps(record)


@pytest.mark.parametrize(
    ("defect", "field", "reason"),
    [
        ("not json", None, "not JSON"),
        ("array", None, "expected a JSON object"),
        ("no title", "title", "missing value"),
        ("blank url", "url", "missing value"),
        ("no published", "published", "missing value"),
        ("naive published", "published", "has no time zone"),
        ("bad published", "published", "is not an ISO 8601 time"),
        ("numeric title", "title", "expected text"),
    ],
)
def test_bad_jsonl_line_names_file_line_field_and_leaves_store_unchanged(
    defect: str,
    field: str | None,
    reason: str,
    real_files: Path,
    bundled_store: Path,
    tmp_path: Path,
) -> None:
    bad_line = {
        "not json": '{"title": "Fed holds", "url": ',
        "array": '["Fed holds"]',
        "no title": _record(real_files, title=None),
        "blank url": _record(real_files, url="  "),
        "no published": _record(real_files, published=None),
        "naive published": _record(real_files, published="2026-02-02T19:45:00"),
        "bad published": _record(real_files, published="Feb 2nd"),
        "numeric title": _record(real_files, title=7000),
    }[defect]
    path = _archive_with(real_files, tmp_path, bad_line)
    before = snapshot(bundled_store)
    with pytest.raises(SourceError) as caught:
        ingest([str(path)], bundled_store, NOW)
    assert (caught.value.path, caught.value.line, caught.value.field) == (str(path), LINE, field)
    assert reason in str(caught.value)
    assert_same_content(before, snapshot(bundled_store))


def test_real_archive_reads_whole_with_text_as_received_but_cleaned(shared: Path) -> None:
    path = shared / "news" / "headlines.jsonl"
    batch = load(str(path))
    raw = [json.loads(line) for line in path.read_text().splitlines()]
    assert batch.rows == len(raw) == (26_045 if is_whole(shared) else 2000)
    assert batch.frame["title"].to_list() == [clean_text(r["title"]) for r in raw]
    assert batch.frame["url"].to_list() == [r["url"] for r in raw]  # every url is clean
    # Only the few real titles with zero-width spaces (or a word joiner) in them change.
    changed = [r["title"] for r in raw if clean_text(r["title"]) != r["title"]]
    assert all(set(title) & {"\u200b", "\u2060"} for title in changed)
    assert len(changed) == (11 if is_whole(shared) else 0)
    assert batch.frame["news_id"].n_unique() == batch.rows


def test_real_archive_reads_as_the_bundle_holds_it(shared: Path) -> None:
    read = load(str(shared / "news" / "headlines.jsonl")).frame
    kept = read.filter(pl.col("origin") != "enochwork123-stack/stockscrap")  # not redistributable
    bundled = load(str(BUNDLE / "news" / "headlines.parquet")).frame
    assert bundled.filter(pl.col("news_id").is_in(read["news_id"].implode())).equals(kept)
    if is_whole(shared):
        assert bundled.equals(kept)


def test_real_feed_reads_every_item() -> None:
    batch = load(str(FEED))
    assert batch.rows == 280
    assert batch.notes == ()
    assert batch.frame["source"].unique().to_list() == ["finfeed-llm.github.io"]
    first = batch.frame.sort("ts_event")["ts_event"][0]
    assert first.date().isoformat() == "2026-06-01"


def test_truncated_feed_keeps_good_entries_and_reports_the_dropped(tmp_path: Path) -> None:
    data = FEED.read_bytes()
    cut = data.index(b"<item>", len(data) // 2) + 40  # stop inside an item's title
    path = tmp_path / "cut.xml"
    path.write_bytes(data[:cut])
    batch = load(str(path))
    declared = data[:cut].count(b"<item>")
    assert 0 < batch.rows < declared
    (note,) = batch.notes
    assert note.startswith("malformed feed")
    assert f"kept {batch.rows} entries, dropped {declared - batch.rows}" in note


def test_feed_that_is_not_xml_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("<html><body>502 Bad Gateway</body></html>")
    with pytest.raises(SourceError, match="feed"):
        load(str(path))


def test_feed_url_is_fetched_through_the_injected_client() -> None:
    body = FEED.read_bytes()
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=body)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    batch = RssNewsSource(client).load("https://feeds.example.test/llm.xml")
    assert seen == ["https://feeds.example.test/llm.xml"]
    assert batch.rows == 280
    assert batch.frame["origin"].unique().to_list() == ["https://feeds.example.test/llm.xml"]


def test_feed_url_that_fails_is_one_clear_error() -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(503)))
    with pytest.raises(SourceError, match="cannot fetch"):
        RssNewsSource(client).load("https://feeds.example.test/down.xml")


def test_news_item_key_matches_the_key_the_store_uses(real_files: Path) -> None:
    frame = load(str(real_files / "news" / "headlines.jsonl")).frame.head(50)
    for row in frame.iter_rows(named=True):
        item = NewsItem(row["ts_event"], row["title"], row["url"])
        assert item.news_id == row["news_id"]


def test_hostile_feed_text_is_stored_exactly_as_received(tmp_path: Path) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
        <item><title>&lt;script&gt;alert(1)&lt;/script&gt; Fed &amp;amp; rates</title>
        <link>javascript:alert(1)</link>
        <description>&lt;img src=x onerror=alert(1)&gt;</description>
        <pubDate>Mon, 02 Feb 2026 19:45:00 +0000</pubDate></item></channel></rss>"""
    )
    row = load(str(path)).frame.row(0, named=True)
    assert row["title"] == "<script>alert(1)</script> Fed &amp; rates"
    assert row["url"] == "javascript:alert(1)"
    assert row["summary"] == "<img src=x onerror=alert(1)>"


HOSTILE = "\x1b]8;;http://evil\x07\x1b[31m\u202e\x00"  # OSC 8 link, CSI colour, RLO, NUL


def _hostile(text: str) -> str:
    """`text` with escape codes, a NUL and bidi overrides planted around and inside it."""
    head, _, tail = text.partition(" ")
    return f"{HOSTILE}{head}\x1b]0;title\x1b\\ \u2066{tail}\u2069\x1b[0m\t\n"


def test_escape_codes_in_a_real_record_are_cleaned_and_keep_its_key(
    real_files: Path, tmp_path: Path
) -> None:
    line = (real_files / "news" / "headlines.jsonl").read_text().splitlines()[LINE - 1]
    record = json.loads(line)
    hostile = {name: _hostile(record[name]) for name in ("title", "summary", "source", "url")}
    path = _archive_with(real_files, tmp_path, _record(real_files, **hostile))
    frame = load(str(path)).frame
    clean = load(str(real_files / "news" / "headlines.jsonl")).frame
    row = frame.row(LINE - 1, named=True)
    assert row == clean.row(LINE - 1, named=True)  # the same text and the same news_id
    for name in ("title", "summary", "source", "url"):
        assert row[name] == record[name]
        assert not {"\x1b", "\x00", "\u202e", "\u2066"} & set(row[name])


def test_a_title_of_control_characters_only_names_its_line(
    real_files: Path, tmp_path: Path
) -> None:
    path = _archive_with(real_files, tmp_path, _record(real_files, title="\x1b[31m\x00\u202e"))
    with pytest.raises(SourceError) as caught:
        load(str(path))
    assert (caught.value.line, caught.value.field) == (LINE, "title")
    assert "holds no printable text" in str(caught.value)


def test_escape_codes_in_a_real_feed_are_cleaned_and_keep_its_keys(tmp_path: Path) -> None:
    data = FEED.read_text(encoding="utf-8")
    clean = load(str(FEED)).frame
    title = clean.sort("ts_event")["title"][0]
    assert data.count(f"<title>{title}</title>") == 1
    path = tmp_path / "hostile.xml"
    path.write_text(
        data.replace(f"<title>{title}</title>", f"<title>{_hostile(title)}</title>"),
        encoding="utf-8",
    )
    batch = load(str(path))
    assert batch.frame.sort("news_id").equals(
        clean.sort("news_id").with_columns(pl.lit(str(path)).alias("origin"))
    )
