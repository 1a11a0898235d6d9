import datetime as dt

import pytest

from pulsewire.errors import DataError
from pulsewire.model import Outlier, Stale


def test_frozen_feed_reads_as_stale_since_the_repeated_bar() -> None:
    stale = Stale("IWM", dt.date(2026, 8, 21), dt.date(2026, 8, 27), dt.date(2026, 8, 27), 0)
    assert stale.frozen
    assert str(stale) == "IWM data is stale since 2026-08-21: it repeats its 2026-08-21 bar"


def test_series_that_stopped_says_how_far_behind() -> None:
    stale = Stale("ACWI", dt.date(2026, 7, 27), dt.date(2026, 7, 27), dt.date(2026, 8, 21), 19)
    assert str(stale) == (
        "ACWI data is stale since 2026-07-27: it stopped at 2026-07-27, "
        "19 sessions behind 2026-08-21"
    )


def test_current_series_cannot_be_called_stale() -> None:
    with pytest.raises(DataError, match="not stale"):
        Stale("SPY", dt.date(2026, 8, 21), dt.date(2026, 8, 21), dt.date(2026, 8, 21), 0)


def test_outlier_reads_as_a_percentage_move() -> None:
    outlier = Outlier("IWM", dt.date(2020, 3, 16), -0.14233493244249015, -15.897)
    assert str(outlier) == "IWM moved -13.3% on 2020-03-16 (robust z -15.9)"
