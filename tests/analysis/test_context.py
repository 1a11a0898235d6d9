from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis.context import (
    ASSET_CLASS,
    CORRELATION_WINDOWS,
    RELATED,
    STRENGTH_WINDOWS,
    BenchmarkBar,
    benchmark_bar,
    correlations,
    day_context,
    relative_strength,
    relative_strengths,
)
from pulsewire.errors import DataError
from pulsewire.model import AssetClass, Panel
from tests.conftest import BUNDLE


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def row(panel: Panel, date: str) -> int:
    return int(np.flatnonzero(panel.dates == np.datetime64(date))[0])


def at(panel: Panel, values: np.ndarray, symbol: str, date: str) -> float:
    return float(values[row(panel, date), panel.column(symbol)])


def hand_panel(prices: dict[str, list[float]]) -> Panel:
    """Adjusted closes on the NYSE sessions of 2026-02-02..05 (NaN: no bar)."""
    dates = np.array(["2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05"], "datetime64[D]")
    close = np.array(list(prices.values()), dtype=np.float64).T.copy()
    return Panel(dates, tuple(prices), close, close, close, close, close, close)


# The map of related symbols


def test_every_bundled_symbol_has_a_class_and_related_bundled_symbols() -> None:
    bundled = {path.stem for path in (BUNDLE / "prices").glob("*.parquet")}
    assert ASSET_CLASS.keys() == RELATED.keys() == bundled
    for symbol, related in RELATED.items():
        assert set(related) <= bundled - {symbol}
        assert len(set(related)) == len(related) >= 2
    assert ASSET_CLASS["XLRE"] is AssetClass.SECTOR
    assert ASSET_CLASS["BTC-USD"] is AssetClass.CRYPTO


# Relative strength


def test_relative_strength_by_hand() -> None:
    panel = hand_panel(
        {
            "SPY": [100, 102, 101, 105],
            "AAA": [50, 51, 53, 52],
            "BBB": [20, 21, np.nan, 24],  # misses Feb 4: its Feb 3 bar is not current then
        }
    )
    related = {"AAA": ("BBB",), "BBB": ("AAA", "SPY")}
    rs = relative_strength(panel, 2, related=related)
    expected_vs_spy = [
        [np.nan, np.nan, np.nan],
        [np.nan, np.nan, np.nan],
        [0, 53 / 50 - 101 / 100, np.nan],
        [0, 52 / 51 - 105 / 102, 24 / 20 - 105 / 100],  # BBB: 2 of its bars back is Feb 2
    ]
    expected_vs_peers = [
        [np.nan, np.nan, np.nan],
        [np.nan, np.nan, np.nan],
        [np.nan, np.nan, np.nan],  # SPY has no peers here; AAA's only peer BBB is stale
        [np.nan, 52 / 51 - 24 / 21, 24 / 20 - (52 / 50 + 105 / 100) / 2],
    ]
    assert np.allclose(rs.vs_benchmark, expected_vs_spy, equal_nan=True)
    assert np.allclose(rs.vs_peers, expected_vs_peers, equal_nan=True)


def test_relative_strength_of_real_iwm_over_20_sessions(real_panel: Panel) -> None:
    rs = relative_strength(real_panel, 20)
    spy, iwm = (real_panel.adj_close[:, real_panel.column(s)] for s in ("SPY", "IWM"))
    sessions = np.isfinite(iwm)
    t, start = np.flatnonzero(sessions)[[-1, -21]]  # 2026-08-21 and 20 sessions before
    expected = iwm[t] / iwm[start] - 1 - (spy[t] / spy[start] - 1)
    assert at(real_panel, rs.vs_benchmark, "IWM", "2026-08-21") == pytest.approx(expected)


def test_crypto_is_measured_against_the_last_us_session_on_weekends(real_panel: Panel) -> None:
    rs = relative_strength(real_panel, 1)
    # Sunday: SPY's last bar stays Friday's at both ends, so BTC-USD's move is all relative.
    assert at(real_panel, rs.vs_benchmark, "BTC-USD", "2026-02-01") == pytest.approx(
        76974.45 / 78621.12 - 1
    )
    # Monday: BTC-USD from Sunday, SPY from its Friday close.
    assert at(real_panel, rs.vs_benchmark, "BTC-USD", "2026-02-02") == pytest.approx(
        78688.77 / 76974.45 - 691.7339 / 688.3121
    )


