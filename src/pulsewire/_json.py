"""JSON has no NaN: figures still warming up or missing are written as null."""

from __future__ import annotations

import math
from typing import Any


def json_safe(value: Any) -> Any:
    """Return `value` with every non-finite float, at any depth, replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value
