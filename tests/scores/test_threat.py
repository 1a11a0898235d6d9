from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis.history import daily_volatility, long_run_volatility
from pulsewire.scores.board import ScoreBoard
from pulsewire.scores.groups import GROUP_NAMES, POOLED, group_codes, group_of
from pulsewire.scores.threat import (
    BANDS,
    FEATURES,
    _fit_logistic,
    brier_skill,
    reliability,
    sharp_moves,
    sharp_threshold,
    threat_level,
)


def test_long_run_volatility_is_the_median_of_the_trailing_own_bars(board: ScoreBoard) -> None:
    # Against a plain median of IWM's own bars, on rows picked across its history.
    column = board.panel.column("IWM")
    daily = daily_volatility(board.panel.adj_close[:, [column]], 20)
    found = long_run_volatility(daily, np.array([756]))[:, 0]
    own = np.flatnonzero(np.isfinite(daily[:, 0]))
    for k in (251, 252, 300, 755, 756, 4000, own.size - 1):
        window = daily[own[max(0, k - 755) : k + 1], 0]
        expected = np.median(window) if window.size >= 252 else np.nan
        assert found[own[k]] == pytest.approx(expected, nan_ok=True, rel=1e-12)
    assert np.isnan(found[own[250]])  # a third of three years is needed


def test_a_sharp_move_is_measured_against_the_long_run_not_the_storm() -> None:
    # Long-run daily volatility 1%: the line is 2 x 1% x sqrt(5) = 4.47% either way.
    long_run = np.full((3, 1), 0.01)
    forward = np.array([[0.046], [-0.044], [np.nan]])
    assert sharp_threshold(long_run)[0, 0] == pytest.approx(0.0447214, abs=1e-7)
    assert sharp_moves(forward, long_run)[:2, 0].tolist() == [1.0, 0.0]
    assert np.isnan(sharp_moves(forward, long_run)[2, 0])


@pytest.mark.parametrize(
    ("chance", "level"),
    [(0.0, 1), (0.0299, 1), (0.03, 2), (0.0599, 2), (0.06, 3), (0.119, 3), (0.2, 4), (0.24, 5)],
)
def test_levels_are_documented_bands_of_the_chance(chance: float, level: int) -> None:
    assert BANDS == (0.03, 0.06, 0.12, 0.24)
    assert threat_level(np.array([chance]))[0] == level


def test_no_chance_is_no_level() -> None:
    assert threat_level(np.array([np.nan]))[0] == 0


@settings(max_examples=20, deadline=None)
@given(a=st.floats(-4, -1), b=st.floats(-2, 2), seed=st.integers(0, 2**16))
def test_the_logistic_fit_solves_its_score_equations(a: float, b: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3000, 1))
    y = (rng.random(3000) < 1 / (1 + np.exp(-(a + b * x[:, 0])))).astype(float)
    w = _fit_logistic(x, y, None)
    chance = 1 / (1 + np.exp(-(w[0] + w[1] * x[:, 0])))
    # The maximum of the ridge likelihood: X'(y - p) = ridge x w.
    assert abs(np.sum(y - chance) - 1e-3 * w[0]) < 1e-6
    assert abs(np.sum((y - chance) * x[:, 0]) - 1e-3 * w[1]) < 1e-6
    assert abs(w[1] - b) < 0.5  # and it finds the slope that made the data


def test_a_sample_without_a_sharp_move_still_fits_finitely() -> None:
    x = np.linspace(-1, 1, 500)[:, None]
    for y in (np.zeros(500), np.ones(500), (x[:, 0] > 0).astype(float)):
        assert np.isfinite(_fit_logistic(x, y, None)).all()


def test_groups_of_the_bundle_and_of_strangers() -> None:
    assert group_of("IWM") == group_of("XLK") == "equity ETFs"
    assert (group_of("HYG"), group_of("TLT"), group_of("VIX")) == (
        "credit ETFs",
        "Treasury ETFs",
        "volatility indices",
    )
    assert group_of("SOL-USD") == "crypto"  # an unknown pair still trades like one
    assert group_of("ZZZT") is None  # scored on the pooled fit
    assert group_codes(("SPY", "ZZZT")).tolist() == [GROUP_NAMES.index("equity ETFs"), -1]


