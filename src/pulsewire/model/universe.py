"""What the desk knows about each symbol, read from one file: `data/universe.toml`.

Names and their grammatical number, asset class, related symbols, news terms, calendar,
how it is quoted and the writer's words for it all live in that file and nowhere else;
every stage asks `profile`. A symbol the file does not list gets a generic profile: its
ticker as its name, singular, and no context the desk does not have (no asset class,
related symbols, news terms or drivers).

The file is the package's own data, read once (`universe`) and checked whole: a broken
entry fails on first use with the symbol and field at fault, not in the middle of an
edition.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from importlib import resources
from types import MappingProxyType
from typing import Final, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from pulsewire._frozen import Frozen
from pulsewire.errors import SourceError
from pulsewire.model.symbols import ALWAYS_OPEN, SESSIONS_PER_YEAR, XNYS

__all__ = [
    "AssetClass",
    "Number",
    "Profile",
    "Quote",
    "Reference",
    "calendar_for",
    "load_universe",
    "profile",
    "sessions_per_year",
    "universe",
]

_CRYPTO_QUOTES: Final = ("-USD", "-USDT", "-EUR", "-BTC")
"""Quote currencies of a Yahoo-style crypto pair (``BTC-USD``): a symbol ending so trades
every day even when the file does not list it."""


class AssetClass(StrEnum):
    """What a symbol tracks: a tag for later stages."""

    EQUITY_INDEX = "equity index"
    SECTOR = "sector"
    BOND = "bond"
    CREDIT = "credit"
    COMMODITY = "commodity"
    CURRENCY = "currency"
    VOLATILITY = "volatility"
    CRYPTO = "crypto"


class Number(StrEnum):
    """Grammatical number of a name: what its verb agrees with ('small caps are')."""

    SINGULAR = "singular"
    PLURAL = "plural"


class Quote(StrEnum):
    """What a symbol's price is: dollars get a '$', points (an index level) do not."""

    DOLLARS = "dollars"
    POINTS = "points"


class Reference(Frozen):
    """One way to name a symbol inside a sentence, with the number its verb takes."""

    text: str = Field(min_length=1)
    number: Number

    @field_validator("text")
    @classmethod
    def _trimmed(cls, text: str) -> str:
        if text != text.strip() or "  " in text:
            raise ValueError(f"{text!r} has stray spaces")
        return text

    @property
    def pronoun(self) -> Literal["it", "they"]:
        """Return the pronoun that stands for this name: 'they' for small caps."""
        return "they" if self.number is Number.PLURAL else "it"


class Profile(Frozen):
    """Everything the desk knows about one symbol; see the head of `data/universe.toml`."""

    symbol: str
    name: Reference
    full_name: str = Field(min_length=1)
    short: Reference
    aliases: tuple[Reference, ...]
    noun: str = Field(min_length=1)
    asset_class: AssetClass | None
    calendar: Literal["XNYS", "24/7"]
    quote: Quote
    related: tuple[str, ...]
    news_terms: tuple[str, ...]
    drivers: str | None
    """What moves it; None when the desk does not know (no driver is claimed)."""
    if_up: str
    """What a rise would mean if the cross-asset picture agrees, as a clause."""
    if_down: str
    """What a fall would mean if the cross-asset picture agrees, as a clause."""

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        aliases = [r.text for r in self.aliases]
        if len(set(aliases)) < len(aliases) or {self.name.text, self.short.text} & set(aliases):
            raise ValueError(f"aliases {aliases} repeat each other, the name or the short name")
        if self.symbol in self.related or len(set(self.related)) < len(self.related):
            raise ValueError(f"related {list(self.related)} repeats a symbol or names itself")
        if any(term != term.lower() for term in self.news_terms):
            raise ValueError(f"news_terms {list(self.news_terms)} are not all lowercase")
        return self

    @property
    def known(self) -> bool:
        """Return whether the file lists the symbol (else the profile is generic)."""
        return self.asset_class is not None

    @property
    def pronoun(self) -> Literal["it", "they"]:
        """Return the pronoun after the short name: it agrees with the short name's number."""
        return self.short.pronoun

    @property
    def references(self) -> tuple[Reference, ...]:
        """Return every name of the symbol, once each: name, short name, then aliases."""
        return tuple(dict.fromkeys((self.name, self.short, *self.aliases)))


def load_universe(path: str) -> Mapping[str, Profile]:
    """Return the profiles of a universe file, keyed by symbol in the file's order.

    Raises
    ------
    SourceError
        If the file is not TOML, an entry has a missing, unknown or invalid field (the
        error's field is ``SYMBOL.field``), or a related symbol is not in the file.
    """
    try:
        with open(path, "rb") as file:
            tables = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise SourceError(path, None, None, None, f"cannot read the universe: {e}") from e
    profiles: dict[str, Profile] = {}
    for symbol, table in tables.items():
        if not isinstance(table, dict):
            raise SourceError(path, None, symbol, table, "is not a table of fields")
        if "symbol" in table:
            raise SourceError(
                path, None, f"{symbol}.symbol", table["symbol"], "is not a field: the key is"
            )
        try:
            profiles[symbol] = Profile.model_validate({"symbol": symbol, **table})
        except ValidationError as e:
            error = e.errors()[0]
            where = ".".join(str(part) for part in (symbol, *error["loc"]))
            raise SourceError(path, None, where, error["input"], error["msg"]) from e
    for symbol, entry in profiles.items():
        missing = [r for r in entry.related if r not in profiles]
        if missing:
            raise SourceError(
                path, None, f"{symbol}.related", missing, "names symbols the file does not list"
            )
    return MappingProxyType(profiles)


@functools.cache
def universe() -> Mapping[str, Profile]:
    """Return the profiles of the bundled universe file, read and checked once."""
    return load_universe(str(resources.files("pulsewire") / "data" / "universe.toml"))


def _generic(symbol: str) -> Profile:
    """Return the profile of a symbol the file does not list: its ticker, plain words."""
    ticker = Reference(text=symbol, number=Number.SINGULAR)
    crypto = symbol.upper().endswith(_CRYPTO_QUOTES)
    return Profile(
        symbol=symbol,
        name=ticker,
        full_name=symbol,
        short=ticker,
        aliases=(),
        noun="instrument",
        asset_class=None,
        calendar=ALWAYS_OPEN if crypto else XNYS,
        quote=Quote.DOLLARS,
        related=(),
        news_terms=(),
        drivers=None,
        if_up="buyers lead",
        if_down="sellers lead",
    )


@functools.lru_cache(maxsize=4096)
def profile(symbol: str) -> Profile:
    """Return what the desk knows about `symbol`: its entry, or a generic profile.

    A generic profile names the symbol by its ticker (singular, "it"), claims no asset
    class, related symbol, news term or driver, is quoted in dollars, and trades on the
    NYSE calendar unless its ticker is a crypto pair (``ABC-USD``: every day).
    """
    return universe().get(symbol) or _generic(symbol)


def calendar_for(symbol: str) -> str:
    """Return the calendar `symbol` trades on (`XNYS` or `ALWAYS_OPEN`), from its profile."""
    return profile(symbol).calendar


def sessions_per_year(symbol: str) -> int:
    """Return the sessions in a year of the calendar `symbol` trades on (`calendar_for`).

    A symbol's bars are its sessions, so this is its bars per year: a daily volatility
    times its square root is the symbol's annualised volatility, 365 for crypto pairs.
    """
    return SESSIONS_PER_YEAR[calendar_for(symbol)]
