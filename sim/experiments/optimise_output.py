"""The tables and files of an optimisation: evaluations, chosen scenario, its diff, manifest."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim.experiments.evaluations import Assessment
from sim.experiments.levers import effective_values, hiring_calendar
from sim.experiments.search import Candidate, Settings
from sim.experiments.store import SweepStore, write_atomically
from sim.scenario.schema import Scenario

BEST = "best.yaml"
CLOSEST = "closest.yaml"
EVALUATIONS = "evaluations.parquet"
FRONTIER = "frontier.parquet"
CALENDAR = "calendar.parquet"


@dataclass(frozen=True)
class Optimum:
    """The result of an optimisation.

    Attributes:
        feasible: whether the chosen plan met every constraint on fresh seeds.
        plan: the chosen plan's id (the closest plan's when infeasible; None if nothing ran).
        overrides: its field overrides on the input scenario.
        scenario: its complete scenario (None if nothing ran).
        evaluations: one row per plan and stage (see the module docstring).
        finalists: the finalists' rows on fresh seeds, best first.
        frontier: the cost–service frontier of the search.
        calendar: the chosen plan's hiring calendar.
        root: the output directory.
    """

    feasible: bool
    plan: str | None
    overrides: dict[str, Any]
    scenario: Scenario | None
    evaluations: pd.DataFrame
    finalists: pd.DataFrame
    frontier: pd.DataFrame
    calendar: pd.DataFrame
    root: Path


def evaluation_rows(candidates: Iterable[Candidate], chosen: Sequence[Candidate],
                    settings: Settings, base: Scenario) -> pd.DataFrame:
    """One row per plan of the search, then one per finalist on fresh seeds."""
    rows = [_row(candidate, candidate.assessment, "search", settings, base)
            for candidate in candidates]
    rows += [_row(candidate, candidate.fresh, "fresh", settings, base) for candidate in chosen
             if candidate.fresh is not None]
    return pd.DataFrame(rows)


def _row(candidate: Candidate, assessment: Assessment | None, stage: str, settings: Settings,
         base: Scenario) -> dict[str, Any]:
    plan = candidate.plan
    row: dict[str, Any] = {"plan": plan.id if plan else None, "order": candidate.order,
                           "stage": stage}
    row.update(effective_values(settings.levers, candidate.values, base))
    row["overrides"] = json.dumps(dict(plan.overrides) if plan else {}, default=str)
    row["error"] = candidate.error
    if assessment is not None:
        row["objective"] = assessment.mean
        row.update(assessment.row)
    else:
        row.update({"objective": float("nan"), "n": 0, "failed": 0, "status": "invalid"})
    return row


def optimum_scenario(winner: Candidate | None, pools: Sequence[str]
                     ) -> tuple[Scenario | None, dict[str, Any], pd.DataFrame]:
    """The chosen plan's scenario, overrides and hiring calendar (empty when not staffing)."""
    if winner is None or winner.plan is None:
        return None, {}, hiring_calendar_empty()
    scenario = winner.plan.scenario
    return scenario, dict(winner.plan.overrides), hiring_calendar(scenario, pools)


def hiring_calendar_empty() -> pd.DataFrame:
    """A hiring calendar with no rows."""
    return pd.DataFrame(columns=["pool", "open_month", "requisitions", "target_headcount",
                                 "starts_month", "productive_month"])


def yaml_diff(before: Any, after: Any, path: str = "") -> dict[str, dict[str, Any]]:
    """Every field that differs, as ``{field path: {was: ..., now: ...}}``.

    Lists of named items are matched by name (``pools.csm.headcount``); lists whose length
    changes (a staffing plan) are shown whole.
    """
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        changes: dict[str, dict[str, Any]] = {}
        for key in list(dict.fromkeys([*before, *after])):
            changes.update(yaml_diff(before.get(key), after.get(key), _join(path, str(key))))
        return changes
    if (isinstance(before, list) and isinstance(after, list) and len(before) == len(after)):
        changes = {}
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            changes.update(yaml_diff(old, new, _join(path, _item_key(old, new, index))))
        return changes
    return {} if before == after else {path: {"was": before, "now": after}}


def _item_key(old: Any, new: Any, index: int) -> str:
    if isinstance(old, Mapping) and isinstance(new, Mapping) and old.get("name") == new.get(
            "name") and isinstance(old.get("name"), str):
        return str(old["name"])
    return str(index)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def write_outputs(store: SweepStore, optimum: Optimum, base: Scenario,
                  info: Mapping[str, Any]) -> None:
    """Write the tables, the chosen scenario and its diff, then the manifest with the result."""
    root = store.root
    store.write_table(EVALUATIONS, optimum.evaluations)
    store.write_table(FRONTIER, optimum.frontier)
    if len(optimum.calendar):
        store.write_table(CALENDAR, optimum.calendar)
    name = BEST if optimum.feasible else CLOSEST
    for stale in (BEST, CLOSEST, "best-diff.yaml", "closest-diff.yaml"):
        (root / stale).unlink(missing_ok=True)
    if optimum.scenario is not None:
        chosen = optimum.scenario.model_dump(mode="json")
        _write_yaml(root / name, chosen, f"# {optimum.plan}: chosen by cssim optimise\n")
        diff = yaml_diff(base.model_dump(mode="json"), chosen)
        _write_yaml(root / name.replace(".yaml", "-diff.yaml"), diff,
                    f"# what {name} changes in {base.name}\n")
    result = {"feasible": optimum.feasible, "plan": optimum.plan, "file": name,
              "overrides": optimum.overrides}
    store.write_manifest({**info, "result": result})


def _write_yaml(path: Any, data: Any, header: str) -> None:
    text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    write_atomically(path, lambda target: target.write_text(text, encoding="utf-8"))
