"""How prices print: cents from $1 up, four significant digits of the close below."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulsewire.facts.format import forms, price_decimals, show, show_price
from pulsewire.facts.sheet import Fact


@pytest.mark.parametrize(
    ("value", "scale", "text"),
    [
        (258.2, None, "258.20"),
        (84_321.5, None, "84,321.50"),
        (1.0, None, "1.00"),
        (0.99996, None, "1.00"),  # rounds to 1: written as 1 is
        (0.99994, None, "0.9999"),
        (0.1234, None, "0.1234"),
        (0.05, None, "0.05000"),
        (0.000123456, None, "0.0001235"),
        (0.00099996, None, "0.001000"),
        (1e-9, None, "0.000000001000"),
        (1.23456e-9, None, "0.000000001235"),
        (0.0, None, "0.00"),
        (-0.0005, None, "-0.0005000"),
        # At the scale of the instrument: a $35 fund's ATR stays in cents...
        (0.704, 35.0, "0.70"),
        # ... and a coin at $0.00007924 prints every price to its eighth decimal.
        (3.20425e-6, 7.924e-5, "0.00000320"),
        (9.150e-5, 7.924e-5, "0.00009150"),
        (1.2345, 0.5, "1.2345"),
    ],
)
def test_show_price(value: float, scale: float | None, text: str) -> None:
    assert show_price(value, scale) == text


def test_a_price_from_a_dollar_up_prints_as_it_always_did() -> None:
    for value in (1.0, 1.005, 12.3456, 258.2, 99_999.999, 1e9):
        assert show_price(value) == f"{value:,.2f}" == show_price(value, 258.2)


def test_a_scale_of_zero_or_not_a_number_gives_cents() -> None:
    assert price_decimals(0.0) == price_decimals(math.nan) == price_decimals(math.inf) == 2


_PRICES = st.floats(min_value=1e-12, max_value=1e7, allow_nan=False)


@given(_PRICES)
def test_a_price_below_a_dollar_keeps_four_significant_digits(value: float) -> None:
    text = show_price(value)
    assert text != "0.00"
    assert math.isclose(float(text.replace(",", "")), value, rel_tol=5.01e-4 if value < 1 else 1)
    if value < 1 and text != "1.00":
        assert len(text.replace(".", "").lstrip("0")) == 4, text


@given(_PRICES, st.one_of(st.none(), _PRICES), st.booleans(), st.booleans())
def test_the_audit_accepts_every_way_the_writer_prints_a_price(
    value: float, scale: float | None, signed: bool, whole: bool
) -> None:
    for sign in (1, -1):
        fact = Fact(value=sign * value, unit="price", source="test")
        printed = show(fact, signed=signed, whole=whole, scale=scale)
        assert printed.lstrip("+-") in forms(fact, scale=scale)
        # The audit reads the whole figure as one number.
        assert re.fullmatch(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", printed), printed
