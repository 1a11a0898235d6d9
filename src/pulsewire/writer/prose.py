"""Sentences about one symbol: who it is called, and every sentence a checked claim.

`Prose` is what the story and the plan share: the sheet's figures, the referring
expression (the full name first, then a short name or a pronoun that agrees in
number), and `state`, which writes a sentence only when each claim it makes holds
and records the claim for the audit.
"""

from __future__ import annotations

from collections.abc import Sequence

from pulsewire.facts.sheet import FactSheet
from pulsewire.model import Number, Quote, Reference, profile
from pulsewire.writer import messages as m
from pulsewire.writer.spans import (
    Figures,
    Span,
    Text,
    capitalised,
    fill,
    joined,
    name,
)

SPX = name("the S&P 500")

_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of off on or over the to under vs with its".split()  # noqa: SIM905
)


def headline_case(text: str) -> str:
    """Return a headline in title case, small words lower: 'Holds Between $1 and $2'."""
    out = []
    for index, word in enumerate(text.split(" ")):
        if index and word.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(out)


def is_plural(reference: Reference) -> bool:
    """Whether a reference takes a plural verb: 'small caps are', 'the VIX is'."""
    return reference.number is Number.PLURAL


def _agreeing(said: str | Span | Text, *, plural: bool) -> dict[str, str | Span | Text]:
    """A reference with the words that agree with it in number, for templates."""
    return {
        "it": said,
        "is": "are" if plural else "is",
        "has": "have" if plural else "has",
        "was": "were" if plural else "was",
        "its": "their" if plural else "its",
        "s": "" if plural else "s",
    }


class Refer:
    """Who the article is about, as a reader meets it: the full name, then short forms.

    The first sentence names the symbol in full; a paragraph opens on its short name;
    a sentence right after one about the symbol says "it" (or "they").
    """

    def __init__(self, sheet: FactSheet, *, introduce: bool = False) -> None:
        known = profile(sheet.symbol)
        self.full, self.short = known.name, known.short
        # The body's first mention says what the symbol is: "(IWM, the iShares ... ETF)".
        self._introduction: Text = (
            ()
            if not (introduce and known.known)
            # A coin is its ticker; "the Bitcoin in US dollars" would read as a fund.
            else (Span(" ("), name(sheet.symbol), Span(")"))
            if known.noun == "coin"
            else (Span(" ("), name(sheet.symbol), Span(", the "), name(known.full_name), Span(")"))
        )
        self._named = False
        self._last = False
        self.current = _agreeing(name(self.full.text), plural=is_plural(self.full))

    def paragraph(self) -> None:
        self._last = False

    def next(self, *, subject: bool) -> dict[str, str | Span | Text]:
        """The reference for one sentence; a pronoun only as the subject that opens it."""
        if not self._named:
            said: str | Span | Text = (name(self.full.text), *self._introduction)
            plural = is_plural(self.full)
            self._named = True
        elif self._last and subject:
            plural = is_plural(self.short)
            said = self.short.pronoun
        else:
            said, plural = name(self.short.text), is_plural(self.short)
        self._last = True
        self.current = _agreeing(said, plural=plural)
        return self.current


class Prose:
    """The sheet, its figures and the claims stated so far: the state of one article."""

    def __init__(self, sheet: FactSheet) -> None:
        self.sheet = sheet
        self.profile = profile(sheet.symbol)
        self.f = Figures(sheet, dollars=self.profile.quote is Quote.DOLLARS)
        self.refer = Refer(sheet)
        self.scores = {s.name: s for s in sheet.scores}
        self.label = self.scores["Pulse"].label
        self.call = m.call(sheet)
        self.angle = m.angle(sheet)
        self.support, self.resistance = sheet.nearest("support"), sheet.nearest("resistance")
        self._held: dict[str, bool] = {}
        self.claims: list[str] = []
        self._title_inserts: dict[str, str | Span | Text] = {}
        self.prefix = ""
        self.cited: set[str] = set()

    def holds(self, claim: str) -> bool:
        """Whether `claim` is true of the sheet; each is evaluated once per article."""
        if claim not in self._held:
            self._held[claim] = m.holds(claim, self.sheet)
        return self._held[claim]

    def state(self, template: str, *claims: str, **inserts: str | Span | Text) -> Text:
        """Return one sentence stating `claims`, each checked against the sheet first."""
        for claim in claims:
            if not self.holds(claim):
                raise AssertionError(f"writer states {claim!r}, which the sheet does not hold")
        self.claims.extend(self.prefix + claim for claim in claims)
        agreement = (
            self.refer.next(subject=template.startswith("<it>"))
            if "<it>" in template
            else self.refer.current
        )
        inserts = {**agreement, **inserts}
        return capitalised(fill(template, self.f, inserts))

    def pick(self, options: Sequence[tuple[str, str]], default: str = "") -> tuple[str, list[str]]:
        """The words of the first claim that holds, and that claim; `default` when none does."""
        for claim, said in options:
            if self.holds(claim):
                return said, [claim]
        return default, []

    def paragraph(self, *sentences: Text | None) -> Text | None:
        self.refer.paragraph()
        kept = [s for s in sentences if s]
        return joined(kept) if kept else None

    def way(self, key: str) -> str:
        """'up' or 'down' for a return, so a figure is never read as a signed level."""
        return "up" if self.f.value(key) > 0 else "down"