def test_peers_that_stopped_drop_out(real_panel: Panel) -> None:
    # EEM's peers EFA and ACWI end on 2026-07-27; on 2026-08-21 only UUP is current.
    rs = relative_strength(real_panel, 20)
    uup_only = relative_strength(real_panel, 20, related={"EEM": ("UUP",)})
    assert at(real_panel, rs.vs_peers, "EEM", "2026-08-21") == at(
        real_panel, uup_only.vs_peers, "EEM", "2026-08-21"
    )


def test_strengths_of_several_windows_equal_each_window_alone(real_panel: Panel) -> None:
    together = relative_strengths(real_panel, STRENGTH_WINDOWS)

    assert [rs.window for rs in together] == list(STRENGTH_WINDOWS)
    for rs in together:
        alone = relative_strength(real_panel, rs.window)
        assert np.array_equal(rs.vs_benchmark, alone.vs_benchmark, equal_nan=True)
        assert np.array_equal(rs.vs_peers, alone.vs_peers, equal_nan=True)


def test_missing_benchmark_is_named(real_panel: Panel) -> None:
    with pytest.raises(DataError, match="SPX"):
        relative_strength(real_panel.subset(("IWM", "QQQ")), 5, benchmark="SPX")


def test_no_benchmark_gives_no_strength_against_it_but_keeps_the_peers(
    real_panel: Panel,
) -> None:
    own = real_panel.subset(("IWM", "QQQ", "DIA"))
    alone = relative_strength(own, 20, benchmark=None)
    assert np.isnan(alone.vs_benchmark).all()
    # IWM's peers are SPY, QQQ and DIA; without SPY its basket is QQQ and DIA.
    fewer = relative_strength(own, 20, related={"IWM": ("QQQ", "DIA")}, benchmark=None)
    assert at(own, alone.vs_peers, "IWM", "2026-08-21") == at(
        own, fewer.vs_peers, "IWM", "2026-08-21"
    )
    assert np.isfinite(at(own, alone.vs_peers, "IWM", "2026-08-21"))


@pytest.mark.parametrize(
    ("symbols", "symbol", "date", "expected"),
    [
        (("SPY", "IWM"), "IWM", "2026-08-21", BenchmarkBar.CURRENT),
        # BTC-USD on a Sunday: SPY's Friday bar is still its last session's.
        (("SPY", "BTC-USD"), "BTC-USD", "2026-02-01", BenchmarkBar.CURRENT),
        (("SPY", "IWM"), "SPY", "2026-08-21", BenchmarkBar.SELF),
        (("IWM", "QQQ"), "IWM", "2026-08-21", BenchmarkBar.NOT_HELD),
        # VIX's history starts in 1990, SPY's on 1993-01-29.
        (("SPY", "VIX"), "VIX", "1992-06-01", BenchmarkBar.NOT_YET),
        # SPY's last bundled bar is 2026-08-21: NYSE sessions have passed since.
        (("SPY", "VIX"), "VIX", "2026-09-15", BenchmarkBar.NOT_CURRENT),
    ],
)
def test_benchmark_bar_says_why_there_is_no_strength_against_it(
    real_panel: Panel, symbols: tuple[str, ...], symbol: str, date: str, expected: BenchmarkBar
) -> None:
    assert benchmark_bar(real_panel.subset(symbols), symbol, day(date)) is expected


# Correlations


