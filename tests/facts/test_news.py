from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis.context import ASSET_CLASS
from pulsewire.errors import ParameterError
from pulsewire.facts.news import (
    CLASS_TERMS,
    MACRO_TERMS,
    SNIPPET_CHARS,
    SYMBOL_TERMS,
    named_until,
    news_window,
    select_edition_news,
    select_news,
)
from pulsewire.model import NEWS_SCHEMA, news_id
from pulsewire.store import Store

UTC = dt.UTC
EVENING = dt.datetime(2026, 2, 2, 23, 59, tzinfo=UTC)
"""The IWM edition of 2026-02-02: the week of the Warsh nomination and the shutdown."""


@pytest.fixture(scope="module")
def news(bundled_store_file: Path) -> pl.DataFrame:
    """The bundled headlines as the store keeps them."""
    with Store.open(bundled_store_file, read_only=True) as store:
        return store.table("news")


def items(*rows: dict[str, object]) -> pl.DataFrame:
    """A news frame of hand-made items; `ts_event` defaults to `EVENING` less an hour."""
    filled = []
    for row in rows:
        item = {
            "ts_event": EVENING - dt.timedelta(hours=1),
            "summary": "",
            "source": "",
            "url": "https://example.com/" + str(row["title"]).replace(" ", "-"),
            "origin": "test",
        } | row
        ts_event = item["ts_event"]
        assert isinstance(ts_event, dt.datetime)
        item["news_id"] = news_id(str(item["url"]), str(item["title"]), ts_event)
        filled.append(item)
    return pl.DataFrame(filled, schema=NEWS_SCHEMA)


def terms_of(symbol: str) -> set[str]:
    return {*SYMBOL_TERMS[symbol], *CLASS_TERMS[ASSET_CLASS[symbol]], *MACRO_TERMS}


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9&]+", text.lower()))


def test_iwm_cites_warsh_and_the_delayed_jobs_report_at_the_end_of_2026_02_02(
    news: pl.DataFrame,
) -> None:
    sources = select_news(news_window(news, EVENING), "IWM", EVENING)
    # The only item saying the jobs report is delayed is stamped Feb 2 with no time: it is
    # known from the end of that day, when the day's edition is written, not at noon.
    noon = dt.datetime(2026, 2, 2, 12, tzinfo=UTC)
    assert not [
        s for s in select_news(news_window(news, noon), "IWM", noon) if "delayed" in s.title
    ]
    assert [s for s in sources if "Warsh" in s.title]
    tuesday = EVENING + dt.timedelta(days=1)
    later = select_news(news_window(news, tuesday), "IWM", tuesday)
    jobs = [s for s in sources if "jobs report will be delayed" in s.title]
    assert len(sources) == len(later) == 5
    assert len(jobs) == 1
    assert jobs[0].domain == "cnbc.com"
    assert jobs[0].published == dt.datetime(2026, 2, 2, tzinfo=UTC)
    assert {"jobs report", "shutdown"} <= set(jobs[0].matched)
    for as_of, cited in ((EVENING, sources), (tuesday, later)):
        assert all(s.published <= as_of for s in cited)
        assert [s.relevance for s in cited] == sorted((s.relevance for s in cited), reverse=True)
        for source in cited:
            assert source.matched
            assert set(source.matched) <= terms_of("IWM")
            text = f" {words(source.title)} {words(source.snippet)} "
            # Each matched term is in the headline (the snippet may have cut the summary).
            assert any(f" {words(term)}" in text for term in source.matched)


def test_btc_on_a_crypto_day_selects_bitcoin_items(news: pl.DataFrame) -> None:
    as_of = dt.datetime(2026, 4, 15, 21, tzinfo=UTC)
    sources = select_news(news_window(news, as_of), "BTC-USD", as_of)

    assert len(sources) == 5
    for source in sources:
        assert set(source.matched) & {"bitcoin", "btc"}
        assert re.search(r"\b(bitcoin|btc)\b", source.title, re.IGNORECASE)
        assert as_of - dt.timedelta(days=7) < source.published <= as_of


