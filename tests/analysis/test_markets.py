from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from pulsewire.analysis.history import daily_volatility
from pulsewire.analysis.markets import (
    BELLWETHERS,
    TAPE_SIGMAS,
    Leg,
    Tape,
    classify_tape,
    cross_asset,
)
from pulsewire.errors import DataError
from pulsewire.model import Panel


@pytest.mark.parametrize(
    ("sigmas", "tape"),
    [
        ({"SPY": 1.0, "VIX": -1.0, "HYG": 0.6}, Tape.RISK_ON),
        ({"SPY": 1.0, "VIX": -1.0, "HYG": 0.4}, Tape.MIXED),  # credit did not follow
        ({"SPY": 1.0, "VIX": -1.0}, Tape.MIXED),  # no credit bar: the leg does not hold
        ({"SPY": -1.0, "VIX": 2.0, "GLD": 0.5}, Tape.RISK_OFF),  # exactly the threshold
        ({"SPY": -1.0, "VIX": 2.0, "TLT": -1.0, "GLD": -1.0, "UUP": 0.2}, Tape.MIXED),
        ({"SPY": -1.0, "VIX": -0.1, "TLT": 1.0}, Tape.MIXED),
        ({"VIX": 3.0, "TLT": 2.0}, Tape.NO_READING),  # no equity bar on the day
    ],
)
def test_tape_follows_its_rules(sigmas: dict[str, float], tape: Tape) -> None:
    assert TAPE_SIGMAS == 0.5
    assert classify_tape(sigmas) is tape


def test_a_leg_goes_up_or_down_only() -> None:
    with pytest.raises(DataError, match="direction"):
        Leg("SPY", 0)


def volatility(panel: Panel) -> np.ndarray:
    return daily_volatility(panel.adj_close, 20)


def test_markets_on_2020_03_16_were_risk_off(real_panel: Panel) -> None:
    day = dt.date(2020, 3, 16)
    markets = cross_asset(real_panel, day, volatility(real_panel))
    assert markets.tape is Tape.RISK_OFF
    assert tuple(m.symbol for m in markets.moves) == BELLWETHERS
    moves = {m.symbol: m for m in markets.moves}
    assert all(m.same_day and m.date == day for m in markets.moves)
    spy = moves["SPY"]
    assert spy.change == pytest.approx(-0.1094, abs=1e-4)
    assert spy.sigmas is not None and spy.sigmas < -2
    assert moves["TLT"].change > 0 and moves["VIX"].change > 0.4


def test_markets_on_a_saturday_list_fridays_bars_but_read_no_tape(real_panel: Panel) -> None:
    saturday = dt.date(2026, 1, 31)
    markets = cross_asset(real_panel, saturday, volatility(real_panel))
    assert markets.tape is Tape.NO_READING
    moves = {m.symbol: m for m in markets.moves}
    assert moves["SPY"].date == dt.date(2026, 1, 30) and not moves["SPY"].same_day
    assert moves["BTC-USD"].date == saturday and moves["BTC-USD"].same_day


def test_a_stopped_bellwether_drops_out(real_panel: Panel) -> None:
    stopped = real_panel.subset(("SPY", "GLD", "VIX", "HYG"))
    gld = stopped.column("GLD")
    cut = stopped.dates > np.datetime64("2026-01-16")
    arrays = {}
    for name in ("open", "high", "low", "close", "adj_close", "volume"):
        values = getattr(stopped, name).copy()
        values[cut, gld] = np.nan
        arrays[name] = values
    panel = dataclasses.replace(stopped, **arrays)
    markets = cross_asset(panel, dt.date(2026, 2, 2), volatility(panel))
    assert [m.symbol for m in markets.moves] == ["SPY", "VIX", "HYG"]
    # Friday 2026-01-16 is GLD's last bar: still current on the Saturday after it.
    weekend = cross_asset(panel, dt.date(2026, 1, 17), volatility(panel))
    assert "GLD" in {m.symbol for m in weekend.moves}


def test_markets_on_the_iwm_reference_day_were_risk_on(real_panel: Panel) -> None:
    markets = cross_asset(real_panel, dt.date(2026, 2, 2), volatility(real_panel))
    assert markets.tape is Tape.RISK_ON
