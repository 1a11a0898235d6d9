from __future__ import annotations

import datetime as dt
from typing import TypeVar

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from pulsewire.analysis.quality import (
    MAD_TO_SIGMA,
    OUTLIER_THRESHOLD,
    QualityReport,
    assess_quality,
    lagged_bar_rows,
    robust_zscores,
)
from pulsewire.analysis.rows import log_returns
from pulsewire.analysis.sessions import sessions_in
from pulsewire.errors import DataError
from pulsewire.model import ALWAYS_OPEN, PANEL_FIELDS, XNYS, Panel
from pulsewire.model.quality import (
    FrozenRun,
    Gap,
    OhlcInconsistency,
    OhlcRule,
    Outlier,
    Stale,
)

EVENING = dt.datetime(2026, 8, 21, 21, 0, tzinfo=dt.UTC)
"""The evening of the last date of the real ETF series (NYSE closed at 20:00 UTC)."""


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def series(real_bars: pl.DataFrame, symbol: str) -> pl.DataFrame:
    return real_bars.filter(pl.col("symbol") == symbol)


F = TypeVar("F")


def of_kind(report: QualityReport, symbol: str, kind: type[F]) -> list[F]:
    return [f for f in report.findings[symbol] if isinstance(f, kind)]


@pytest.fixture(scope="module")
def real_report(real_panel: Panel) -> QualityReport:
    return assess_quality(real_panel, EVENING)


# Stale and frozen series


def frozen_iwm(real_bars: pl.DataFrame, flat: bool) -> pl.DataFrame:
    """Real IWM, its last bar copied on the next 4 NYSE sessions (or flat fills at its close)."""
    iwm = series(real_bars, "IWM")
    last = iwm.tail(1)
    if flat:
        last = last.with_columns(open=pl.col("close"), high=pl.col("close"), low=pl.col("close"))
    after = sessions_in(XNYS, day("2026-08-22"), day("2026-09-30"))[:4]
    copies = pl.concat(last.with_columns(date=pl.lit(d.item())) for d in after)
    return pl.concat([iwm, copies])


@pytest.mark.parametrize("flat", [False, True], ids=["copied bar", "flat fill"])
def test_frozen_feed_is_stale_since_its_last_real_bar(real_bars: pl.DataFrame, flat: bool) -> None:
    report = assess_quality(Panel.from_bars(frozen_iwm(real_bars, flat)), utc("2026-08-27 21:00"))
    assert report.stale("IWM") == Stale(
        "IWM", day("2026-08-21"), day("2026-08-27"), day("2026-08-27"), 0
    )
    assert of_kind(report, "IWM", FrozenRun) == [
        FrozenRun("IWM", day("2026-08-21"), day("2026-08-27"), 5)
    ]


def test_frozen_feed_that_also_stopped_keeps_its_since_date(real_bars: pl.DataFrame) -> None:
    report = assess_quality(Panel.from_bars(frozen_iwm(real_bars, False)), utc("2026-08-31 21:00"))
    stale = report.stale("IWM")
    assert stale is not None
    assert (stale.since, stale.sessions_behind, stale.frozen) == (day("2026-08-21"), 2, True)


def test_real_iwm_at_its_last_date_is_neither_stale_nor_frozen(real_bars: pl.DataFrame) -> None:
    report = assess_quality(Panel.from_bars(series(real_bars, "IWM")), EVENING)
    assert report.stale("IWM") is None
    assert of_kind(report, "IWM", FrozenRun) == []


def test_series_that_stopped_is_stale_since_its_last_bar(real_report: QualityReport) -> None:
    stale = {s: report for s in real_report.findings if (report := real_report.stale(s))}
    assert stale == {
        s: Stale(s, day("2026-07-27"), day("2026-07-27"), day("2026-08-21"), 19)
        for s in ("ACWI", "EFA", "HYG", "IEF")
    }
    assert not any(s.frozen for s in stale.values())


def test_real_series_have_no_gap_frozen_run_or_broken_bar(real_report: QualityReport) -> None:
    kinds = {type(f) for findings in real_report.findings.values() for f in findings}
    assert kinds == {Stale, Outlier}


def test_bars_after_now_are_not_known(real_bars: pl.DataFrame) -> None:
    panel = Panel.from_bars(frozen_iwm(real_bars, False))
    assert assess_quality(panel, EVENING) == assess_quality(panel.until(day("2026-08-21")), EVENING)


# Gaps against the calendar


def without(frame: pl.DataFrame, *dates: str) -> pl.DataFrame:
    return frame.filter(~pl.col("date").is_in([day(d) for d in dates]))


def test_missing_sessions_are_gaps_grouped_by_session(real_bars: pl.DataFrame) -> None:
    # Christmas 2025 is a holiday: Dec 24 and Dec 26 are consecutive sessions.
    spy = without(
        series(real_bars, "SPY"),
        "2025-12-24",
        "2025-12-26",
        "2026-02-02",
        "2026-02-03",
        "2026-02-05",
    )
    report = assess_quality(Panel.from_bars(spy), EVENING)
    assert of_kind(report, "SPY", Gap) == [
        Gap("SPY", day("2025-12-24"), day("2025-12-26"), 2),
        Gap("SPY", day("2026-02-02"), day("2026-02-03"), 2),
        Gap("SPY", day("2026-02-05"), day("2026-02-05"), 1),
    ]