def test_gld_on_the_metals_crash_selects_gold_items_first(news: pl.DataFrame) -> None:
    as_of = dt.datetime(2026, 1, 30, 23, 59, tzinfo=UTC)
    sources = select_news(news_window(news, as_of), "GLD", as_of)

    assert "gold" in sources[0].matched
    assert sum("gold" in s.matched for s in sources) >= 3
    assert any("Precious metals crash" in s.title for s in sources)


def test_gld_does_not_take_digital_gold_for_gold(news: pl.DataFrame) -> None:
    window = news_window(news, dt.datetime(2026, 4, 15, 21, tzinfo=UTC))
    digital = window.filter(pl.col("title").str.contains("(?i)digital gold"))

    assert digital.height > 0
    assert all("gold" not in terms for terms in digital["terms"])
    assert all("digital gold" in terms for terms in digital["terms"])


def test_select_skips_items_published_after_as_of_inside_the_window(news: pl.DataFrame) -> None:
    window = news_window(news, EVENING + dt.timedelta(days=2))
    sources = select_news(window, "IWM", EVENING, limit=50)

    assert window["ts_event"].max() > EVENING  # type: ignore[operator]
    assert sources
    assert all(s.published <= EVENING for s in sources)


def test_same_story_from_several_feeds_is_cited_once(news: pl.DataFrame) -> None:
    as_of = dt.datetime(2026, 1, 31, tzinfo=UTC)
    window = news_window(news, as_of)
    titles = [s.title for s in select_news(window, "BTC-USD", as_of, limit=window.height)]
    copies = (
        "President Donald Trump nominates Kevin Warsh as Fed Chair",  # coindesk.com, medium
        "Trump Nominates Kevin Warsh as New Fed Chair",  # thedefiant.io, other
        "President Trump Nominates Kevin Warsh for Federal Reserve Chair",  # bankless.com
    )

    assert copies[0] in titles
    assert copies[1] not in titles
    assert copies[2] not in titles
    # The dropped copies are relevant in themselves: alone, each is selected.
    for title in copies[1:]:
        alone = window.filter(pl.col("title") == title)
        assert [s.title for s in select_news(alone, "BTC-USD", as_of)] == [title]


def test_no_two_selected_items_tell_the_same_story(news: pl.DataFrame) -> None:
    as_of = dt.datetime(2026, 1, 31, tzinfo=UTC)
    window = news_window(news, as_of)
    sources = select_news(window, "BTC-USD", as_of, limit=window.height)
    stop = re.compile(r"\b(a|as|for|new|the|to)\b")
    tokens = [frozenset(words(stop.sub(" ", s.title.lower())).split()) for s in sources]

    assert len({s.url for s in sources}) == len(sources)
    for i, first in enumerate(tokens):
        for second in tokens[i + 1 :]:
            assert len(first & second) < 0.6 * len(first | second)


def test_hand_made_duplicates_keep_the_best_copy() -> None:
    frame = items(
        {"title": "Fed holds rates steady, signals patience", "url": "https://www.reuters.com/a"},
        {
            # Newer, but from a lower tier: the Reuters copy scores higher.
            "title": "FED HOLDS RATES STEADY -- SIGNALS PATIENCE!",
            "url": "https://youtube.com/watch?v=1",
            "ts_event": EVENING - dt.timedelta(minutes=5),
        },
        {
            # Another title under the same link, published earlier.
            "title": "Powell speaks as markets wait",
            "url": "https://www.reuters.com/a",
            "ts_event": EVENING - dt.timedelta(hours=5),
        },
        {"title": "Gold hits a record as the dollar slides", "url": "https://cnbc.com/g"},
    )
    sources = select_news(news_window(frame, EVENING), "GLD", EVENING)

    assert [(s.title, s.domain) for s in sources] == [
        ("Gold hits a record as the dollar slides", "cnbc.com"),
        ("Fed holds rates steady, signals patience", "reuters.com"),
    ]


