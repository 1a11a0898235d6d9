"""Pick the headlines an article about one symbol cites: relevant, recent, well sourced.

Selection runs in two steps so that an edition pays for the text matching once:
`news_window` keeps the items of the last `days` days and finds in them every term of
every map, and `select_edition_news` then scores that window for all the edition's
symbols in one query (`select_news` for one symbol).

An item is matched against three lists of terms: the symbol's own (`SYMBOL_TERMS`), its
asset class's (`CLASS_TERMS`, class from `ASSET_CLASS`) and the macro terms that move
every market (`MACRO_TERMS`). A term shared by two lists counts in the first. A symbol's
`SYMBOL_EXCLUDES` name the stories where one of its terms means something else ("high
yield savings" for HYG, "Asia stocks" for SPY): a title holding one is not about it. Text and
terms are compared as lowercase words (runs of ``a-z 0-9 &``), so "Small-Caps" holds the
term "small cap", "Warsh's" holds "warsh", and "Goldman" does not hold "gold". A term
also matches its plural in -s. At each place the longest term wins, so "digital gold"
is bitcoin's, not gold's, and "European stocks" is Europe's, not the S&P 500's.

==================  =====================================================================
part                value
==================  =====================================================================
relevance           sum over the terms found of list weight x place: symbol 3, asset
                    class 1.5, macro 1; a term in the title counts 2, in the summary
                    only 1. Items with relevance 0 are never selected.
floor               an item counts only with a term of the symbol or its class, or
                    with a macro term and a market word (`MARKET_WORDS`, or a second
                    macro term) in a title naming no coin (but for crypto and unknown
                    symbols), and no exclude of the symbol in its title: else its
                    relevance is 0
recency             ``0.5 ** (age / 2 days)``, age from `ts_event` to `as_of`
source quality      `SOURCE_TIERS` of the domain: high 1.0, medium 0.7, any other 0.4
score               relevance x recency x source quality (`Source.relevance`)
order               items whose title holds a term of the symbol's own first, then score
                    descending, then those with a snippet, then newer `ts_event`, then
                    `news_id` ascending
near-duplicates     same `url`, or Jaccard >= 0.6 of the title words less `STOPWORDS`,
                    or 0.7 of the shorter title's words when it has 5 or more: only the
                    copy ranked first is kept
==================  =====================================================================

Text is returned as stored but cleaned (`clean_text`: no escape sequences, control
characters or bidi overrides, even from a store filled before ingest cleaned them), never
escaped: it is escaped where it is rendered. The snippet is rewritten from the summary:
tags removed, whitespace collapsed, and cut at a word to at most `SNIPPET_CHARS`
characters.

What was known at `as_of` (`known_at`): an item published after `as_of` is never
selected, whatever window it comes in. An item stamped with a date only (exactly
midnight UTC, as `carbo-kalium/sector-daily` stamps every item) was published some time
that day, so it is known from the end of that day, not its start: an edition of the
evening of that day (`evening`, 23:59) does not cite it. An item whose title or summary
names a date later than the as-of date (`named_until`: "jobs report for February 6",
"Q1 2026", "2026-03-03") was written later or about what had not happened yet, and is
not cited either.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, NamedTuple

import polars as pl

from pulsewire.analysis.context import ASSET_CLASS
from pulsewire.errors import ParameterError, check_at_least
from pulsewire.facts.sheet import Source
from pulsewire.model import AssetClass, universe
from pulsewire.model.text import clean_series, clean_text

__all__ = [
    "CLASS_TERMS",
    "MACRO_TERMS",
    "MARKET_WORDS",
    "SOURCE_TIERS",
    "SYMBOL_EXCLUDES",
    "SYMBOL_TERMS",
    "known_at",
    "named_until",
    "news_window",
    "select_edition_news",
    "select_news",
]

SYMBOL_TERMS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {s: p.news_terms for s, p in universe().items()}
)
"""Terms that name each bundled symbol or what it holds (the universe's `news_terms`). A
symbol missing here has no terms of its own and is matched on the macro terms alone."""

CLASS_TERMS: Final[Mapping[AssetClass, tuple[str, ...]]] = MappingProxyType(
    {
        AssetClass.EQUITY_INDEX: ("stock market", "equities", "stock futures"),
        # Not "earnings" nor "stock market": any company's results and the whole
        # market's day are no sector's news by themselves.
        AssetClass.SECTOR: ("sector", "equities"),
        AssetClass.BOND: ("bond", "bond market", "yield", "fixed income", "debt"),
        AssetClass.CREDIT: ("junk bond", "high-yield bond", "credit spread", "corporate bond"),
        AssetClass.COMMODITY: ("commodities", "commodity", "raw materials"),
        AssetClass.CURRENCY: ("currency", "currencies", "forex", "fx", "exchange rate"),
        AssetClass.VOLATILITY: ("selloff", "sell off", "turmoil", "risk off", "hedging"),
        AssetClass.CRYPTO: (
            "crypto",
            "cryptocurrency",
            "digital assets",
            "stablecoin",
            "blockchain",
            "defi",
        ),
    }
)
"""Terms shared by every symbol of an asset class. "crypto" sits here rather than under
each coin, so that a bitcoin headline ranks above a general crypto one for BTC-USD."""

MACRO_TERMS: Final = (
    "fed",
    "federal reserve",
    "fomc",
    "powell",
    "warsh",
    "central bank",
    "rate cut",
    "rate hike",
    "interest rate",
    "inflation",
    "cpi",
    "pce",
    "jobs report",
    "payroll",
    "nonfarm",
    "unemployment",
    "jobless claims",
    "tariff",
    "trade war",
    "shutdown",
    "recession",
    "gdp",
)
"""Terms of the economy and policy that move every market."""

_FOREIGN_STOCKS: Final = tuple(
    f"{place} {kind}"
    for place in (
        "asia",
        "asian",
        "australia",
        "australian",
        "japan",
        "japanese",
        "tokyo",
        "china",
        "chinese",
        "hong kong",
        "india",
        "indian",
        "korea",
        "korean",
        "taiwan",
        "europe",
        "european",
        "uk",
        "london",
        "british",
        "german",
        "french",
        "canada",
        "canadian",
        "brazil",
        "mexico",
        "gulf",
        "saudi",
        "emerging market",
    )
    for kind in ("stocks", "shares", "equities", "stock market", "markets")
)

_CRYPTO: Final = (
    "bitcoin",
    "btc",
    "ether",
    "ethereum",
    "crypto",
    "xrp",
    "solana",
    "sol",
    "token",
    "tokenize",
    "tokenized",
    "stablecoin",
    "usdc",
    "usdt",
    "tether",
    "defi",
    "blockchain",
    "wlfi",
    "altcoin",
)
"""Words of a coin's story. In one, "volatility", "utility", "mining", "AI", "banks"
and "Japan" are said of the coins, so the story is not about the ETF that owns the term."""

SYMBOL_EXCLUDES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        # "stocks" is the US market, not another country's, nor a handful of picks, and
        # "Wall Street" is not its Journal.
        "SPY": (
            *_CRYPTO,
            "wall street journal",
            *_FOREIGN_STOCKS,
            "nikkei",
            "ftse",
            "stoxx",
            "dax",
            "hang seng",
            "kospi",
            "sensex",
            "nifty",
            "asx",
            "tsx",
            "portfolio stocks",
            "stocks to buy",
            "stocks to watch",
            "dividend stocks",
            "penny stocks",
            "oil stocks",
            "crude oil stocks",
            "energy stocks",
            "tech stocks",
            "bank stocks",
            "defense stocks",
            "mining stocks",
            "utility stocks",
        ),
        # A savings account's "high yield" is a deposit rate, not junk bonds.
        "HYG": ("high yield savings", "savings account", "savings rate", "apy", "cd rate"),
        # "Retail" traders are people, not shops.
        "XLY": (*_CRYPTO, "retail traders", "retail investors"),
        # "Dollar" the currency, not an amount of money.
        "UUP": (
            *_CRYPTO,
            "million dollar",
            "billion dollar",
            "multibillion dollar",
            "trillion dollar",
        ),
        **dict.fromkeys(("QQQ", "DIA", "IWM", "ACWI", "EFA", "EEM", "TLT", "IEF", "VIX"), _CRYPTO),
        # A fund's or an analyst's "sector" names no sector's news.
        **dict.fromkeys(
            ("XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV"),
            (*_CRYPTO, "select sector", "sector weight", "sector perform"),
        ),
    }
)
"""Phrases of a title that make the symbol's terms mean something else: an item whose
title holds one is not about the symbol, whatever else it matches. They are matched on
their own, so they take no term from another symbol ("bitcoin mining" stays bitcoin's)."""

MARKET_WORDS: Final = (
    "stock",
    "stocks",
    "shares",
    "equities",
    "market",
    "markets",
    "wall street",
    "investors",
    "traders",
    "futures",
    "yields",
    "treasuries",
    "treasury",
    "bonds",
    "dollar",
    "rally",
    "rallies",
    "selloff",
    "sell off",
    "s&p",
    "nasdaq",
    "dow",
    # Macro terms that are market events in themselves.
    "fed",
    "fomc",
    "powell",
    "warsh",
    "rate cut",
    "rate hike",
    "cpi",
    "pce",
    "jobs report",
    "nonfarm",
    "jobless claims",
    "gdp",
)
"""Words that put a macro story on the markets, the macro terms that are market events
in themselves among them: "tariff" alone may be a ground-beef import quota,
"interest rates" a savings account's and "payroll" a payroll system; "tariff" and
"stocks", or "Fed", is market news."""

SOURCE_TIERS: Final[Mapping[str, float]] = MappingProxyType(
    {
        # Wires, the financial dailies and primary sources.
        **dict.fromkeys(
            (
                "reuters.com",
                "bloomberg.com",
                "wsj.com",
                "ft.com",
                "nytimes.com",
                "cnbc.com",
                "apnews.com",
                "economist.com",
                "barrons.com",
                "federalreserve.gov",
                "sec.gov",
                "bls.gov",
                "ecb.europa.eu",
            ),
            1.0,
        ),
        # Market sites, trade and crypto press, general news.
        **dict.fromkeys(
            (
                "seekingalpha.com",
                "investing.com",
                "marketwatch.com",
                "finance.yahoo.com",
                "coindesk.com",
                "cointelegraph.com",
                "theblock.co",
                "decrypt.co",
                "bitcoinmagazine.com",
                "oilprice.com",
                "mining.com",
                "rigzone.com",
                "kitco.com",
                "fxstreet.com",
                "thestreet.com",
                "investors.com",
                "fortune.com",
                "forbes.com",
                "businessinsider.com",
                "axios.com",
                "bbc.com",
                "bbc.co.uk",
                "theguardian.com",
                "washingtonpost.com",
                "cnn.com",
                "npr.org",
                "politico.com",
                "aljazeera.com",
            ),
            0.7,
        ),
    }
)
"""Quality of a domain or its parent domain ("uk.finance.yahoo.com" -> "finance.yahoo.com");
any other domain, YouTube and publisher names included, weighs `OTHER_TIER`."""

OTHER_TIER: Final = 0.4
"""Quality of a domain that `SOURCE_TIERS` does not list."""

SYMBOL_WEIGHT: Final = 3.0
"""Weight of a term of the symbol's own list."""

CLASS_WEIGHT: Final = 1.5
"""Weight of a term of the asset class's list."""

MACRO_WEIGHT: Final = 1.0
"""Weight of a macro term."""

HALF_LIFE: Final = dt.timedelta(days=2)
"""Age at which an item's score has halved."""

SIMILAR: Final = 0.6
"""Jaccard similarity of title words from which two items tell the same story."""

SIMILAR_SHARE: Final = 0.7
"""Share of the shorter title's words, found in the other, from which two items tell the
same story ("Trump nominates Kevin Warsh for Federal Reserve chair" and "Federal Reserve
live: Donald Trump nominates Kevin Warsh to be Fed chair, dollar jumps")."""

SIMILAR_SHARE_WORDS: Final = 5
"""Fewest words of the shorter title for `SIMILAR_SHARE` to apply: "Gold rises 2%" and
"Gold falls 2%" share two words of three and tell opposite stories."""

SNIPPET_CHARS: Final = 200
"""Longest snippet, ellipsis included."""

STOPWORDS: Final = frozenset(
    {
        "&",
        "a",
        "after",
        "amid",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "in",
        "into",
        "is",
        "it",
        "its",
        "new",
        "no",
        "not",
        "of",
        "on",
        "or",
        "over",
        "s",
        "says",
        "she",
        "t",
        "than",
        "that",
        "the",
        "their",
        "they",
        "this",
        "to",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "who",
        "why",
        "will",
        "with",
        "you",
    }
)
"""Words that say nothing about which story a title tells."""

# A relay's host names the relay, not the publisher; `source` names the publisher.
_RELAYS: Final = ("news.google.com",)
_WORD: Final = r"[a-z0-9&]+"
_NOT_WORD: Final = r"[^a-z0-9&]+"
_HOST: Final = r"^[A-Za-z][A-Za-z0-9+.\-]*://(?:[^@/?#]*@)?([^/?#:]+)"
_TAG: Final = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>|<!--.*?-->|</?[a-z][^<>]*>")
_SPACE: Final = re.compile(r"\s+")
_TEXT: Final = ("title", "summary", "source", "url")
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


_MONTHS: Final[Mapping[str, int]] = MappingProxyType(
    {
        name: number
        for number, names in enumerate(
            (
                ("Jan", "January"),
                ("Feb", "February"),
                ("Mar", "March"),
                ("Apr", "April"),
                ("May",),
                ("Jun", "June"),
                ("Jul", "July"),
                ("Aug", "August"),
                ("Sep", "Sept", "September"),
                ("Oct", "October"),
                ("Nov", "November"),
                ("Dec", "December"),
            ),
            start=1,
        )
        for name in names
    }
)
_MONTH: Final = "|".join(sorted(_MONTHS, key=len, reverse=True))
# "February 6", "Feb. 6th", "March 3, 2026", "May 2026"; capitalised (so "may" the verb is
# not a month) and not the start of a figure ("May 10x", "Dec 5%", "Jan 1,000", "Mar 3:15").
_MONTH_DAY: Final = re.compile(
    rf"\b({_MONTH})\.? (?:(\d{{1,2}})(?:st|nd|rd|th)?(?:,? (20\d\d))?|(20\d\d))"
    r"(?![\d%x$]|[.,:]\d| ?(?:percent|bn|billion|million|trillion|pm|am)\b)"
)
_ISO_DATE: Final = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
_QUARTER: Final = re.compile(r"\bQ([1-4])[ -]?(20\d\d)\b")


def _spaced(text: str) -> str:
    """Return the lowercase words of `text` two spaces apart, with one space around.

    A term written this way is found only on word boundaries, and two spaces between
    words let adjacent terms ("gold  silver") match without overlapping.
    """
    return " " + "  ".join(re.findall(_WORD, text.lower())) + " "


def _spaced_expr(column: str) -> pl.Expr:
    words = pl.col(column).str.to_lowercase().str.replace_all(_NOT_WORD, "  ")
    return pl.concat_str(pl.lit(" "), words.str.strip_chars(), pl.lit(" "))


def _patterns(terms: Iterable[str]) -> dict[str, str]:
    """Return each of `terms` and its plural as `_spaced` patterns, longest first."""
    patterns: dict[str, str] = {}
    for term in terms:
        pattern = _spaced(term)
        patterns.setdefault(pattern, term)
        patterns.setdefault(pattern[:-1] + "s ", term)
    return dict(sorted(patterns.items(), key=lambda item: -len(item[0])))


_PATTERNS: Final = _patterns(
    (
        *(term for terms in SYMBOL_TERMS.values() for term in terms),
        *(term for terms in CLASS_TERMS.values() for term in terms),
        *MACRO_TERMS,
    )
)
_EXCLUDES: Final = _patterns(term for terms in SYMBOL_EXCLUDES.values() for term in terms)
_MARKET: Final = "|".join(re.escape(pattern) for pattern in _patterns(MARKET_WORDS))
_COIN: Final = "|".join(re.escape(pattern) for pattern in _patterns(_CRYPTO))


def _found(column: str, patterns: Mapping[str, str]) -> pl.Expr:
    """Return the terms of `patterns` that `column` holds, once each, the longest at each place."""
    found = _spaced_expr(column).str.extract_many(list(patterns), leftmost=True)
    return found.list.eval(pl.element().replace_strict(patterns)).list.unique(maintain_order=True)


def _tier(domain: str) -> float:
    parts = domain.lower().split(".")
    for start in range(len(parts) - 1):
        tier = SOURCE_TIERS.get(".".join(parts[start:]))
        if tier is not None:
            return tier
    return OTHER_TIER


def _moment(as_of: dt.datetime) -> pl.Expr:
    """Return `as_of` as a UTC literal, refusing a naive time."""
    if as_of.tzinfo is None:
        raise ParameterError("as_of", as_of, f"as_of={as_of} has no time zone")
    # Built from an integer: `pl.lit` of an aware datetime takes 0.1 ms, a tenth of a
    # whole selection.
    micros = (as_of - _EPOCH) // dt.timedelta(microseconds=1)
    return pl.lit(micros).cast(pl.Datetime("us", "UTC"))


END_OF_DAY: Final = dt.time(23, 59)
"""The end of a UTC day as the desk keeps it: after every close, when the day's edition
is written (`facts.edition.evening`) and from when its date-only news is known."""


def known_at(stamp: pl.Expr) -> pl.Expr:
    """Return when an item stamped `stamp` (UTC) is known to be out.

    That is its stamp, except for an item stamped with a date only (exactly midnight
    UTC): it was published some time that day, so it is known from the end of the day,
    `END_OF_DAY`, when the day's edition is written. A reading earlier that day (an
    `--asof` at noon) does not see it.
    """
    end = dt.timedelta(hours=END_OF_DAY.hour, minutes=END_OF_DAY.minute)
    return pl.when(stamp.dt.time() == dt.time(0, 0)).then(stamp + end).otherwise(stamp)


def named_until(text: str, published: dt.date) -> dt.date | None:
    """Return the latest date that `text` names, None if it names none.

    A text that names a date after the as-of cannot be cited then: it was written later,
    or about what had not yet happened. Read conservatively, so that a figure is never
    taken for a date: a capitalised month and a day ("February 6", "Feb. 6th"), with
    its year if given ("March 3, 2026"), else the year that puts it nearest `published`
    (an item of Dec 30 naming "Jan 5" means the next January); a month and a year ("May
    2026", its first day); an ISO date ("2026-03-03"); a quarter ("Q1 2026", its first
    day). Bare years are not read: they name outlooks and targets ("by 2030") far more
    often than dates. Impossible dates (Feb 30) are skipped.
    """
    days: list[dt.date] = []
    for month_name, day, year, month_year in _MONTH_DAY.findall(text):
        month = _MONTHS[month_name]
        if month_year:
            days.append(dt.date(int(month_year), month, 1))
            continue
        years = (int(year),) if year else (published.year - 1, published.year, published.year + 1)
        candidates = [named for y in years if (named := _date(y, month, int(day))) is not None]
        if candidates:
            days.append(min(candidates, key=lambda named: abs(named - published)))
    for year, month, day in _ISO_DATE.findall(text):
        named = _date(int(year), int(month), int(day))
        if named is not None:
            days.append(named)
    for quarter, year in _QUARTER.findall(text):
        days.append(dt.date(int(year), 3 * int(quarter) - 2, 1))
    return max(days, default=None)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def news_window(news: pl.DataFrame, as_of: dt.datetime, days: int = 7) -> pl.DataFrame:
    """Return the items of `news` known in the `days` days up to `as_of`, prepared.

    The window holds the items with ``as_of - days < ts_known <= as_of``, where
    `ts_known` is `known_at` of `ts_event` in UTC, and adds what `select_news` needs for
    any symbol: `title_terms` and `terms` (the terms of the maps found in the title, and
    in the title or summary), `excludes` (the `SYMBOL_EXCLUDES` in the title), `coin`
    (whether the title names a coin), `market`
    (whether the title or summary holds a `MARKET_WORDS`), `named` (`named_until` of the
    title and summary), `title_words` (to find near-duplicates), `domain` (the URL's host
    without "www.", or `source` when the URL has none or is a relay such as Google News)
    and its `quality`. Its `title`, `summary`, `source` and `url` are cleaned
    (`clean_text`) before any of it.

    Parameters
    ----------
    news
        Rows of the store's ``news`` table: `news_id`, `ts_event`, `title`, `summary`,
        `source`, `url` and any others, which are kept.
    as_of
        Latest moment an item may be known by, tz-aware.
    days
        Length of the window in days, at least 1.

    Raises
    ------
    ParameterError
        If `as_of` has no time zone or `days` is below 1.
    """
    check_at_least("days", days, 1)
    end = _moment(as_of)
    host = pl.col("url").str.extract(_HOST).str.to_lowercase().str.strip_prefix("www.")
    source = pl.col("source").str.strip_prefix("www.")
    window = (
        news.lazy()
        .with_columns(pl.col("ts_event").dt.convert_time_zone("UTC"))
        .with_columns(known_at(pl.col("ts_event")).alias("ts_known"))
        .filter((pl.col("ts_known") > end - dt.timedelta(days=days)) & (pl.col("ts_known") <= end))
        .collect()
    )
    # A store filled before ingest cleaned its text may still hold escape codes: they
    # would reach the page, and split the words that terms are matched on.
    window = window.with_columns(clean_series(window[name]) for name in _TEXT)
    named = [
        named_until(f"{title}\n{summary}", stamp.date())
        for title, summary, stamp in zip(
            window["title"], window["summary"], window["ts_event"], strict=True
        )
    ]
    window = (
        window.lazy()
        .with_columns(
            pl.when(host.is_null() | host.is_in(_RELAYS) & (source != ""))
            .then(source)
            .otherwise(host)
            .alias("domain"),
            _found("title", _PATTERNS).alias("title_terms"),
            _found("summary", _PATTERNS).alias("terms"),
            _found("title", _EXCLUDES).alias("excludes"),
            _spaced_expr("title").str.contains(_COIN).alias("coin"),
            (
                _spaced_expr("title").str.contains(_MARKET)
                | _spaced_expr("summary").str.contains(_MARKET)
            ).alias("market"),
            pl.Series("named", named, dtype=pl.Date()),
            pl.col("title")
            .str.to_lowercase()
            .str.extract_all(_WORD)
            .list.eval(pl.element().filter(~pl.element().is_in(STOPWORDS)))
            .list.unique()
            .alias("title_words"),
        )
        .with_columns(
            pl.concat_list("title_terms", "terms").list.unique(maintain_order=True).alias("terms")
        )
        .collect()
    )
    tiers = {domain: _tier(domain) for domain in window["domain"].unique()}
    # Every domain is in `tiers`; `default` keeps the column Float64 when it is empty.
    quality = pl.col("domain").replace_strict(tiers, default=OTHER_TIER, return_dtype=pl.Float64())
    return window.with_columns(quality.alias("quality"))


class _Profile(NamedTuple):
    """The terms that count for a symbol, by list, and the excludes that void them."""

    own: tuple[str, ...]
    shared: tuple[str, ...]
    macro: tuple[str, ...]
    excludes: tuple[str, ...]
    coins: bool
    """Whether a coin's story may reach the symbol through the macro terms."""

    @property
    def order(self) -> tuple[str, ...]:
        """Every term, in the order a source lists the terms it matched."""
        return (*self.own, *self.shared, *self.macro)


def _profile(symbol: str) -> _Profile:
    """Return the terms that count for `symbol`: its own, its class's, the macro ones.

    A term shared by two lists counts in the first. Symbols with one profile (every
    symbol of no known class) rank the news alike.
    """
    own = SYMBOL_TERMS.get(symbol, ())
    asset_class = ASSET_CLASS.get(symbol)
    shared = CLASS_TERMS[asset_class] if asset_class is not None else ()
    shared = tuple(term for term in shared if term not in own)
    macro = tuple(term for term in MACRO_TERMS if term not in own and term not in shared)
    coins = asset_class in (AssetClass.CRYPTO, None)
    return _Profile(own, shared, macro, SYMBOL_EXCLUDES.get(symbol, ()), coins)


@functools.lru_cache(maxsize=1024)
def _relevance(profile: _Profile) -> pl.Expr:
    """Return an item's relevance to the symbols of `profile` and whether it names them.

    A struct of `relevance` (0 below the floor, see the module docstring) and `own` (the
    title holds a term of the symbol's own list). Cached: building the expressions costs
    more than running them on a window.
    """
    found = [
        _count("title_terms", terms) + _count("terms", terms) if terms else pl.lit(0)
        for terms in (profile.own, profile.shared, profile.macro)
    ]
    own, shared, macro = found
    named = _count("title_terms", profile.own) > 0 if profile.own else pl.lit(False)
    weighted = SYMBOL_WEIGHT * own + CLASS_WEIGHT * shared + MACRO_WEIGHT * macro
    macro_terms = _count("terms", profile.macro) if profile.macro else pl.lit(0)
    by_macro = (macro_terms > 0) & (pl.col("market") | (macro_terms > 1))
    if not profile.coins:
        # A coin's story ("Bitcoin rallies on the shutdown") is the coin's, not the Fed's.
        by_macro = by_macro & ~pl.col("coin")
    floor = (own > 0) | (shared > 0) | by_macro
    if profile.excludes:
        floor = floor & (_count("excludes", profile.excludes) == 0)
    relevance = pl.when(floor).then(weighted).otherwise(0).cast(pl.Float64)
    return pl.struct(relevance=relevance, own=named)


def _count(column: str, terms: tuple[str, ...]) -> pl.Expr:
    return pl.col(column).list.eval(pl.element().is_in(terms)).list.sum()


def _similar(words: frozenset[str], kept: Iterable[frozenset[str]]) -> bool:
    """Return whether `words` and any of `kept` tell the same story: they share at least
    `SIMILAR` of their union, or `SIMILAR_SHARE` of the shorter of two long titles."""
    for other in kept:
        if not words or not other:
            continue
        shared, shorter = len(words & other), min(len(words), len(other))
        if shared >= SIMILAR * len(words | other):
            return True
        if shorter >= SIMILAR_SHARE_WORDS and shared >= SIMILAR_SHARE * shorter:
            return True
    return False


def _distinct(
    candidates: pl.DataFrame, rows: list[int], scores: list[float], limit: int
) -> list[tuple[dict[str, Any], float]]:
    """Return the first `limit` `rows` of `candidates`, with scores, new to the stories kept."""
    kept: list[tuple[dict[str, Any], float]] = []
    seen: list[frozenset[str]] = []
    # A slice at a time: converting every candidate row to Python would cost more.
    chunk = 4 * limit + 4
    for offset in range(0, len(rows), chunk):
        batch = candidates[rows[offset : offset + chunk]].iter_rows(named=True)
        for row, score in zip(batch, scores[offset : offset + chunk], strict=True):
            if len(kept) == limit:
                return kept
            words = frozenset(row["title_words"])
            if any(row["url"] == other["url"] for other, _ in kept) or _similar(words, seen):
                continue
            kept.append((row, score))
            seen.append(words)
    return kept


def _snippet(summary: str) -> str:
    text = _SPACE.sub(" ", _TAG.sub(" ", summary)).strip()
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[: SNIPPET_CHARS - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def select_news(
    window: pl.DataFrame, symbol: str, as_of: dt.datetime, limit: int = 5
) -> tuple[Source, ...]:
    """Return up to `limit` headlines about `symbol` from `window`, best first.

    The selection of one symbol by `select_edition_news`, which gives the parameters.
    """
    return select_edition_news(window, (symbol,), as_of, limit)[symbol]


def select_edition_news(
    window: pl.DataFrame, symbols: Iterable[str], as_of: dt.datetime, limit: int = 5
) -> dict[str, tuple[Source, ...]]:
    """Return up to `limit` headlines about each of `symbols` from `window`, best first.

    One pass over the window ranks its items for every profile of terms (`_profile`)
    among `symbols` at once: an edition pays for its ranking once, not once a symbol.
    Items not known by `as_of` (`known_at`), and items naming a date after its date
    (`named_until`), are skipped even when the window holds them. The module docstring
    gives the floor, the score, the order and the rule for near-duplicates.

    Parameters
    ----------
    window
        A frame from `news_window`.
    symbols
        Tickers such as "IWM". One outside `SYMBOL_TERMS` is matched on the terms of
        its asset class, if known, and the macro terms.
    as_of
        Time of the articles, tz-aware: nothing known later is cited.
    limit
        Most headlines per symbol, at least 0.

    Returns
    -------
    dict[str, tuple[Source, ...]]
        The headlines of each symbol, in the order of `symbols`.

    Raises
    ------
    ParameterError
        If `as_of` has no time zone or `limit` is negative.
    """
    check_at_least("limit", limit, 0)
    end = _moment(as_of)
    profiles = {symbol: _profile(symbol) for symbol in symbols}
    names = {profile: str(index) for index, profile in enumerate(dict.fromkeys(profiles.values()))}
    if not names:
        return {}
    today = as_of.astimezone(dt.UTC).date()
    candidates = window.filter(
        (pl.col("ts_known") <= end) & (pl.col("named").is_null() | (pl.col("named") <= today))
    )
    age = (end - pl.col("ts_event")) / HALF_LIFE
    index = ["row", "ts_event", "news_id", "decay", "quality", "snippet"]
    # Long form, one row per (profile, item) that the profile finds relevant.
    ranked = (
        candidates.lazy()
        .select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
            "ts_event",
            "news_id",
            (0.5**age).alias("decay"),
            "quality",
            (pl.col("summary").str.strip_chars() != "").alias("snippet"),
            *(_relevance(profile).alias(name) for profile, name in names.items()),
        )
        .unpivot(on=list(names.values()), index=index, variable_name="profile", value_name="v")
        .unnest("v")
        .filter(pl.col("relevance") > 0)
        .select(
            "profile",
            "row",
            "own",
            (pl.col("relevance") * pl.col("decay") * pl.col("quality")).alias("score"),
            "snippet",
            "ts_event",
            "news_id",
        )
        .sort(
            ["profile", "own", "score", "snippet", "ts_event", "news_id"],
            descending=[False, True, True, True, True, False],
        )
        .collect()
    )
    parts = ranked.partition_by("profile", as_dict=True, include_key=False)
    chosen: dict[_Profile, tuple[Source, ...]] = {}
    for profile, name in names.items():
        part = parts.get((name,))
        if part is None:
            chosen[profile] = ()
            continue
        chosen[profile] = tuple(
            Source(
                title=clean_text(row["title"]),
                snippet=_snippet(clean_text(row["summary"])),
                domain=clean_text(row["domain"]),
                url=clean_text(row["url"]),
                published=row["ts_event"],
                relevance=score,
                matched=tuple(term for term in profile.order if term in row["terms"]),
            )
            for row, score in _distinct(
                candidates, part["row"].to_list(), part["score"].to_list(), limit
            )
        )
    return {symbol: chosen[profile] for symbol, profile in profiles.items()}
