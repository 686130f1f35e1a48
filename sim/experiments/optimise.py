"""``optimise``: the best plan over levers, under constraints, on common random numbers.

The directory of an optimisation (``--out``) holds the replicates of every plan evaluated (a
sweep store: ``replicates/plan=<id>/...``), so re-running the same command after Ctrl-C or a
kill replays the same deterministic search, reads the replicates already run instead of running
them again, and ends with the same result. When the search is done it writes, each file
atomically:

``evaluations.parquet``  one row per plan and stage (``search``: the search's replicates;
                         ``fresh``: the finalists on fresh seeds): lever values, replicates,
                         objective, each constraint's estimate, bounds and status, every KPI's
                         mean and 95% interval
``frontier.parquet``     the search's plans that no other plan beats on both the objective and
                         the share of runs meeting every constraint
``calendar.parquet``     the chosen plan's hiring calendar (staffing-plan levers only)
``best.yaml``            the chosen plan as a complete scenario (``closest.yaml`` if infeasible)
``best-diff.yaml``       what it changes in the input: ``{field path: {was: ..., now: ...}}``
``manifest.json``        scenario, settings, seeding, version, command and the result
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pandas as pd

from sim.core.errors import ScenarioError
from sim.experiments.backends import open_backend
from sim.experiments.evaluations import Evaluator, frontier
from sim.experiments.goals import Constraint, Objective, objective, parse_constraint
from sim.experiments.levers import Lever, calendar_pools, check_levers, parse_lever
from sim.experiments.optimise_output import (
    Optimum,
    evaluation_rows,
    optimum_scenario,
    write_outputs,
)
from sim.experiments.polish import polish
from sim.experiments.search import (
    Candidate,
    Report,
    Settings,
    decide,
    finalists,
    reevaluate,
    search,
)
from sim.experiments.seeding import SEEDING
from sim.experiments.store import FORMAT, SweepStore, definition_id, output_directory
from sim.experiments.tasks import BatchResult, Engine
from sim.outputs.locks import output_lock
from sim.scenario.schema import Scenario, load_scenario
from sim.version import __version__


def settings_from(base: Scenario, levers: Sequence[str], minimise: str | None,
                  maximise: str | None, require: Sequence[str], **options: Any) -> Settings:
    """Validated settings from the command's words (``options``: the ``Settings`` numbers).

    Raises:
        ScenarioError: a lever, count or the objective choice is invalid.
        ValueError: a KPI or constraint is invalid.
    """
    if (minimise is None) == (maximise is None):
        raise ScenarioError("give exactly one of --minimise KPI or --maximise KPI")
    parsed: list[Lever] = [parse_lever(text, base) for text in levers]
    check_levers(parsed)
    goal: Objective = objective(minimise or maximise or "", maximise is not None)
    constraints: list[Constraint] = [parse_constraint(text) for text in require]
    settings = Settings(tuple(parsed), goal, tuple(constraints))
    settings = replace(settings, **{key: value for key, value in options.items()
                                    if value is not None})
    _check_counts(settings)
    return settings


def _check_counts(settings: Settings) -> None:
    counts = {"--replications": settings.replications, "--budget": settings.budget,
              "--finalists": settings.finalists, "--final-replications":
              settings.final_replications, "--parallel": settings.parallel}
    for name, value in counts.items():
        if value < 1:
            raise ScenarioError(f"{name} = {value}: must be >= 1")
    if settings.replications < 2:
        raise ScenarioError(f"--replications = {settings.replications}: must be >= 2")
    if settings.max_replications < settings.replications:
        raise ScenarioError(f"--max-replications = {settings.max_replications}: must be at "
                            f"least --replications ({settings.replications})")
    if settings.seed < 0:
        raise ScenarioError(f"--seed = {settings.seed}: must be >= 0")


def manifest(base: Scenario, settings: Settings, command: str | None) -> dict[str, Any]:
    """The manifest: its definition depends on the scenario, seed and version only.

    Replicates of a plan are the same whatever the search settings, so a directory may be
    reused by a search with other settings (a larger budget, more finalists) on the same
    scenario and seed.
    """
    scenario = base.model_dump(mode="json")
    definition = {"format": FORMAT, "kind": "optimise", "version": __version__,
                  "base_seed": settings.seed, "scenario": scenario}
    return {"definition": definition_id(definition), "format": FORMAT, "kind": "optimise",
            "version": __version__, "base_seed": settings.seed, "seeding": SEEDING,
            "replications": settings.max_replications, "scenario_name": base.name,
            "scenario": scenario, "settings": _settings_text(settings), "command": command}


def _settings_text(settings: Settings) -> dict[str, Any]:
    data = asdict(settings)
    data["levers"] = [lever.text for lever in settings.levers]
    data["objective"] = str(settings.objective)
    data["constraints"] = [str(constraint) for constraint in settings.constraints]
    return data


def run_optimisation(base: Scenario, settings: Settings, out: Path, *, jobs: int | None = None,
                     scheduler: str | None = None, engine: Engine | None = None,
                     overwrite: bool = False, command: str | None = None,
                     report: Report | None = None,
                     on_batch: Callable[[BatchResult], None] | None = None,
                     wait: bool = False) -> Optimum:
    """Search, re-evaluate the finalists on fresh seeds, decide, and write ``out``.

    Holds the lock of ``out`` (``sim.outputs.locks``) throughout.

    Raises:
        FileExistsError: ``out`` holds something else than this optimisation's replicates.
        LockedError: another process writes ``out`` and ``wait`` is false.
    """
    info = manifest(base, settings, command)
    with output_lock(out, wait, _say):
        SweepStore.check(out, info["definition"], overwrite)
        return _locked_optimisation(base, settings, out, info, jobs, scheduler, engine,
                                    overwrite, report, on_batch)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _locked_optimisation(base: Scenario, settings: Settings, out: Path, info: dict[str, Any],
                         jobs: int | None, scheduler: str | None, engine: Engine | None,
                         overwrite: bool, report: Report | None,
                         on_batch: Callable[[BatchResult], None] | None) -> Optimum:
    with open_backend(jobs, scheduler) as backend:
        store = SweepStore.open(out, info, pd.DataFrame({"plan": pd.Series(dtype=str)}),
                                overwrite)
        evaluator = Evaluator(store, backend, settings.seed, engine, on_batch)
        seen = search(settings, base, evaluator, report)
        polish(seen, settings, base, evaluator, report)
        chosen = finalists(seen, settings)
        reevaluate(chosen, settings, evaluator)
        store.write_failures()
    return _conclude(base, settings, seen, chosen, store, info)


def _conclude(base: Scenario, settings: Settings, seen: dict[str, Candidate],
              chosen: list[Candidate], store: SweepStore, info: dict[str, Any]) -> Optimum:
    winner, feasible = decide(chosen, settings.objective)
    evaluations = evaluation_rows(seen.values(), chosen, settings, base)
    fresh = evaluations[evaluations["stage"] == "fresh"]
    order = [winner.plan.id] if winner is not None and winner.plan is not None else []
    ranked = pd.concat([fresh[fresh["plan"].isin(order)], fresh[~fresh["plan"].isin(order)]])
    front = frontier(evaluations[evaluations["stage"] == "search"], settings.objective)
    scenario, overrides, calendar = optimum_scenario(winner, calendar_pools(settings.levers))
    optimum = Optimum(feasible, winner.plan.id if winner and winner.plan else None, overrides,
                      scenario, evaluations, ranked.reset_index(drop=True), front, calendar,
                      store.root)
    write_outputs(store, optimum, base, info)
    return optimum


def optimise(scenario: Scenario | str | Path, levers: Sequence[str], *,
             minimise: str | None = None, maximise: str | None = None,
             require: Sequence[str] = (), replications: int = 10, max_replications: int = 40,
             budget: int = 40, finalists: int = 3, final_replications: int = 40, seed: int = 0,
             parallel: int = 4, out: str | Path | None = None, overwrite: bool = False,
             jobs: int | None = None, scheduler: str | None = None,
             engine: Engine | None = None) -> Optimum:
    """Find the plan over ``levers`` with the best mean KPI that meets ``require``.

    Args:
        scenario: the input scenario (a path or a validated scenario).
        levers: ``["PATH=LOW..HIGH", ...]``; see ``sim.experiments.levers``.
        minimise: the KPI whose mean to minimise (or give ``maximise``).
        maximise: the KPI whose mean to maximise.
        require: constraints, ``KPI<=VALUE@P`` (in a share P of runs) or ``KPI<=VALUE`` (mean).
        replications: replicates of a first look at a plan.
        max_replications: most replicates of a plan during the search.
        budget: distinct plans to evaluate.
        finalists: plans re-evaluated on fresh seeds.
        final_replications: replicates of that re-evaluation.
        seed: base seed of the replicates and of the sampler.
        parallel: plans proposed at once (the result depends on it, not on ``jobs``).
        out: the output directory (re-running into it resumes); None: a temporary one.
        overwrite: replace a directory that holds another scenario's or seed's optimisation.
        jobs: local worker processes (None: one per core; 1: this process).
        scheduler: address of a Dask scheduler; overrides ``jobs``.
        engine: the function run per replicate instead of ``sim.run`` (a test hook).

    Returns:
        The :class:`Optimum`; its DataFrames are also in ``out``.
    """
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    settings = settings_from(base, levers, minimise, maximise, require,
                             replications=replications, max_replications=max_replications,
                             budget=budget, finalists=finalists,
                             final_replications=final_replications, seed=seed,
                             parallel=parallel)
    with output_directory(out, "optimise") as root:
        return run_optimisation(base, settings, root, jobs=jobs, scheduler=scheduler,
                                engine=engine, overwrite=overwrite)
