"""Editions on any date of the bundle: every symbol that can be written is, the rest named."""

from __future__ import annotations

import datetime as dt

import pytest

from pulsewire.desk import Desk
from pulsewire.facts.edition import LeftOut, Omission, build_sheets, evening
from pulsewire.writer.audit import audit
from pulsewire.writer.edition import write_edition

NO_BAR, YOUNG = Omission.NO_BAR_YET, Omission.TOO_LITTLE_HISTORY
STARTS = {
    "ACWI": "2008-03-28",
    "BTC-USD": "2014-09-17",
    "DIA": "1998-01-20",
    "EEM": "2003-04-14",
    "EFA": "2001-08-27",
    "ETH-USD": "2017-11-09",
    "GLD": "2004-11-18",
    "HYG": "2007-04-11",
    "IEF": "2002-07-30",
    "IWM": "2000-05-26",
    "QQQ": "1999-03-10",
    "SLV": "2006-04-28",
    "SPY": "1993-01-29",
    "TLT": "2002-07-30",
    "USO": "2006-04-10",
    "UUP": "2007-03-01",
    "XLC": "2018-06-19",
    "XLRE": "2015-10-08",
    **dict.fromkeys(("XLB", "XLE", "XLF", "XLI", "XLK", "XLP", "XLU", "XLV", "XLY"), "1998-12-22"),
}
"""The first bar of each bundled series but VIX (1990-01-02), which every date here has."""

# What each edition leaves out: symbols whose first bar is later (no bar yet), and those
# with bars but too few for scores, with their count (scores need about 270 bars).
EARLY: dict[str, dict[str, int]] = {
    "1993-06-01": {"SPY": 85},
    "2000-03-10": {"QQQ": 255},
    "2008-10-10": {"ACWI": 138},
    "2011-08-08": {},
    "2014-10-15": {"BTC-USD": 29},
    "2018-02-05": {"ETH-USD": 89},
    "2020-03-16": {},
}


@pytest.mark.parametrize("date", sorted(EARLY))
def test_an_edition_of_any_date_writes_what_it_can_and_names_the_rest(
    desk: Desk, date: str
) -> None:
    day = dt.date.fromisoformat(date)
    sheets = build_sheets(
        desk.universe, desk.board, day, desk.panel.symbols, desk.events, desk.news
    )
    edition = write_edition(sheets.written, evening(day), sheets.left_out)

    young = EARLY[date]
    unborn = {s for s, first in STARTS.items() if dt.date.fromisoformat(first) > day}
    expected = sorted(
        [LeftOut(s, NO_BAR, dt.date.fromisoformat(STARTS[s]), 0) for s in unborn]
        + [LeftOut(s, YOUNG, dt.date.fromisoformat(STARTS[s]), n) for s, n in young.items()],
        key=lambda left: left.symbol,
    )
    assert list(edition.left_out) == expected
    written = [a.symbol for a in edition.articles]
    assert written == sorted(set(desk.panel.symbols) - unborn - set(young))
    assert "VIX" in written and edition.as_of == day
    for article, sheet in zip(edition.articles, edition.sheets, strict=True):
        assert sheet.as_of == day and sheet.data_as_of <= day
        assert audit(article, sheet) == []


def test_a_left_out_symbol_says_why_in_one_line(desk: Desk) -> None:
    day = dt.date(2018, 2, 5)
    symbols = ("ETH-USD", "XLC", "NOPE", "SPY")
    sheets = build_sheets(desk.universe, desk.board, day, symbols, desk.events, desk.news)
    assert [s.symbol for s in sheets.written] == ["SPY"]
    assert [str(left) for left in sheets.left_out] == [
        "ETH-USD: too little history for scores (89 bars since 2017-11-09)",
        "XLC: no bar yet (first bar 2018-06-19)",
        "NOPE: not in the store",
    ]
