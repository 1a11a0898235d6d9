"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the desk's articles, valid per their specs.

One `Feed` (the whole desk, one symbol or one tag) renders three ways. Each entry's id
is the article's own (`tag:` URI of its slug and close), so a revision of an article
updates its entry instead of adding one, and a reader never sees the same story twice.
XML is built with ElementTree, which escapes every text and attribute: a headline
holding `<script>` is text in the feed, never markup.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from xml.etree import ElementTree as ET

from pulsewire.article.model import Article

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True, slots=True)
class Feed:
    """A list of articles, newest first, and where it and its articles live."""

    title: str
    description: str
    home: str
    """The site's address, with a trailing slash: 'https://desk.example/'."""
    path: str
    """The feed's own path under `home`, without extension: 'feeds/all', 'feeds/iwm'."""
    articles: Sequence[Article]

    def link(self, article: Article) -> str:
        return f"{self.home}articles/{article.slug}.html"

    def url(self, extension: str) -> str:
        return f"{self.home}{self.path}.{extension}"

    @property
    def updated(self) -> dt.datetime:
        """The newest article's time; the Unix epoch for an empty feed (never 'now')."""
        return max((_utc(a.published) for a in self.articles), default=_EPOCH)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def entry_id(article: Article) -> str:
    """The article's stable id: the same for every revision of one symbol's close."""
    return f"tag:pulsewire,{article.data_as_of.isoformat()}:{article.slug}"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def content_html(article: Article) -> str:
    """The article as an HTML fragment: dek, body, Watch and Take, every text escaped."""
    parts = [f"<p><em>{escape(article.dek)}</em></p>"]
    parts += [f"<p>{escape(p)}</p>" for p in article.body]
    if article.watch:
        parts.append("<h2>Watch</h2><ul>")
        parts += [f"<li>{escape(item)}</li>" for item in article.watch]
        parts.append("</ul>")
    parts.append(f"<h2>Take</h2><p>{escape(article.take)}</p>")
    return "".join(parts)


def _xml(root: ET.Element) -> bytes:
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def rss(feed: Feed) -> bytes:
    """The feed as RSS 2.0, with an atom:link to itself as the RSS Advisory Board advises."""
    ET.register_namespace("atom", ATOM_NS)
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    for tag, text in (
        ("title", feed.title),
        ("link", feed.home),
        ("description", feed.description),
        ("lastBuildDate", format_datetime(feed.updated)),
    ):
        ET.SubElement(channel, tag).text = text
    ET.SubElement(
        channel, f"{{{ATOM_NS}}}link", href=feed.url("rss"), rel="self", type="application/rss+xml"
    )
    for article in feed.articles:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = article.title
        ET.SubElement(item, "link").text = feed.link(article)
        ET.SubElement(item, "guid", isPermaLink="false").text = entry_id(article)
        ET.SubElement(item, "pubDate").text = format_datetime(_utc(article.published))
        ET.SubElement(item, "description").text = content_html(article)
        ET.SubElement(item, "category").text = article.category
    return _xml(root)


def atom(feed: Feed) -> bytes:
    """The feed as Atom 1.0 (RFC 4287): an id, title and updated per feed and entry."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        element.text = text
        return element

    root = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(root, "id", feed.url("atom"))
    sub(root, "title", feed.title)
    sub(root, "subtitle", feed.description)
    sub(root, "updated", feed.updated.isoformat())
    sub(root, "link", href=feed.url("atom"), rel="self")
    sub(root, "link", href=feed.home, rel="alternate")
    author = sub(root, "author")
    sub(author, "name", "pulsewire")
    for article in feed.articles:
        entry = sub(root, "entry")
        sub(entry, "id", entry_id(article))
        sub(entry, "title", article.title)
        sub(entry, "updated", _utc(article.published).isoformat())
        sub(entry, "link", href=feed.link(article), rel="alternate")
        sub(entry, "summary", article.summary)
        sub(entry, "content", content_html(article), type="html")
        for tag in article.tags:
            sub(entry, "category", term=tag)
    return _xml(root)


def json_feed(feed: Feed) -> bytes:
    """The feed as JSON Feed 1.1: every item with its id, url, title and content."""
    items = [
        {
            "id": entry_id(article),
            "url": feed.link(article),
            "title": article.title,
            "summary": article.summary,
            "content_html": content_html(article),
            "date_published": _utc(article.published).isoformat(),
            "tags": list(article.tags),
        }
        for article in feed.articles
    ]
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "description": feed.description,
        "home_page_url": feed.home,
        "feed_url": feed.url("json"),
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
