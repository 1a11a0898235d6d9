"""The Wilson interval and the invariants and verdicts of `HistoryResult`."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pytest

from pulsewire.errors import DataError
from pulsewire.model.history import Z_95, HistoryResult, wilson_interval

# Wilson score interval.


def test_wilson_interval_matches_published_values() -> None:
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 1.0


@pytest.mark.parametrize(("successes", "trials"), [(1, 1), (3, 17), (28, 215), (9, 87), (500, 999)])
def test_wilson_interval_matches_the_direct_formula(successes: int, trials: int) -> None:
    # The same interval written in counts: (k + z²/2 ± z sqrt(k(n-k)/n + z²/4)) / (n + z²).
    k, n, z = successes, trials, Z_95
    half = z * math.sqrt(k * (n - k) / n + z * z / 4)
    expected = ((k + z * z / 2 - half) / (n + z * z), (k + z * z / 2 + half) / (n + z * z))
    assert wilson_interval(successes, trials) == pytest.approx(expected, rel=1e-12)


def test_wilson_interval_without_trials_is_the_whole_range() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_interval_when_successes_exceed_trials_raises() -> None:
    with pytest.raises(DataError, match="successes"):
        wilson_interval(11, 10)


# Verdict.

MEASURED = HistoryResult(
    symbols=("IWM",),
    condition="20-day volatility in the bottom decile of its year",
    as_of=dt.date(2026, 2, 2),
    horizon=5,
    volatility_window=20,
    sigmas=2.0,
    condition_days=400,
    episodes=60,
    cases=100,
    large_moves=30,
    up_moves=55,
    mean_return=0.002,
    median_return=0.003,
    base_days=5000,
    base_large_moves=500,
    base_up_moves=2700,
    first_date=dt.date(2001, 6, 25),
    last_date=dt.date(2026, 1, 20),
    holds_at_as_of=True,
)


def test_history_above_base_rate_backs_a_claim() -> None:
    assert MEASURED.supported
    assert "above the base rate 10.0%" in MEASURED.reason
    claim = MEASURED.claim()
    assert claim is not None and claim.more_often
    assert (claim.cases, claim.large_moves, claim.frequency, claim.base_rate) == (100, 30, 0.3, 0.1)
    assert claim.lift == pytest.approx(3.0)
    assert (claim.interval_low, claim.interval_high) == MEASURED.interval
    assert (claim.first_date, claim.last_date, claim.horizon) == (
        dt.date(2001, 6, 25),
        dt.date(2026, 1, 20),
        5,
    )


def test_history_below_base_rate_backs_a_claim_of_fewer_moves() -> None:
    result = replace(MEASURED, large_moves=2)
    assert result.supported and "below the base rate" in result.reason
    claim = result.claim()
    assert claim is not None and not claim.more_often


def test_history_whose_interval_contains_the_base_rate_is_not_supported() -> None:
    result = replace(MEASURED, large_moves=12)
    assert not result.supported
    assert "contains the base rate 10.0%" in result.reason
    assert result.claim() is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"cases": 29, "large_moves": 29, "up_moves": 10}, "29 independent cases, below"),
        ({"episodes": 9}, "9 episodes, below the minimum of 10"),
    ],
)
def test_history_with_too_little_evidence_is_not_supported(
    changes: dict[str, int], reason: str
) -> None:
    result = replace(MEASURED, **changes)  # type: ignore[arg-type]
    assert not result.supported
    assert reason in result.reason
    assert result.claim() is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"large_moves": 101}, "large_moves"),
        ({"cases": 401}, "cases"),
        ({"base_large_moves": 20}, "large_moves"),
        ({"last_date": dt.date(2026, 2, 2)}, "last_date"),
        ({"first_date": None}, "first_date"),
        ({"mean_return": math.nan}, "mean_return"),
        ({"horizon": 0}, "horizon"),
        ({"symbols": ("IWM", "IWM")}, "symbols"),
    ],
)
def test_history_result_breaking_an_invariant_raises(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(DataError, match=field):
        replace(MEASURED, **changes)  # type: ignore[arg-type]
