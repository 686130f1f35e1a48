"""Engines with a known KPI for the sensitivity and robustness tests.

They live in an importable module (not a test file) so that worker processes can unpickle them.
Each returns a ready-made one-period result whose ``grr`` KPI is a known function of a few
scenario fields, so that indices and win shares can be compared with theory.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.experiments.kpis import PERIOD_KPIS, RECORDED_KPIS
from sim.outputs.results import RunResult
from sim.scenario.schema import Scenario

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1
ISHIGAMI_PATHS = ("service_effects.under_service", "service_effects.sla_breaches",
                  "service_effects.csm_change", "service_effects.missed_renewal")
"""x1, x2, x3 of the Ishigami function (each field = 1 + pi + x), then a field it never reads."""
ISHIGAMI_RANGE = [1.0, 1.0 + 2 * math.pi]
WINNER_PATH = "staff.productivity_loss"


def result_with_grr(value: float) -> RunResult:
    """A one-period result with every column a sweep reads; ``grr`` is ``value``."""
    frame = pd.DataFrame({"period": [0], "day": [30.0], "tier": ["all"],
                          **{column: [1.0] for column in PERIOD_KPIS.values()}})
    summary = pd.DataFrame({column: [0.0] for column in RECORDED_KPIS.values()})
    summary["grr_ttm_last"] = value
    workforce = pd.DataFrame({"period": [0], "headcount": [1], "burnout_max": [0.0]})
    return RunResult(timeseries=frame, workforce=workforce, events=frame, customers=frame,
                     summary=summary, manifest={})


def ishigami(x1: float, x2: float, x3: float) -> float:
    """The Ishigami function (Ishigami and Homma 1990) with a = 7, b = 0.1."""
    return (math.sin(x1) + ISHIGAMI_A * math.sin(x2) ** 2
            + ISHIGAMI_B * x3 ** 4 * math.sin(x1))


def ishigami_variances() -> dict[str, float]:
    """Analytic partial variances: total V, first order V1..V3 and total order VT1..VT3."""
    a, b, pi = ISHIGAMI_A, ISHIGAMI_B, math.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * pi ** 8 * (1 / 18 - 1 / 50)
    return {"V": v1 + v2 + v13, "V1": v1, "V2": v2, "V3": 0.0,
            "VT1": v1 + v13, "VT2": v2, "VT3": v13}


def _inputs(scenario: Scenario) -> list[float]:
    effects = scenario.service_effects
    return [value - 1.0 - math.pi for value in (effects.under_service, effects.sla_breaches,
                                               effects.csm_change)]


def _point_key(scenario: Scenario) -> list[int]:
    """The four fields of the point as integers: a key for noise independent between points."""
    effects = scenario.service_effects
    return [int(value * 1e9) for value in (effects.under_service, effects.sla_breaches,
                                           effects.csm_change, effects.missed_renewal)]


def ishigami_engine(scenario: Scenario, seed: int) -> RunResult:
    """``grr`` = Ishigami(x1, x2, x3) + noise.

    The noise is normal with the standard deviation written as the scenario's description
    (empty: none), drawn from the seed *and* the point, so that it is independent between
    points (unlike common random numbers, this makes the noise's share computable).
    """
    x = _inputs(scenario)
    value = ishigami(*x)
    if scenario.description:
        rng = np.random.default_rng([seed, *_point_key(scenario)])
        value += float(scenario.description) * rng.normal()
    return result_with_grr(value)


def linear_engine(scenario: Scenario, seed: int) -> RunResult:
    """``grr`` = 2 x1 - 3 x2 (x1, x2 as for Ishigami; the other fields unread) + noise.

    The description sets the noise: empty, none; ``independent:SIGMA``, normal noise drawn from
    the seed and the point; ``common:SIGMA``, drawn from the seed alone (common random numbers:
    the same at every point).
    """
    x = _inputs(scenario)
    value = 2.0 * x[0] - 3.0 * x[1]
    if scenario.description:
        kind, sigma = scenario.description.split(":")
        key = [seed] if kind == "common" else [seed, *_point_key(scenario)]
        value += float(sigma) * np.random.default_rng(key).normal()
    return result_with_grr(value)


def winner_engine(scenario: Scenario, seed: int) -> RunResult:
    """``grr`` of strategy ``a``: the productivity loss; ``b``: 0.5; any other: 0.4; plus a wobble.

    The wobble depends on the seed only (common random numbers), so it never changes which
    strategy is best at a point: ``a`` wins exactly where the productivity loss exceeds 0.5.
    """
    wobble = 0.01 * np.random.default_rng(seed).normal()
    if scenario.description == "tie":  # every strategy 0.5, noise independent between them
        rng = np.random.default_rng([seed, *scenario.name.encode()])
        return result_with_grr(0.5 + wobble + 0.01 * rng.normal())
    levels = {"a": scenario.staff.productivity_loss, "b": 0.5}
    level = levels.get(scenario.name, 0.4)
    return result_with_grr(level + wobble)