def test_threat_rises_in_the_crash_and_rests_in_a_calm(board: ScoreBoard) -> None:
    # 2017-10-20: the VIX near its record low, a market that barely moved for months.
    crash, calm = dt.date(2020, 3, 16), dt.date(2017, 10, 20)
    for symbol in ("SPY", "QQQ", "IWM"):
        scores = board.at(symbol, crash)
        assert scores.threat is not None and scores.threat.value >= 4
        assert scores.threat_reading is not None and scores.threat_reading.probability > 0.24
        quiet = board.at(symbol, calm).threat
        assert quiet is not None and quiet.value == 1


def test_a_reading_adds_up_to_its_chance(board: ScoreBoard) -> None:
    reading = board.at("IWM", dt.date(2026, 2, 2)).threat_reading
    assert reading is not None and tuple(reading.parts) == tuple(FEATURES)
    log_odds = reading.fit.weights[0] + math.fsum(reading.parts.values())
    assert 1 / (1 + math.exp(-log_odds)) == pytest.approx(reading.probability, rel=1e-9)
    assert reading.explain().startswith(f"chance {reading.probability:.1%} = logistic(")
    # IWM's long-run daily volatility at that close sizes the move a reader is warned of.
    row, column = board.panel.last_row("IWM", dt.date(2026, 2, 2)), board.panel.column("IWM")
    limit = 2 * board.threat_inputs.long_run[row, column] * math.sqrt(5)
    assert reading.move == pytest.approx(math.expm1(limit))


def test_every_fit_reads_only_cases_known_before_its_year(board: ScoreBoard) -> None:
    dates, threat = board.panel.dates, board.threat
    for (group, year), fit in threat.fits.items():
        start = int(np.searchsorted(dates, np.datetime64(f"{year}-01-01")))
        columns = (
            np.ones(len(board.panel.symbols), bool)
            if group == POOLED
            else group_codes(board.panel.symbols) == GROUP_NAMES.index(group)
        )
        known = (
            board.cases[:start, columns]
            & np.isfinite(board.sharp_moves[:start, columns])
            & (board.known_at[:start, columns] >= 0)
            & (board.known_at[:start, columns] < start)
            & np.isfinite(np.stack(list(board.threat_inputs.features.values()), -1)).all(-1)[
                :start, columns
            ]
        )
        assert fit.cases == int(known.sum())
        assert fit.base_rate == pytest.approx(board.sharp_moves[:start, columns][known].mean())


def _skill(board: ScoreBoard, columns: np.ndarray) -> float:
    has_bar = np.isfinite(board.panel.adj_close[:, columns])
    return brier_skill(
        board.threat.levels[:, columns],
        board.threat.predicted[:, columns],
        board.sharp_moves[:, columns],
        has_bar,
    )[1]


def test_threat_beats_climatology_pooled_and_in_every_group(board: ScoreBoard) -> None:
    codes = group_codes(board.panel.symbols)
    assert _skill(board, np.ones(codes.size, bool)) >= 0.09
    for index, group in enumerate(GROUP_NAMES):
        assert _skill(board, codes == index) > 0, group


def test_observed_sharp_moves_rise_strictly_with_level(board: ScoreBoard) -> None:
    codes = group_codes(board.panel.symbols)
    for columns in (np.ones(codes.size, bool), codes == GROUP_NAMES.index("equity ETFs")):
        table = reliability(
            board.threat.levels[:, columns],
            board.threat.predicted[:, columns],
            board.sharp_moves[:, columns],
            board.cases[:, columns],
        )
        observed = [row.observed for row in table]
        assert observed == sorted(observed) and len(set(observed)) == 5
        assert all(row.cases >= 200 for row in table)
