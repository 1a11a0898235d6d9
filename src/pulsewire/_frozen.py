"""The base of the pydantic records that cross stages (FactSheet, Article)."""

import math
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict


class Frozen(BaseModel):
    """A model that cannot change after it is built, and refuses unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


NumberOrNaN = Annotated[float, BeforeValidator(lambda value: math.nan if value is None else value)]
"""A float that may be NaN (no value): JSON writes it as null, and null reads back as NaN,
so a stored record reads back as it was written."""
