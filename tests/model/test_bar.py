import datetime as dt

import numpy as np
import pytest

from pulsewire.errors import DataError
from pulsewire.model import Bar, first_bar_problem

DAY = dt.date(2026, 2, 2)


def test_bar_with_valid_fields_is_built() -> None:
    bar = Bar("IWM", DAY, 263.0, 265.1, 261.9, 263.32, 263.32, 1_000.0)
    assert bar.high == 265.1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((100.0, 101.2, 99.0, 103.5), "high: 101.2 is below close 103.5"),
        ((104.0, 103.0, 99.0, 100.0), "high: 103 is below open 104"),
        ((100.0, 105.0, 101.5, 102.0), "low: 101.5 is above open 100"),
        ((100.0, 105.0, 0.0, 102.0), "low: 0 is not a positive price"),
        ((float("nan"), 105.0, 99.0, 102.0), "open: NaN is not a price"),
        ((100.0, float("inf"), 99.0, 102.0), "high: inf is not a finite price"),
    ],
)
def test_bar_that_breaks_a_rule_raises_naming_field(
    fields: tuple[float, float, float, float], message: str
) -> None:
    with pytest.raises(DataError) as caught:
        Bar("IWM", DAY, *fields, adj_close=100.0)
    assert str(caught.value) == message


def test_bar_with_negative_volume_raises() -> None:
    with pytest.raises(DataError, match="volume: -1 is a negative volume"):
        Bar("IWM", DAY, 100.0, 101.0, 99.0, 100.0, 100.0, -1.0)


def test_bar_within_rounding_tolerance_is_accepted() -> None:
    Bar("IWM", DAY, 100.0, 100.0005, 99.0, 100.0009, 100.0)


def test_bar_with_symbol_containing_markup_raises() -> None:
    with pytest.raises(DataError, match="symbol"):
        Bar("<b>IWM", DAY, 100.0, 101.0, 99.0, 100.0, 100.0)


def test_first_bar_problem_reports_earliest_row() -> None:
    o = np.array([1.0, 1.0, 1.0])
    h = np.array([1.0, 1.0, 0.5])
    lo = np.array([1.0, -1.0, 1.0])
    problem = first_bar_problem(o, h, lo, o, o, np.array([np.nan, np.nan, np.nan]))
    assert problem is not None
    assert (problem.row, problem.field) == (1, "low")
