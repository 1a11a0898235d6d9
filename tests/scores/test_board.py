from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.errors import DataError
from pulsewire.model import Panel
from pulsewire.model.panel import PANEL_FIELDS
from pulsewire.scores.board import PulseRecord, ScoreBoard

DAY = dt.date(2026, 2, 2)


def test_every_score_of_a_real_day_adds_up_and_matches_the_arrays(board: ScoreBoard) -> None:
    for symbol in board.panel.symbols:
        scores = board.at(symbol, DAY)
        row, column = board.panel.last_row(symbol, DAY), board.panel.column(symbol)
        for score, array in (
            (scores.pulse, board.pulse),
            (scores.conviction, board.conviction),
            (scores.risk, board.risk),
        ):
            total = score.base + math.fsum(c.contribution for c in score.components)
            assert total == pytest.approx(score.value, abs=1e-9)
            assert score.value == pytest.approx(array[row, column], abs=1e-9)
        assert scores.threat is not None
        assert scores.threat.value == board.threat.levels[row, column]
        assert 0 < scores.threat_probability < 0.2


def test_iwm_on_2026_02_02_reads_its_parts(board: ScoreBoard) -> None:
    scores = board.at("IWM", DAY)
    # Retail sales on 02-10 is 8 days out: no event risk yet.
    event = next(c for c in scores.risk.components if c.name == "event")
    assert (event.value, event.contribution) == (8.0, 0.0)
    assert scores.pulse.explain().startswith(f"Pulse {scores.pulse.value:.0f} (")
    assert scores.threat is not None and "fitted on" in scores.threat.components[0].rule
    assert scores.threat.label == f"{int(scores.threat.value)}/5"


def test_scores_before_the_warm_up_ends_are_refused(board: ScoreBoard) -> None:
    with pytest.raises(DataError, match="too little history"):
        board.at("SPY", dt.date(1993, 3, 1))
    with pytest.raises(DataError, match="no bar on or before"):
        board.at("BTC-USD", dt.date(2010, 1, 1))


def _altered_after(panel: Panel, cut: int, seed: int) -> Panel:
    """The panel with every bar after row `cut` scaled by a random factor (bars stay valid)."""
    factor = np.ones(panel.close.shape)
    factor[cut + 1 :] = np.random.default_rng(seed).uniform(0.5, 1.5, factor[cut + 1 :].shape)
    arrays = {
        name: getattr(panel, name) * (1 if name == "volume" else factor) for name in PANEL_FIELDS
    }
    return Panel(panel.dates, panel.symbols, **arrays)


@settings(max_examples=8, deadline=None)
@given(year=st.integers(0, 4), offset=st.integers(0, 150), seed=st.integers(0, 2**16))
def test_scores_for_a_date_ignore_every_later_bar(
    real_panel: Panel, events: list[dt.date], year: int, offset: int, seed: int
) -> None:
    # Two calendars at once: crypto's weekend rows must not leak NYSE outcomes early. The
    # cut falls early in a year, where a leak into that year's Threat fit would show.
    panel = real_panel.subset(("SPY", "IWM", "TLT", "GLD", "XLE", "BTC-USD", "ETH-USD"))
    panel = panel.select(slice(panel.dates.size - 4000, None))
    years = panel.dates.astype("datetime64[Y]")
    starts = np.flatnonzero(years[1:] != years[:-1]) + 1
    cut = int(starts[-6:-1][year]) + offset // 30  # most cases on a year's first days
    cut = cut if offset < 120 else cut + offset * 2
    day = dt.date.fromisoformat(str(panel.dates[cut]))

    def arrays(source: Panel) -> tuple[list[np.ndarray], dict[str, PulseRecord | None]]:
        board = ScoreBoard.compute(UniverseAnalysis.compute(source), events)
        records = {}
        for symbol in panel.symbols:
            try:
                records[symbol] = board.at(symbol, day).pulse_record
            except DataError:  # still warming up at the cut
                records[symbol] = None
        return [
            board.pulse,
            board.conviction,
            board.risk,
            board.threat.levels.astype(float),
            board.threat.predicted,
        ], records

    whole, records = arrays(panel)
    for other, theirs_records in (
        arrays(panel.until(day)),
        arrays(_altered_after(panel, cut, seed)),
    ):
        for mine, theirs in zip(whole, other, strict=True):
            assert np.array_equal(mine[: cut + 1], theirs[: cut + 1], equal_nan=True)
        # The track record an article quotes counts only outcomes known by that close.
        assert theirs_records == records
    assert (whole[3][: cut + 1] > 0).any()  # the calibration did reach the checked rows
    assert any(r is not None and r.cases > 0 for r in records.values())


def test_a_pulse_record_claims_an_edge_only_outside_the_interval() -> None:
    strong = PulseRecord("Bullish", 5, cases=100, hits=70, bars=1000, moves=550)
    weak = PulseRecord("Bullish", 5, cases=100, hits=58, bars=1000, moves=550)
    assert (strong.hit_rate, strong.base_rate) == (0.70, 0.55)
    assert strong.edge  # 95% interval 60.4%-78.1% leaves out 55%
    assert not weak.edge  # 48.2%-67.2% holds 55%


def test_iwm_record_counts_its_own_bars_whose_outcome_was_known(board: ScoreBoard) -> None:
    day = dt.date(2026, 2, 2)
    record = board.at("IWM", day).pulse_record
    assert record is not None and record.label == "Bullish"
    # Walk IWM's own bars: a reading counts once its 5th next bar closed by `day`.
    column = board.panel.column("IWM")
    rows = [r for r in range(board.panel.dates.size) if math.isfinite(board.panel.close[r, column])]
    last = max(r for r in rows if board.panel.dates[r] <= np.datetime64(day))
    cases = hits = bars = moves = 0
    for i, row in enumerate(rows):
        if i + 5 >= len(rows) or rows[i + 5] > last or not math.isfinite(board.pulse[row, column]):
            continue
        prices = board.panel.adj_close[:, column]
        rose = prices[rows[i + 5]] > prices[row]
        bars, moves = bars + 1, moves + rose
        if board.pulse[row, column] > 60:
            cases, hits = cases + 1, hits + rose
    assert (record.cases, record.hits, record.bars, record.moves) == (cases, hits, bars, moves)
