"""``sweep`` and ``compare`` from Python: plans in, DataFrames out.

Both validate every plan before anything runs, write the sweep directory (a temporary one that
is removed afterwards when ``out`` is None) and return tables read back from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.core.errors import ScenarioError, short_repr
from sim.experiments.analysis import analyse
from sim.experiments.design import (
    Design,
    Factor,
    Plan,
    build_plans,
    combine,
    factor,
    grid_points,
    lhs_points,
    load_plans_file,
    named_plans,
    parse_factor,
    repeated,
)
from sim.experiments.runner import Execution, Precision, SweepSpec, run_sweep
from sim.experiments.seeding import design_rng
from sim.experiments.stats import MIN_REPLICATIONS, check_kpi
from sim.experiments.store import output_directory, read_replicates
from sim.experiments.tasks import Engine
from sim.scenario.schema import Scenario, load_scenario

ScenarioLike = Scenario | str | Path
Vary = Sequence[str] | Mapping[str, Any]
PlansInput = str | Path | Mapping[str, Mapping[str, Any]]


def sweep(scenario: ScenarioLike, replications: int = 10, *, vary: Vary | None = None,
          plans: PlansInput | None = None, design: Design = "grid", samples: int = 10,
          seed: int = 0, out: str | Path | None = None, overwrite: bool = False,
          jobs: int | None = None, scheduler: str | None = None,
          precision: Precision | None = None, batch_size: int | None = None,
          engine: Engine | None = None, wait: bool = False,
          allow_large: bool = False) -> pd.DataFrame:
    """Run every plan of a design over ``replications`` common-random-number replicates.

    Args:
        scenario: the base scenario (a path or a validated scenario).
        replications: replicates per plan; replicate r of every plan uses the same seed.
        vary: factors, as ``["PATH=V1,V2", "PATH=LOW:HIGH"]`` or ``{path: [values]}``
            (``{path: "LOW:HIGH"}`` for a range).
        plans: named plans, ``{plan id: {field path: value}}`` or a YAML file of that form;
            crossed with the design points of ``vary``.
        design: ``grid`` (every combination) or ``lhs`` (a Latin hypercube of ``samples``).
        samples: number of Latin hypercube points.
        seed: base seed of the replicates and of the design.
        out: the sweep directory; re-running into it resumes. None: a temporary directory.
        overwrite: replace a directory that holds a different sweep.
        jobs: local worker processes (None: one per core; 1: this process).
        scheduler: address of a Dask scheduler; overrides ``jobs``.
        precision: add replications until a KPI's relative CI half-width reaches a target.
        batch_size: replicates per task (None: automatic).
        engine: the function run per replicate instead of ``sim.run`` (a test hook).
        wait: if another process writes ``out``, wait for it instead of raising
            ``sim.outputs.locks.LockedError``.
        allow_large: run plans over the work ceilings of ``sim.scenario.work_estimate``.

    Returns:
        One row per (plan, replicate): ``plan``, ``replicate``, ``seed``, ``status``,
        ``error``, ``traceback`` and the KPIs (see ``sim.experiments.kpis``).
    """
    check_run(replications, precision)
    spec = sweep_spec(_as_scenario(scenario), replications, vary=vary, plans=plans,
                      design=design, samples=samples, seed=seed)
    check_plans_work(spec.plans, allow_large)
    with output_directory(out, "sweep") as root:
        run_sweep(spec, root, Execution(jobs, scheduler, batch_size, engine), overwrite,
                  precision=precision, wait=wait)
        return read_replicates(root)


def compare(scenarios: Sequence[ScenarioLike], replications: int = 10, *, seed: int = 0,
            out: str | Path | None = None, overwrite: bool = False, jobs: int | None = None,
            scheduler: str | None = None, wait: bool = False,
            allow_large: bool = False) -> pd.DataFrame:
    """Run whole scenarios side by side on the same seeds; compare them with the first.

    The options are those of :func:`sweep`.

    Returns:
        Per plan and KPI: ``n``, ``mean``, ``ci_low``, ``ci_high``, ``relative_half_width`` and
        the paired difference against the first scenario (``difference``,
        ``difference_ci_low``, ``difference_ci_high``, ``p_value``; missing for the first).
    """
    check_run(replications, None)
    spec = compare_spec(scenarios, replications, seed)
    check_plans_work(spec.plans, allow_large)
    with output_directory(out, "sweep") as root:
        run_sweep(spec, root, Execution(jobs, scheduler), overwrite, wait=wait)
        return analyse(root).comparison


def sweep_spec(base: Scenario, replications: int, *, vary: Vary | None = None,
               plans: PlansInput | None = None, design: Design = "grid", samples: int = 10,
               seed: int = 0, command: str | None = None) -> SweepSpec:
    """The validated specification of a sweep (see :func:`sweep`), with its manifest fields."""
    check_seed(seed)
    plan_list = sweep_plans(base, vary, plans, design, samples, seed)
    info = {"scenario": base.model_dump(mode="json"), "scenario_name": base.name,
            "design": {"kind": design, "vary": _vary_text(vary), "samples": samples,
                       "plans": str(plans) if isinstance(plans, (str, Path)) else plans},
            "command": command}
    return SweepSpec("sweep", tuple(plan_list), replications, seed, info)


def compare_spec(scenarios: Sequence[ScenarioLike], replications: int, seed: int = 0,
                 command: str | None = None) -> SweepSpec:
    """The validated specification of a comparison: one plan per scenario, same seeds."""
    check_seed(seed)
    plan_list = compare_plans(scenarios)
    info = {"scenarios": [{"plan": plan.id, "source": plan.source, "name": plan.scenario.name,
                           "start_date": plan.scenario.start_date,
                           "output_period": plan.scenario.output_period}
                          for plan in plan_list], "command": command}
    return SweepSpec("compare", tuple(plan_list), replications, seed, info)


def sweep_plans(base: Scenario, vary: Vary | None = None, plans: PlansInput | None = None,
                design: Design = "grid", samples: int = 10, seed: int = 0) -> list[Plan]:
    """The validated plans of a design on ``base`` (see :func:`sweep`).

    Raises:
        ScenarioError: a factor, plan or value is invalid; the message names it.
    """
    if design not in ("grid", "lhs"):
        raise ScenarioError(f"--design = {design!r}: expected 'grid' or 'lhs'")
    data = base.model_dump(mode="json")
    factors = _factors(vary, data)
    if design == "lhs" and not factors:
        raise ScenarioError("--design lhs needs at least one --vary PATH=LOW:HIGH")
    points: list[dict[str, Any]] = []
    if factors:
        points = (grid_points(factors) if design == "grid"
                  else lhs_points(factors, samples, design_rng(seed)))
    return build_plans(base, combine(_named(plans), points), _source(plans, vary))


def _source(plans: PlansInput | None, vary: Vary | None) -> str:
    """Where the plans come from: ``<plans file> and --vary``, ``plans``, ``--vary``, ``base``."""
    named = str(plans) if isinstance(plans, (str, Path)) else "plans" if plans else ""
    return " and ".join(part for part in (named, "--vary" if vary else "") if part) or "base"


def compare_plans(scenarios: Sequence[ScenarioLike]) -> list[Plan]:
    """One plan per scenario, named after its file (or its name), without overrides.

    Raises:
        ScenarioError: fewer than two scenarios, or a scenario file is invalid.
    """
    if len(scenarios) < 2:
        raise ScenarioError("compare needs at least two scenarios")
    plans: list[Plan] = []
    for item in scenarios:
        scenario = _as_scenario(item)
        label = Path(item).stem if isinstance(item, (str, Path)) else scenario.name
        plan_id = _unique(_plan_id(label), {plan.id for plan in plans})
        source = str(item) if isinstance(item, (str, Path)) else f"<{scenario.name}>"
        plans.append(Plan(plan_id, {}, scenario, source))
    return plans


def _plan_id(label: str) -> str:
    plan_id = re.sub(r"[^A-Za-z0-9_-]", "_", label)[:60]
    return plan_id if re.match(r"[A-Za-z]", plan_id) else f"s_{plan_id}"


def _unique(plan_id: str, taken: set[str]) -> str:
    candidate, number = plan_id, 1
    while candidate in taken:
        number += 1
        candidate = f"{plan_id}-{number}"
    return candidate


def _factors(vary: Vary | None, data: Mapping[str, Any]) -> list[Factor]:
    if not vary:
        return []
    if isinstance(vary, Mapping):
        factors = [factor(str(path), values, data) for path, values in vary.items()]
    else:
        factors = [parse_factor(spec, data) for spec in vary]
    twice = repeated(item.path for item in factors)
    if twice:
        raise ScenarioError(f"--vary: {twice[0]} is varied more than once")
    return factors


def _named(plans: PlansInput | None) -> list[tuple[str, dict[str, Any]]]:
    if plans is None:
        return []
    if isinstance(plans, (str, Path)):
        return load_plans_file(Path(plans))
    return named_plans(plans, "plans")


def _vary_text(vary: Vary | None) -> Any:
    if vary is None or isinstance(vary, Mapping):
        return vary
    return list(vary)


def _as_scenario(scenario: ScenarioLike) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def check_plans_work(plans: Sequence[Plan], allow_large: bool = False) -> None:
    """Refuse a plan whose one run would exceed a work ceiling (``sim.scenario.work_estimate``).

    Raises:
        ScenarioError: the first plan over a ceiling, with the figure and the ceiling.
    """
    from sim.scenario.work_estimate import check_work

    for plan in plans:
        check_work(plan.scenario, f"{plan.source}: plan {plan.id}", allow_large)


def check_run(replications: int, precision: Precision | None) -> None:
    """Check the replication count and the precision settings.

    Raises:
        ScenarioError: a count or target is out of range.
        ValueError: the precision KPI is unknown.
    """
    if replications < 1:
        raise ScenarioError(f"--replications = {replications}: must be >= 1")
    if precision is None:
        return
    check_kpi(precision.kpi, "--precision-kpi")
    if not precision.target > 0:
        raise ScenarioError(f"--target-precision = {precision.target}: must be > 0")
    if precision.max_replications < max(MIN_REPLICATIONS, replications):
        raise ScenarioError(f"--max-replications = {precision.max_replications}: must be at "
                            f"least --replications and {MIN_REPLICATIONS}")


MAX_SEED = 2**63 - 1
"""Largest base seed: seeds are stored as signed 64-bit integers."""


def check_seed(seed: int) -> None:
    """Raise ``ScenarioError`` unless ``seed`` is an integer in 0..2**63-1."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ScenarioError(f"--seed = {short_repr(seed)}: must be an integer from 0 to "
                            f"{MAX_SEED} (2**63-1)")
