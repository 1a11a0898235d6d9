"""`clean_text`: escape sequences, controls and bidi overrides out of outside text."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pulsewire.model import BIDI_CONTROLS, clean_series, clean_text
from tests.conftest import BUNDLE

# Escape codes as a hostile feed would plant them.
CSI_RED = "\x1b[31m"
OSC_LINK = "\x1b]8;;http://evil\x07"
OSC_TITLE = "\x1b]0;title\x1b\\"


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (f"Fed {CSI_RED}holds\x1b[0m rates", "Fed holds rates"),
        (f"Fed {OSC_LINK}holds\x1b]8;;\x07 rates", "Fed holds rates"),
        (f"Fed {OSC_TITLE}holds", "Fed holds"),
        ("Fed \x1b]8;;http://evil", "Fed"),  # unterminated: a terminal would swallow the rest
        ("Fed \x9b31mholds", "Fed holds"),  # 8-bit CSI
        ("Fed \x9d0;title\x9c holds", "Fed holds"),  # 8-bit OSC and ST
        ("Fed \x1bPq#0;2;0;0;0\x1b\\holds", "Fed holds"),  # DCS (sixel)
        ("Fed\x1bc \x1b(Bholds", "Fed holds"),  # reset, charset
        ("Fed\x00 holds\x07\x7f", "Fed holds"),
        ("Fed\tholds\r\n\nrates ", "Fed holds rates"),
        ("Fed \u202egnp.exe\u202c holds", "Fed gnp.exe holds"),
        ("\u2066Fed\u2069 \u200eholds\u200f \u061crates", "Fed holds rates"),
        ("\u200b\u200bPolygon strikes", "Polygon strikes"),
        ("Fed holds\U000e0041\U000e0042", "Fed holds"),  # tag characters: hidden text
        ("Cafe\u0301 rates", "Café rates"),  # NFC
        ("Fed\ud800 holds", "Fed holds"),  # a lone surrogate cannot be written as UTF-8
        ("\x1b\x00[31m", "[31m"),  # ESC cut from its sequence: the rest is text
        ("👩\u200d💻 Devs", "👩\u200d💻 Devs"),  # the zero-width joiner stays
    ],
)
def test_clean_text_removes_whole_sequences_controls_and_bidi(text: str, clean: str) -> None:
    assert clean_text(text) == clean


def test_real_headlines_that_are_clean_pass_unchanged() -> None:
    titles = pl.read_parquet(BUNDLE / "news" / "headlines.parquet")["title"]
    changed = [title for title in titles if clean_text(title) != title]
    # Only nine real titles change: each holds zero-width spaces or a word joiner.
    assert len(changed) == 9
    assert all(clean_text(t) == t.replace("\u200b", "").replace("\u2060", "") for t in changed)


def _forbidden(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS


# Text as feeds send it: any character, weighted toward escapes, controls and bidi.
_HOSTILE = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(
            [
                "\x1b",
                "[",
                "]",
                "\\",
                "\x07",
                "\x9b",
                "\x9c",
                "\x9d",
                " ",
                "\t",
                "\n",
                "\u0301",
                "m",
                ";",
                *BIDI_CONTROLS,
            ]
        ),
        st.sampled_from([CSI_RED, OSC_LINK, OSC_TITLE]),
    )
).map("".join)


@given(_HOSTILE)
@example(" \u0301e")
@example("e\u00a0\u0301")
@example("\u1100\x00\u1161")  # a control between two jamo that NFC would join
def test_clean_text_leaves_no_control_or_bidi_and_is_idempotent(text: str) -> None:
    clean = clean_text(text)
    assert not [char for char in clean if _forbidden(char)]
    assert "\x1b" not in clean
    assert clean_text(clean) == clean
    assert unicodedata.is_normalized("NFC", clean)
    assert clean == clean.strip() and "  " not in clean


@given(st.lists(st.one_of(st.none(), _HOSTILE), max_size=20))
def test_clean_series_is_clean_text_of_each_value(texts: list[str | None]) -> None:
    texts = [None if t is None else t.encode("utf-8", "replace").decode() for t in texts]
    series = pl.Series("title", texts, dtype=pl.String())
    cleaned = clean_series(series)
    assert series.to_list() == texts  # pure: the input is not cleaned in place
    assert cleaned.name == "title"
    assert cleaned.to_list() == [None if t is None else clean_text(t) for t in texts]


def test_clean_series_of_the_real_archive_is_clean_text_of_each_value() -> None:
    frame = pl.read_parquet(BUNDLE / "news" / "headlines.parquet")
    for name in ("title", "summary", "source", "url"):
        column = frame[name]
        assert clean_series(column).to_list() == [clean_text(t) for t in column.to_list()]
