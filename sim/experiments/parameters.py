"""Uncertain parameters: field paths with the range of values they may plausibly take.

Behavioural fields of the schema declare a plausible range next to their default
(``json_schema_extra=plausible(low, high)`` or ``plausible_scale(low, high)``, see
``sim.scenario.base``). :func:`schema_parameters` lists those of a scenario with their paths, in
the path language of ``--vary`` (``tiers.smb.tickets_per_month``). A parameters file names the
paths to vary, each with its own range or ``null`` for the schema's::

    service_effects.under_service: [1.5, 4.0]
    hiring.ramp_days: 60:150
    staff.burnout_gain_per_week: null
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sim.core.errors import ScenarioError
from sim.experiments.paths import PathError, resolve
from sim.scenario.schema import Scenario, read_yaml


@dataclass(frozen=True)
class Parameter:
    """A field varied over a range.

    Attributes:
        path: the field path (``hiring.ramp_days``).
        low: lowest value.
        high: highest value.
        value: the field's value in the scenario (NaN when the path is only in the file).
        integer: whether the schema declares the field an integer (values are rounded).
        source: where the range comes from (``assumption``, a § of the sources, a file).
    """

    path: str
    low: float
    high: float
    value: float = math.nan
    integer: bool = False
    source: str = "assumption"

    def scaled(self, unit: float) -> float | int:
        """The value at ``unit`` (0..1) of the range; integers rounded to the nearest."""
        value = self.low + unit * (self.high - self.low)
        return int(round(value)) if self.integer else float(value)


def schema_parameters(scenario: Scenario) -> list[Parameter]:
    """Every field of ``scenario`` whose schema declares a plausible range, by path.

    Items of tiers and pools are named (``tiers.smb.tickets_per_month``), keys of a mapping
    field too (``support.hours_per_ticket.T1``). A ``plausible_scale`` range multiplies the
    scenario's own value; a zero value (nothing to scale) is left out.
    """
    return [parameter for parameter in _walk(scenario, ()) if parameter.low < parameter.high]


def _walk(model: BaseModel, prefix: tuple[str, ...]) -> Iterator[Parameter]:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = (*prefix, name)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if "plausible" in extra or "plausible_scale" in extra:
            yield from _declared(path, value, extra)
        elif isinstance(value, BaseModel):
            yield from _walk(value, path)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk(item, (*path, str(getattr(item, "name", index))))


def _declared(path: tuple[str, ...], value: Any, extra: Mapping[str, Any]) -> Iterator[Parameter]:
    source = str(extra.get("source", "assumption"))
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _declared((*path, str(key)), item, extra)
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if "plausible" in extra:
        low, high = (float(bound) for bound in extra["plausible"])
    else:
        low, high = (float(bound) * value for bound in extra["plausible_scale"])
    yield Parameter(".".join(path), low, high, float(value), isinstance(value, int), source)


def read_parameters(path: Path, scenario: Scenario) -> list[Parameter]:
    """The parameters of a file (see the module docstring), checked against ``scenario``.

    Raises:
        ScenarioError: the file is unreadable, or an entry is not a path with a finite
            ``[low, high]`` range, ``low:high`` or ``null`` (with no range in the schema); one
            line naming the file, the path and the value.
    """
    return parameters_from(read_yaml(path), scenario, str(path))


def parameters_from(data: object, scenario: Scenario, source: str) -> list[Parameter]:
    """Parameters from ``{path: [low, high] | "low:high" | None}`` or a list of paths.

    Raises:
        ScenarioError: see :func:`read_parameters`.
    """
    if isinstance(data, list):
        data = dict.fromkeys(data)
    if not isinstance(data, Mapping) or not data:
        raise ScenarioError(f"{source}: expected a mapping of field paths to [low, high] "
                            "ranges (or null for the schema's range)")
    declared = {parameter.path: parameter for parameter in schema_parameters(scenario)}
    fields = scenario.model_dump(mode="json")
    return [_parameter(str(path), bounds, declared, fields, source)
            for path, bounds in data.items()]


def _parameter(path: str, bounds: Any, declared: Mapping[str, Parameter],
               fields: Mapping[str, Any], source: str) -> Parameter:
    where = f"{source}: {path} = {bounds!r}"
    try:
        resolved = resolve(fields, path)
    except PathError as error:
        raise ScenarioError(f"{where}: {error}") from error
    if bounds is None:
        if path not in declared:
            raise ScenarioError(f"{where}: the schema declares no plausible range for this "
                                "field; give one as [low, high]")
        return declared[path]
    low, high = _bounds(bounds, where)
    if resolved.integer and not (low.is_integer() and high.is_integer()):
        raise ScenarioError(f"{where}: an integer field needs integer bounds")
    value = declared[path].value if path in declared else math.nan
    return Parameter(path, low, high, value, resolved.integer, source)


def _bounds(bounds: Any, where: str) -> tuple[float, float]:
    if isinstance(bounds, str) and bounds.count(":") == 1:
        bounds = bounds.split(":")
    try:
        low, high = (float(bound) for bound in bounds)
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}: expected [low, high], low:high or null") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ScenarioError(f"{where}: bounds must be finite numbers")
    if not low < high:
        raise ScenarioError(f"{where}: the range needs low < high")
    return low, high


def parameters_table(parameters: list[Parameter]) -> list[dict[str, Any]]:
    """The parameters as rows (path, low, high, value, integer, source) for a manifest."""
    return [{"path": item.path, "low": item.low, "high": item.high,
             "value": None if math.isnan(item.value) else item.value,
             "integer": item.integer, "source": item.source} for item in parameters]
