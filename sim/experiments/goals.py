"""What an optimisation wants: an objective on a KPI's mean, and constraints it judges.

A constraint is ``KPI<=VALUE@P`` (or ``<``, ``>=``, ``>``): the bound must hold in a share of
at least ``P`` of the runs (a chance constraint), or ``KPI<=VALUE`` without ``@P``: the KPI's
mean must meet the bound. Neither is judged on the point estimate. With one-sided confidence
``CONFIDENCE``:

* a chance constraint is *met* when the Wilson score lower bound of the share of runs meeting
  the bound is at least ``P``, *violated* when the Wilson upper bound is below ``P``;
* a mean constraint is *met* when the one-sided Student-t bound of the mean is on the right side
  of the value, *violated* when the other bound is on the wrong side;
* otherwise it is *undecided*: more replicates would settle it.

A plan is met when every constraint is met, violated when one is violated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.experiments.stats import Requirement, check_kpi, mean_ci, wilson_interval

CONFIDENCE = 0.95
"""One-sided confidence of every met/violated judgement (the two-sided 90% intervals' ends)."""
INTERVAL = 2 * CONFIDENCE - 1
"""Two-sided level whose bounds are the one-sided ``CONFIDENCE`` bounds."""
MET, VIOLATED, UNDECIDED = "met", "violated", "undecided"
_CONSTRAINT = re.compile(
    r"^\s*([a-z_0-9]+)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*(?:@\s*([0-9.eE+-]+))?\s*$")


@dataclass(frozen=True)
class Objective:
    """Minimise or maximise the mean of a KPI."""

    kpi: str
    maximise: bool = False

    def __str__(self) -> str:
        return f"{'maximise' if self.maximise else 'minimise'} {self.kpi}"

    def better(self, first: float, second: float) -> bool:
        """Whether the mean ``first`` is strictly better than ``second``."""
        return first > second if self.maximise else first < second


def objective(kpi: str, maximise: bool = False) -> Objective:
    """An objective on a recorded KPI.

    Raises:
        ValueError: the KPI is unknown.
    """
    check_kpi(kpi, "--maximise" if maximise else "--minimise")
    return Objective(kpi, maximise)


@dataclass(frozen=True)
class Constraint:
    """A bound on a KPI, held in a share ``probability`` of runs, or in the mean (None)."""

    requirement: Requirement
    probability: float | None = None

    def __str__(self) -> str:
        suffix = "" if self.probability is None else f"@{self.probability:g}"
        return f"{self.requirement}{suffix}"


def parse_constraint(text: str) -> Constraint:
    """Read ``KPI<=VALUE@P`` (chance constraint) or ``KPI<=VALUE`` (in the mean).

    Raises:
        ValueError: not of that form, an unknown KPI, a non-finite value, or P outside (0, 1).
    """
    match = _CONSTRAINT.match(text)
    if not match:
        raise ValueError(f"--require {text!r}: expected KPI<=VALUE@P (e.g. "
                         "'backlog_weeks_max<=2@0.9') or KPI<=VALUE (in the mean)")
    kpi, symbol, number, share = match.groups()
    check_kpi(kpi, f"--require {text!r}")
    value = _number(number, text)
    probability = None if share is None else _number(share, text)
    if probability is not None and not 0 < probability < 1:
        raise ValueError(f"--require {text!r}: the probability after @ must be in (0, 1)")
    return Constraint(Requirement(kpi, symbol, value), probability)


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError as error:
        raise ValueError(f"--require {where!r}: {text!r} is not a number") from error
    if not math.isfinite(value):
        raise ValueError(f"--require {where!r}: {text!r} is not a finite number")
    return value


@dataclass(frozen=True)
class Judgement:
    """A constraint judged on a plan's replicates.

    Attributes:
        status: ``met``, ``violated`` or ``undecided``.
        estimate: the share of runs meeting the bound (chance) or the KPI's mean.
        low: the lower one-sided bound of ``estimate``.
        high: the upper one-sided bound of ``estimate``.
        shortfall: how far the plan is from the bound, relative to the bound (0 when the
            estimate satisfies it): for a chance constraint, the distance from the bound to the
            KPI value met in a share ``probability`` of runs; for a mean constraint, the
            distance from the bound to the mean.
        quantile: the KPI value met in a share ``probability`` of runs (chance constraints).
    """

    status: str
    estimate: float
    low: float
    high: float
    shortfall: float
    quantile: float = math.nan


def judge(constraint: Constraint, values: np.ndarray) -> Judgement:
    """Judge a constraint on the KPI values of a plan's successful replicates."""
    requirement = constraint.requirement
    if constraint.probability is not None:
        return _judge_chance(requirement, constraint.probability, values)
    return _judge_mean(requirement, values)


def _judge_chance(requirement: Requirement, probability: float, values: np.ndarray) -> Judgement:
    met = int(requirement.met(pd.Series(values, dtype=float)).sum())
    low, high = wilson_interval(met, len(values), INTERVAL)
    share = met / len(values) if len(values) else math.nan
    status = MET if low >= probability else VIOLATED if high < probability else UNDECIDED
    upper = requirement.operator in ("<=", "<")
    finite = values[~np.isnan(values)]
    share_wanted = probability if upper else 1 - probability
    quantile = (float(np.quantile(finite, share_wanted, method="higher" if upper else "lower"))
                if len(finite) else math.nan)
    scale = abs(requirement.value) or 1.0
    distance = (quantile - requirement.value) if upper else (requirement.value - quantile)
    shortfall = max(0.0, distance / scale) if not math.isnan(distance) else math.inf
    return Judgement(status, share, low, high, shortfall, quantile)


def _judge_mean(requirement: Requirement, values: np.ndarray) -> Judgement:
    estimate = mean_ci(values, INTERVAL)
    low, high = estimate.ci_low, estimate.ci_high
    if estimate.n >= 1 and not math.isfinite(estimate.mean):
        low = high = estimate.mean  # an infinite mean is as sure as it gets
    holds = requirement.met(pd.Series([low, high], dtype=float))
    if bool(holds.all()):
        status = MET
    elif not bool(holds.any()) and not math.isnan(low):
        status = VIOLATED
    else:
        status = UNDECIDED
    scale = abs(requirement.value) or 1.0
    signed = (estimate.mean - requirement.value if requirement.operator in ("<=", "<")
              else requirement.value - estimate.mean)
    shortfall = max(0.0, signed / scale) if not math.isnan(signed) else math.inf
    return Judgement(status, estimate.mean, low, high, shortfall)


def overall(judgements: Sequence[Judgement]) -> str:
    """A plan's status: violated if any constraint is, met if all are, else undecided."""
    statuses = {judgement.status for judgement in judgements}
    if VIOLATED in statuses:
        return VIOLATED
    return MET if statuses <= {MET} else UNDECIDED


def all_met_share(constraints: Sequence[Constraint], frame: pd.DataFrame) -> tuple[float, int]:
    """The share of replicates meeting every constraint's bound, and the count of replicates."""
    met = pd.Series(True, index=frame.index)
    for constraint in constraints:
        met &= constraint.requirement.met(frame[constraint.requirement.kpi].astype(float))
    return (float(met.mean()) if len(frame) else math.nan), int(met.sum())
