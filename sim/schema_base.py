"""The base of every scenario model: frozen, strict about unknown keys, self-documenting.

Numbers must be finite (NaN and infinity are refused) and a boolean is never taken for a
number: pydantic would read ``true`` as 1, so ``annual_cost: true`` would cost one dollar.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

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
    def _no_boolean_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None:
            refuse_booleans(cls.model_fields[info.field_name].annotation, value)
        return value


def refuse_booleans(annotation: Any, value: Any) -> None:
    """Raise a pydantic error where ``value`` holds a boolean that ``annotation`` does not allow.

    Looks into mappings and lists of plain values; nested models check their own fields.
    """
    if isinstance(value, bool):
        if not _allows_boolean(annotation):
            raise PydanticCustomError("bool_number", "a boolean where a number is expected")
        return
    for option in _options(annotation):
        origin, args = get_origin(option), get_args(option)
        if origin is dict and isinstance(value, dict) and len(args) == 2:
            for item in value.values():
                refuse_booleans(args[1], item)
        elif origin in (tuple, list) and isinstance(value, (list, tuple)) and args:
            for item in value:
                refuse_booleans(args[0], item)


def _allows_boolean(annotation: Any) -> bool:
    return any(option is bool or option is Any or option is object
               for option in _options(annotation))


def _options(annotation: Any) -> list[Any]:
    """The alternatives of a type: ``Annotated`` unwrapped, unions and ``X | None`` flattened."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _options(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [option for arg in get_args(annotation) for option in _options(arg)]
    return [annotation]
