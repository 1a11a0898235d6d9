from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pulsewire.analysis.levels import AT_CLOSE_ATR
from pulsewire.analysis.markets import TAPE_SIGMAS
from pulsewire.facts.edition import build_sheets
from pulsewire.facts.sheet import FactSheet
from tests.facts.test_edition import Edition


@pytest.fixture(scope="module")
def edition(bundled_store_file: Path) -> Edition:
    return Edition(bundled_store_file)


def sheet_of(edition: Edition, symbol: str, day: dt.date) -> FactSheet:
    args = (edition.universe, edition.board, day, (symbol,), edition.events, edition.news)
    (sheet,) = build_sheets(*args).written
    return sheet


def value(sheet: FactSheet, key: str) -> float:
    return sheet.facts[key].value


def test_iwm_sheet_states_total_returns_and_both_52_week_distances(edition: Edition) -> None:
    sheet = sheet_of(edition, "IWM", dt.date(2026, 2, 2))
    for bars in (1, 5, 20):
        fact = sheet.facts[f"total_return_{bars}"]
        assert "total return (adj_close)" in fact.source and fact.unit == "percent"
    # The basis of relative strength: the symbol's total return minus the S&P 500's.
    spy = sheet_of(edition, "SPY", dt.date(2026, 2, 2))
    assert value(sheet, "total_return_5") - value(sheet, "strength.vs_spy_5") == pytest.approx(
        value(spy, "total_return_5")
    )
    assert value(spy, "total_return_1") == value(sheet, "market.SPY.change")
    assert value(sheet, "regain_252") == pytest.approx(271.60 / 262.18 - 1)
    assert value(sheet, "regain_252") > -value(sheet, "drawdown_252")
    assert value(sheet, "low_252") == 171.73
    assert value(sheet, "new_high_252") == 0 and value(sheet, "new_high_252.sessions") == 7
    assert sheet.year_range is not None and sheet.year_range.high_date == dt.date(2026, 1, 22)


def test_iwm_sheet_maps_the_52_week_high_and_no_level_at_the_close(edition: Edition) -> None:
    sheet = sheet_of(edition, "IWM", dt.date(2026, 2, 2))
    close, atr = value(sheet, "close"), value(sheet, "atr_14")
    for level in sheet.levels:
        assert max(level.low - close, close - level.high, 0.0) >= AT_CLOSE_ATR * atr
    ceiling = sheet.nearest("resistance")
    assert ceiling is not None and ceiling.extreme == "52-week high"
    assert value(sheet, "resistance.1.price") == ceiling.price == 271.60
    # The 52-week high four sessions' reach overhead: no open air.
    assert value(sheet, "resistance.open_air") == 0


def test_iwm_sheet_reads_a_risk_on_tape_its_rules_recheck(edition: Edition) -> None:
    sheet = sheet_of(edition, "IWM", dt.date(2026, 2, 2))
    markets = sheet.markets
    assert markets.tape == "risk-on" and markets.min_sigmas == TAPE_SIGMAS
    assert [m.symbol for m in markets.moves] == [
        "SPY",
        "TLT",
        "UUP",
        "GLD",
        "VIX",
        "HYG",
        "USO",
        "BTC-USD",
    ]
    for rule in markets.rules:
        for leg in rule.all_of + rule.any_of:
            sigmas = value(sheet, f"market.{leg.symbol}.sigmas")
            way = 1 if leg.direction == "up" else -1
            assert leg.holds is (sigmas * way >= value(sheet, "threshold.tape_sigmas"))
        assert rule.holds is (
            all(leg.holds for leg in rule.all_of)
            and (not rule.any_of or any(leg.holds for leg in rule.any_of))
        )
    assert markets.rules[0].tape == "risk-on" and markets.rules[0].holds


def test_spy_sheet_on_2020_03_16_calls_the_drop_the_rarest_on_record(edition: Edition) -> None:
    sheet = sheet_of(edition, "SPY", dt.date(2020, 3, 16))
    assert value(sheet, "rarity.return_1") < 0.001
    assert value(sheet, "rarity.return_1.bars") > 6000
    assert sheet.move is not None and sheet.move.last_as_large is None
    assert "move.last_as_large.sessions" not in sheet.facts
    assert value(sheet, "move.sigmas_long") < -15 < value(sheet, "move.sigmas_20")
    assert value(sheet, "new_low_252") == 1
    (low,) = (z for z in sheet.at_close if z.extreme == "52-week low")
    assert not low.confirmed and low.price == value(sheet, "low_252")
    assert sheet.markets.tape == "risk-off"
    assert value(sheet, "support.open_air") == 1
