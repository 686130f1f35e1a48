"""A seeded mutation generator over the shipped scenarios, for the fuzz test.

Each case is one shipped scenario, cut to a two-month horizon (steps after it dropped, so the
base stays valid), with one mutation: a value replaced by a hostile one (NaN, infinity, a
boolean, null, a huge or tiny number, a string, an empty or long list, a deep or aliased
structure), a key removed or added, or the YAML text damaged (a duplicate key, a truncation, a
byte that is not UTF-8, an alias bomb), or a number scaled by a power of ten. The same seed
gives the same cases.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("**/*.yaml"))
HORIZON = 2
BOMB = ('bomb0: &b0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"bomb{level + 1}: &b{level + 1} [" + ",".join([f"*b{level}"] * 9) + "]\n"
                  for level in range(8)))

VALUES: tuple[Any, ...] = (
    float("nan"), float("inf"), float("-inf"), True, False, None, 1e308, -1e308, -1, 0, 1e-9,
    10**30, 2**64, "x", "", [], {}, [1] * 5_000, "y" * 20_000, {"kind": "fixed", "value": 1},
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
    1e5, 1e7, 10_000, 3.5, -0.0,
)
TEXT_MUTATIONS = ("duplicate_key", "truncate", "bad_byte", "bomb", "tab")


@dataclass(frozen=True)
class Case:
    """One fuzz case: the YAML text to validate and what was done to it."""

    number: int
    source: str
    mutation: str
    text: str


def base(path: Path) -> dict[str, Any]:
    """A shipped scenario at a two-month horizon, without the steps after it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["horizon_months"] = HORIZON
    growth = data.get("growth", {})
    growth["arrivals"] = [step for step in growth.get("arrivals", [])
                          if step["from_month"] < HORIZON]
    for pool in data.get("pools", []):
        pool["staffing_plan"] = [step for step in pool.get("staffing_plan", [])
                                 if step["month"] < HORIZON]
    return data


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path in a loaded YAML document, containers included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


def _scale_mutation(data: dict[str, Any], rng: np.random.Generator) -> tuple[str, str]:
    """A number multiplied by a power of ten from 1e-3 to 1e3 (an integer stays one)."""
    numbers = [path for path in _paths(data) if _is_number(_parent(data, path)[path[-1]])]
    path = numbers[int(rng.integers(len(numbers)))]
    parent = _parent(data, path)
    factor = 10.0 ** int(rng.integers(-3, 4))
    value = parent[path[-1]] * factor
    parent[path[-1]] = round(value) if isinstance(parent[path[-1]], int) else value
    where = ".".join(map(str, path))
    return f"{where} x {factor:g}", yaml.safe_dump(data, sort_keys=False)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _value_mutation(data: dict[str, Any], rng: np.random.Generator) -> tuple[str, str]:
    paths = list(_paths(data))
    path = paths[int(rng.integers(len(paths)))]
    parent = _parent(data, path)
    choice = int(rng.integers(len(VALUES) + 2))
    where = ".".join(map(str, path))
    if choice == len(VALUES):
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
        return f"remove {where}", yaml.safe_dump(data, sort_keys=False)
    if choice == len(VALUES) + 1:
        target = parent if isinstance(parent, dict) else data
        target["unexpected_key"] = 1
        return f"add a key beside {where}", yaml.safe_dump(data, sort_keys=False)
    value = copy.deepcopy(VALUES[choice])
    parent[path[-1]] = value
    return f"{where} = {_label(value)}", yaml.safe_dump(data, sort_keys=False)


def _label(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "..."


def _text_mutation(text: str, rng: np.random.Generator) -> tuple[str, str | bytes]:
    kind = TEXT_MUTATIONS[int(rng.integers(len(TEXT_MUTATIONS)))]
    if kind == "duplicate_key":
        return kind, text + "horizon_months: 1\n"
    if kind == "truncate":
        return kind, text[: int(rng.integers(1, max(2, len(text))))]
    if kind == "bad_byte":
        position = int(rng.integers(len(text)))
        return kind, text[:position].encode() + b"\xff" + text[position:].encode()
    if kind == "bomb":
        return kind, BOMB + text
    return kind, text.replace("  ", "\t", 1)


def cases(seed: int, count: int) -> Iterator[tuple[Case, str | bytes]]:
    """``count`` cases from ``seed``: one in five damages the text, two in five scale a number
    by a power of ten, the rest replace or remove a value or add a key."""
    rng = np.random.default_rng(seed)
    bases = {path: base(path) for path in SHIPPED}
    for number in range(count):
        path = SHIPPED[int(rng.integers(len(SHIPPED)))]
        data = copy.deepcopy(bases[path])
        draw = rng.random()
        if draw < 0.2:
            mutation, content = _text_mutation(yaml.safe_dump(data, sort_keys=False), rng)
        elif draw < 0.6:
            mutation, content = _scale_mutation(data, rng)
        else:
            mutation, content = _value_mutation(data, rng)
        text = content if isinstance(content, str) else content.decode("utf-8", "replace")
        yield Case(number, path.relative_to(ROOT).as_posix(), mutation, text), content
