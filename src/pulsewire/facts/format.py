"""How each unit of fact is written, shared by the writer and the audit.

The writer prints a figure only through `show`; the audit accepts a number in the
text only if it equals one of `forms` of some fact of the sheet. Signs, a leading
dollar and the "/100" of a score are typography, not figures.

A price is written by `show_price`, here and wherever the desk prints one (the CLI's
levels too), with the decimals of its instrument (`price_scale`, the close): two from
$1 up, and four significant digits of the close below, so that a coin quoted in
millionths of a dollar does not read "$0.00". Writer and audit pass the same scale.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Final

from pulsewire.facts.sheet import Fact, Unit

PRICE_DIGITS: Final = 4
"""Significant digits of a price below $1."""

_FORMS: Final[dict[Unit, tuple[str, ...]]] = {
    "percent": ("{:.1f}%", "{:.0f}%"),
    "ratio": ("{:.1f}x",),
    "index": ("{:.1f}", "{:.0f}"),
    "count": ("{:,.0f}",),
    "days": ("{:,.0f}",),
    "level": ("{:.0f}",),
    "score": ("{:.0f}", "{:.1f}"),
}


def price_decimals(scale: float) -> int:
    """Return how many decimals the prices of an instrument quoted near `scale` take.

    Two from $1 up (and for 0, NaN or infinity); below $1, enough for `PRICE_DIGITS`
    significant digits of `scale`: 0.1234 -> 4, 0.00012 -> 7, 1e-9 -> 12. The
    exponent is the one after rounding, so 0.00099996 (0.001000) takes 6, and a
    scale that rounds to 1 (0.99996) takes 2.
    """
    size = abs(scale)
    if size == 0 or not math.isfinite(size) or size >= 1:
        return 2
    exponent = int(f"{size:.{PRICE_DIGITS - 1}e}".partition("e")[2])
    return 2 if exponent >= 0 else max(2, PRICE_DIGITS - 1 - exponent)


def price_scale(facts: Mapping[str, Fact]) -> float | None:
    """Return the price that sets the decimals of every price of a sheet: its close."""
    close = facts.get("close")
    return None if close is None else close.value


def show_price(value: float, scale: float | None = None) -> str:
    """Return a price as the desk prints it, without a currency sign.

    The decimals are those of the instrument (`price_decimals` of `scale`, its close),
    so that every price of one article has the same precision; without `scale`, those
    of `value` itself.

    ==============  ==============================================  =====================
    scale           rule                                            examples
    ==============  ==============================================  =====================
    $1 and above    two decimals, thousands separated (as always:   258.2 -> '258.20',
                    a $60 fund's ATR of 0.704 reads '0.70')         84321.5 -> '84,321.50'
    below $1        the decimals that show 4 significant digits     0.1234 -> '0.1234',
                    of the scale, trailing zeros kept, plain        1.2345e-4 ->
                    decimals however small (the audit reads plain   '0.0001234', 1e-9 ->
                    numbers, no exponent)                           '0.000000001000'
    ==============  ==============================================  =====================

    A price of a sub-dollar coin is never '0.00' unless it is zero at the coin's own
    precision; trailing zeros are kept as two decimals keep them ('258.20'). A
    negative value takes a minus sign; NaN and infinities are written as `format`
    writes them ('nan', 'inf').
    """
    decimals = price_decimals(value if scale is None else scale)
    return f"{value:,.{decimals}f}"


def _scaled(fact: Fact) -> float:
    return fact.value * 100 if fact.unit == "percent" else fact.value


def ordinal(number: int) -> str:
    """Return 21 as '21st', 12 as '12th'."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def show(
    fact: Fact,
    *,
    signed: bool = False,
    whole: bool = False,
    ordinal_rank: bool = False,
    scale: float | None = None,
) -> str:
    """Return the fact as the text prints it.

    `signed` adds + or -, `whole` drops decimals, `ordinal_rank` writes a percent as an
    ordinal percentile (0.21 -> '21st'). A price is written by `show_price` with the
    decimals of `scale` (the sheet's `price_scale`), `whole` or not.
    """
    if ordinal_rank:
        return ordinal(round(abs(_scaled(fact))))
    value = _scaled(fact)
    if fact.unit == "price":
        text = show_price(abs(value), scale)
    else:
        forms = _FORMS[fact.unit]
        text = (forms[-1] if whole else forms[0]).format(abs(value))
    if signed and text.strip("0.,%x") != "":
        return ("+" if value > 0 else "-") + text
    return text


def forms(fact: Fact, *, scale: float | None = None) -> set[str]:
    """Return every unsigned way `show` may print the fact, prices at `scale`."""
    value = abs(_scaled(fact))
    if fact.unit == "price":
        return {show_price(value, scale)}
    written = {template.format(value) for template in _FORMS[fact.unit]}
    if fact.unit == "percent":
        written.add(ordinal(round(value)))
    return written


def show_date(day: dt.date) -> str:
    """Return a date as articles print it: 'Feb 10'."""
    return f"{day:%b} {day.day}"
