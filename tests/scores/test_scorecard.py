from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from pulsewire.errors import DataError
from pulsewire.model import Panel
from pulsewire.model.call import Call
from pulsewire.scores.scorecard import calls_frame, grade_calls, scorecard
from pulsewire.store import Store
from tests.test_cli import run

START = np.datetime64("2026-01-01", "D")


def path_panel(closes: list[float], lows: list[float], highs: list[float]) -> Panel:
    """One symbol, one bar a day; the open is the close."""
    close = np.array(closes)[:, None]
    return Panel(
        np.arange(START, START + len(closes)),
        ("IWM",),
        close,
        np.array(highs)[:, None],
        np.array(lows)[:, None],
        close,
        close,
        np.full(close.shape, 1e6),
    )


def call(
    day: int,
    label: str,
    support: tuple[float, float],
    resistance: tuple[float, float],
    side: str | None = None,
) -> Call:
    """A call with Pulse's `label`, taking `side` (the label unless given)."""
    return Call(
        "replay",
        (START + day).item(),
        "IWM",
        100.0,
        70.0 if label == "Bullish" else 50.0,
        label,
        3,
        0.1,
        side or label,
        80.0,
        support,
        resistance,
    )


def test_grades_of_a_hand_made_path() -> None:
    # Day 0 closes at 100. Support zone 97-98: day 3's low dips to 97.5 but no close
    # goes below 97, so it held. Resistance zone 103-104: day 6 closes at 104.2, above
    # the zone, so it broke. The 5-bar return to day 5 (101) is up: the Bullish call hit.
    closes = [100, 99, 98.5, 98, 99.5, 101, 104.2] + [103.0] * 20
    lows = [c - 0.5 for c in closes]
    lows[3] = 97.5
    highs = [c + 0.5 for c in closes]
    panel = path_panel(closes, lows, highs)
    sharp = np.full(panel.close.shape, np.nan)
    sharp[0, 0] = 1.0
    calls = calls_frame(
        [
            call(0, "Bullish", (97.0, 98.0), (103.0, 104.0)),
            call(20, "Neutral", (97, 98), (105, 106)),
        ]
    )
    grades = grade_calls(calls, panel, sharp)
    first, second = grades.rows(named=True)
    assert first["forward_return"] == pytest.approx(math.log(101 / 100))
    assert (first["direction_hit"], first["sharp_move"]) == (True, True)
    assert (first["support_outcome"], first["resistance_outcome"]) == ("held", "broke")
    # Day 20 has 6 bars after it: too few to decide an untouched level; Neutral calls nothing.
    assert (second["direction_hit"], second["sharp_move"]) == (None, None)
    assert (second["support_outcome"], second["resistance_outcome"]) == ("pending", "pending")

    card = scorecard(calls, grades)
    bullish = card.direction[0]
    assert (bullish.label, bullish.calls, bullish.hits, bullish.rate) == ("Bullish", 1, 1, 1.0)
    # One threat case: p = 0.1, a sharp move followed: Brier (0.1 - 1)^2 = 0.81; always
    # forecasting the average (1.0) scores 0.
    assert (card.threat_cases, card.brier, card.brier_climatology) == (1, pytest.approx(0.81), 0.0)
    support, resistance = card.levels
    assert (support.named, support.held, support.pending, support.held_share) == (2, 1, 1, 1.0)
    assert (resistance.broke, resistance.held_share) == (1, 0.0)


def test_a_call_against_the_lean_is_graded_on_the_side_it_took() -> None:
    # A Bullish tape called short: the rise to day 5 makes it a miss, and it counts
    # among the Bearish calls.
    closes = [100, 99, 98.5, 98, 99.5, 101] + [101.0] * 20
    panel = path_panel(closes, [c - 0.5 for c in closes], [c + 0.5 for c in closes])
    calls = calls_frame([call(0, "Bullish", (97.0, 98.0), (103.0, 104.0), side="Bearish")])
    grades = grade_calls(calls, panel, np.full(panel.close.shape, np.nan))
    assert grades["direction_hit"].to_list() == [False]
    card = scorecard(calls, grades)
    bullish, bearish, _ = card.direction
    assert (bullish.calls, bearish.calls, bearish.hits) == (0, 1, 0)


def test_a_call_whose_zones_sit_on_the_wrong_side_cannot_exist() -> None:
    with pytest.raises(DataError, match="support"):
        call(0, "Bullish", (101.0, 102.0), (103.0, 104.0))
    with pytest.raises(DataError, match="resistance"):
        call(0, "Bullish", (97.0, 98.0), (95.0, 96.0))


def test_scorecard_command_replays_grades_and_stores_the_record(
    bundled_store: Path,
) -> None:
    replay = run("scorecard", "--replay", "--since", "2025-06-01", "--json", db=bundled_store)
    assert replay.returncode == 0, replay.stderr
    card = json.loads(replay.stdout)
    # 28 symbols, one call per 5 bars over about 14 months (crypto trades every day).
    assert 1_500 < card["calls"] < 2_500 and card["first"] >= "2025-06-01"
    for record in card["direction"]:
        assert record["hits"] <= record["calls"] and record["low"] <= record["rate"]
    for side in card["levels"]:
        assert side["named"] == sum(side[o] for o in ("held", "broke", "untested", "pending"))
    assert card["threat_cases"] > 1_000 and 0 < card["brier"] < 0.2
    with Store.open(bundled_store, read_only=True) as store:
        calls, grades = store.table("calls"), store.table("grades")
    assert calls.height == grades.height == card["calls"]
    # Grading again (no replay) reads the stored calls and gives the same record.
    again = run("scorecard", "--json", db=bundled_store)
    assert json.loads(again.stdout) == card
    text = run("scorecard", db=bundled_store).stdout
    assert "Direction over 5 bars" in text and "Brier" in text and "support" in text


def test_scorecard_without_calls_says_how_to_make_some(bundled_store: Path) -> None:
    result = run("scorecard", db=bundled_store)
    assert result.returncode == 1
    assert "no calls to grade yet" in result.stderr and "--replay" in result.stderr
