"""Reading one (row, column) cell of a vectorised score as a `Score` with components."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping

from pulsewire._types import FloatArray
from pulsewire.model.score import Component, Score


def score_at(
    name: str,
    symbol: str,
    as_of: dt.date,
    base: float,
    rules: Mapping[str, str],
    inputs: Mapping[str, FloatArray],
    points: Mapping[str, FloatArray],
    label: Callable[[float], str],
    cell: tuple[int, int],
) -> Score:
    """Return the score at `cell`: `base` plus one component per rule, in rule order."""
    components = tuple(
        Component(part, float(inputs[part][cell]), rule, float(points[part][cell]))
        for part, rule in rules.items()
    )
    value = base + math.fsum(c.contribution for c in components)
    return Score(name, symbol, as_of, value, label(value), base, components)
