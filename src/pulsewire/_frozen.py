"""The base of the pydantic records that cross stages (FactSheet, Article)."""

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """A model that cannot change after it is built, and refuses unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")