FUTURE_TITLES = (
    "Gold soars as Fed cuts rates",
    "Bitcoin crashes after jobs report",
    "Small caps rally on Warsh",
    "",
)


@st.composite
def future_items(draw: st.DrawFn, as_of: dt.datetime) -> pl.DataFrame:
    """Items published after `as_of`, titled like real headlines or anything at all."""
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        title = draw(st.sampled_from(FUTURE_TITLES) | st.text(min_size=1, max_size=60))
        after = dt.timedelta(microseconds=draw(st.integers(1, 10 * 86_400_000_000)))
        rows.append(
            {
                "title": title or "x",
                "summary": draw(st.sampled_from(FUTURE_TITLES) | st.text(max_size=80)),
                "url": draw(st.sampled_from(("https://www.cnbc.com/x", "https://a.io/"))),
                "ts_event": as_of + after,
            }
        )
    return items(*rows)


def as_store(frame: pl.DataFrame, news: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the store's columns and types, ready to concatenate to `news`."""
    return frame.with_columns(
        pl.col("ts_event").dt.convert_time_zone("Etc/UTC"),
        pl.col("ts_event").dt.convert_time_zone("Etc/UTC").alias("ts_ingest"),
    ).cast(news.schema)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_news_after_as_of_never_changes_the_selection(
    news: pl.DataFrame, data: st.DataObject
) -> None:
    as_of = data.draw(st.sampled_from(news["ts_event"].to_list()), label="as_of")
    as_of = as_of + dt.timedelta(seconds=data.draw(st.integers(0, 86_400)))
    symbol = data.draw(st.sampled_from(sorted(ASSET_CLASS)), label="symbol")
    later = data.draw(future_items(as_of))
    added = pl.concat([news, as_store(later, news)])

    assert select_news(news_window(added, as_of), symbol, as_of) == select_news(
        news_window(news, as_of), symbol, as_of
    )
    # A window reaching past as_of holds later items; select still ignores them.
    end = as_of + dt.timedelta(days=3)
    assert select_news(news_window(added, end), symbol, as_of) == select_news(
        news_window(added.filter(pl.col("ts_event") <= as_of), end), symbol, as_of
    )


def test_hostile_text_is_returned_literally_and_snippet_loses_its_tags() -> None:
    frame = items(
        {
            "title": "<script>alert(1)</script> Fed cuts rates",
            "summary": "<p>The <b>Fed</b>\n\n cut   rates &amp; more.</p><script>alert(2)</script>",
            "url": "javascript:alert(1)",
            "source": "evil.example",
        }
    )
    (source,) = select_news(news_window(frame, EVENING), "SPY", EVENING)

    assert source.title == "<script>alert(1)</script> Fed cuts rates"
    assert source.url == "javascript:alert(1)"
    assert source.snippet == "The Fed cut rates &amp; more."
    assert source.domain == "evil.example"
    assert source.matched == ("fed",)


def test_escape_codes_stored_before_ingest_cleaned_them_are_not_cited(
    news: pl.DataFrame,
) -> None:
    sources = select_news(news_window(news, EVENING), "IWM", EVENING)
    payload = "\x1b]8;;http://evil\x07\x1b[31m\x00\u202e\x1b]0;title\x1b\\\u2069\x1b[0m"
    # A store filled before the change holds the text as received: plant the payload in
    # the very rows cited, in the middle of each field.
    cited = pl.col("news_id").is_in([s.url for s in sources]) | pl.col("title").is_in(
        [s.title for s in sources]
    )
    planted = news.with_columns(
        pl.when(cited)
        .then(
            pl.concat_str(
                pl.col(name).str.slice(0, 12), pl.lit(payload), pl.col(name).str.slice(12)
            )
        )
        .otherwise(pl.col(name))
        .alias(name)
        for name in ("title", "summary", "url")
    )
    assert planted.filter(pl.col("title").str.contains("\x1b]8;;", literal=True)).height >= len(
        sources
    )

    again = select_news(news_window(planted, EVENING), "IWM", EVENING)

    assert [(s.title, s.url, s.domain, s.snippet) for s in again] == [
        (s.title, s.url, s.domain, s.snippet) for s in sources
    ]


def test_long_summary_is_cut_at_a_word_with_an_ellipsis(news: pl.DataFrame) -> None:
    summary = news.filter(pl.col("summary").str.len_chars() > 250)["summary"][0]
    frame = items({"title": "Gold rallies", "summary": summary})
    (source,) = select_news(news_window(frame, EVENING), "GLD", EVENING)
    collapsed = " ".join(summary.split())

    assert len(source.snippet) <= SNIPPET_CHARS
    assert source.snippet.endswith("…")
    head = source.snippet.removesuffix("…")
    assert collapsed.startswith(head)
    assert collapsed[len(head)] in " ,;:.-"


def test_domain_is_the_host_without_www_or_the_publisher_of_a_relay() -> None:
    frame = items(
        {"title": "Gold one", "url": "https://www.FT.com/content/1"},
        {"title": "Gold two", "url": "https://news.google.com/rss/articles/x", "source": "wsj.com"},
        {"title": "Gold three", "url": "https://uk.finance.yahoo.com/n", "source": "Yahoo"},
    )
    window = news_window(frame, EVENING)

    assert window.sort("title")["domain"].to_list() == [
        "ft.com",
        "uk.finance.yahoo.com",
        "wsj.com",
    ]
    assert window.sort("title")["quality"].to_list() == [1.0, 0.7, 1.0]


def test_equal_scores_are_ordered_by_news_id() -> None:
    frame = items({"title": "Gold climbs in Asia"}, {"title": "Gold slips in London"})
    sources = select_news(news_window(frame, EVENING), "GLD", EVENING)
    ids = dict(zip(frame["url"], frame["news_id"], strict=True))

    assert sources[0].relevance == sources[1].relevance
    assert [ids[s.url] for s in sources] == sorted(ids.values())


def test_selection_does_not_depend_on_row_order(news: pl.DataFrame) -> None:
    window = news_window(news, EVENING)
    shuffled = news_window(news.sample(fraction=1.0, shuffle=True, seed=3), EVENING)

    for symbol in ("IWM", "GLD", "BTC-USD"):
        assert select_news(shuffled, symbol, EVENING) == select_news(window, symbol, EVENING)


@pytest.mark.parametrize(
    "day",
    # A busy week, a quiet one, the April 2026 selloff, the last bundled date, no news.
    [
        dt.date(2026, 2, 2),
        dt.date(2025, 10, 10),
        dt.date(2026, 4, 7),
        dt.date(2026, 8, 21),
        dt.date(2025, 4, 7),
    ],
)
@pytest.mark.parametrize("limit", [5, 40])
def test_edition_selection_equals_each_symbol_selected_alone(
    news: pl.DataFrame, day: dt.date, limit: int
) -> None:
    as_of = dt.datetime.combine(day, dt.time(23, 59), tzinfo=UTC)
    window = news_window(news, as_of)
    symbols = [*ASSET_CLASS, "AAPL"]

    edition = select_edition_news(window, symbols, as_of, limit)

    assert list(edition) == symbols
    for symbol in symbols:
        assert edition[symbol] == select_news(window, symbol, as_of, limit)


def test_window_holds_the_last_days_up_to_as_of(news: pl.DataFrame) -> None:
    window = news_window(news, EVENING, days=3)
    start = EVENING - dt.timedelta(days=3)
    # A date-only item (midnight) is known from the end of its day, 23:59.
    end = dt.timedelta(hours=23, minutes=59)
    known = [t + end * (t.time() == dt.time(0)) for t in news["ts_event"].to_list()]

    assert window.height > 0
    assert window["ts_known"].min() > start  # type: ignore[operator]
    assert window["ts_known"].max() <= EVENING  # type: ignore[operator]
    assert window.height == sum(start < ts_known <= EVENING for ts_known in known)


def test_empty_news_gives_an_empty_window_and_selection(news: pl.DataFrame) -> None:
    window = news_window(news.clear(), EVENING)

    assert window.height == 0
    assert select_news(window, "IWM", EVENING) == ()


def test_window_of_news_that_matches_no_term_selects_nothing(news: pl.DataFrame) -> None:
    # The only item of those days: a personal-finance page with no term of any map.
    as_of = dt.datetime(2024, 1, 27, tzinfo=UTC)
    window = news_window(news, as_of)

    assert window.height == 1
    assert all(select_news(window, symbol, as_of) == () for symbol in ASSET_CLASS)


def test_symbol_without_terms_gets_macro_news_only() -> None:
    frame = items(
        {"title": "AAPL beats estimates"},
        {"title": "Gold hits a record"},
        {"title": "Stocks rise as inflation cools"},
        {"title": "Beef prices soar despite tariff cut"},
    )
    sources = select_news(news_window(frame, EVENING), "AAPL", EVENING)

    # A macro term counts with a market word: a tariff on beef is not market news.
    assert [s.title for s in sources] == ["Stocks rise as inflation cools"]
    assert sources[0].matched == ("inflation",)


def test_naive_as_of_and_bad_bounds_raise_naming_the_parameter(news: pl.DataFrame) -> None:
    window = news_window(news.head(10), EVENING)

    with pytest.raises(ParameterError, match="as_of"):
        news_window(news, EVENING.replace(tzinfo=None))
    with pytest.raises(ParameterError, match="as_of"):
        select_news(window, "IWM", EVENING.replace(tzinfo=None))
    with pytest.raises(ParameterError, match="days=0"):
        news_window(news, EVENING, days=0)
    with pytest.raises(ParameterError, match="limit=-1"):
        select_news(window, "IWM", EVENING, limit=-1)


def test_a_date_only_item_is_known_from_the_end_of_its_day(news: pl.DataFrame) -> None:
    # Stamped Feb 2 with no time, it tells Feb 3's story: it once led Feb 2's GLD article.
    title = (
        "Gold price today, Tuesday, February 3: Gold rises nearly 6% to eclipse $4,900 per ounce"
    )
    (stamp,) = news.filter(pl.col("title") == title)["ts_event"]
    assert stamp == dt.datetime(2026, 2, 2, tzinfo=UTC)
    noon = dt.datetime(2026, 2, 2, 12, tzinfo=UTC)
    assert title not in news_window(news, noon)["title"]
    assert all(
        t.date() < noon.date()
        for t in news_window(news, noon)["ts_event"]
        if t.time() == dt.time(0)
    )
    # Known by the evening edition, it is still not cited that day: it names Feb 3.
    evening = news_window(news, EVENING)
    assert title in evening["title"]
    assert title not in [s.title for s in select_news(evening, "GLD", EVENING, limit=50)]


@pytest.mark.parametrize(
    ("text", "published", "named"),
    [
        ("Jobs report for February 6", dt.date(2026, 2, 2), dt.date(2026, 2, 6)),
        ("Gold price today, Tuesday, February 3: up 6%", dt.date(2026, 2, 2), dt.date(2026, 2, 3)),
        ("Tariff to take effect on Feb. 24", dt.date(2026, 2, 21), dt.date(2026, 2, 24)),
        ("What to expect on Jan 5", dt.date(2025, 12, 30), dt.date(2026, 1, 5)),
        ("Stock Market News for Jan. 27, 2026", dt.date(2026, 2, 1), dt.date(2026, 1, 27)),
        ("Banks' Q1 2026 results", dt.date(2025, 12, 1), dt.date(2026, 1, 1)),
        ("FOMC in March 2026", dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
        ("Filed 2026-03-03", dt.date(2026, 2, 1), dt.date(2026, 3, 3)),
        ("Fed May 10x its cuts; Dec 5% lower; Jan 1,000 jobs; Mar 3:15", dt.date(2026, 2, 1), None),
        ("Markets may 3 times", dt.date(2026, 2, 1), None),
        ("Bitcoin to $1M by 2030", dt.date(2026, 2, 1), None),
        ("Feb 30 never comes", dt.date(2026, 2, 1), None),
    ],
)
def test_named_until_reads_dates_not_figures(
    text: str, published: dt.date, named: dt.date | None
) -> None:
    assert named_until(text, published) == named


def test_a_headline_naming_a_later_date_is_not_cited(news: pl.DataFrame) -> None:
    as_of = dt.datetime(2026, 1, 12, 23, 59, tzinfo=UTC)
    title = "Walmart To Join Nasdaq 100 on Jan. 20 as AstraZeneca Exits"
    window = news_window(news, as_of)
    (named,) = window.filter(pl.col("title") == title)["named"]
    cited = select_edition_news(window, sorted(ASSET_CLASS), as_of, limit=window.height)

    assert named == dt.date(2026, 1, 20)
    assert all(title not in [s.title for s in sources] for sources in cited.values())
    alone = window.filter(pl.col("title") == title).with_columns(pl.lit(None).alias("named"))
    assert select_news(alone, "QQQ", as_of)  # relevant: only the date keeps it out


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_no_cited_item_is_unknown_at_as_of_or_names_a_later_date(
    news: pl.DataFrame, data: st.DataObject
) -> None:
    as_of = data.draw(st.sampled_from(news["ts_event"].to_list()), label="as_of")
    as_of = as_of + dt.timedelta(seconds=data.draw(st.integers(0, 86_400)))
    symbol = data.draw(st.sampled_from(sorted(ASSET_CLASS)), label="symbol")

    for source in select_news(news_window(news, as_of), symbol, as_of, limit=20):
        known = source.published + dt.timedelta(days=source.published.time() == dt.time(0))
        assert known <= as_of
        text = f"{source.title}\n{source.snippet}"
        named = named_until(text, source.published.date())
        assert named is None or named <= as_of.date()


@pytest.mark.parametrize(
    ("day", "symbol", "title"),
    [
        (dt.date(2026, 2, 2), "HYG", "Best high-yield savings interest rates today"),
        (dt.date(2026, 8, 21), "SPY", "Australia stocks"),
        (dt.date(2026, 8, 21), "XLP", "ground beef"),
        (dt.date(2026, 8, 21), "SPY", "ground beef"),
        (dt.date(2026, 2, 2), "XLB", "Bitcoin Mining"),
    ],
)
def test_an_ambiguous_or_off_market_headline_is_not_cited(
    news: pl.DataFrame, day: dt.date, symbol: str, title: str
) -> None:
    as_of = dt.datetime.combine(day, dt.time(23, 59), tzinfo=UTC)
    window = news_window(news, as_of)
    assert window.filter(pl.col("title").str.contains(title, literal=True)).height

    cited = select_news(window, symbol, as_of, limit=window.height)

    assert cited
    assert not [s for s in cited if title in s.title]


def test_titles_naming_the_symbol_come_before_macro_news(news: pl.DataFrame) -> None:
    as_of = dt.datetime(2026, 3, 9, 23, 59, tzinfo=UTC)
    sources = select_news(news_window(news, as_of), "TLT", as_of)
    own = [any(t in SYMBOL_TERMS["TLT"] for t in s.matched) for s in sources]

    assert own == sorted(own, reverse=True) and own[0]
