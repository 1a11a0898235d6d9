"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of a real edition, read back by feedparser."""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path

import feedparser
import pytest

from pulsewire.article.model import Article
from pulsewire.desk import Desk
from pulsewire.facts.edition import evening
from pulsewire.publish.feeds import Feed, atom, entry_id, json_feed, rss
from pulsewire.writer.edition import write_edition
from tests.writer.conftest import sheets_at

DAY = dt.date(2026, 2, 2)
HOME = "https://desk.example/"


@pytest.fixture(scope="module")
def articles(bundled_store_file: Path) -> tuple[Article, ...]:
    desk = Desk.open(bundled_store_file)
    return write_edition(sheets_at(desk, DAY), evening(DAY)).articles


def _feed(articles: tuple[Article, ...]) -> Feed:
    return Feed("pulsewire", "Every article of the desk", HOME, "feeds/all", articles)


@pytest.mark.parametrize(("render", "version"), [(rss, "rss20"), (atom, "atom10")])
def test_xml_feeds_are_valid_and_hold_every_article(
    articles: tuple[Article, ...],
    render,
    version: str,  # type: ignore[no-untyped-def]
) -> None:
    parsed = feedparser.parse(render(_feed(articles)))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == version
    assert len(parsed.entries) == len(articles) == 28
    for entry, article in zip(parsed.entries, articles, strict=True):
        assert entry.id == entry_id(article)
        assert entry.title == article.title
        assert entry.link == f"{HOME}articles/{article.slug}.html"
        html = [c.value for c in entry.get("content", [])] + [entry.get("description", "")]
        assert any(escape(article.body[0][:40]) in text for text in html)


def test_json_feed_items_have_id_title_url_and_content(articles: tuple[Article, ...]) -> None:
    document = json.loads(json_feed(_feed(articles)))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{HOME}feeds/all.json"
    assert len(document["items"]) == 28
    for item, article in zip(document["items"], articles, strict=True):
        assert item["id"] == entry_id(article) and item["title"] == article.title
        assert item["url"].endswith(f"/articles/{article.slug}.html") and item["content_html"]


def test_an_entry_keeps_its_id_through_a_revision(articles: tuple[Article, ...]) -> None:
    first = articles[0]
    revised = first.model_copy(
        update={"title": first.title + " (corrected)", "published": evening(DAY + dt.timedelta(1))}
    )
    assert entry_id(revised) == entry_id(first)
    (entry,) = feedparser.parse(atom(_feed((revised,)))).entries
    assert entry.id == entry_id(first) and entry.title.endswith("(corrected)")


def test_a_hostile_headline_is_text_in_every_feed(articles: tuple[Article, ...]) -> None:
    payload = '<script>alert("x")</script> & "Q&A"'
    hostile = articles[0].model_copy(update={"title": payload, "take": payload})
    for render in (rss, atom):
        raw = render(_feed((hostile,)))
        assert b"<script>" not in raw
        parsed = feedparser.parse(raw)
        assert parsed.bozo == 0 and parsed.entries[0].title == payload
    item = json.loads(json_feed(_feed((hostile,))))["items"][0]
    assert item["title"] == payload and "<script>" not in item["content_html"]


def test_an_empty_feed_is_still_valid() -> None:
    for render, version in ((rss, "rss20"), (atom, "atom10")):
        parsed = feedparser.parse(render(_feed(())))
        assert parsed.bozo == 0 and parsed.version == version and parsed.entries == []
