"""`clean_text`: outside text (headlines, summaries, sources, links) made safe to print.

A headline comes from a feed the desk does not control, and it ends up in HTML and
Markdown files and on a trader's terminal. Escaped for each format, it still carries
what no escaping removes: terminal escape sequences (a colour, a window title, an
OSC 8 hyperlink to anywhere), NUL and other control characters, and the bidirectional
overrides that show ``gpj.exe`` as ``exe.jpg``. `clean_text` removes them once, the
same way for every field, and is pure and idempotent: clean text passes unchanged, so a
key derived from it (`news_key_id`) does not move.

=========================  ============================================================
what                       becomes
=========================  ============================================================
escape sequences           removed whole, parameters and terminator included: CSI
                           (``ESC [ ... m``, 8-bit ``U+009B``), OSC, DCS, SOS, PM and
                           APC strings up to BEL or ST (or the end of the text, as a
                           terminal would swallow it), and two-byte ``ESC x`` codes
tab, line and page breaks  one space (``\\t \\n \\v \\f \\r``, NEL, U+2028, U+2029)
other controls (Cc)        removed: NUL, BEL, ESC left alone, DEL, C1 ``U+0080-U+009F``
bidirectional controls     removed: U+061C, U+200E, U+200F, U+202A-U+202E,
                           U+2066-U+2069
invisible formatting       removed: zero-width space U+200B, word joiner and invisible
                           operators U+2060-U+2064, U+206A-U+206F, U+180E, the byte order
                           mark U+FEFF, interlinear annotation U+FFF9-U+FFFB and tag
                           characters U+E0000-U+E007F (text hidden from the reader)
lone surrogates            removed (they cannot be written as UTF-8)
runs of whitespace         one space; none at either end
the rest                   NFC-normalised
=========================  ============================================================

Zero-width joiners and non-joiners (U+200C, U+200D) stay: scripts and emoji need them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import polars as pl

__all__ = ["BIDI_CONTROLS", "clean_series", "clean_text"]

BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Every Unicode bidirectional formatting character: marks, embeddings, overrides, isolates."""

# C0 ESC or its 8-bit C1 form opens each sequence. An OSC, DCS, SOS, PM or APC string
# runs to BEL or ST (ESC \, U+009C); CAN and SUB abort it; a later ESC starts anew.
_SEQUENCE: Final = re.compile(
    r"""
    (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?        # CSI
    | (?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f]) [^\x07\x1b\x9c\x18\x1a]*
      (?:\x07|\x1b\\|\x9c)?                                         # OSC DCS SOS PM APC
    | \x1b [\x20-\x2f]* [\x30-\x7e]                                 # ESC x (nF, Fp, Fe, Fs)
    """,
    re.VERBOSE,
)
_BREAKS: Final = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_INVISIBLE: Final = (
    "\u180e\u200b\u2060\u2061\u2062\u2063\u2064"
    "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb"
)
_DROPPED: Final[dict[int, str | None]] = {
    **dict.fromkeys(map(ord, _BREAKS), " "),
    **{
        code: None
        for code in (*range(0x20), *range(0x7F, 0xA0))
        if chr(code) not in _BREAKS  # every other C0 and C1 control, DEL included
    },
    **dict.fromkeys(map(ord, BIDI_CONTROLS)),
    **dict.fromkeys(map(ord, _INVISIBLE)),
    **dict.fromkeys(range(0xE0000, 0xE0080)),
    **dict.fromkeys(range(0xD800, 0xE000)),
}
_SPACE: Final = re.compile(r"\s+")
# What `clean_text` changes, for polars (Rust regex): a dropped character, whitespace
# other than one space between words. Text that NFC leaves alone and matches none of
# this is already clean.
_UNCLEAN: Final = (
    r"[\x00-\x1f\x7f-\x9f\x{61C}\x{180E}\x{200B}\x{200E}\x{200F}\x{202A}-\x{202E}"
    r"\x{2060}-\x{2064}\x{2066}-\x{206F}\x{FEFF}\x{FFF9}-\x{FFFB}\x{E0000}-\x{E007F}]"
    r"|[^\S ]|  |^ | $"
)
# Text made of these is already clean unless it holds a double space or spaces at an end.
_PLAIN: Final = re.compile(r"[\x20-\x7e]*")


def clean_text(text: str) -> str:
    """Return `text` with escape sequences, controls and bidi overrides removed, NFC.

    See the module docstring for what goes and what stays. Pure and idempotent:
    ``clean_text(clean_text(t)) == clean_text(t)``, and text that holds none of it
    (printable, NFC, single spaces, none at the ends) is returned unchanged.

    Parameters
    ----------
    text
        Outside text: a headline, summary, source name or URL.

    Returns
    -------
    str
        The text a reader can see, on one line.
    """
    if _PLAIN.fullmatch(text) and "  " not in text and text == text.strip():
        return text  # plain ASCII with single spaces: the common case, nothing to do
    text = _SEQUENCE.sub("", text).translate(_DROPPED)
    text = unicodedata.normalize("NFC", text)
    return _SPACE.sub(" ", text).strip()


def clean_series(texts: pl.Series) -> pl.Series:
    """Return `clean_text` of every string of `texts` (nulls stay null), name and order kept.

    Only the values that need it go through Python: a column of clean text costs one
    vectorised scan.
    """
    unclean = texts.str.contains(_UNCLEAN).fill_null(False)
    # Only text beyond ASCII can be other than NFC; Python's quick check tells which
    # (polars' `normalize` of a whole column costs ten times more).
    wide = (texts.str.contains(r"[^\x00-\x7f]").fill_null(False) & ~unclean).arg_true()
    rows = unclean.arg_true()
    if not wide.is_empty():
        odd = [not unicodedata.is_normalized("NFC", text) for text in texts.gather(wide).to_list()]
        rows = pl.concat([rows, wide.filter(pl.Series(odd, dtype=pl.Boolean()))]).sort()
    if rows.is_empty():
        return texts
    cleaned = [clean_text(text) for text in texts.gather(rows).to_list()]
    return texts.clone().scatter(rows, pl.Series(cleaned, dtype=pl.String()))  # not in place
