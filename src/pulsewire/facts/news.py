"""Pick the headlines an article about one symbol cites: relevant, recent, well sourced.

Selection runs in two steps so that an edition pays for the text matching once:
`news_window` keeps the items of the last `days` days and finds in them every term of
every map, and `select_edition_news` then scores that window for all the edition's
symbols in one query (`select_news` for one symbol).

An item is matched against three lists of terms: the symbol's own (`SYMBOL_TERMS`), its
asset class's (`CLASS_TERMS`, class from `ASSET_CLASS`) and the macro terms that move
every market (`MACRO_TERMS`). A term shared by two lists counts in the first. Text and
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
recency             ``0.5 ** (age / 2 days)``, age from `ts_event` to `as_of`
source quality      `SOURCE_TIERS` of the domain: high 1.0, medium 0.7, any other 0.4
score               relevance x recency x source quality (`Source.relevance`)
order               score descending, then newer `ts_event`, then `news_id` ascending
near-duplicates     same `url`, or Jaccard >= 0.6 of the title words less `STOPWORDS`:
                    only the copy ranked first is kept
==================  =====================================================================

Text is returned as stored but cleaned (`clean_text`: no escape sequences, control
characters or bidi overrides, even from a store filled before ingest cleaned them), never
escaped: it is escaped where it is rendered. The snippet is rewritten from the summary:
tags removed, whitespace collapsed, and cut at a word to at most `SNIPPET_CHARS`
characters. An item published after `as_of` is never
selected, whatever window it comes in.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import polars as pl

from pulsewire.analysis.context import ASSET_CLASS
from pulsewire.errors import ParameterError, check_at_least
from pulsewire.facts.sheet import Source
from pulsewire.model import AssetClass, universe
from pulsewire.model.text import clean_series, clean_text

__all__ = [
    "CLASS_TERMS",
    "MACRO_TERMS",
    "SOURCE_TIERS",
    "SYMBOL_TERMS",
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
        AssetClass.SECTOR: ("sector", "stock market", "equities", "earnings"),
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


def _spaced(text: str) -> str:
    """Return the lowercase words of `text` two spaces apart, with one space around.

    A term written this way is found only on word boundaries, and two spaces between
    words let adjacent terms ("gold  silver") match without overlapping.
    """
    return " " + "  ".join(re.findall(_WORD, text.lower())) + " "


def _spaced_expr(column: str) -> pl.Expr:
    words = pl.col(column).str.to_lowercase().str.replace_all(_NOT_WORD, "  ")
    return pl.concat_str(pl.lit(" "), words.str.strip_chars(), pl.lit(" "))


def _vocabulary() -> dict[str, str]:
    """Return every term of the maps and its plural, as `_spaced` patterns, longest first."""
    terms = (
        *(term for terms in SYMBOL_TERMS.values() for term in terms),
        *(term for terms in CLASS_TERMS.values() for term in terms),
        *MACRO_TERMS,
    )
    patterns: dict[str, str] = {}
    for term in terms:
        pattern = _spaced(term)
        patterns.setdefault(pattern, term)
        patterns.setdefault(pattern[:-1] + "s ", term)
    return dict(sorted(patterns.items(), key=lambda item: -len(item[0])))


_PATTERNS: Final = _vocabulary()


def _found(column: str) -> pl.Expr:
    """Return the terms `column` holds, once each, the longest at each place."""
    found = _spaced_expr(column).str.extract_many(list(_PATTERNS), leftmost=True)
    return found.list.eval(pl.element().replace_strict(_PATTERNS)).list.unique(maintain_order=True)


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


def dated_only_on(day: dt.date) -> pl.Expr:
    """Items stamped with `day` and no time (exactly midnight UTC): published some time
    that day, so not known to be out at any given minute of it."""
    stamp = pl.col("ts_event")
    return (stamp.dt.date() == day) & (stamp.dt.time() == dt.time(0, 0))


def news_window(news: pl.DataFrame, as_of: dt.datetime, days: int = 7) -> pl.DataFrame:
    """Return the items of `news` published in the `days` days up to `as_of`, prepared.

    The window holds the items with ``as_of - days < ts_event <= as_of``, `ts_event` in
    UTC, and adds what `select_news` needs for any symbol: `title_terms` and `terms` (the
    terms of the maps found in the title, and in the title or summary), `title_words`
    (to find near-duplicates), `domain` (the URL's host without "www.", or `source`
    when the URL has none or is a relay such as Google News) and its `quality`. Its
    `title`, `summary`, `source` and `url` are cleaned (`clean_text`) before any of it.

    Parameters
    ----------
    news
        Rows of the store's ``news`` table: `news_id`, `ts_event`, `title`, `summary`,
        `source`, `url` and any others, which are kept.
    as_of
        Latest publication time to keep, tz-aware.
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
        .filter((pl.col("ts_event") > end - dt.timedelta(days=days)) & (pl.col("ts_event") <= end))
        .collect()
    )
    # A store filled before ingest cleaned its text may still hold escape codes: they
    # would reach the page, and split the words that terms are matched on.
    window = (
        window.with_columns(clean_series(window[name]) for name in _TEXT)
        .lazy()
        .with_columns(
            pl.when(host.is_null() | host.is_in(_RELAYS) & (source != ""))
            .then(source)
            .otherwise(host)
            .alias("domain"),
            _found("title").alias("title_terms"),
            _found("summary").alias("terms"),
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


def _profile(symbol: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Return the terms that count for `symbol`: its own, its class's, the macro ones.

    A term shared by two lists counts in the first. Symbols with one profile (every
    symbol of no known class) rank the news alike.
    """
    own = SYMBOL_TERMS.get(symbol, ())
    asset_class = ASSET_CLASS.get(symbol)
    shared = CLASS_TERMS[asset_class] if asset_class is not None else ()
    shared = tuple(term for term in shared if term not in own)
    macro = tuple(term for term in MACRO_TERMS if term not in own and term not in shared)
    return own, shared, macro


@functools.lru_cache(maxsize=1024)
def _relevance(profile: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]) -> pl.Expr:
    """Return the relevance of an item to the symbols of `profile`.

    Cached: building the expressions costs more than running them on a window.
    """
    weights = (SYMBOL_WEIGHT, CLASS_WEIGHT, MACRO_WEIGHT)
    return pl.sum_horizontal(
        weight * (_count("title_terms", terms) + _count("terms", terms))
        for weight, terms in zip(weights, profile, strict=True)
        if terms
    )


def _count(column: str, terms: tuple[str, ...]) -> pl.Expr:
    return pl.col(column).list.eval(pl.element().is_in(terms)).list.sum()


def _similar(words: frozenset[str], kept: Iterable[frozenset[str]]) -> bool:
    """Return whether `words` and any of `kept` share at least `SIMILAR` of their union."""
    return any(
        words and other and len(words & other) >= SIMILAR * len(words | other) for other in kept
    )


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
    Items published after `as_of` are skipped even when the window holds them. The
    module docstring gives the score and the rule for near-duplicates.

    Parameters
    ----------
    window
        A frame from `news_window`.
    symbols
        Tickers such as "IWM". One outside `SYMBOL_TERMS` is matched on the terms of
        its asset class, if known, and the macro terms.
    as_of
        Time of the articles, tz-aware: nothing published later is cited.
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
    candidates = window.filter(pl.col("ts_event") <= end)
    age = (end - pl.col("ts_event")) / HALF_LIFE
    # Long form, one row per (profile, item) that the profile finds relevant.
    ranked = (
        candidates.lazy()
        .select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
            "ts_event",
            "news_id",
            (0.5**age).alias("decay"),
            "quality",
            *(_relevance(profile).alias(name) for profile, name in names.items()),
        )
        .unpivot(
            on=list(names.values()),
            index=["row", "ts_event", "news_id", "decay", "quality"],
            variable_name="profile",
            value_name="relevance",
        )
        .filter(pl.col("relevance") > 0)
        .select(
            "profile",
            "row",
            "ts_event",
            "news_id",
            (pl.col("relevance") * pl.col("decay") * pl.col("quality")).alias("score"),
        )
        .sort(["profile", "score", "ts_event", "news_id"], descending=[False, True, True, False])
        .collect()
    )
    parts = ranked.partition_by("profile", as_dict=True, include_key=False)
    chosen: dict[tuple[tuple[str, ...], ...], tuple[Source, ...]] = {}
    for profile, name in names.items():
        part = parts.get((name,))
        if part is None:
            chosen[profile] = ()
            continue
        order = tuple(term for terms in profile for term in terms)
        chosen[profile] = tuple(
            Source(
                title=clean_text(row["title"]),
                snippet=_snippet(clean_text(row["summary"])),
                domain=clean_text(row["domain"]),
                url=clean_text(row["url"]),
                published=row["ts_event"],
                relevance=score,
                matched=tuple(term for term in order if term in row["terms"]),
            )
            for row, score in _distinct(
                candidates, part["row"].to_list(), part["score"].to_list(), limit
            )
        )
    return {symbol: chosen[profile] for symbol, profile in profiles.items()}
