"""Escape codes planted in a store's real headlines reach no FactSheet, page or terminal.

The store here is filled before ingest cleaned its text (the rows are rewritten after
reading, as an old store would hold them): the facts stage must clean on its own.
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
from rich.console import Console

from pulsewire.article.render import article_json, to_html, to_markdown, to_terminal
from pulsewire.facts.edition import build_sheets, evening
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import BIDI_CONTROLS
from pulsewire.writer.audit import audit
from pulsewire.writer.edition import write_edition
from tests.writer.conftest import Desk

DAY = dt.date(2026, 2, 2)
SYMBOLS = ("IWM", "BTC-USD", "SPY")
# An OSC 8 hyperlink to elsewhere, a window title, a colour, a NUL, bidi overrides.
LINK = "\x1b]8;;http://evil\x07"
TITLE = "\x1b]0;pwned\x1b\\"
PAYLOAD = f"{LINK}\x1b[31m\x00\u202e{TITLE}\u2066\x1b]8;;\x07\u2069\x1b[0m"
# What must not appear in any output (rich writes its own ESC [ ... m styles).
FORBIDDEN = ("]8;;http://evil", "]0;", "pwned", "\x00", "\x07", *BIDI_CONTROLS)


def _planted(news: pl.DataFrame) -> pl.DataFrame:
    """The stored headlines with `PAYLOAD` after every title, summary, source and url."""
    return news.with_columns(
        pl.concat_str(pl.col(name), pl.lit(PAYLOAD)).alias(name)
        for name in ("title", "summary", "source", "url")
    )


def _sheets(desk: Desk, news: pl.DataFrame) -> list[FactSheet]:
    built = build_sheets(desk.universe, desk.board, DAY, SYMBOLS, desk.events, news)
    return list(built.written)


@pytest.fixture(scope="module")
def sheets(desk: Desk) -> tuple[list[FactSheet], list[FactSheet]]:
    """The sheets of `SYMBOLS` from the real headlines, and from the planted ones."""
    return _sheets(desk, desk.news), _sheets(desk, _planted(desk.news))


def test_the_payload_is_in_the_store_rows_the_sheets_cite(
    sheets: tuple[list[FactSheet], list[FactSheet]], desk: Desk
) -> None:
    clean, _ = sheets
    cited = {source.title for sheet in clean for source in sheet.news}
    assert cited  # the test would prove nothing without headlines
    planted = _planted(desk.news).filter(pl.col("title").str.contains(LINK, literal=True))
    assert planted.height == desk.news.height


def test_sheets_from_planted_headlines_equal_those_from_the_real_ones(
    sheets: tuple[list[FactSheet], list[FactSheet]],
) -> None:
    clean, planted = sheets
    assert planted == clean
    for sheet in planted:
        assert sheet.news, sheet.symbol
        for source in sheet.news:
            for text in (source.title, source.snippet, source.domain, source.url):
                assert "\x1b" not in text and not [m for m in FORBIDDEN if m in text], text


def test_no_renderer_prints_the_payload(
    sheets: tuple[list[FactSheet], list[FactSheet]],
) -> None:
    _, planted = sheets
    edition = write_edition(planted, evening(DAY))
    for article, sheet in zip(edition.articles, edition.sheets, strict=True):
        assert audit(article, sheet) == []
        console = Console(file=io.StringIO(), force_terminal=True, width=100)
        console.print(to_terminal(article))
        terminal = console.file.getvalue()  # type: ignore[attr-defined]
        assert "\x1b[" in terminal  # rich's own styles: the bytes are the terminal's
        outputs = {
            "json": article_json(article),
            "markdown": to_markdown(article),
            "html": to_html(article),
            "terminal": terminal,
            "sheet": sheet.model_dump_json(),
        }
        for name, text in outputs.items():
            assert not [mark for mark in FORBIDDEN if mark in text], (name, article.symbol)
        for name in ("json", "markdown", "html", "sheet"):
            assert "\x1b" not in outputs[name] and "\\u001b" not in outputs[name], name
        assert article.sources and all(
            "\x1b" not in source.title + source.url for source in article.sources
        )
