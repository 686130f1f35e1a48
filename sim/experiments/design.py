"""Experimental designs: the plans of a sweep, as pure functions of their inputs.

A *plan* is a named set of overrides on the base scenario (``{field path: value}``). Plans come
from a plans file (named plans), from ``--vary`` factors (every combination of a grid, or the
samples of a Latin hypercube), or both (every named plan crossed with every design point). Every
plan is applied and validated here, before anything runs.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml

from sim.core.errors import ScenarioError, short_repr
from sim.experiments.paths import PathError, apply_overrides, resolve, value_at
from sim.scenario.schema import Scenario, parse_scenario, read_yaml

Design = Literal["grid", "lhs"]
PLAN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
MAX_PLANS = 10_000
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*$")


@dataclass(frozen=True)
class Plan:
    """One plan of a sweep: overrides on the base scenario and the validated result.

    Attributes:
        id: plan id, used as the ``plan=<id>`` partition of the dataset.
        overrides: ``{field path: value}`` applied to the base scenario, in order.
        scenario: the base scenario with the overrides, validated.
        source: where the plan came from (a plans file, ``--vary``, a scenario file).
    """

    id: str
    overrides: Mapping[str, Any]
    scenario: Scenario
    source: str


@dataclass(frozen=True)
class Factor:
    """A varied field: listed values, or a ``low:high`` range for a Latin hypercube."""

    path: str
    values: tuple[Any, ...] = ()
    bounds: tuple[float, float] | None = None
    integer: bool = False
    source: str = field(default="--vary", compare=False)


def parse_factor(spec: str, base: Mapping[str, Any]) -> Factor:
    """Read ``PATH=V1,V2,...`` or ``PATH=LOW:HIGH``; the path is resolved against ``base``.

    Values are read as YAML (``30``, ``0.5``, ``true``, ``{kind: fixed, value: 3}``).

    Raises:
        ScenarioError: no ``=``, no values, unreadable values, or a path that does not resolve.
    """
    path, separator, text = spec.partition("=")
    if not separator or not path.strip():
        raise ScenarioError(f"--vary {short_repr(spec)}: expected PATH=V1,V2,... or PATH=LOW:HIGH")
    return factor(path.strip(), text, base)


def factor(path: str, values: Any, base: Mapping[str, Any], source: str = "--vary") -> Factor:
    """A factor from a path and its values: a list, ``"V1,V2"`` text or a ``"LOW:HIGH"`` range."""
    try:
        resolved = resolve(base, path)
    except PathError as error:
        raise ScenarioError(f"{source}: {path} = {short_repr(values)}: {error}") from error
    match = _RANGE.match(values) if isinstance(values, str) else None
    if match:
        bounds = _bounds(path, match, resolved.integer, source)
        return Factor(path, bounds=bounds, integer=resolved.integer, source=source)
    listed = _listed(path, values, source)
    return Factor(path, values=tuple(listed), integer=resolved.integer, source=source)


def _listed(path: str, values: Any, source: str) -> list[Any]:
    if isinstance(values, str):
        try:
            values = yaml.safe_load(f"[{values}]")
        except yaml.YAMLError as error:
            raise ScenarioError(f"{source}: {path} = {short_repr(values)}: cannot read the values "
                                f"(YAML: {getattr(error, 'problem', error)})") from error
    if not isinstance(values, (list, tuple)) or not values:
        raise ScenarioError(f"{source}: {path} = {short_repr(values)}: expected one or more values")
    return list(values)


def _bounds(path: str, match: re.Match[str], integer: bool,
            source: str) -> tuple[float, float]:
    text = match.string
    low, high = float(match.group(1)), float(match.group(2))
    if not low < high:
        raise ScenarioError(f"{source}: {path} = {text!r}: the range needs LOW < HIGH")
    if integer and not (low.is_integer() and high.is_integer()):
        raise ScenarioError(f"{source}: {path} = {text!r}: an integer field needs integer bounds")
    return low, high


def grid_points(factors: Sequence[Factor]) -> list[dict[str, Any]]:
    """Every combination of the factors' values, the last factor varying fastest.

    Raises:
        ScenarioError: a factor is a range (ranges need the ``lhs`` design).
    """
    for item in factors:
        if item.bounds is not None:
            raise ScenarioError(f"{item.source}: {item.path} = {item.bounds[0]:g}:"
                                f"{item.bounds[1]:g}: a LOW:HIGH range needs --design lhs")
    _check_count(math.prod(len(item.values) for item in factors))
    combinations = itertools.product(*(item.values for item in factors))
    return [dict(zip([item.path for item in factors], values, strict=True))
            for values in combinations]


def lhs_points(factors: Sequence[Factor], samples: int,
               rng: np.random.Generator) -> list[dict[str, Any]]:
    """``samples`` points of a Latin hypercube over the factors.

    Each factor's range (or list of values) is cut into ``samples`` equal strata and every
    stratum is sampled exactly once. Integer fields get integers: the ``samples`` strata are laid
    over the integers ``low..high`` inclusive. Listed values are picked by stratum.
    """
    if samples < 1:
        raise ScenarioError(f"--samples = {samples}: must be >= 1")
    _check_count(samples)
    from scipy.stats import qmc  # imported here: scipy.stats is slow to import

    unit = qmc.LatinHypercube(d=len(factors), rng=rng).random(samples)
    return [{item.path: _scaled(item, unit[row, column]) for column, item in enumerate(factors)}
            for row in range(samples)]


def _scaled(item: Factor, unit: float) -> Any:
    if item.bounds is None:
        return item.values[min(int(unit * len(item.values)), len(item.values) - 1)]
    low, high = item.bounds
    if item.integer:
        return int(min(low + np.floor(unit * (high - low + 1)), high))
    return float(low + unit * (high - low))


def _check_count(count: int) -> None:
    if count > MAX_PLANS:
        raise ScenarioError(f"the design has {count} plans; at most {MAX_PLANS} are supported")


def load_plans_file(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """Read a plans file: a mapping of plan id to ``{field path: value}`` overrides.

    Raises:
        ScenarioError: the file is unreadable, not a mapping, or a plan id or entry is invalid.
    """
    return named_plans(read_yaml(path), str(path))


def named_plans(data: object, source: str) -> list[tuple[str, dict[str, Any]]]:
    """Plan ids and overrides from a mapping ``{plan id: {field path: value}}``.

    Raises:
        ScenarioError: ``data`` is not such a mapping, or a plan id is invalid.
    """
    if not isinstance(data, Mapping) or not data:
        raise ScenarioError(f"{source}: plans map plan ids to overrides "
                            "({field path: value}); found no such mapping")
    _check_count(len(data))
    plans = []
    for plan_id, overrides in data.items():
        check_plan_id(str(plan_id), source)
        if overrides is not None and not isinstance(overrides, Mapping):
            raise ScenarioError(f"{source}: {plan_id} = {short_repr(overrides)}: expected a "
                                "mapping of field paths to values")
        plans.append((str(plan_id), {str(key): value for key, value in (overrides or {}).items()}))
    return plans


def check_plan_id(plan_id: str, where: str) -> None:
    """Raise ``ScenarioError`` unless ``plan_id`` is a letter then letters, digits, _ or -."""
    if not PLAN_ID.fullmatch(plan_id):
        raise ScenarioError(f"{where}: plan id {short_repr(plan_id)} must start with a letter "
                            "and hold only letters, digits, '_' and '-' (at most 64 characters)")


def combine(named: Sequence[tuple[str, dict[str, Any]]],
            points: Sequence[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Plan ids and overrides: every named plan crossed with every design point.

    Design points are ``p01``, ``p02``, ...; crossed with named plans they are ``<name>-p01``.
    Without named plans and points there is one plan, ``base``, with no overrides.
    """
    width = max(2, len(str(len(points))))
    labelled = [(f"p{index + 1:0{width}d}", point) for index, point in enumerate(points)]
    if not named:
        return labelled or [("base", {})]
    if not labelled:
        return [(name, dict(overrides)) for name, overrides in named]
    _check_count(len(named) * len(labelled))
    return [(f"{name}-{label}", {**overrides, **point})
            for name, overrides in named for label, point in labelled]


