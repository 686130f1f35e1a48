"""The base of every scenario model: frozen, strict about unknown keys, self-documenting.

Numbers must be finite (NaN and infinity are refused), within ±``MAX_MAGNITUDE`` (so that no
product of them overflows), and a boolean is never taken for a number: pydantic would read
``true`` as 1, so ``annual_cost: true`` would cost one dollar.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from sim.core.numbers import check_number

MAX_NAME_LENGTH = 64
"""Longest name of a scenario, tier, pool, pod, region or strategy rule (they become folder
and column names)."""
MAX_HEADCOUNT = 10_000
"""Largest headcount of one pool, at the start, in a staffing plan step or as a hiring cap."""
MIN_INTERVAL_DAYS = 1.0
"""Shortest period of a recurring review or touch: once a day."""


class Model(BaseModel):
    """Base for every scenario model: frozen, strict about unknown keys, self-documenting."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True,
                              allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None:
            check_numbers(cls.model_fields[info.field_name].annotation, value)
        return value


def check_numbers(annotation: Any, value: Any) -> None:
    """Apply :func:`check_number` wherever ``annotation`` expects a number in ``value``.

    Looks into mappings and lists of plain values; nested models check their own fields.
    """
    if isinstance(value, bool) and _allows_boolean(annotation):
        return
    if isinstance(value, (bool, int, float)):
        check_number(value)
        return
    for option in type_options(annotation):
        origin, args = get_origin(option), get_args(option)
        if origin is dict and isinstance(value, dict) and len(args) == 2:
            for item in value.values():
                check_numbers(args[1], item)
        elif origin in (tuple, list) and isinstance(value, (list, tuple)) and args:
            for item in value:
                check_numbers(args[0], item)


def _allows_boolean(annotation: Any) -> bool:
    return any(option is bool or option is Any or option is object
               for option in type_options(annotation))


def type_options(annotation: Any) -> list[Any]:
    """The alternatives of a type: ``Annotated`` unwrapped, unions and ``X | None`` flattened."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return type_options(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [option for arg in get_args(annotation) for option in type_options(arg)]
    return [annotation]


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


NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
MAX_PLAN_STEPS = 240
"""Most steps of a staffing plan or of the arrival schedule (one a month over the longest
horizon)."""
SHARE_TOLERANCE = 1e-6


def check_unique(names: list[str], what: str) -> None:
    """Raise ``ValueError`` at the first name that repeats an earlier one in ``what``."""
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            raise ValueError(f"{what}[{index}].name = {name!r}: duplicate name")
        seen.add(name)


def check_shares(shares: dict[str, float], what: str) -> None:
    """Raise ``ValueError`` unless the shares sum to 1."""
    total = sum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise ValueError(f"{what} = {shares}: shares must sum to 1 (they sum to {total:g})")
