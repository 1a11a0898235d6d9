"""A sub-cent coin: the real BTC-USD series scaled by 1e-9, written as BTC-USD is.

The analysis is scale-free (returns, ranges in ATRs, ranks), so the coin's article must
read word for word as the real one, its prices aside: those must print with their
digits, never as "$0.00", and each must still trace to a fact of the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.article.render import to_html, to_markdown
from pulsewire.desk import Desk
from pulsewire.facts.edition import build_sheets, evening
from pulsewire.facts.format import price_scale, show_price
from pulsewire.facts.sheet import FactSheet
from pulsewire.model import PRICE_FIELDS, Panel
from pulsewire.scores.board import ScoreBoard
from pulsewire.store import Store
from pulsewire.writer.audit import audit
from pulsewire.writer.edition import Edition, write_edition

SCALE = 1e-9
DAYS = (dt.date(2020, 3, 16), dt.date(2025, 4, 7), dt.date(2026, 2, 2))
SYMBOLS = ("BTC-USD", "ETH-USD", "SPY")
# A price as articles print it; "$80K" in a quoted headline is not one.
PRICE = re.compile(r"\$(\d[\d,]*\.\d+)")
ZERO = re.compile(r"\$0\.0+(?![\d])")


def _edition(desk: Desk, day: dt.date) -> Edition:
    built = build_sheets(desk.universe, desk.board, day, SYMBOLS, desk.events, desk.news)
    return write_edition(list(built.written), evening(day))


@pytest.fixture(scope="module")
def coin(bundled_store_file: Path, desk: Desk) -> Desk:
    """The bundled desk with every BTC-USD price scaled by `SCALE`."""
    with Store.open(bundled_store_file, read_only=True) as store:
        bars, event_dates = store.bars(), store.event_dates()
    btc = pl.col("symbol") == "BTC-USD"
    scaled = bars.with_columns(
        pl.when(btc).then(pl.col(name) * SCALE).otherwise(pl.col(name)).alias(name)
        for name in PRICE_FIELDS
    )
    universe = UniverseAnalysis.compute(Panel.from_bars(scaled))
    board = ScoreBoard.compute(universe, event_dates)
    return Desk(desk.path, universe, board, desk.events, desk.news)


def _btc(edition: Edition) -> tuple[str, FactSheet]:
    index = next(i for i, a in enumerate(edition.articles) if a.symbol == "BTC-USD")
    article, sheet = edition.articles[index], edition.sheets[index]
    assert audit(article, sheet) == []
    # The desk's own words: quoted headlines and the cited sources carry their own prices.
    text = to_markdown(article).partition("## Sources")[0]
    return re.sub(r"“[^”]*”", "“”", text), sheet


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_a_sub_cent_coin_prints_its_prices_with_their_digits(
    desk: Desk, coin: Desk, day: dt.date
) -> None:
    real, real_sheet = _btc(_edition(desk, day))
    text, sheet = _btc(_edition(coin, day))
    close = sheet.facts["close"].value
    assert close == pytest.approx(real_sheet.facts["close"].value * SCALE)
    assert close < 1e-4

    assert not ZERO.findall(text), ZERO.findall(text)
    prices = PRICE.findall(text)
    assert prices and all(float(p) > 0 for p in prices)
    # The same article, price for price: each one the real one times 1e-9, to the
    # four significant digits of the coin's close.
    assert PRICE.sub("$P", text) == PRICE.sub("$P", real)
    real_prices = PRICE.findall(real)
    assert len(prices) == len(real_prices)
    for printed, original in zip(prices, real_prices, strict=True):
        expected = float(original.replace(",", "")) * SCALE
        assert float(printed) == pytest.approx(expected, abs=2 * 10 ** -len(printed.split(".")[1]))


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_a_sub_cent_coins_levels_print_as_distinct_numbers(coin: Desk, day: dt.date) -> None:
    edition = _edition(coin, day)
    text, sheet = _btc(edition)
    scale = price_scale(sheet.facts)
    assert sheet.levels
    shown = [show_price(level.price, scale) for level in sheet.levels]
    assert len(set(shown)) == len(shown) and "0.00" not in shown
    zones = []
    for level in sheet.levels:
        low, high = show_price(level.low, scale), show_price(level.high, scale)
        assert low != "0.00" and (low != high) == (level.low != level.high)
        zones.append(f"${low}-${high}" if low != high else f"${shown[len(zones)]}")
    # The nearest zones are printed as the text writes them.
    assert [zone for zone in zones if zone in text]
    html = to_html(edition.articles[[a.symbol for a in edition.articles].index("BTC-USD")])
    assert not ZERO.findall(html)
