"""Helpers of the optimisation tests: toy engines whose KPIs are known functions of the levers.

They live in an importable module (not a test file) so that worker processes can unpickle them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiments.kpis import PERIOD_KPIS, RECORDED_KPIS
from sim.outputs.results import RunResult
from sim.scenario.schema import Scenario


def _result(kpis: dict[str, float]) -> RunResult:
    frame = pd.DataFrame({"period": [0], "day": [30.0], "tier": ["all"],
                          **{column: [1.0] for column in PERIOD_KPIS.values()}})
    summary = pd.DataFrame({column: [0.0] for column in RECORDED_KPIS.values()})
    for name, value in kpis.items():
        summary[RECORDED_KPIS[name]] = [value]
    workforce = pd.DataFrame({"period": [0], "headcount": [1], "burnout_max": [0.0]})
    return RunResult(timeseries=frame, workforce=workforce, events=frame, customers=frame,
                     summary=summary, manifest={})


def headcounts(scenario: Scenario) -> tuple[int, int]:
    """The headcounts of the first two pools of the shared test scenario."""
    return scenario.pools[0].headcount, scenario.pools[1].headcount


def separable_engine(scenario: Scenario, seed: int) -> RunResult:
    """total_cost = (a - 7)^2 + (b - 3)^2 + (lead - 40)^2 / 100 + N(0, 0.1): optimum (7, 3, 40).

    ``a``, ``b`` are the first two pools' headcounts, ``lead`` the hiring lead time in days.
    """
    first, second = headcounts(scenario)
    lead = scenario.hiring.lead_time_days
    noise = np.random.default_rng(seed).normal(0.0, 0.1)
    cost = (first - 7) ** 2 + (second - 3) ** 2 + (lead - 40) ** 2 / 100 + noise
    return _result({"total_cost": cost})


def staffing_engine(scenario: Scenario, seed: int) -> RunResult:
    """Cost 10a + 7b; backlog 12 - a - b/2 + N(0, 0.15).

    ``backlog_weeks_max <= 2`` holds in 90% of runs exactly when a + b/2 >= 10.5 (the noise
    stays below 0.5 with probability 0.9996 and below 0 with 0.5): the cheapest such plan is
    a = 10, b = 1 (cost 107; a = 11, b = 0 costs 110).
    """
    first, second = headcounts(scenario)
    noise = np.random.default_rng(seed).normal(0.0, 0.15)
    return _result({"total_cost": 10.0 * first + 7.0 * second,
                    "backlog_weeks_max": 12.0 - first - second / 2 + noise})


def requisition_engine(scenario: Scenario, seed: int) -> RunResult:
    """total_cost = (month of the support pool's first requisition step - 2)^2 + N(0, 0.01)."""
    support = next(pool for pool in scenario.pools if pool.name == "support")
    noise = np.random.default_rng(seed).normal(0.0, 0.01)
    return _result({"total_cost": (support.staffing_plan[0].month - 2.0) ** 2 + noise})
