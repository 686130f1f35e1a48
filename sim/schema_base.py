"""The base of every scenario model: frozen, strict about unknown keys, self-documenting."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for every scenario model: frozen, strict about unknown keys, self-documenting."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)