def build_plans(base: Scenario, entries: Sequence[tuple[str, dict[str, Any]]],
                source: str) -> list[Plan]:
    """Apply and validate every plan's overrides on the base scenario.

    Raises:
        ScenarioError: a path does not resolve or a value is invalid; the message names the plan,
            the field path and the value.
    """
    data = base.model_dump(mode="json")
    duplicates = repeated(plan_id for plan_id, _ in entries)
    if duplicates:
        raise ScenarioError(f"{source}: plan ids must be unique; repeated: {duplicates}")
    plans = []
    for plan_id, overrides in entries:
        where = f"{source}: plan {plan_id}"
        try:
            scenario_data = apply_overrides(data, overrides)
        except PathError as error:
            raise ScenarioError(f"{where}: {error}") from error
        scenario = parse_scenario(scenario_data, source=f"{where} ({describe(overrides)})")
        _check_effect(data, scenario, overrides, where)
        plans.append(Plan(plan_id, overrides, scenario, source))
    return plans


def _check_effect(base: Mapping[str, Any], scenario: Scenario, overrides: Mapping[str, Any],
                  where: str) -> None:
    """Raise ``ScenarioError`` at an override that asks for a change the scenario does not get.

    An override whose value differs from the base's, but after which the validated scenario
    still has the base's value there (e.g. ``null`` on a field whose default is that value), or
    is the base scenario all over, changes nothing; an override equal to the base's value is a
    baseline point and fine.
    """
    variant = scenario.model_dump(mode="json")
    for text, value in overrides.items():
        try:
            keys = resolve(base, text).keys
            before = value_at(base, keys)
        except (PathError, LookupError):
            continue  # a new key of a free mapping, or a path into a value set by an override
        if value == before:
            continue
        try:
            after = value_at(variant, keys)
        except LookupError:
            after = None
        if after == before or variant == base:
            raise ScenarioError(
                f"{where}: {text} = {json.dumps(value, default=str)}: changes nothing (the "
                f"scenario keeps {json.dumps(before, default=str)} there"
                + ("; nothing else differs from the base)" if variant == base else ")"))


def repeated(items: Iterable[str]) -> list[str]:
    """The items that occur more than once, sorted."""
    return sorted(item for item, count in Counter(items).items() if count > 1)


def describe(overrides: Mapping[str, Any], limit: int = 120) -> str:
    """Overrides as one short line: ``pools.csm.headcount=10, hiring.lead_time_days=30``."""
    text = ", ".join(f"{path}={json.dumps(value, default=str)}"
                     for path, value in overrides.items())
    text = text or "none"
    return text if len(text) <= limit else text[: limit - 3] + "..."
