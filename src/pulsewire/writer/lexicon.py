"""The desk's vocabulary for each symbol: what else to call it and what moves it.

A column does not repeat "the Russell 2000" in every line: it says "small caps" or
"the small-cap index". It also knows why a jobs report matters more to one market than
to another. These words are the writer's, not figures: none contains a digit, so the
audit has nothing to trace in them. A symbol not listed is called by its ticker alone:
"the market" would read as the whole market, which it is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class Character:
    """How the desk refers to a symbol, and what drives it."""

    aliases: tuple[str, ...]
    """Other names for it inside a sentence, singular: 'the small-cap index'."""
    drivers: str
    """What moves it, as a noun phrase: 'rate expectations and domestic growth'."""
    up: str
    """What a rise says, read as a market: 'risk appetite is reaching down the cap scale'."""
    down: str
    """What a fall says."""


CHARACTERS: Final[Mapping[str, Character]] = MappingProxyType(
    {
        "SPY": Character(
            ("the broad market", "the benchmark index", "large caps"),
            "earnings, rates and the megacap weights",
            "buyers still pay up for US large caps",
            "the core of the US market is being sold",
        ),
        "QQQ": Character(
            ("the tech-heavy index", "growth stocks", "the megacap complex"),
            "megacap earnings, AI spending and long yields",
            "the growth trade is back in favour",
            "the growth trade is being unwound",
        ),
        "DIA": Character(
            ("the blue chips", "the price-weighted index", "the industrial average"),
            "a handful of high-priced blue chips",
            "old-economy blue chips are finding bids",
            "the blue chips are leaking",
        ),
        "IWM": Character(
            ("small caps", "the small-cap index", "the small-cap benchmark"),
            "rate expectations and domestic growth",
            "risk appetite is reaching down the cap scale",
            "money is retreating from the most rate-sensitive stocks",
        ),
        "ACWI": Character(
            ("the global index", "world stocks", "the all-country basket"),
            "global growth and the dollar",
            "the world's equity bid is broad",
            "selling is spreading across borders",
        ),
        "EFA": Character(
            ("stocks outside North America", "the developed ex-US basket", "international stocks"),
            "European and Japanese growth and the dollar",
            "investors are looking abroad",
            "the overseas trade is losing friends",
        ),
        "EEM": Character(
            ("the emerging basket", "developing markets", "EM stocks"),
            "China, the dollar and commodity prices",
            "the emerging-market bid is returning",
            "emerging markets are paying for a firm dollar",
        ),
        "XLB": Character(
            ("the materials sector", "chemicals and miners", "the materials group"),
            "industrial demand and metals prices",
            "the cyclical bid has reached raw materials",
            "raw-material demand is being doubted",
        ),
        "XLC": Character(
            (
                "the communication services sector",
                "the media and platforms group",
                "the platforms sector",
            ),
            "ad spending and a few platform giants",
            "the platform names are pulling the sector along",
            "the platform names are weighing on the group",
        ),
        "XLE": Character(
            ("the energy sector", "oil producers", "the energy patch"),
            "crude prices and producer discipline",
            "the oil trade is finding buyers",
            "the oil trade is being cut back",
        ),
        "XLF": Character(
            ("the banks", "the financials sector", "the lenders"),
            "the yield curve, credit quality and deal flow",
            "the market is paying up for lenders",
            "credit worries are weighing on the lenders",
        ),
        "XLI": Character(
            ("the industrials sector", "the machinery and transport names", "the industrial group"),
            "capital spending, freight and defence budgets",
            "the cyclical recovery trade is alive",
            "the market is trimming its cyclical bets",
        ),
        "XLK": Character(
            ("the technology sector", "the chipmakers and software houses", "the tech sector"),
            "chip demand, software margins and long yields",
            "the tech bid is intact",
            "tech is being sold into",
        ),
        "XLP": Character(
            ("the staples sector", "the defensive consumer names", "household-goods stocks"),
            "pricing power and the hunt for safety",
            "money is hiding in defensives",
            "investors feel safe enough to leave the defensives",
        ),
        "XLRE": Character(
            ("the real-estate sector", "the REITs", "property stocks"),
            "mortgage rates and funding costs",
            "lower-rate hopes are lifting property",
            "rate worries are pressing on property",
        ),
        "XLU": Character(
            ("the utilities sector", "the power companies", "the bond proxies"),
            "bond yields and power demand",
            "the bond-proxy trade is in favour",
            "rising-rate fears are hitting the bond proxies",
        ),
        "XLV": Character(
            ("the health-care sector", "drugmakers and insurers", "the health-care group"),
            "drug pricing, trial news and defensive flows",
            "defensive growth is in demand",
            "health care is being used as a source of funds",
        ),
        "XLY": Character(
            ("the discretionary sector", "the consumer-spending names", "retail and autos"),
            "consumer spending, a few giants and wage growth",
            "the market trusts the consumer",
            "the market is doubting the consumer",
        ),
        "TLT": Character(
            ("the long bond", "long-dated Treasuries", "duration"),
            "inflation, Fed policy and Treasury supply",
            "long yields are falling",
            "long yields are climbing",
        ),
        "IEF": Character(
            ("the belly of the curve", "intermediate Treasuries", "the middle of the curve"),
            "the expected path of the policy rate",
            "intermediate yields are easing",
            "intermediate yields are rising",
        ),
        "HYG": Character(
            ("junk bonds", "the high-yield market", "lower-rated corporate credit"),
            "default risk, spreads and risk appetite",
            "credit investors are reaching for yield",
            "spreads are widening",
        ),
        "GLD": Character(
            ("bullion", "the metal", "the yellow metal"),
            "real yields, the dollar and central-bank buying",
            "the haven bid is strengthening",
            "the haven bid is fading",
        ),
        "SLV": Character(
            ("the white metal", "bullion's volatile cousin", "the silver market"),
            "industrial demand and gold's lead",
            "both the industrial and the monetary bid are pulling",
            "the industrial bid is weakening",
        ),
        "USO": Character(
            ("oil", "crude", "the oil fund"),
            "supply decisions, inventories and demand",
            "the market sees tighter barrels",
            "the market sees more barrels than buyers",
        ),
        "UUP": Character(
            ("the greenback", "the dollar index fund", "the US currency"),
            "rate differentials and the hunt for safety",
            "the dollar is drawing flows",
            "the dollar is losing its carry appeal",
        ),
        "VIX": Character(
            ("the fear gauge", "implied volatility", "the volatility index"),
            "demand for index options",
            "traders are paying up for protection",
            "option buyers are standing down",
        ),
        "BTC-USD": Character(
            ("the largest coin", "the flagship token", "crypto's benchmark"),
            "liquidity, fund flows and leverage",
            "crypto buyers are back in control",
            "leverage is being flushed out of crypto",
        ),
        "ETH-USD": Character(
            ("the second-largest coin", "the smart-contract token", "crypto's number two"),
            "network activity, fund flows and Bitcoin's lead",
            "the crypto bid is broadening",
            "crypto's higher-beta corner is being sold",
        ),
    }
)

_PLAIN: Final = Character((), "supply and demand", "buyers lead", "sellers lead")


def character(symbol: str) -> Character:
    """Return how the desk speaks of `symbol`; a symbol without one gets plain words."""
    return CHARACTERS.get(symbol, _PLAIN)


@dataclass(frozen=True, slots=True)
class Release:
    """A kind of scheduled release: the story it tells and the tag it is filed under."""

    story: str
    """'jobs', 'inflation', 'fed', 'spending', 'growth' or 'macro': keys the wordings."""
    tag: str


RELEASES: Final[tuple[tuple[str, Release], ...]] = (
    ("employment", Release("jobs", "jobs-report")),
    ("cpi", Release("inflation", "cpi")),
    ("fomc", Release("fed", "fomc")),
    ("retail", Release("spending", "retail-sales")),
    ("gross domestic", Release("growth", "gdp")),
    ("personal income", Release("inflation", "pce")),
)
"""A needle of a calendar event's name, and the release it names."""

