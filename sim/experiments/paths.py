"""Field paths into a scenario: ``pools.csm.headcount``, ``pools.2.headcount``, ``hiring.*``.

A path is a dotted list of keys into the scenario's JSON form (``model_dump(mode="json")``).
Items of a list are addressed by position (``pools.2``) or, when they carry a ``name``, by that
name (``pools.csm``); ``pools[2]`` and ``pools[csm]`` are accepted too. The path is resolved
against the data, so it works for any field the schema has, including fields added later.

The JSON form holds the values a tier's touch model filled in. An override that changes a tier's
``touch_model`` drops them, so that they follow the new model, except those an override writes
too (``follow_touch_models``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from sim.core.errors import short_repr
from sim.scenario.base import type_options
from sim.scenario.schema import Scenario
from sim.scenario.tiers import TOUCH_DEPENDENT

_BRACKET = re.compile(r"\[([^\]]*)\]")
Key = str | int


class PathError(ValueError):
    """A field path does not lead to a field of the scenario; the message says why."""


@dataclass(frozen=True)
class FieldPath:
    """A field path resolved against a scenario.

    Attributes:
        text: the path as written.
        keys: the keys and list positions that reach the field in the JSON form.
        integer: whether the schema declares the field as an integer.
    """

    text: str
    keys: tuple[Key, ...]
    integer: bool


def split_path(text: str) -> list[str]:
    """The parts of a path; ``pools[csm].headcount`` and ``pools.csm.headcount`` are the same."""
    parts = _BRACKET.sub(r".\1", text.strip()).split(".")
    if not text.strip() or any(not part for part in parts):
        raise PathError("not a field path (expected e.g. pools.csm.headcount)")
    return parts


def resolve(data: Mapping[str, Any], text: str) -> FieldPath:
    """Resolve a path against a scenario's JSON form.

    Raises:
        PathError: a part names no field, no list item, or descends into a plain value.
    """
    node: Any = data
    keys: list[Key] = []
    parts = split_path(text)
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        key = _key(node, part, keys, last)
        keys.append(key)
        node = node[key] if not last else None
    annotation = annotation_at(Scenario, keys)
    return FieldPath(text=text, keys=tuple(keys), integer=_is_integer(annotation, data, keys))


def apply_overrides(data: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``data`` with ``{path: value}`` overrides applied in order.

    Each path is resolved after the previous overrides, so it may lead into a value set by one.

    Raises:
        PathError: a path does not resolve; the message starts with ``PATH = VALUE:``.
    """
    result = copy.deepcopy(dict(data))
    written: list[tuple[Key, ...]] = []
    for text, value in overrides.items():
        try:
            path = resolve(result, text)
        except PathError as error:
            raise PathError(f"{text} = {short_repr(value)}: {error}") from error
        node: Any = result
        for key in path.keys[:-1]:
            node = node[key]
        node[path.keys[-1]] = copy.deepcopy(value)
        written.append(path.keys)
    follow_touch_models(data, result, written)
    return result


def follow_touch_models(before: Mapping[str, Any], after: dict[str, Any],
                        written: list[tuple[Key, ...]]) -> None:
    """Let the fields of a tier whose touch model changed follow the new model.

    In every tier of ``after`` whose ``touch_model`` differs from ``before``'s, each field of
    ``TOUCH_DEPENDENT`` is dropped (validation fills in the new model's value) unless an
    override wrote it, or the tier or the tier list as a whole. Values the base scenario gave
    those fields, filled in or written, describe the old model.
    """
    old, new = before.get("tiers"), after.get("tiers")
    if not isinstance(old, list) or not isinstance(new, list):
        return
    for index, (was, tier) in enumerate(zip(old, new, strict=False)):
        if not isinstance(tier, dict) or not isinstance(was, dict):
            continue
        if tier.get("touch_model") == was.get("touch_model"):
            continue
        for name in TOUCH_DEPENDENT:
            keys = ("tiers", index, name)
            if not any(keys[: len(prefix)] == prefix for prefix in written):
                tier.pop(name, None)


def value_at(data: Any, keys: tuple[Key, ...]) -> Any:
    """The value at ``keys`` in a JSON form.

    Raises:
        LookupError: a key or position is missing.
    """
    node = data
    for key in keys:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError) as error:
            raise LookupError(_dotted(keys)) from error
    return node


def _key(node: Any, part: str, seen: list[Key], last: bool) -> Key:
    where = _dotted(seen) or "the scenario"
    if isinstance(node, list):
        return _list_key(node, part, where)
    if not isinstance(node, dict):
        raise PathError(f"{where} is {short_repr(node)}, which has no field {part!r}")
    if part in node:
        return part
    if last and _is_map(annotation_at(Scenario, seen)):
        return part  # a new key of a free mapping (e.g. growth.initial_customers.<tier>)
    shown = ", ".join(sorted(map(str, node))[:12])
    raise PathError(f"{where} has no field {part!r} (fields: {shown})")


def _list_key(items: list, part: str, where: str) -> int:
    if part.isdigit():
        if int(part) < len(items):
            return int(part)
        raise PathError(f"{where} has {len(items)} items; index {part} is out of range")
    names = [item.get("name") for item in items if isinstance(item, dict)]
    if part in names:
        return names.index(part)
    shown = ", ".join(str(name) for name in names if name is not None) or "none"
    raise PathError(f"{where} has no item named {part!r} (names: {shown}; or use an index)")


def _dotted(keys: list[Key] | tuple[Key, ...]) -> str:
    return ".".join(str(key) for key in keys)


def annotation_at(model: type[BaseModel], keys: list[Key] | tuple[Key, ...]) -> Any:
    """The declared type of the field at ``keys`` below ``model``; None when unknown."""
    annotation: Any = model
    for key in keys:
        annotation = _child(annotation, key)
        if annotation is None:
            return None
    return annotation


def _child(annotation: Any, key: Key) -> Any:
    for option in type_options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            field = option.model_fields.get(key) if isinstance(key, str) else None
            if field is not None:
                return field.annotation
        origin, args = get_origin(option), get_args(option)
        if origin in (tuple, list) and isinstance(key, int) and args:
            return args[0]
        if origin is dict and isinstance(key, str) and len(args) == 2:
            return args[1]
    return None


def _is_map(annotation: Any) -> bool:
    return any(get_origin(option) is dict for option in type_options(annotation))


def _is_integer(annotation: Any, data: Mapping[str, Any], keys: list[Key]) -> bool:
    options = [option for option in type_options(annotation) if option is not type(None)]
    if options:
        return int in options and float not in options
    node: Any = data
    for key in keys:  # no declared type: go by the current value
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(node, int) and not isinstance(node, bool)
