"""Statistics of a sweep: means with Student-t intervals, paired differences, probabilities.

All functions take the replicates table (one row per plan and replicate, as read from a sweep
directory) and ignore failed replicates and missing values.

* Mean and 95% CI of a KPI per plan: ``mean ± t(0.975, n-1) · s / √n`` with ``s`` the sample
  standard deviation (``ddof=1``).
* Paired difference of a plan against the baseline: ``d_r = x_r(plan) - x_r(baseline)`` over the
  replicates both completed, then the same t interval on the ``d_r``. Replicate ``r`` of every
  plan uses the same seed (common random numbers), so the pairs are matched and the variance of
  the difference is usually far below that of either plan.
* Probability that a plan meets requirements: the share of replicates that meet all of them, with
  a Wilson score interval.
* Replications needed for a relative precision: the sequential rule of Hoad, Robinson and Davies
  (2010), see :func:`replications_needed`.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from sim.experiments.kpis import KPIS, RECORDED_KPIS
from sim.experiments.tasks import OK

LEVEL = 0.95
"""Confidence level of every interval a sweep reports."""
LOOK_AHEAD = 5
"""Hoad, Robinson and Davies' kLimit: look-ahead replications that must keep the precision."""
MIN_REPLICATIONS = 3
"""Fewest replications a precision estimate starts from (Hoad, Robinson and Davies' n >= 3)."""
_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}
_REQUIREMENT = re.compile(r"^\s*([a-z_0-9]+)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*$")


@dataclass(frozen=True)
class Estimate:
    """A sample mean with its Student-t confidence interval."""

    n: int
    mean: float
    std: float
    ci_low: float
    ci_high: float

    @property
    def half_width(self) -> float:
        """Half the width of the confidence interval."""
        return (self.ci_high - self.ci_low) / 2

    @property
    def relative_half_width(self) -> float:
        """Half-width over the absolute mean (0 when the interval is a point, inf at mean 0).

        NaN when the interval is undefined (n < 2 or an infinite value).
        """
        if math.isnan(self.half_width):
            return math.nan
        if self.half_width == 0:
            return 0.0
        return self.half_width / abs(self.mean) if self.mean else math.inf


def mean_ci(values: Sequence[float] | np.ndarray, level: float = LEVEL) -> Estimate:
    """Mean and Student-t confidence interval of the values present (NaN = missing).

    An infinite value (e.g. the backlog weeks of a queue with nobody on staff to serve it) is
    kept: the mean is infinite (NaN if both signs occur) and the interval undefined (NaN).
    NaN bounds also when n < 2.
    """
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    n = len(data)
    if n == 0:
        return Estimate(0, math.nan, math.nan, math.nan, math.nan)
    if not np.isfinite(data).all():
        return Estimate(n, float(np.mean(data)), math.nan, math.nan, math.nan)
    mean = float(data.mean())
    if n < 2:
        return Estimate(1, mean, math.nan, math.nan, math.nan)
    std = float(data.std(ddof=1))
    half = float(special.stdtrit(n - 1, 0.5 + level / 2)) * std / math.sqrt(n)
    return Estimate(n, mean, std, mean - half, mean + half)


