"""The issue's named cases: a reason for the move, the delayed jobs report, news coverage."""

from __future__ import annotations

import datetime as dt

from pulsewire.desk import Desk
from pulsewire.facts.edition import evening
from pulsewire.writer.edition import Edition, write_edition
from tests.writer.conftest import sheets_at


def _article(editions: dict[dt.date, Edition], day: dt.date, symbol: str):  # type: ignore[no-untyped-def]
    edition = editions[day]
    index = next(i for i, a in enumerate(edition.articles) if a.symbol == symbol)
    return edition.articles[index], edition.sheets[index]


def test_iwm_on_2026_02_02_gives_a_reason_and_the_delayed_jobs_report_not_payrolls_on_feb_11(
    editions: dict[dt.date, Edition],
) -> None:
    article, sheet = _article(editions, dt.date(2026, 2, 2), "IWM")
    lead = article.body[0]
    # The reason the data hold: a risk-on tape, and a move shared with the large caps.
    assert sheet.markets.tape == "risk-on" and "tape.risk-on" in article.claims
    assert "Across markets the day was risk-on" in lead
    assert "peers.shared" in article.claims and "The move was shared" in lead
    # The delayed jobs report, cited once, in the lead.
    assert "jobs report will be delayed" in lead
    text = " ".join((*article.body, *article.catalysts, *article.risks, article.take))
    assert text.count("jobs report will be delayed") == 1
    # Payrolls' new date, Feb 11, was set after the delay: not listed ahead.
    assert "Feb 11" not in text and "Nonfarm" not in text
    assert not [e for e in sheet.events if "Employment" in e.event]


def test_on_2020_03_16_every_article_says_the_news_data_do_not_reach_that_date(
    editions: dict[dt.date, Edition],
) -> None:
    edition = editions[dt.date(2020, 3, 16)]
    for article, sheet in zip(edition.articles, edition.sheets, strict=True):
        assert not sheet.coverage.news_covers and not article.sources
        assert "news.gap" in article.claims, article.slug
        assert "The news data do not reach this date" in " ".join(article.body), article.slug
        # Nor is an empty calendar read as a quiet fortnight.
        catalysts = " ".join(article.catalysts)
        assert "The calendar data start on Jan 7, 2022" in catalysts, article.slug
        assert "No high-importance" not in catalysts


def test_the_crash_of_2020_03_16_is_told_at_its_size(editions: dict[dt.date, Edition]) -> None:
    article, sheet = _article(editions, dt.date(2020, 3, 16), "SPY")
    assert sheet.markets.tape == "risk-off"
    assert article.title.startswith("The S&P 500 Plunges 10.9%")
    assert "biggest one-day drop in the data" in article.body[0]
    assert "Across markets the day was risk-off" in article.body[0]
    # No floor under a close below every mapped level, and no plan to buy one.
    assert "Support: none on the map" in " ".join(article.watch)
    assert "buy" not in article.take.lower()


def test_a_high_set_before_a_reversal_is_the_sessions_not_the_closes(desk: Desk) -> None:
    # 2025-10-10: XLK traded to a 52-week high, then closed 4.1% down on the day.
    day = dt.date(2025, 10, 10)
    (sheet,) = sheets_at(desk, day, ("XLK",))
    article = write_edition([sheet], evening(day)).articles[0]
    assert sheet.facts["new_high_252"].value == 1 and sheet.facts["return_1"].value < 0
    text = " ".join(article.body)
    assert "The close is a fresh" not in text and "Fresh" not in article.title
    assert "The session set a fresh 52-week high of $145.67 before the close" in text
    assert "high.intraday" in article.claims and "high.fresh" not in article.claims
