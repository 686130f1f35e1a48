"""Sensitivity and robustness studies from Python: run into a sweep directory, return tables.

Both run their sample points as a sweep (``run_sweep``: common random numbers, any backend,
resumable), then compute their statistics from what is stored and write them next to the
dataset (atomically): ``indices.parquet``, ``tornado.parquet``, ``noise.parquet`` and
``points.parquet`` for a sensitivity study; ``robustness.parquet``, ``flips.parquet`` and
``points.parquet`` for a robustness study.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments import robustness as rob
from sim.experiments import sensitivity_stats as stats
from sim.experiments.api import ScenarioLike, compare_plans
from sim.experiments.parameters import (
    Parameter,
    parameters_from,
    read_parameters,
    schema_parameters,
)
from sim.experiments.runner import Execution, Progress, SweepSpec, run_sweep
from sim.experiments.sensitivity import (
    Method,
    SensitivityDesign,
    point_replicates,
    sensitivity_spec,
)
from sim.experiments.store import SweepStore, output_directory, read_replicates
from sim.experiments.tasks import Engine
from sim.scenario.schema import Scenario, load_scenario

ParamsInput = str | Path | Mapping[str, Any] | Sequence[str] | None
DEFAULT_SAMPLES: dict[str, int] = {"morris": 10, "sobol": 64}
"""Morris trajectories, or the Sobol base sample, when none is given."""


@dataclass(frozen=True)
class SensitivityResult:
    """The tables of a sensitivity study (one row per KPI and parameter, ranked).

    Attributes:
        indices: ``kpi``, ``rank``, ``parameter``, the indices with CIs, ``low``, ``high``.
        tornado: ``kpi``, ``parameter``, mean output in the lower and upper half of the
            range, ``swing``.
        noise: per KPI, replicate noise against the spread of the outputs.
        points: per sample point, the parameter values and the output of each KPI.
        root: the sweep directory (None when it was temporary).
    """

    indices: pd.DataFrame
    tornado: pd.DataFrame
    noise: pd.DataFrame
    points: pd.DataFrame
    root: Path | None


@dataclass(frozen=True)
class RobustnessResult:
    """The tables of a robustness study.

    Attributes:
        summary: per strategy, share of points where it is best and its regrets.
        flips: per strategy, the one-split rule of where it wins.
        points: per sample point, the parameter values, each strategy's mean and the best.
        root: the sweep directory (None when it was temporary).
    """

    summary: pd.DataFrame
    flips: pd.DataFrame
    points: pd.DataFrame
    root: Path | None


def load_parameters(params: ParamsInput, scenario: Scenario) -> list[Parameter]:
    """Parameters from a file, a mapping or list of paths, or (None) the schema's."""
    if params is None:
        return schema_parameters(scenario)
    if isinstance(params, (str, Path)):
        return read_parameters(Path(params), scenario)
    return parameters_from(params if isinstance(params, Mapping) else list(params), scenario,
                           "parameters")


def sensitivity(scenario: ScenarioLike, params: ParamsInput = None, *, method: Method = "morris",
                kpis: Sequence[str] = ("grr",), versus: ScenarioLike | None = None,
                samples: int | None = None, replications: int = 3, seed: int = 0,
                out: str | Path | None = None, overwrite: bool = False,
                jobs: int | None = None, scheduler: str | None = None,
                engine: Engine | None = None) -> SensitivityResult:
    """Which uncertain parameters move the KPIs (or, with ``versus``, the paired difference).

    Args:
        scenario: the scenario (a path or a validated scenario).
        params: parameters file, ``{path: [low, high] | None}``, a list of paths, or None for
            every parameter whose schema field declares a plausible range.
        method: ``morris`` (screening) or ``sobol`` (first and total order indices).
        kpis: KPIs analysed (sweep names, e.g. ``grr``, ``total_cost``).
        versus: a second scenario; the output is ``scenario - versus`` per replicate.
        samples: Morris trajectories or Sobol base sample (default 10 / 64).
        replications: replicates per sample point (2 or more to measure the noise).
        seed: base seed of the replicates, the sample and the bootstrap.
        out: the sweep directory; re-running into it resumes. None: a temporary directory.
        overwrite: replace a directory that holds a different study.
        jobs: local worker processes (None: one per core; 1: this process).
        scheduler: address of a Dask scheduler; overrides ``jobs``.
        engine: the function run per replicate instead of ``sim.run`` (a test hook).
    """
    base = _as_scenario(scenario)
    other = _as_scenario(versus) if versus is not None else None
    design = SensitivityDesign(method, tuple(load_parameters(params, base)),
                               samples or DEFAULT_SAMPLES[method], seed)
    spec = sensitivity_spec(base, design, replications, kpis, other)
    with output_directory(out, "study") as root:
        result = run_sensitivity(spec, design, kpis, other is not None, root,
                                 Execution(jobs, scheduler, None, engine), overwrite)
        return result if out is not None else _detached(result)


