"""Deterministic choice of phrasing: the facts pick the family, a stable hash the variant.

The same sheet always gives the same article (no randomness), while two articles of one
edition, differing in symbol, date and figures, rarely pick the same variants.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


class Voice:
    """Picks among variants of a phrase, keyed by the article and the slot."""

    def __init__(self, key: str) -> None:
        self._key = key

    def pick(self, slot: str, options: Sequence[str]) -> str:
        """Return one of `options`, the same one every time for this article and slot."""
        digest = hashlib.blake2b(f"{self._key}|{slot}".encode(), digest_size=8).digest()
        return options[int.from_bytes(digest, "big") % len(options)]
