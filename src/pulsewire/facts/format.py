"""How each unit of fact is written, shared by the writer and the audit.

The writer prints a figure only through `show`; the audit accepts a number in the
text only if it equals one of `forms` of some fact of the sheet. Signs, a leading
dollar and the "/100" of a score are typography, not figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from pulsewire.facts.sheet import Fact, Unit

_FORMS: Final[dict[Unit, tuple[str, ...]]] = {
    "price": ("{:,.2f}",),
    "percent": ("{:.1f}%", "{:.0f}%"),
    "ratio": ("{:.1f}x",),
    "index": ("{:.1f}", "{:.0f}"),
    "count": ("{:,.0f}",),
    "days": ("{:,.0f}",),
    "level": ("{:.0f}",),
    "score": ("{:.0f}", "{:.1f}"),
}


def _scaled(fact: Fact) -> float:
    return fact.value * 100 if fact.unit == "percent" else fact.value


def ordinal(number: int) -> str:
    """Return 21 as '21st', 12 as '12th'."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def show(
    fact: Fact, *, signed: bool = False, whole: bool = False, ordinal_rank: bool = False
) -> str:
    """Return the fact as the text prints it.

    `signed` adds + or -, `whole` drops decimals, `ordinal_rank` writes a percent as an
    ordinal percentile (0.21 -> '21st').
    """
    if ordinal_rank:
        return ordinal(round(abs(_scaled(fact))))
    forms = _FORMS[fact.unit]
    template = forms[-1] if whole else forms[0]
    value = _scaled(fact)
    text = template.format(abs(value))
    if signed and text.strip("0.,%x") != "":
        return ("+" if value > 0 else "-") + text
    return text


def forms(fact: Fact) -> set[str]:
    """Return every unsigned way `show` may print the fact."""
    value = abs(_scaled(fact))
    written = {template.format(value) for template in _FORMS[fact.unit]}
    if fact.unit == "percent":
        written.add(ordinal(round(value)))
    return written


def show_date(day: dt.date) -> str:
    """Return a date as articles print it: 'Feb 10'."""
    return f"{day:%b} {day.day}"