def test_crypto_misses_a_weekend_day(real_bars: pl.DataFrame) -> None:
    btc = without(series(real_bars, "BTC-USD"), "2026-02-07")
    report = assess_quality(Panel.from_bars(btc), EVENING)
    assert of_kind(report, "BTC-USD", Gap) == [
        Gap("BTC-USD", day("2026-02-07"), day("2026-02-07"), 1)
    ]


def test_weekend_rows_of_a_mixed_panel_are_not_etf_gaps(real_report: QualityReport) -> None:
    assert of_kind(real_report, "SPY", Gap) == []
    assert of_kind(real_report, "BTC-USD", Gap) == []


# OHLC inconsistencies


def edit(frame: pl.DataFrame, date: str, **values: pl.Expr) -> pl.DataFrame:
    hit = pl.col("date") == day(date)
    return frame.with_columns(
        **{name: pl.when(hit).then(value).otherwise(pl.col(name)) for name, value in values.items()}
    )


@pytest.mark.parametrize(
    ("values", "broken"),
    [
        ({"high": pl.col("close") * 0.99}, (OhlcRule.HIGH_BELOW_BODY,)),
        ({"low": pl.col("open") * 1.01}, (OhlcRule.LOW_ABOVE_BODY,)),
        (
            {"high": pl.col("low") * 0.98},
            (OhlcRule.HIGH_BELOW_BODY, OhlcRule.HIGH_BELOW_LOW),
        ),
    ],
)
def test_bar_breaking_an_ohlc_rule_is_found(
    real_bars: pl.DataFrame, values: dict[str, pl.Expr], broken: tuple[OhlcRule, ...]
) -> None:
    iwm = edit(series(real_bars, "IWM"), "2026-02-02", **values)
    report = assess_quality(Panel.from_bars(iwm), EVENING)
    found = of_kind(report, "IWM", OhlcInconsistency)
    assert [(f.date, f.broken) for f in found] == [(day("2026-02-02"), broken)]


def test_high_below_close_within_tolerance_is_not_a_finding(real_bars: pl.DataFrame) -> None:
    iwm = edit(
        series(real_bars, "IWM"), "2026-02-02", high=pl.max_horizontal("open", "close") * (1 - 5e-6)
    )
    report = assess_quality(Panel.from_bars(iwm), EVENING)
    assert of_kind(report, "IWM", OhlcInconsistency) == []


# Outlier returns


def test_robust_zscore_uses_the_window_before_each_value() -> None:
    values = np.array([[1.0], [2.0], [np.nan], [3.0], [4.0], [100.0]])
    # Past window [1, 2, 3, 4]: median 2.5, MAD median(1.5, 0.5, 0.5, 1.5) = 1.
    expected = np.array([[np.nan]] * 5 + [[97.5 / 1.4826]])
    assert np.allclose(robust_zscores(values, 4), expected, equal_nan=True)