_UNLISTED: Final = Release("macro", "macro")

EVENT_CHANNELS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "jobs": (
            "payrolls reset the growth story",
            "a labour-market surprise moves rate bets first",
            "the jobs count is the month's loudest growth signal",
        ),
        "inflation": (
            "inflation data feed straight into rate expectations",
            "a hot price print would push rate expectations up",
            "prices are what the Fed is watching",
        ),
        "fed": (
            "the rate decision and its guidance set the cost of money",
            "the Fed's words can move more than its rate",
            "policy guidance reprices every duration-sensitive asset",
        ),
        "spending": (
            "retail sales test the consumer",
            "spending data show whether demand is holding",
            "the consumer carries the economy, and this is its report card",
        ),
        "growth": (
            "the growth print sets the backdrop",
            "output data can change the recession debate",
            "the broadest gauge of the economy lands",
        ),
        "macro": ("a scheduled release can move the whole tape",),
    }
)
"""Why each kind of release can move markets, in a few wordings."""


EVENT_SHOCKS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "jobs": ("a payrolls surprise", "a miss or beat on jobs"),
        "inflation": ("a hot print", "an inflation surprise"),
        "fed": ("a hawkish turn", "a surprise in the guidance"),
        "spending": ("a consumer stumble", "a spending surprise"),
        "growth": ("a growth scare", "a surprise in output"),
        "macro": ("a surprise",),
    }
)
"""What could go wrong at each kind of release, as the subject of a risk line."""


def release(event: str) -> Release:
    """Return the release a calendar event's name names; an unlisted one is 'macro'."""
    lowered = event.lower()
    return next((kind for needle, kind in RELEASES if needle in lowered), _UNLISTED)
