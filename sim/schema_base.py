"""The base of every scenario model: frozen, strict about unknown keys, self-documenting."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for every scenario model: frozen, strict about unknown keys, self-documenting."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def plausible(low: float, high: float, source: str = "assumption") -> dict[str, Any]:
    """Field metadata: the values a behavioural parameter may plausibly take, and their source.

    ``Field(2.0, gt=0, json_schema_extra=plausible(1.2, 3.0))``: sensitivity and robustness
    studies vary the field over ``low..high``; the scenario reference shows the range.
    """
    return {"plausible": [low, high], "source": source}


def plausible_scale(low: float, high: float, source: str = "assumption") -> dict[str, Any]:
    """Field metadata like :func:`plausible`, as factors on the scenario's own value.

    For fields whose value depends on the tier or pool (a tier's ticket rate): the range is
    ``low x value .. high x value``.
    """
    return {"plausible_scale": [low, high], "source": source}
