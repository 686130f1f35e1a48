"""The plain-number check every scenario number and distribution parameter goes through."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

MAX_MAGNITUDE = 1e12
"""Largest absolute value of any number in a scenario (a trillion: no ACV, cost or duration
comes near; products of such numbers stay far from overflow)."""


def check_number(value: Any) -> None:
    """Raise a pydantic error for a boolean, or a number beyond ±``MAX_MAGNITUDE``."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_number", "a boolean where a number is expected")
    if isinstance(value, (int, float)) and abs(value) > MAX_MAGNITUDE:
        raise PydanticCustomError("huge_number", f"beyond ±{MAX_MAGNITUDE:g}, the largest "
                                  "number a scenario may hold")
