"""Peer groups: the symbols a score is calibrated on and whose record an article quotes.

Threat and Conviction are fitted per group rather than per symbol (one symbol's years
are too few) or over everything (a bond fund's storms are not bitcoin's). A symbol the
desk does not know joins no group: it is scored on the pooled fit of every symbol,
and the article says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

import numpy as np

from pulsewire._types import IntArray
from pulsewire.model import ALWAYS_OPEN, AssetClass, profile

POOLED: Final = "all symbols"
"""The name of the pooled fit, over every symbol of the panel."""

GROUPS: Final[Mapping[AssetClass, str]] = MappingProxyType(
    {
        AssetClass.EQUITY_INDEX: "equity ETFs",
        AssetClass.SECTOR: "equity ETFs",
        AssetClass.BOND: "Treasury ETFs",
        AssetClass.CREDIT: "credit ETFs",
        AssetClass.COMMODITY: "commodity ETFs",
        AssetClass.CURRENCY: "currency ETFs",
        AssetClass.VOLATILITY: "volatility indices",
        AssetClass.CRYPTO: "crypto",
    }
)
"""Group of each asset class, as an article names it ("of past equity ETFs' readings")."""

GROUP_NAMES: Final = tuple(dict.fromkeys(GROUPS.values()))


def group_of(symbol: str) -> str | None:
    """Return the symbol's peer group; an unknown crypto pair is crypto, other unknowns none."""
    known = profile(symbol)
    if known.asset_class is not None:
        return GROUPS[known.asset_class]
    return GROUPS[AssetClass.CRYPTO] if known.calendar == ALWAYS_OPEN else None


def group_codes(symbols: Sequence[str]) -> IntArray:
    """Return each symbol's index into `GROUP_NAMES`, -1 for a symbol of no group."""
    codes = [GROUP_NAMES.index(g) if (g := group_of(s)) is not None else -1 for s in symbols]
    return np.array(codes, dtype=np.intp)
