from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulsewire.analysis.rows import as_date
from pulsewire.analysis.snapshot import UniverseAnalysis
from pulsewire.errors import DataError
from pulsewire.model import Panel
from pulsewire.model.panel import PANEL_FIELDS
from pulsewire.scores.board import WARM_UP_BARS, ScoreBoard
from pulsewire.scores.conviction import LeanRecord
from pulsewire.scores.groups import GROUP_NAMES, group_codes
from pulsewire.scores.risk import days_to_next_event

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
        assert scores.threat is not None and scores.threat_reading is not None
        assert scores.threat.value == board.threat.levels[row, column]
        assert scores.threat_reading.probability == board.threat.predicted[row, column]
        # The printed one-liner adds up too: base plus every part, in tenths.
        for score in (scores.pulse, scores.conviction, scores.risk, scores.threat):
            line = score.explain()
            value, parts = line.split(" = ")
            base, *_ = parts.split(" ")
            terms = re.findall(r"([+-]) [A-Za-z][A-Za-z ]*? (\d+(?:\.\d+)?)(?= [+-] |$)", parts)
            assert len(terms) == len(score.components), line
            total = float(base) + math.fsum(float(n) * (1 if s == "+" else -1) for s, n in terms)
            # Each figure is rounded to a tenth on its own: at most 0.05 off apiece.
            slack = 0.05 * (len(terms) + 1) + 1e-9
            assert abs(total - float(value.split(" ")[1])) <= slack, line


def test_iwm_on_2026_02_02_reads_its_parts(board: ScoreBoard) -> None:
    scores = board.at("IWM", DAY)
    # Retail sales on 02-10 is 8 days out: no event risk yet.
    event = next(c for c in scores.risk.components if c.name == "event")
    assert (event.value, event.contribution) == (8.0, 0.0)
    assert scores.pulse.explain().startswith(f"Pulse {round(scores.pulse.value, 1):g} (")
    assert " = 50 + trend " in scores.pulse.explain()
    assert scores.threat is not None and "3%, 6%, 12%, 24%" in scores.threat.components[0].rule
    assert scores.threat.label == f"{int(scores.threat.value)}/5"


def test_a_stale_series_counts_releases_after_the_day_asked_not_its_last_bar(
    board: ScoreBoard,
) -> None:
    # A feed stopped on 2026-01-23: an edition of 02-09 sees the retail-sales release of
    # 02-10 a day ahead, not the FOMC of 01-28 that its last bar had five days ahead.
    panel = board.panel
    stop = dt.date(2026, 1, 23)
    cut = board.panel.column("IWM")
    later = panel.dates > np.datetime64(stop)
    arrays = {name: getattr(panel, name).copy() for name in PANEL_FIELDS}
    for values in arrays.values():
        values[later, cut] = np.nan
    stale = Panel(panel.dates, panel.symbols, **arrays)
    events = list(board.event_dates.astype(object))
    again = ScoreBoard.compute(UniverseAnalysis.compute(stale), events)
    asked = dt.date(2026, 2, 9)
    event = next(c for c in again.at("IWM", asked).risk.components if c.name == "event")
    expected = days_to_next_event(np.array([asked], dtype="datetime64[D]"), events)[0]
    assert event.value == expected == 1.0 and event.contribution == 25.0
    old = next(c for c in again.at("IWM", stop).risk.components if c.name == "event")
    assert old.value == days_to_next_event(np.array([stop], dtype="datetime64[D]"), events)[0]


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

    def arrays(source: Panel) -> tuple[list[np.ndarray], dict[str, LeanRecord | None]]:
        board = ScoreBoard.compute(UniverseAnalysis.compute(source), events)
        records = {}
        for symbol in panel.symbols:
            try:
                records[symbol] = board.at(symbol, day).record
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


def test_iwm_record_counts_its_groups_known_non_overlapping_cases(board: ScoreBoard) -> None:
    day = dt.date(2026, 2, 2)
    record = board.at("IWM", day).record
    assert record is not None and record.label == "Bullish" and record.group == "equity ETFs"
    # Walk every equity ETF's own bars: every 5th bar is a case, counted once its 5th next
    # bar closed by `day`; its state is read from Pulse and the 20-day volatility input.
    last = board.panel.last_row("IWM", day)
    storm = board.threat_inputs.features["20-day volatility"]
    equity = np.flatnonzero(group_codes(board.panel.symbols) == GROUP_NAMES.index("equity ETFs"))
    cases = hits = every = moves = 0
    for column in equity:
        rows = np.flatnonzero(np.isfinite(board.panel.adj_close[:, column]))
        prices = board.panel.adj_close[:, column]
        for i in range(0, len(rows) - 5, 5):
            row, ahead = rows[i], rows[i + 5]
            if ahead > last:
                break
            rose = prices[ahead] > prices[row]
            every, moves = every + 1, moves + rose
            pulse, weather = board.pulse[row, column], storm[row, column]
            if (
                pulse > 60
                and math.isfinite(weather)
                and (weather >= 0) == (record.state.endswith("stormy"))
            ):
                cases, hits = cases + 1, hits + rose
    assert (record.cases, record.hits, record.all_cases, record.all_moves) == (
        cases,
        hits,
        every,
        moves,
    )


def test_scores_start_on_the_warm_up_bar_and_scored_says_so(board: ScoreBoard) -> None:
    # Every symbol's first scored bar is bar WARM_UP_BARS - 1 of its own history, and
    # `scored` agrees with `at` on each side of it.
    for symbol in ("SPY", "BTC-USD", "XLC"):
        column = board.panel.column(symbol)
        own = np.flatnonzero(np.isfinite(board.panel.close[:, column]))
        ready = np.isfinite(board.pulse[own, column]) & np.isfinite(board.risk[own, column])
        assert int(np.argmax(ready)) == WARM_UP_BARS - 1
        before, first = (
            as_date(board.panel.dates[own[k]]) for k in (WARM_UP_BARS - 2, WARM_UP_BARS - 1)
        )
        assert not board.scored(symbol, before) and board.scored(symbol, first)
        with pytest.raises(DataError, match="too little history"):
            board.at(symbol, before)
        assert board.at(symbol, first).pulse.as_of == first
    assert not board.scored("XLC", dt.date(2010, 1, 4))  # no bar yet at all
