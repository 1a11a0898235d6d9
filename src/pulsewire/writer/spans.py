"""Text as spans: the writer's words, and figures bound to the fact each one prints.

The writer never formats a number into a string it then forgets: a template names the
fact key of each figure (`{close:price}`), and the sentence keeps, beside its text,
where each figure, date, name and quote sits. The audit reads those spans back, so a
figure that prints the 50-day average where the template claims the close is caught,
and a digit typed into the words is caught too.

Template syntax: `{key:form}` a figure of the sheet (forms in `FORMS`); `<name>` an
insert given by the caller (a plain string is words, a `Span` or `Text` is kept as it
is). Inserted text is never read as template, so a headline cannot inject a figure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from pulsewire.article.model import Mark
from pulsewire.facts.format import show, show_date, show_price
from pulsewire.facts.sheet import FactSheet

SpanKind = Literal["words", "figure", "date", "name", "quote"]


@dataclass(frozen=True, slots=True)
class Span:
    """One stretch of text and what it is; `key` is the fact key or the ISO date."""

    text: str
    kind: SpanKind = "words"
    key: str | None = None


Text = tuple[Span, ...]

_SLOT: Final = re.compile(r"\{([A-Za-z0-9_.\-]+):(\w+)\}|<(\w+)>")


def name(text: str) -> Span:
    """A symbol's name, which may hold digits ("the Russell 2000")."""
    return Span(text, "name")


def quote(text: str) -> Span:
    """A headline, an event's name or a data finding, as the sheet holds it."""
    return Span(text, "quote")


def day(date: dt.date, *, year: bool = False) -> Span:
    """A date as articles print it ('Feb 10'), with its year when far from the as-of."""
    text = f"{show_date(date)}, {date.year}" if year else show_date(date)
    return Span(text, "date", date.isoformat())


def words(text: str) -> Text:
    """Plain words as a text."""
    return (Span(text),)


class Figures:
    """Prints a sheet's facts as figure spans, the one way the audit reads them back."""

    def __init__(self, sheet: FactSheet, *, dollars: bool) -> None:
        self.facts = sheet.facts
        self._dollar = "$" if dollars else ""
        close = sheet.facts.get("close")
        self._scale = None if close is None else close.value

    def has(self, *keys: str) -> bool:
        """Return whether every key is a fact of the sheet."""
        return all(key in self.facts for key in keys)

    def value(self, key: str) -> float:
        """Return a fact's raw value, for choosing words (never printed as is)."""
        return self.facts[key].value

    def span(self, key: str, form: str) -> Span:
        """Return the fact `key` printed in `form` (see `FORMS`)."""
        return Span(FORMS[form](self, key), "figure", key)

    def price(self, key: str) -> str:
        """A price with the instrument's currency sign, at the decimals of its close."""
        return self._dollar + show_price(self.facts[key].value, self._scale)


FORMS: Final[Mapping[str, Callable[[Figures, str], str]]] = {
    "price": Figures.price,
    "pct": lambda f, key: show(f.facts[key]),
    "spct": lambda f, key: show(f.facts[key], signed=True),
    "num": lambda f, key: show(f.facts[key]),
    "whole": lambda f, key: show(f.facts[key], whole=True),
    "rank": lambda f, key: show(f.facts[key], ordinal_rank=True),
}
"""How a template may print a figure: a price (with its currency sign), a percent (or
signed), any other figure (or whole), or a percent as an ordinal rank."""


def fill(template: str, figures: Figures, inserts: Mapping[str, str | Span | Text]) -> Text:
    """Return `template` as spans, its figures from `figures` and its `<names>` from `inserts`."""
    out: list[Span] = []
    at = 0
    for match in _SLOT.finditer(template):
        if match.start() > at:
            out.append(Span(template[at : match.start()]))
        key, form, insert = match.groups()
        if insert is None:
            out.append(figures.span(key, form))
        else:
            value = inserts[insert]
            if isinstance(value, str):
                out.append(Span(value))
            elif isinstance(value, Span):
                out.append(value)
            else:
                out.extend(value)
        at = match.end()
    if at < len(template):
        out.append(Span(template[at:]))
    return tuple(s for s in out if s.text)


def render(text: Text) -> str:
    """Return the text as a reader sees it."""
    return "".join(s.text for s in text)


def capitalised(text: Text) -> Text:
    """Return `text` with its first letter raised: a sentence may open on a name."""
    if not text:
        return text
    first = text[0]
    return (Span(first.text[:1].upper() + first.text[1:], first.kind, first.key), *text[1:])


def joined(texts: Iterable[Text], sep: str = " ") -> Text:
    """Return the texts one after the other, `sep` between them."""
    out: list[Span] = []
    for index, text in enumerate(texts):
        if index and sep:
            out.append(Span(sep))
        out.extend(text)
    return tuple(out)


def listing(texts: Sequence[Text]) -> Text:
    """Return the texts as a list in prose: 'a', 'a and b', 'a, b and c'."""
    if len(texts) < 2:
        return joined(texts)
    return joined((joined(texts[:-1], ", "), texts[-1]), " and ")


def marks(section: str, text: Text) -> tuple[Mark, ...]:
    """Return where each figure, date, name and quote of `text` sits in its rendering."""
    found, at = [], 0
    for span in text:
        end = at + len(span.text)
        if span.kind != "words":
            found.append(Mark(section=section, start=at, end=end, kind=span.kind, key=span.key))
        at = end
    return tuple(found)
