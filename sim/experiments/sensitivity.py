"""Global sensitivity: which uncertain parameters move a KPI, or the difference between two plans.

The design (SALib): Morris trajectories (elementary effects, for screening many parameters) or
a Saltelli-Sobol sample (first and total order indices). Each sample point is a plan of
overrides on the scenario, run over the same common-random-number replicates as a sweep, in a
sweep directory (resumable, any backend). With ``versus``, every point is run on a second
scenario too, and the output analysed is the paired difference ``scenario - versus`` per
replicate: the indices say which parameters decide between the two.

Replicate noise is kept apart from parameter effects: the output of a point is the mean over
its replicates, and ``sim.experiments.sensitivity_stats`` reports what share of the variance is
replicate noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from sim.core.errors import ScenarioError
from sim.experiments.design import MAX_PLANS, Plan, build_plans
from sim.experiments.kpis import RECORDED_KPIS
from sim.experiments.parameters import Parameter, parameters_table
from sim.experiments.runner import SweepSpec
from sim.experiments.tasks import OK
from sim.scenario.schema import Scenario

Method = Literal["morris", "sobol"]
METHODS: tuple[Method, ...] = ("morris", "sobol")
MORRIS_LEVELS = 4
"""Grid levels of a Morris trajectory (the common choice p = 4)."""
VERSUS = "versus"
"""Suffix of the plan ids of the second scenario (``p0001-versus``)."""
_SAMPLE_KEY = 3
"""Spawn key of the design's seed (replicates use 0, the sweep's Latin hypercube 1)."""


@dataclass(frozen=True)
class SensitivityDesign:
    """What is sampled.

    Attributes:
        method: ``morris`` or ``sobol``.
        parameters: the varied parameters.
        samples: Morris trajectories, or the Sobol base sample size N (a power of 2 is best).
        seed: the base seed (of the sample and of the bootstrap intervals).
    """

    method: Method
    parameters: tuple[Parameter, ...]
    samples: int
    seed: int = 0

    def problem(self) -> dict[str, Any]:
        """The SALib problem on the unit hypercube (values are scaled to ranges afterwards)."""
        return {"num_vars": len(self.parameters),
                "names": [parameter.path for parameter in self.parameters],
                "bounds": [[0.0, 1.0]] * len(self.parameters)}

    def sample_seed(self) -> int:
        """The seed SALib draws the sample and the bootstrap with."""
        sequence = np.random.SeedSequence(self.seed, spawn_key=(_SAMPLE_KEY,))
        return int(sequence.generate_state(1)[0])

    def unit_sample(self) -> np.ndarray:
        """The sample, one row per point, in 0..1 of each parameter's range."""
        if self.method == "morris":
            from SALib.sample import morris

            return np.asarray(morris.sample(self.problem(), self.samples,
                                            num_levels=MORRIS_LEVELS, seed=self.sample_seed()))
        from SALib.sample import sobol

        return np.asarray(sobol.sample(self.problem(), self.samples, calc_second_order=False,
                                       seed=self.sample_seed()))

    def points(self) -> list[dict[str, Any]]:
        """The overrides of each sample point."""
        return [{parameter.path: parameter.scaled(float(unit))
                 for parameter, unit in zip(self.parameters, row, strict=True)}
                for row in self.unit_sample()]


def check_design(design: SensitivityDesign, kpis: Sequence[str], replications: int) -> None:
    """Check the method, sample size, parameters and KPIs before anything runs.

    Raises:
        ScenarioError: a value is out of range; the message names the option.
    """
    if design.method not in METHODS:
        raise ScenarioError(f"--method = {design.method!r}: expected 'morris' or 'sobol'")
    if design.samples < 2:
        raise ScenarioError(f"--samples = {design.samples}: must be >= 2")
    if design.method == "sobol" and design.samples & (design.samples - 1):
        raise ScenarioError(f"--samples = {design.samples}: the Sobol base sample must be a "
                            "power of 2 (16, 32, 64, ...) for the sequence to keep its balance")
    if len(design.parameters) < 2:
        raise ScenarioError(f"{len(design.parameters)} parameter(s) to vary: need at least 2")
    paths = [parameter.path for parameter in design.parameters]
    if len(set(paths)) != len(paths):
        raise ScenarioError(f"parameters: a path is listed twice ({paths})")
    if replications < 1:
        raise ScenarioError(f"--replications = {replications}: must be >= 1")
    unknown = [kpi for kpi in kpis if kpi not in RECORDED_KPIS]
    if unknown or not kpis:
        raise ScenarioError(f"--kpi = {unknown[0] if unknown else ''!r}: expected one of "
                            f"{', '.join(RECORDED_KPIS)}")


def point_id(index: int) -> str:
    """The plan id of sample point ``index`` (``p0001``)."""
    return f"p{index + 1:04d}"


def sensitivity_spec(scenario: Scenario, design: SensitivityDesign, replications: int,
                     kpis: Sequence[str], versus: Scenario | None = None,
                     command: str | None = None) -> SweepSpec:
    """The sweep of a sensitivity study: one plan per point (two with ``versus``).

    Raises:
        ScenarioError: a point's overrides make an invalid scenario; the message names the
            point, the path and the value.
    """
    check_design(design, kpis, replications)
    unit = design.unit_sample()
    if len(unit) > MAX_PLANS:
        raise ScenarioError(f"--samples = {design.samples}: {len(unit)} sample points; at most "
                            f"{MAX_PLANS} are supported (fewer samples or parameters)")
    entries = [(point_id(index), point) for index, point in enumerate(design.points())]
    plans: list[Plan] = build_plans(scenario, entries, "sensitivity")
    if versus is not None:
        plans += build_plans(versus, [(f"{plan_id}-{VERSUS}", point)
                                      for plan_id, point in entries], "sensitivity --versus")
    info = {"scenario": scenario.model_dump(mode="json"), "scenario_name": scenario.name,
            "sensitivity": {"method": design.method, "samples": design.samples,
                            "points": len(entries), "levels": MORRIS_LEVELS,
                            "parameters": parameters_table(list(design.parameters)),
                            "kpis": list(kpis), "versus": versus.name if versus else None},
            "command": command}
    return SweepSpec("sensitivity", tuple(plans), replications, design.seed, info)


def point_replicates(replicates: pd.DataFrame, kpi: str, paired: bool) -> pd.DataFrame:
    """The output per (point, replicate): the KPI, or with ``paired`` scenario - versus.

    Failed replicates are left out (both sides of a pair, when paired).
    """
    done = replicates[replicates["status"] == OK].astype({"plan": str})
    plan = done["plan"]
    own = done[~plan.str.endswith(f"-{VERSUS}")].set_index(["plan", "replicate"])[kpi]
    if not paired:
        return own.rename("y").reset_index().rename(columns={"plan": "point"})
    other = done[plan.str.endswith(f"-{VERSUS}")].copy()
    other["plan"] = other["plan"].str.removesuffix(f"-{VERSUS}")
    difference = own - other.set_index(["plan", "replicate"])[kpi]
    frame = difference.dropna().rename("y").reset_index()
    return frame.rename(columns={"plan": "point"})