@pytest.mark.parametrize("window", [2, 5, 6, 252])
def test_robust_zscore_equals_sorting_every_window(real_panel: Panel, window: int) -> None:
    # Real returns, and the same rounded to 0.1%, which makes ties and zero MADs.
    returns = log_returns(real_panel.close[-1500:])
    for values in (returns, np.round(returns, 3)):
        expected = np.full(values.shape, np.nan)
        for column in range(values.shape[1]):
            rows = np.flatnonzero(np.isfinite(values[:, column]))
            x = values[rows, column]
            past = sliding_window_view(x[:-1], window)
            median = np.median(past, axis=1)
            scale = MAD_TO_SIGMA * np.median(np.abs(past - median[:, None]), axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                z = (x[window:] - median) / scale
            expected[rows[window:], column] = np.where(scale > 0, z, np.nan)
        assert np.array_equal(robust_zscores(values, window), expected, equal_nan=True)


def test_bad_print_on_a_calm_day_is_an_outlier_both_ways(real_bars: pl.DataFrame) -> None:
    scaled = {name: pl.col(name) * 1.05 for name in ("open", "high", "low", "close")}
    spy = edit(series(real_bars, "SPY"), "2017-07-12", **scaled)
    report = assess_quality(Panel.from_bars(spy), EVENING)
    around = [f for f in of_kind(report, "SPY", Outlier) if f.date.year == 2017]
    assert [f.date for f in around] == [day("2017-07-12"), day("2017-07-13")]
    assert around[0].z_score > OUTLIER_THRESHOLD
    assert around[1].z_score < -OUTLIER_THRESHOLD
    assert around[0].log_return == pytest.approx(np.log(244.01 * 1.05 / 242.19))


def test_real_outliers_are_crash_days_not_split_days(real_report: QualityReport) -> None:
    spy = {f.date: f for f in of_kind(real_report, "SPY", Outlier)}
    assert {day("2008-10-13"), day("2020-03-16"), day("2025-04-09")} <= spy.keys()
    assert spy[day("2020-03-16")].z_score < -15
    # USO's 1:8 reverse split and the sector SPDRs' 2:1 splits are adjusted in the closes.
    splits = {("USO", day("2020-04-28")), ("USO", day("2020-04-29"))} | {
        (s, day("2025-12-05")) for s in real_report.findings if s.startswith("XL")
    }
    flagged = {(s, f.date) for s in real_report.findings for f in of_kind(real_report, s, Outlier)}
    assert not flagged & splits


# Properties


def walk(symbol: str, dates: np.ndarray, rng: np.random.Generator, sigma: float) -> pl.DataFrame:
    close = 100 * np.exp(np.cumsum(rng.normal(0, sigma, dates.size)))
    open_ = np.concatenate(([100.0], close[:-1])) * np.exp(rng.normal(0, sigma / 4, dates.size))
    top, bottom = np.maximum(open_, close), np.minimum(open_, close)
    wick = np.abs(rng.normal(0, sigma / 2, (2, dates.size)))
    return pl.DataFrame(
        {
            "symbol": symbol,
            "date": dates.astype("datetime64[D]"),
            "open": open_,
            "high": top * np.exp(wick[0]),
            "low": bottom * np.exp(-wick[1]),
            "close": close,
            "adj_close": close,
            "volume": 1e6,
        }
    )


@settings(max_examples=25, deadline=None)
@given(
    start=st.dates(dt.date(1995, 1, 1), dt.date(2028, 1, 1)),
    days=st.integers(400, 700),
    sigma=st.floats(0.002, 0.08),
    seed=st.integers(0, 2**32 - 1),
)
def test_clean_random_walk_on_its_calendar_has_no_finding(
    start: dt.date, days: int, sigma: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    sessions = sessions_in(XNYS, start, start + dt.timedelta(days=days))
    last = sessions[-1].item()
    crypto = sessions_in(ALWAYS_OPEN, start, last)
    panel = Panel.from_bars(
        pl.concat([walk("ABC", sessions, rng, sigma), walk("ABC-USD", crypto, rng, sigma)])
    )
    now = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0, 30), dt.UTC)
    assert assess_quality(panel, now).findings == {"ABC": (), "ABC-USD": ()}


@pytest.fixture(scope="module")
def recent(real_panel: Panel) -> Panel:
    """IWM and BTC-USD since 2018: an NYSE and a 24/7 calendar on one date axis."""
    panel = real_panel.subset(("IWM", "BTC-USD"))
    return panel.select(slice(int(np.searchsorted(panel.dates, np.datetime64("2018-01-01"))), None))


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_findings_as_of_a_date_ignore_later_bars(recent: Panel, data: st.DataObject) -> None:
    asof = data.draw(st.sampled_from(recent.dates[300:].tolist()))
    now = dt.datetime.combine(asof, dt.time(23, 0), dt.UTC)
    cut = recent.until(asof)
    rows = slice(cut.dates.size, None)
    # Whatever comes after `asof` (here a frozen feed, then a crash) changes nothing.
    fields = []
    for name in PANEL_FIELDS:
        values = getattr(recent, name).copy()
        values[rows] = values[cut.dates.size - 1]
        values[cut.dates.size + 5 :] *= 0.5
        fields.append(values)
    garbage = Panel(recent.dates, recent.symbols, *fields)
    report = assess_quality(cut, now)
    assert assess_quality(recent, now) == report
    assert assess_quality(garbage, now) == report
    # And what the full history flags up to `asof` was already flagged at `asof`.
    full = assess_quality(recent, EVENING)
    for symbol in recent.symbols:
        before = [f for f in of_kind(full, symbol, Outlier) if f.date < asof]
        assert [f for f in of_kind(report, symbol, Outlier) if f.date < asof] == before


def test_lagged_bar_rows_steps_over_rows_without_a_bar() -> None:
    has_bar = np.array([[True, True], [False, True], [True, False], [True, True]])
    assert lagged_bar_rows(has_bar, 1).tolist() == [[-1, -1], [-1, 0], [0, -1], [2, 1]]
    assert lagged_bar_rows(has_bar, 2).tolist() == [[-1, -1], [-1, -1], [-1, -1], [0, 0]]


# Findings check their own invariants


def test_gap_ending_before_it_starts_cannot_exist() -> None:
    with pytest.raises(DataError, match="last"):
        Gap("SPY", day("2026-02-03"), day("2026-02-02"), 2)


def test_current_series_cannot_be_stale() -> None:
    with pytest.raises(DataError, match="not stale"):
        Stale("SPY", day("2026-08-21"), day("2026-08-21"), day("2026-08-21"), 0)


@pytest.mark.parametrize("parameter", ["min_frozen_bars", "outlier_window", "outlier_threshold"])
def test_parameter_out_of_range_is_named(real_panel: Panel, parameter: str) -> None:
    with pytest.raises(DataError, match=parameter):
        assess_quality(real_panel.until(day("1995-01-01")), EVENING, **{parameter: 0})
