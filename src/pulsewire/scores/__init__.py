"""Scores: explainable numbers a reader sees, each the sum of its components. Pure."""

from pulsewire.scores.conviction import conviction_label, conviction_score
from pulsewire.scores.pulse import (
    RULES,
    pulse,
    pulse_contributions,
    pulse_inputs,
    pulse_label,
    pulse_score,
)
from pulsewire.scores.risk import days_to_next_event, risk_label, risk_score

__all__ = [
    "RULES",
    "conviction_label",
    "conviction_score",
    "days_to_next_event",
    "pulse",
    "pulse_contributions",
    "pulse_inputs",
    "pulse_label",
    "pulse_score",
    "risk_label",
    "risk_score",
]
