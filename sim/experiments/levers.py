"""Levers of an optimisation: the scenario fields a search may set, and the plans they make.

Two kinds of lever, both written ``PATH=LOW..HIGH`` (``LOW:HIGH`` is accepted too):

* A field lever: any numeric field, with the path language of ``--vary``
  (``pools.support.headcount=2..12``, ``hiring.lead_time_days=30..90``). Integer fields take
  integers, other fields real values. ``pools.csm.staffing_plan.1.month=0..12`` sets the month
  a requisition opens.
* A phased staffing lever, ``pools.<pool>.headcount@<period>=LOW..HIGH`` with ``<period>`` one of
  ``quarter``, ``half``, ``year`` or ``<N>m`` (N months): one target headcount per period of the
  horizon. The pool's staffing plan is replaced by one that opens requisitions a hiring lead
  time before each period starts (at month 0 at the earliest), so that the hires are there when
  the period starts. Targets never fall (the plan hires, it does not lay off): a period's target
  is at least the previous period's and the pool's starting headcount. The chosen plan then reads
  as a hiring calendar.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.core.calendar import MONTH_DAYS
from sim.core.errors import ScenarioError
from sim.experiments.paths import PathError, resolve
from sim.scenario.schema import Scenario

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*(?:\.\.|:)\s*({_NUMBER})\s*$")
_PHASED = re.compile(r"^pools\.([^.\[\]]+)\.headcount@(quarter|half|year|(\d+)m)$")
PERIOD_MONTHS = {"quarter": 3, "half": 6, "year": 12}
"""Months per period of a phased lever, by name (``<N>m`` gives N)."""


@dataclass(frozen=True)
class Lever:
    """A range a search may choose values from.

    Attributes:
        text: the lever as written (``pools.support.headcount=2..12``).
        path: the field path, or the phased path (``pools.csm.headcount@quarter``).
        low: the lowest value.
        high: the highest value.
        integer: whether values are integers.
        pool: the pool of a phased lever (None for a field lever).
        period_months: months per period of a phased lever (0 for a field lever).
        periods: number of periods (1 for a field lever).
    """

    text: str
    path: str
    low: float
    high: float
    integer: bool
    pool: str | None = None
    period_months: int = 0
    periods: int = 1

    @property
    def names(self) -> tuple[str, ...]:
        """The name of each search variable: the path, or ``path[k]`` per period."""
        if self.pool is None:
            return (self.path,)
        return tuple(f"{self.path}[{period}]" for period in range(self.periods))


def parse_lever(text: str, base: Scenario) -> Lever:
    """Read ``PATH=LOW..HIGH`` against the base scenario.

    Raises:
        ScenarioError: no ``=``, a range that is not ``LOW..HIGH`` with LOW < HIGH, a path that
            does not resolve or is not numeric, or an unknown pool or period.
    """
    path, separator, values = text.partition("=")
    path = path.strip()
    match = _RANGE.match(values)
    where = f"--lever {text!r}"
    if not separator or not path or not match:
        raise ScenarioError(f"{where}: expected PATH=LOW..HIGH, e.g. pools.support.headcount=2..12")
    low, high = float(match.group(1)), float(match.group(2))
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ScenarioError(f"{where}: the range needs finite LOW < HIGH")
    phased = _PHASED.match(path)
    if phased:
        return _phased_lever(text, path, phased, (low, high), base)
    integer = _field_is_integer(path, base, where)
    if integer and not (low.is_integer() and high.is_integer()):
        raise ScenarioError(f"{where}: {path} is an integer field and needs integer bounds")
    return Lever(text, path, low, high, integer)


def _field_is_integer(path: str, base: Scenario, where: str) -> bool:
    data = base.model_dump(mode="json")
    try:
        resolved = resolve(data, path)
    except PathError as error:
        raise ScenarioError(f"{where}: {error}") from error
    node: Any = data
    for key in resolved.keys:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        raise ScenarioError(f"{where}: {path} = {node!r} is not a number")
    return resolved.integer


def _phased_lever(text: str, path: str, match: re.Match[str], bounds: tuple[float, float],
                  base: Scenario) -> Lever:
    where = f"--lever {text!r}"
    pool, period = match.group(1), match.group(2)
    names = [item.name for item in base.pools]
    if pool not in names:
        raise ScenarioError(f"{where}: no pool named {pool!r} (pools: {', '.join(names)})")
    months = PERIOD_MONTHS.get(period) or int(match.group(3))
    if months < 1:
        raise ScenarioError(f"{where}: a period needs at least 1 month")
    low, high = bounds
    if not (low.is_integer() and high.is_integer()) or low < 0:
        raise ScenarioError(f"{where}: headcounts need integer bounds >= 0")
    periods = math.ceil(base.horizon_months / months)
    return Lever(text, path, low, high, True, pool, months, periods)


def check_levers(levers: Sequence[Lever]) -> None:
    """Refuse no lever, or two levers on one field or pool.

    Raises:
        ScenarioError: the message names the repeated field.
    """
    if not levers:
        raise ScenarioError("optimise needs at least one --lever PATH=LOW..HIGH")
    seen: set[str] = set()
    for lever in levers:
        key = f"pools.{lever.pool}.staffing_plan" if lever.pool else lever.path
        clash = [other for other in seen if key.startswith(other) or other.startswith(key)]
        if clash:
            raise ScenarioError(f"--lever {lever.text!r}: {key} is already set by another lever")
        seen.add(key)


def plan_overrides(levers: Sequence[Lever], values: Mapping[str, float],
                   base: Scenario) -> dict[str, Any]:
    """The field overrides of a point of the search: ``{field path: value}``.

    Field levers set their field (an int for integer fields); phased levers replace their pool's
    staffing plan (see the module docstring). Equal overrides mean the same plan.
    """
    overrides: dict[str, Any] = {}
    for lever in levers:
        if lever.pool is None:
            value = values[lever.path]
            overrides[lever.path] = int(round(value)) if lever.integer else float(value)
        else:
            targets = [int(round(values[name])) for name in lever.names]
            overrides[f"pools.{lever.pool}.staffing_plan"] = staffing_steps(
                lever, targets, base)
    return overrides


def staffing_steps(lever: Lever, targets: Sequence[int], base: Scenario) -> list[dict[str, Any]]:
    """The staffing plan of a phased lever: requisitions a lead time before each period.

    Targets are made non-decreasing from the pool's starting headcount; a period whose target
    adds nobody gets no step; steps that fall on the same month (lead time longer than a period)
    merge into the later target.
    """
    lead_months = base.hiring.lead_time_days / MONTH_DAYS
    current = next(pool.headcount for pool in base.pools if pool.name == lever.pool)
    steps: dict[float, int] = {}
    for period, target in enumerate(targets):
        if target <= current:
            continue
        current = target
        month = round(max(0.0, period * lever.period_months - lead_months), 2)
        steps[month] = target
    return [{"month": month, "headcount": headcount} for month, headcount in steps.items()]


def hiring_calendar(scenario: Scenario, pools: Sequence[str]) -> pd.DataFrame:
    """Per pool and staffing-plan step: when requisitions open, how many, when hires start.

    ``requisitions`` counts the planned additions (the step's target less the previous target or
    the starting headcount); backfills of leavers come on top. ``starts_month`` adds the hiring
    lead time, ``productive_month`` the ramp.
    """
    lead = scenario.hiring.lead_time_days / MONTH_DAYS
    ramp = scenario.hiring.ramp_days / MONTH_DAYS
    rows = []
    for pool in (item for item in scenario.pools if item.name in pools):
        previous = pool.headcount
        for step in pool.staffing_plan:
            added = max(0, step.headcount - previous)
            previous = max(previous, step.headcount)
            if added:
                rows.append({"pool": pool.name, "open_month": float(step.month),
                             "requisitions": added, "target_headcount": step.headcount,
                             "starts_month": float(step.month) + lead,
                             "productive_month": float(step.month) + lead + ramp})
    return pd.DataFrame(rows, columns=["pool", "open_month", "requisitions", "target_headcount",
                                       "starts_month", "productive_month"])


def calendar_pools(levers: Sequence[Lever]) -> list[str]:
    """The pools whose staffing plan a lever sets (phased or ``pools.X.staffing_plan...``)."""
    pools = [lever.pool for lever in levers if lever.pool]
    for lever in levers:
        parts = lever.path.split(".")
        if len(parts) > 2 and parts[0] == "pools" and parts[2] == "staffing_plan":
            pools.append(parts[1])
    return list(dict.fromkeys(pool for pool in pools if pool))


def effective_values(levers: Sequence[Lever], values: Mapping[str, float],
                     base: Scenario) -> dict[str, float]:
    """The values a plan really has: integers rounded, phased targets made non-decreasing."""
    effective = dict(values)
    for lever in (item for item in levers if item.pool is None and item.integer):
        effective[lever.path] = int(round(values[lever.path]))
    for lever in (item for item in levers if item.pool is not None):
        current = next(pool.headcount for pool in base.pools if pool.name == lever.pool)
        for name in lever.names:
            current = max(current, int(round(values[name])))
            effective[name] = current
    return effective
