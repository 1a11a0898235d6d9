"""Deterministic choice of phrasing: the facts pick the family, a stable hash the variant.

A phrase is a small grammar: `[a|b|c]` offers alternatives (they nest), `{name}` a
value filled in after the choice. Each group of alternatives is chosen by a hash of the
article, the slot and the group's place, so the same sheet always gives the same
article (no randomness), while the choices of one sentence multiply: five groups of
four give a thousand wordings, and two articles of an edition rarely meet on one.
Values are filled in after the choice, so text from outside (a headline) is never read
as grammar.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")


class Choice(tuple[tuple["str | Choice", ...], ...]):
    """The alternatives of one `[a|b]` group."""


Phrase = tuple[str | Choice, ...]


@lru_cache(maxsize=4096)
def parse(template: str) -> Phrase:
    """Return the grammar of a template; a bracket out of place is a writer bug."""
    return _parse(template, 0, top=True)[0]


def _parse(template: str, start: int, *, top: bool) -> tuple[Phrase, int]:
    parts: list[str | Choice] = []
    text_start = index = start
    while index < len(template):
        char = template[index]
        if char == "[":
            parts.append(template[text_start:index])
            options: list[Phrase] = []
            index += 1
            while True:
                option, index = _parse(template, index, top=False)
                options.append(option)
                if index >= len(template):
                    raise ValueError(f"unclosed '[' in {template!r}")
                index += 1
                if template[index - 1] == "]":
                    break
            parts.append(Choice(options))
            text_start = index
            continue
        if char in "|]":
            if top:
                raise ValueError(f"{char!r} outside brackets at {index} in {template!r}")
            break
        index += 1
    parts.append(template[text_start:index])
    return tuple(p for p in parts if p != ""), index


def _draws(key: str) -> Iterator[int]:
    """Yield an endless, reproducible stream of 16-bit draws for one key."""
    round_ = 0
    while True:
        digest = hashlib.blake2b(f"{key}#{round_}".encode(), digest_size=32).digest()
        for offset in range(0, len(digest), 2):
            yield int.from_bytes(digest[offset : offset + 2], "big")
        round_ += 1


def _expand(phrase: Phrase, draws: Iterator[int], out: list[str]) -> None:
    for part in phrase:
        if isinstance(part, Choice):
            _expand(part[next(draws) % len(part)], draws, out)
        else:
            out.append(part)


class Voice:
    """Picks among variants of a phrase, keyed by the article and the slot."""

    def __init__(self, key: str) -> None:
        self._key = key

    def pick(self, slot: str, options: Sequence[T]) -> T:
        """Return one of `options`, the same one every time for this article and slot."""
        return options[next(_draws(f"{self._key}|{slot}")) % len(options)]

    def say(self, slot: str, template: str, values: Mapping[str, str]) -> str:
        """Return `template` with its alternatives chosen and its `{names}` filled from `values`.

        The first letter is raised, so a sentence may open on a lower-case name.
        """
        out: list[str] = []
        _expand(parse(template), _draws(f"{self._key}|{slot}"), out)
        text = "".join(out).format_map(values)
        return text[:1].upper() + text[1:]