def wilson_interval(successes: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (NaN when n is 0)."""
    if n == 0:
        return math.nan, math.nan
    z = float(special.ndtri(0.5 + level / 2))
    share = successes / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    spread = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - spread), min(1.0, centre + spread)


def successful(replicates: pd.DataFrame) -> pd.DataFrame:
    """The replicates that completed."""
    if "status" not in replicates:
        return replicates
    return replicates[replicates["status"] == OK]


def kpi_summary(replicates: pd.DataFrame, kpis: Sequence[str] = tuple(KPIS),
                level: float = LEVEL) -> pd.DataFrame:
    """Per plan and KPI: n, mean, std, CI bounds and relative half-width."""
    rows = []
    for plan, group in replicates.groupby("plan", sort=False, observed=True):
        done = successful(group)
        for kpi in kpis:
            estimate = mean_ci(done[kpi].to_numpy(), level)
            rows.append({"plan": str(plan), "kpi": kpi, "n": estimate.n, "mean": estimate.mean,
                         "std": estimate.std, "ci_low": estimate.ci_low,
                         "ci_high": estimate.ci_high,
                         "relative_half_width": estimate.relative_half_width})
    return pd.DataFrame(rows, columns=["plan", "kpi", "n", "mean", "std", "ci_low", "ci_high",
                                       "relative_half_width"])


def paired_differences(replicates: pd.DataFrame, baseline: str,
                       kpis: Sequence[str] = tuple(KPIS), level: float = LEVEL) -> pd.DataFrame:
    """Per plan other than ``baseline`` and KPI: the paired-t estimate of plan - baseline.

    Replicates are paired by number; a replicate missing or failed in either plan, or with a
    missing value of the KPI, drops out of that pair. A pair with an infinite value is kept: its
    difference is infinite (or undefined when both are), which leaves the estimate's interval
    (and, if undefined, its mean) NaN rather than dropping the pair. ``p_value`` is the
    two-sided paired t-test.
    """
    done = successful(replicates)
    table = done.pivot(index="replicate", columns="plan", values=list(kpis))
    rows = []
    plans = [str(plan) for plan in pd.unique(replicates["plan"])]
    for plan in (plan for plan in plans if plan != baseline):
        for kpi in kpis:
            difference = _differences(table, kpi, plan, baseline)
            estimate = (mean_ci(difference, level) if not np.isnan(difference).any()
                        else Estimate(len(difference), math.nan, math.nan, math.nan, math.nan))
            rows.append({"plan": plan, "baseline": baseline, "kpi": kpi, "n": estimate.n,
                         "mean_difference": estimate.mean, "std": estimate.std,
                         "ci_low": estimate.ci_low, "ci_high": estimate.ci_high,
                         "p_value": _p_value(estimate)})
    return pd.DataFrame(rows, columns=["plan", "baseline", "kpi", "n", "mean_difference", "std",
                                       "ci_low", "ci_high", "p_value"])


def _differences(table: pd.DataFrame, kpi: str, plan: str, baseline: str) -> np.ndarray:
    """Plan - baseline for the replicates where both have a value (NaN where both are inf)."""
    ours, theirs = _column(table, kpi, plan), _column(table, kpi, baseline)
    both = (ours.notna() & theirs.notna()).to_numpy()
    with np.errstate(invalid="ignore"):
        return (ours - theirs).to_numpy()[both]


def _column(table: pd.DataFrame, kpi: str, plan: str) -> pd.Series:
    """One plan's values of a KPI by replicate (all missing if the plan has none)."""
    if (kpi, plan) in table.columns:
        return table[(kpi, plan)].astype(float)
    return pd.Series(np.nan, index=table.index)


def _p_value(estimate: Estimate) -> float:
    if estimate.n < 2 or not math.isfinite(estimate.mean):
        return math.nan
    if not estimate.std > 0:  # a constant difference
        return 1.0 if estimate.mean == 0 else 0.0
    statistic = estimate.mean / (estimate.std / math.sqrt(estimate.n))
    return float(2 * special.stdtr(estimate.n - 1, -abs(statistic)))


@dataclass(frozen=True)
class Requirement:
    """A constraint on one KPI, e.g. ``backlog_weeks_max <= 6``."""

    kpi: str
    operator: str
    value: float

    def __str__(self) -> str:
        return f"{self.kpi}{self.operator}{self.value:g}"

    def met(self, values: pd.Series) -> pd.Series:
        """Whether each value meets the requirement (a missing value does not)."""
        return values.notna() & _OPERATORS[self.operator](values, self.value)


def parse_requirement(text: str) -> Requirement:
    """Read ``KPI<=VALUE`` (or ``<``, ``>=``, ``>``) with a known KPI name.

    Raises:
        ValueError: the text is not of that form or names an unknown KPI.
    """
    match = _REQUIREMENT.match(text)
    if not match:
        raise ValueError(f"--require {text!r}: expected KPI<=VALUE (or <, >=, >), e.g. "
                         "'backlog_weeks_max<=6'")
    kpi, symbol, number = match.groups()
    check_kpi(kpi, f"--require {text!r}")
    try:
        return Requirement(kpi, symbol, float(number))
    except ValueError as error:
        raise ValueError(f"--require {text!r}: {number!r} is not a number") from error


def check_kpi(kpi: str, where: str) -> None:
    """Raise ``ValueError`` unless ``kpi`` is a recorded KPI."""
    if kpi not in RECORDED_KPIS:
        raise ValueError(f"{where}: unknown KPI {kpi!r} (known: {', '.join(RECORDED_KPIS)})")


def requirement_probability(replicates: pd.DataFrame,
                            requirements: Sequence[Requirement],
                            level: float = LEVEL) -> pd.DataFrame:
    """Per plan: the share of replicates meeting every requirement, with a Wilson interval.

    Only completed replicates count (``n``); a plan without any has a missing probability.
    """
    rows = []
    label = " and ".join(str(requirement) for requirement in requirements)
    for plan, rows_of_plan in replicates.groupby("plan", sort=False, observed=True):
        group = successful(rows_of_plan)
        met = pd.Series(True, index=group.index)
        for requirement in requirements:
            met &= requirement.met(group[requirement.kpi])
        low, high = wilson_interval(int(met.sum()), len(group), level)
        rows.append({"plan": str(plan), "requirement": label, "n": len(group),
                     "met": int(met.sum()),
                     "probability": float(met.mean()) if len(group) else math.nan,
                     "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=["plan", "requirement", "n", "met", "probability",
                                       "ci_low", "ci_high"])


def look_ahead(n: int, k_limit: int = LOOK_AHEAD) -> int:
    """Hoad, Robinson and Davies' f(kLimit, n): kLimit up to 100 replications, then n·kLimit/100."""
    return k_limit if n <= 100 else n * k_limit // 100


def relative_precisions(values: Sequence[float] | np.ndarray, level: float = LEVEL) -> np.ndarray:
    """Relative CI half-width after 1, 2, ..., n replications (NaN for the first)."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]  # an infinite value makes every later precision undefined
    counts = np.arange(1, len(data) + 1)
    shifted = data - (data[0] if len(data) else 0.0)  # shift for a stable running variance
    means = np.cumsum(shifted) / counts
    squares = np.cumsum(shifted**2)
    with np.errstate(invalid="ignore", divide="ignore"):
        variances = np.clip((squares - counts * means**2) / (counts - 1), 0, None)
        critical = special.stdtrit(counts - 1, 0.5 + level / 2)
        half = critical * np.sqrt(variances / counts)
        absolute_mean = np.abs(means + (data[0] if len(data) else 0.0))
        precision = np.where(half <= 1e-12 * absolute_mean, 0.0, half / absolute_mean)
    precision[:1] = np.nan
    return precision


def replications_needed(values: Sequence[float] | np.ndarray, target: float,
                        level: float = LEVEL, minimum: int = MIN_REPLICATIONS,
                        k_limit: int = LOOK_AHEAD) -> int | None:
    """The replication count at which the relative precision is reached and held.

    Hoad, Robinson and Davies (2010): the smallest ``n >= minimum`` whose relative half-width is
    <= ``target`` and stays so for every count up to the last one, with at least
    ``look_ahead(n)`` replications run after ``n``. None while no such ``n`` exists yet.
    """
    precision = relative_precisions(values, level)
    total = len(precision)
    within = np.nan_to_num(precision, nan=np.inf) <= target
    held = np.logical_and.accumulate(within[::-1])[::-1]  # within from here to the end
    for n in range(minimum, total + 1):
        if held[n - 1] and total - n >= look_ahead(n, k_limit):
            return n
    return None


def replications_estimate(values: Sequence[float] | np.ndarray, target: float,
                          level: float = LEVEL) -> float:
    """Replications the current mean and spread suggest for ``target``: ``(t·s / (X·|x̄|))²``."""
    estimate = mean_ci(values, level)
    if estimate.n < 2 or estimate.relative_half_width == 0:
        return float(estimate.n)
    if not estimate.mean or not math.isfinite(estimate.relative_half_width):
        return math.inf
    return math.ceil(estimate.n * (estimate.relative_half_width / target) ** 2)


def precision_report(replicates: pd.DataFrame, kpi: str, target: float,
                     level: float = LEVEL) -> pd.DataFrame:
    """Per plan: the relative precision of ``kpi`` now, and whether the target is reached and held.

    ``replications_needed`` is the Hoad-Robinson-Davies count (missing while not converged);
    ``replications_estimate`` is what the current mean and spread suggest.
    """
    rows = []
    for plan, group in replicates.groupby("plan", sort=False, observed=True):
        values = successful(group).sort_values("replicate")[kpi].to_numpy(dtype=float)
        estimate = mean_ci(values, level)
        needed = replications_needed(values, target, level)
        rows.append({"plan": str(plan), "kpi": kpi, "n": estimate.n, "mean": estimate.mean,
                     "relative_half_width": estimate.relative_half_width, "target": target,
                     "converged": needed is not None,
                     "replications_needed": pd.NA if needed is None else needed,
                     "replications_estimate": replications_estimate(values, target, level)})
    frame = pd.DataFrame(rows, columns=["plan", "kpi", "n", "mean", "relative_half_width",
                                        "target", "converged", "replications_needed",
                                        "replications_estimate"])
    return frame.astype({"replications_needed": "Int64"})