def run_sensitivity(spec: SweepSpec, design: SensitivityDesign, kpis: Sequence[str],
                    paired: bool, root: Path, execution: Execution, overwrite: bool = False,
                    progress: Progress | None = None) -> SensitivityResult:
    """Run (or resume) the study's sweep into ``root``, then compute and write its tables."""
    run_sweep(spec, root, execution, overwrite, progress)
    replicates = read_replicates(root, columns=["plan", "replicate", "status", *kpis])
    unit = design.unit_sample()
    points = pd.DataFrame(design.points())
    points.insert(0, "point", [f"p{index + 1:04d}" for index in range(len(points))])
    tables: dict[str, list[pd.DataFrame]] = {"indices": [], "tornado": [], "noise": []}
    for kpi in kpis:
        frame = point_replicates(replicates, kpi, paired)
        outputs = stats.point_outputs(frame, len(unit))
        noise = stats.noise(frame, outputs)
        for name, table in (("indices", stats.indices(design, unit, outputs, frame)),
                            ("tornado", stats.tornado(design, unit, outputs)),
                            ("noise", pd.DataFrame([noise]))):
            table.insert(0, "kpi", kpi)
            tables[name].append(table)
        points[kpi] = outputs["y"].to_numpy()
    store = SweepStore(root)
    indices, tornado, noise_table = (pd.concat(tables[name], ignore_index=True)
                                     for name in ("indices", "tornado", "noise"))
    result = SensitivityResult(indices, tornado, noise_table, points, root)
    for name in ("indices", "tornado", "noise", "points"):
        store.write_table(f"{name}.parquet", getattr(result, name))
    return result


def robustness(scenarios: Sequence[ScenarioLike], uncertain: ParamsInput, *, kpi: str = "grr",
               maximise: bool = True, samples: int = 20, replications: int = 3, seed: int = 0,
               out: str | Path | None = None, overwrite: bool = False, jobs: int | None = None,
               scheduler: str | None = None, engine: Engine | None = None) -> RobustnessResult:
    """How often each strategy is best across the uncertainty, and its regret when it is not.

    Args:
        scenarios: the strategies (scenario files or validated scenarios), two or more.
        uncertain: the uncertain parameters (as ``params`` of :func:`sensitivity`; paths are
            resolved against the first scenario and must exist in every one).
        kpi: the KPI that decides which strategy is best.
        maximise: best = highest mean (False: lowest).
        samples: points of the Latin hypercube.
        replications: replicates per strategy and point.
        seed: base seed of the replicates and of the Latin hypercube.
        out: the sweep directory; re-running into it resumes. None: a temporary directory.
        overwrite: replace a directory that holds a different study.
        jobs: local worker processes (None: one per core; 1: this process).
        scheduler: address of a Dask scheduler; overrides ``jobs``.
        engine: the function run per replicate instead of ``sim.run`` (a test hook).
    """
    strategies = compare_plans(scenarios)
    parameters = load_parameters(uncertain, strategies[0].scenario)
    objective = rob.Objective(kpi, maximise)
    spec = rob.robustness_spec(strategies, parameters, samples, replications, objective, seed)
    with output_directory(out, "study") as root:
        result = run_robustness(spec, [item.id for item in strategies], parameters, samples,
                                objective, root, Execution(jobs, scheduler, None, engine),
                                overwrite)
        return result if out is not None else _detached(result)


def run_robustness(spec: SweepSpec, strategies: Sequence[str], parameters: Sequence[Parameter],
                   samples: int, objective: rob.Objective, root: Path, execution: Execution,
                   overwrite: bool = False, progress: Progress | None = None) -> RobustnessResult:
    """Run (or resume) the study's sweep into ``root``, then compute and write its tables."""
    run_sweep(spec, root, execution, overwrite, progress)
    replicates = read_replicates(root, columns=["plan", "replicate", "status", objective.kpi])
    table = rob.outcomes(replicates, strategies, samples, objective.kpi)
    unit = rob.lhs_unit(parameters, samples, spec.seed)
    values = pd.DataFrame({item.path: [item.scaled(float(value)) for value in unit[:, column]]
                           for column, item in enumerate(parameters)}, index=table.index)
    regret = rob.regrets(table, objective.maximise)
    clear = rob.clear_wins(replicates, table, objective.kpi, objective.maximise)
    points = pd.concat([values, table], axis=1)
    points["best"] = regret.idxmin(axis=1)
    points["clear_win"] = clear
    result = RobustnessResult(rob.summary(table, objective.maximise, clear),
                              rob.flip_rules(table, values, objective.maximise),
                              points.reset_index(), root)
    store = SweepStore(root)
    for name, frame in (("robustness", result.summary), ("flips", result.flips),
                        ("points", result.points)):
        store.write_table(f"{name}.parquet", frame)
    return result


def _detached(result: Any) -> Any:
    """The result without its (temporary, about to be removed) directory."""
    from dataclasses import replace

    return replace(result, root=None)


def _as_scenario(scenario: ScenarioLike) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