def common_returns(panel: Panel, a: str, b: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Daily returns of `a` and `b` on the dates both trade, and those dates' rows."""
    x, y = (panel.adj_close[:, panel.column(s)] for s in (a, b))
    rows = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    return np.diff(x[rows]) / x[rows[:-1]], np.diff(y[rows]) / y[rows[:-1]], rows[1:]


@pytest.mark.parametrize("window", CORRELATION_WINDOWS)
@pytest.mark.parametrize(("symbol", "other"), [("IWM", "SPY"), ("BTC-USD", "QQQ")])
def test_correlation_matches_numpy_on_common_dates(
    real_panel: Panel, symbol: str, other: str, window: int
) -> None:
    x, y, rows = common_returns(real_panel, symbol, other)
    k = int(np.flatnonzero(real_panel.dates[rows] == np.datetime64("2026-02-02"))[0])
    expected = np.corrcoef(x[k - window + 1 : k + 1], y[k - window + 1 : k + 1])[0, 1]
    found = correlations(real_panel, window).of(symbol, other)
    assert found[rows[k]] == pytest.approx(expected, abs=1e-10)
    assert np.isnan(found[row(real_panel, "2026-02-01")])  # a Sunday: no common bar


def test_correlation_matches_polars_rolling_corr_over_the_whole_series(real_panel: Panel) -> None:
    x, y, rows = common_returns(real_panel, "IWM", "SPY")
    frame = pl.DataFrame({"x": x, "y": y})
    expected = frame.select(pl.rolling_corr("x", "y", window_size=60)).to_series().to_numpy()
    found = correlations(real_panel, 60).of("IWM", "SPY")[rows]
    assert np.allclose(found, expected, rtol=0, atol=1e-9, equal_nan=True)


def test_correlated_pairs_are_related_symbols_then_the_benchmark(real_panel: Panel) -> None:
    pairs = correlations(real_panel, 20).pairs
    assert [o for s, o in pairs if s == "GLD"] == ["SLV", "UUP", "TLT", "SPY"]
    assert [o for s, o in pairs if s == "IWM"] == ["SPY", "QQQ", "DIA"]
    with pytest.raises(DataError, match="pair"):
        correlations(real_panel, 20).of("GLD", "QQQ")


# What related symbols did on the day


def test_what_spy_qqq_and_dia_did_the_day_iwm_rose(real_panel: Panel) -> None:
    context = day_context(real_panel, "IWM", day("2026-02-02"))
    friday, monday = day("2026-01-30"), day("2026-02-02")
    assert context.asset_class is AssetClass.EQUITY_INDEX
    moves = (context.move, *context.related)
    assert [(m.symbol, m.date, m.previous, m.current) for m in moves] == [
        (symbol, monday, friday, True) for symbol in ("IWM", "SPY", "QQQ", "DIA")
    ]
    # adj_close of Friday 2026-01-30 and Monday 2026-02-02 in the real files
    assert [m.change for m in moves] == pytest.approx(
        [
            261.09354 / 258.57404 - 1,  # IWM +0.97%
            691.7339 / 688.3121 - 1,  # SPY +0.50%
            624.665 / 620.405 - 1,  # QQQ +0.69%
            490.3958 / 485.4326 - 1,  # DIA +1.02%
        ]
    )


def test_on_sunday_crypto_sees_fridays_us_move(real_panel: Panel) -> None:
    context = day_context(real_panel, "BTC-USD", day("2026-02-01"))
    assert [(m.symbol, m.date, m.current) for m in context.related] == [
        ("ETH-USD", day("2026-02-01"), True),
        ("QQQ", day("2026-01-30"), True),
    ]


def test_related_series_that_stopped_shows_its_last_move_as_not_current(
    real_panel: Panel,
) -> None:
    context = day_context(real_panel, "EEM", day("2026-08-21"))
    assert [(m.symbol, m.date, m.current) for m in context.related] == [
        ("EFA", day("2026-07-27"), False),
        ("ACWI", day("2026-07-27"), False),
        ("UUP", day("2026-08-21"), True),
    ]


def test_symbol_without_two_bars_by_then_has_no_day(real_panel: Panel) -> None:
    with pytest.raises(DataError, match="XLC"):
        day_context(real_panel, "XLC", day("2018-06-19"))


# No look-ahead


@pytest.fixture(scope="module")
def recent(real_panel: Panel) -> Panel:
    """Equity indices, crypto and a stopped series since 2019: mixed calendars."""
    panel = real_panel.subset(("SPY", "QQQ", "DIA", "IWM", "EFA", "BTC-USD", "ETH-USD"))
    start = int(np.searchsorted(panel.dates, np.datetime64("2019-01-01")))
    return panel.select(slice(start, None))


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_values_at_a_date_use_only_bars_up_to_it(recent: Panel, data: st.DataObject) -> None:
    asof = data.draw(st.sampled_from(recent.dates[1:].tolist()))
    cut = recent.until(asof)
    n = cut.dates.size
    for window in STRENGTH_WINDOWS:
        full, known = relative_strength(recent, window), relative_strength(cut, window)
        assert np.array_equal(full.vs_benchmark[:n], known.vs_benchmark, equal_nan=True)
        assert np.array_equal(full.vs_peers[:n], known.vs_peers, equal_nan=True)
    for window in CORRELATION_WINDOWS:
        known_values = correlations(cut, window).values
        full_values = correlations(recent, window).values
        assert np.array_equal(full_values[:n], known_values, equal_nan=True)
        finite = known_values[np.isfinite(known_values)]
        assert np.all((finite >= -1) & (finite <= 1))
    symbol = data.draw(st.sampled_from(recent.symbols))
    if np.isfinite(cut.adj_close[:, cut.column(symbol)]).sum() >= 2:
        assert day_context(recent, symbol, asof) == day_context(cut, symbol, asof)


@pytest.mark.parametrize("window", [0, -3])
def test_window_out_of_range_is_named(real_panel: Panel, window: int) -> None:
    with pytest.raises(DataError, match="window"):
        relative_strength(real_panel, window)
    with pytest.raises(DataError, match="window"):
        correlations(real_panel, window)
