from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis.history import forward_log_return
from pulsewire.analysis.indicators import compute_indicators
from pulsewire.analysis.rows import lead_bar_rows
from pulsewire.model import Panel
from pulsewire.scores.threat import (
    HORIZON,
    calibrate_threat,
    reliability,
    sharp_moves,
    threat_feature,
)


def test_sharp_move_is_two_sigma_over_five_bars() -> None:
    # 20 alternating +-1 % days give a daily sigma of about 1.03 %; 2 x sigma x sqrt(5) is
    # about 4.6 %, so a 5 % jump five bars later is sharp and a 4 % one is not.
    calm = 100 * np.cumprod(np.r_[1.0, np.where(np.arange(20) % 2, 1.01, 1 / 1.01)])
    for jump, expected in ((1.05, 1.0), (1.04, 0.0)):
        prices = np.r_[calm, calm[-1] * np.array([1, 1, 1, 1, jump])].reshape(-1, 1)
        outcome = sharp_moves(prices, forward_log_return(prices, HORIZON))
        assert outcome[20, 0] == expected
        assert np.isnan(outcome[-HORIZON:, 0]).all()


def test_each_year_is_cut_on_the_quintiles_of_the_years_before() -> None:
    dates = np.r_[
        np.arange(np.datetime64("2020-01-01"), np.datetime64("2020-01-01") + 100),
        np.arange(np.datetime64("2021-01-01"), np.datetime64("2021-01-01") + 5),
    ]
    # 2020: features 0.00..0.99, sharp moves from 0.80 up. Only rows 0..94 are fitted for
    # 2021 (the last 5 outcomes end in 2021): cuts 0.188, 0.376, 0.564, 0.752, and the top
    # bin (0.76..0.94) saw 15 sharp moves in 19 rows.
    feature = np.r_[np.arange(100) / 100, [0.05, 0.25, 0.45, 0.65, 0.95]].reshape(-1, 1)
    outcome = np.r_[(np.arange(100) >= 80).astype(float), [np.nan] * 5].reshape(-1, 1)
    every_bar = lead_bar_rows(np.ones(feature.shape, bool), HORIZON)
    calibration = calibrate_threat(dates, feature, outcome, every_bar, min_fit_rows=50)
    assert calibration.levels[:100, 0].tolist() == [0] * 100  # nothing before 2020 to fit on
    assert calibration.levels[100:, 0].tolist() == [1, 2, 3, 4, 5]
    assert calibration.predicted[100:, 0].tolist() == [0.0, 0.0, 0.0, 0.0, 15 / 19]
    # What an article's "historically" sentence quotes: cases per level and the base rate.
    fit = calibration.fits[2021]
    assert fit.counts == (19, 19, 19, 19, 19) and fit.rows == 95
    assert fit.base_rate == 15 / 95


def _known_at(panel: Panel) -> np.ndarray:
    return lead_bar_rows(np.isfinite(panel.close), HORIZON)


@pytest.fixture(scope="module")
def calibrated(xnys_panel: Panel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    percentile = compute_indicators(xnys_panel).volatility_percentile
    prices = xnys_panel.adj_close
    feature = threat_feature(percentile)
    outcome = sharp_moves(prices, forward_log_return(prices, HORIZON))
    return (
        feature,
        outcome,
        calibrate_threat(xnys_panel.dates, feature, outcome, _known_at(xnys_panel)).levels,
    )


def test_observed_sharp_moves_rise_strictly_with_level_on_real_history(
    xnys_panel: Panel, calibrated: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    feature, outcome, _ = calibrated
    table = reliability(
        calibrate_threat(xnys_panel.dates, feature, outcome, _known_at(xnys_panel)), outcome
    )
    observed = [row.observed for row in table]
    assert observed == sorted(observed) and len(set(observed)) == 5
    assert all(row.cases > 20_000 for row in table)
    assert all(abs(row.predicted - row.observed) < 0.02 for row in table)


@settings(max_examples=10, deadline=None)
@given(cut=st.integers(min_value=3000, max_value=9000), seed=st.integers(0, 2**16))
def test_levels_up_to_t_ignore_everything_after_t(
    xnys_panel: Panel, calibrated: tuple[np.ndarray, np.ndarray, np.ndarray], cut: int, seed: int
) -> None:
    feature, outcome, levels = calibrated
    rng = np.random.default_rng(seed)
    feature, outcome = feature.copy(), outcome.copy()
    feature[cut + 1 :] = rng.random(feature[cut + 1 :].shape)
    outcome[cut + 1 :] = rng.integers(0, 2, outcome[cut + 1 :].shape)
    # Outcomes of rows up to t are known only HORIZON bars later: blank the ones after t too.
    outcome[max(cut + 1 - HORIZON, 0) : cut + 1] = np.nan
    again = calibrate_threat(xnys_panel.dates, feature, outcome, _known_at(xnys_panel)).levels
    assert np.array_equal(again[: cut + 1], levels[: cut + 1])
