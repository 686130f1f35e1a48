"""Statistics of sweeps against theory: CI coverage, paired differences, Wilson, precision rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from sim.experiments.stats import (
    kpi_summary,
    look_ahead,
    mean_ci,
    paired_differences,
    parse_requirement,
    relative_precisions,
    replications_needed,
    requirement_probability,
    wilson_interval,
)

EXPERIMENTS = 4000


def _tolerance(level: float, experiments: int) -> float:
    """Four binomial standard errors of a coverage rate estimated from ``experiments`` runs."""
    return 4 * math.sqrt(level * (1 - level) / experiments)


@pytest.mark.parametrize("n", [3, 5, 30])
def test_student_t_interval_covers_the_mean_at_the_nominal_rate(n: int) -> None:
    # With n = 3 or 5 a normal-quantile interval would cover only 82% / 88%: far outside the
    # tolerance (about 1.4 points), so the test tells t from z.
    rng = np.random.default_rng(20240601 + n)
    true_mean = 10.0
    samples = rng.normal(true_mean, 2.0, size=(EXPERIMENTS, n))
    covered = 0
    for sample in samples:
        estimate = mean_ci(sample)
        covered += estimate.ci_low <= true_mean <= estimate.ci_high
    assert abs(covered / EXPERIMENTS - 0.95) <= _tolerance(0.95, EXPERIMENTS)


def test_paired_difference_matches_the_textbook_formula() -> None:
    # The paired interval is the t interval of the differences, whose coverage is tested above.
    frame = pd.DataFrame({"plan": ["a"] * 4 + ["b"] * 4, "replicate": [0, 1, 2, 3] * 2,
                          "status": ["ok"] * 7 + ["failed"],
                          "arr_end": [10.0, 20.0, 30.0, 40.0, 11.0, 22.0, 33.0, np.nan]})
    row = paired_differences(frame, "a", ["arr_end"]).iloc[0]
    differences = np.array([1.0, 2.0, 3.0])  # replicate 3 failed in b: it drops out
    half = scipy_stats.t.ppf(0.975, 2) * differences.std(ddof=1) / math.sqrt(3)
    assert row.n == 3
    assert row.mean_difference == pytest.approx(2.0)
    assert (row.ci_low, row.ci_high) == pytest.approx((2.0 - half, 2.0 + half))
    assert row.p_value == pytest.approx(scipy_stats.ttest_rel([11, 22, 33], [10, 20, 30]).pvalue)


def test_identical_plans_differ_by_exactly_zero() -> None:
    frame = pd.DataFrame({"plan": ["a"] * 3 + ["b"] * 3, "replicate": [0, 1, 2] * 2,
                          "status": "ok", "arr_end": [1.0, 5.0, 2.0] * 2})
    row = paired_differences(frame, "a", ["arr_end"]).iloc[0]
    assert (row.mean_difference, row.ci_low, row.ci_high, row.p_value) == (0, 0, 0, 1)


def test_kpi_summary_ignores_failed_replicates() -> None:
    frame = pd.DataFrame({"plan": "a", "replicate": [0, 1, 2], "status": ["ok", "ok", "failed"],
                          "arr_end": [1.0, 3.0, np.nan]})
    row = kpi_summary(frame, ["arr_end"]).iloc[0]
    assert (row["n"], row["mean"]) == (2, 2.0)


@pytest.mark.parametrize("values", [[], [0.0], [5.0], [2.0, np.inf]])
def test_an_undefined_interval_has_an_undefined_relative_precision(values: list[float]) -> None:
    assert math.isnan(mean_ci(values).relative_half_width)


def test_an_infinite_value_is_kept_not_dropped() -> None:
    """A queue with nobody to serve it has infinite backlog weeks: the replicate counts, the
    mean is infinite and the interval undefined; a missing value (NaN) still drops out."""
    estimate = mean_ci([2.0, np.inf, 4.0, np.nan])
    assert (estimate.n, estimate.mean) == (3, math.inf)
    assert math.isnan(estimate.ci_low) and math.isnan(estimate.ci_high)
    assert math.isnan(relative_precisions([2.0, 3.0, np.inf, 4.0])[-1])
    frame = pd.DataFrame({"plan": ["a"] * 3 + ["b"] * 3, "replicate": [0, 1, 2] * 2,
                          "status": "ok",
                          "backlog_weeks_max": [1.0, 2.0, np.inf, 3.0, np.inf, np.inf]})
    row = paired_differences(frame, "a", ["backlog_weeks_max"]).iloc[0]
    assert row.n == 3  # inf - inf (replicate 2) is undefined, not missing
    assert math.isnan(row.mean_difference) and math.isnan(row.p_value)
    one_sided = paired_differences(frame[frame.replicate < 2], "a", ["backlog_weeks_max"])
    assert (one_sided.n.iloc[0], one_sided.mean_difference.iloc[0]) == (2, math.inf)


@pytest.mark.parametrize(("successes", "n"), [(0, 10), (3, 10), (10, 10), (17, 40)])
def test_wilson_interval_matches_the_closed_form(successes: int, n: int) -> None:
    # Closed form of the score interval: the roots in p of (share - p)^2 = z^2 p (1 - p) / n.
    z, share = scipy_stats.norm.ppf(0.975), successes / n
    a, b, c = 1 + z * z / n, -(2 * share + z * z / n), share * share
    roots = sorted(np.roots([a, b, c]).real)
    assert wilson_interval(successes, n) == pytest.approx(tuple(roots), abs=1e-9)


@pytest.mark.parametrize(("probability", "n"), [(0.3, 40), (0.1, 100), (0.5, 20)])
def test_wilson_interval_has_near_nominal_exact_coverage(probability: float, n: int) -> None:
    outcomes = np.arange(n + 1)
    inside = [low <= probability <= high
              for low, high in (wilson_interval(int(k), n) for k in outcomes)]
    coverage = scipy_stats.binom.pmf(outcomes, n, probability)[inside].sum()
    assert 0.92 <= coverage <= 0.98


def test_requirements_count_missing_values_as_not_met() -> None:
    frame = pd.DataFrame({"plan": "a", "replicate": range(4), "status": "ok",
                          "backlog_weeks_max": [2.0, 7.0, 5.0, np.nan],
                          "cs_cost_pct_arr": [10.0, 10.0, 20.0, 10.0]})
    requirements = [parse_requirement("backlog_weeks_max<=6"),
                    parse_requirement("cs_cost_pct_arr <= 15")]
    row = requirement_probability(frame, requirements).iloc[0]
    assert (row.met, row.n, row.probability) == (1, 4, 0.25)
    assert row.requirement == "backlog_weeks_max<=6 and cs_cost_pct_arr<=15"


@pytest.mark.parametrize(("text", "message"), [
    ("backlog<=6", "unknown KPI 'backlog'"), ("backlog_weeks_max=6", "expected KPI<=VALUE"),
    ("backlog_weeks_max<=six", "expected KPI<=VALUE")])
def test_bad_requirements_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_requirement(text)


def test_running_precisions_equal_the_interval_of_each_prefix() -> None:
    values = np.random.default_rng(3).normal(1e7, 2e5, 40)  # ARR-sized, to test stability
    expected = [mean_ci(values[:n]).relative_half_width for n in range(2, 41)]
    assert relative_precisions(values)[1:] == pytest.approx(expected, rel=1e-9)


def test_replications_needed_waits_for_the_look_ahead() -> None:
    values = np.random.default_rng(11).normal(100.0, 5.0, 60)
    precision = relative_precisions(values)
    target = 0.03
    needed = replications_needed(values, target)
    assert needed is not None
    assert (precision[needed - 1:] <= target).all()
    assert precision[needed - 2] > target or needed == 3
    assert len(values) - needed >= look_ahead(needed)
    # Cut the series just before the look-ahead is complete: not converged yet.
    assert replications_needed(values[:needed + look_ahead(needed) - 1], target) is None


def test_look_ahead_grows_with_large_counts() -> None:
    assert [look_ahead(n) for n in (3, 100, 101, 400)] == [5, 5, 5, 20]
