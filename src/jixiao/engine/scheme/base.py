"""Shared pydantic base for scheme models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Scheme models refuse unknown keys, so a misspelt field is an error with its place,
    never a silently ignored setting."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)
