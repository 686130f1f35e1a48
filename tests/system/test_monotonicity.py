"""Monotone effects of staffing, run by run, under common random numbers.

With the same seed every variant sees the same customers. When nothing feeds service quality
back into the customers (service effects neutral, no abandonment, no attrition) the variants
differ only in how fast the team works through the same demand, so the comparison holds run by
run, not just on average:

* more implementation specialists never lengthen the onboarding backlog, in any period.
  Onboarding is a first-come-first-served queue whose work per customer does not depend on who
  does it; with one more server every customer starts no later (the sorted vector of times at
  which the servers free up is componentwise no later), so the number waiting is never higher;
* a bigger book per CSM never reduces the touches missed over the run. This is checked over the
  run only: in a single month a smaller team can miss fewer, because the accounts it skipped
  earlier go first (least recently touched first), and accounts are shared out by count, not by
  hours, so which touches fall due for which CSM in a given week differs between team sizes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from sim import RunResult, parse_scenario, run
from sim.scenario.service import NEUTRAL_EFFECTS

SEEDS = (1, 2, 3, 4, 5)
SPECIALISTS = (1, 2, 3, 4)
CSMS = (6, 5, 4, 3, 2)

LEVEL_TOLERANCE = 1e-9
"""Customer-days: the same backlog integrated over differently placed events can differ in the
last bits; anything larger is a real increase."""


def _tiers(churn_beta: float) -> list[dict]:
    return [
        {"name": "tech", "acv_min": 0, "acv_max": 10000,
         "acv": {"kind": "lognormal", "mean": 6000, "cv": 0.4}, "touch_model": "tech",
         "mix": 0.35, "churn": {"alpha": 1.0, "beta": churn_beta},
         "human_onboarding_share": 0.5},
        {"name": "low", "acv_min": 10000, "acv_max": 100000,
         "acv": {"kind": "lognormal", "mean": 40000, "cv": 0.6}, "touch_model": "low",
         "mix": 0.45, "churn": {"alpha": 1.0, "beta": churn_beta},
         "renewal_change": {"expansion_probability": 0.4, "expansion_mean": 1.5}},
        {"name": "high", "acv_min": 100000, "acv_max": None,
         "acv": {"kind": "lognormal", "mean": 150000, "cv": 0.4}, "touch_model": "high",
         "mix": 0.2, "churn": {"alpha": 1.0, "beta": churn_beta}},
    ]


def onboarding_heavy(specialists: int) -> dict:
    """About 16 human onboardings a month against ~4.3 a month per specialist (6 slots each)."""
    return {
        "name": "onboarding_heavy", "horizon_months": 18, "org_model": "specialist",
        "tiers": _tiers(churn_beta=3.0),
        "growth": {"initial_customers": {"tech": 60, "low": 40, "high": 10},
                   "initial_backlog": {"low": 10, "high": 2},
                   "arrivals": [{"from_month": 0, "customers_per_month": 20}]},
        "pools": [
            {"name": "csm", "role": "csm", "tiers": ["low", "high"], "annual_cost": 120000,
             "headcount": 3},
            {"name": "implementation", "role": "implementation", "annual_cost": 110000,
             "headcount": specialists, "onboarding_slots": 6},
            {"name": "renewals", "role": "renewals", "annual_cost": 100000, "headcount": 1},
            {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
             "headcount": 2},
        ],
        "onboarding": {"abandonment": {"enabled": False}},
        "service_effects": NEUTRAL_EFFECTS,
        "org": {"handoff_churn_factor": 1.0},
        "staff": {"burnout_gain_per_week": 0.0, "base_attrition_per_year": 0.0},
    }


def book_per_csm(csms: int) -> dict:
    """About 165 human-touch accounts plus arrivals, owned by a CSM pool of ``csms``."""
    return {
        "name": "book_per_csm", "horizon_months": 12, "org_model": "specialist",
        "tiers": _tiers(churn_beta=6.0),
        "growth": {"initial_customers": {"tech": 100, "low": 140, "high": 25},
                   "arrivals": [{"from_month": 0, "customers_per_month": 10}]},
        "pools": [
            {"name": "csm", "role": "csm", "tiers": ["low", "high"], "annual_cost": 120000,
             "headcount": csms},
            {"name": "implementation", "role": "implementation", "annual_cost": 110000,
             "headcount": 2},
            {"name": "renewals", "role": "renewals", "annual_cost": 100000, "headcount": 2},
            {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
             "headcount": 2},
        ],
        "service_effects": NEUTRAL_EFFECTS,
        "staff": {"base_attrition_per_year": 0.0},
    }


def _runs(build: Callable[[int], dict], headcounts: tuple[int, ...],
          seed: int) -> dict[int, RunResult]:
    return {heads: run(parse_scenario(build(heads)), seed) for heads in headcounts}


def _total(result: RunResult) -> pd.DataFrame:
    timeseries = result.timeseries
    return timeseries[timeseries["tier"] == "all"].set_index("period")


def _same_customers(runs: dict[int, RunResult], columns: list[str]) -> None:
    first, *others = runs.values()
    for other in others:
        pd.testing.assert_frame_equal(first.customers[columns], other.customers[columns],
                                      check_exact=True)


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def onboarding_runs(request: pytest.FixtureRequest) -> dict[int, RunResult]:
    return _runs(onboarding_heavy, SPECIALISTS, request.param)


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def touch_runs(request: pytest.FixtureRequest) -> dict[int, RunResult]:
    return _runs(book_per_csm, CSMS, request.param)


def waits_so_far(result: RunResult, horizon_days: float) -> pd.Series:
    """Days each human-onboarded customer waited: to its start, its churn or the horizon.

    Customers still waiting at the horizon (or churned while waiting) count with the wait they
    had so far; leaving them out would reward a team for the customers it never reached.
    """
    customers = result.customers.set_index("customer")
    human = customers[customers["human_onboarding"]]
    ended = human["onboarding_start_day"].fillna(human["churn_day"]).fillna(horizon_days)
    return ended - human["arrival_day"]


# (a) implementation specialists and the onboarding backlog ---------------------------------

def test_specialists_do_not_change_the_customers(onboarding_runs: dict[int, RunResult]) -> None:
    """The premise: who signs, when, and when they churn is the same for every team size."""
    _same_customers(onboarding_runs, ["customer", "arrival_day", "human_onboarding",
                                      "churn_day", "renewals"])


def test_backlog_spans_from_growing_to_none(onboarding_runs: dict[int, RunResult]) -> None:
    """Guard against a vacuous comparison: one specialist drowns, four keep up."""
    ends = [_total(onboarding_runs[heads])["onboarding_backlog_mean"].iloc[-1]
            for heads in SPECIALISTS]
    assert ends[0] > 50
    assert ends[0] > ends[-1]


def test_more_specialists_never_lengthen_the_backlog(
        onboarding_runs: dict[int, RunResult]) -> None:
    backlog = np.array([_total(onboarding_runs[heads])["onboarding_backlog_mean"].to_numpy()
                        for heads in SPECIALISTS])
    increase = np.diff(backlog, axis=0)
    worse = np.argwhere(increase > LEVEL_TOLERANCE)
    assert not len(worse), [(SPECIALISTS[row + 1], period + 1, increase[row, period])
                            for row, period in worse]


def test_more_specialists_never_make_a_customer_wait_longer(
        onboarding_runs: dict[int, RunResult]) -> None:
    horizon_days = onboarding_heavy(1)["horizon_months"] * 365.0 / 12
    waits = pd.DataFrame({heads: waits_so_far(onboarding_runs[heads], horizon_days)
                          for heads in SPECIALISTS})
    longer = waits.diff(axis=1).iloc[:, 1:] > LEVEL_TOLERANCE
    assert not longer.to_numpy().any(), waits[longer.any(axis=1)]
    means = waits.mean()
    assert means.is_monotonic_decreasing, means


# (b) book per CSM and missed touches ------------------------------------------------------

def test_csm_headcount_does_not_change_the_customers(touch_runs: dict[int, RunResult]) -> None:
    _same_customers(touch_runs, ["customer", "arrival_day", "tier", "acv", "state",
                                 "golive_day", "churn_day", "touches_due"])


def test_a_bigger_book_per_csm_never_reduces_missed_touches(
        touch_runs: dict[int, RunResult]) -> None:
    missed = pd.Series({csms: _total(touch_runs[csms])["touches_missed"].sum()
                        for csms in CSMS})
    assert missed.is_monotonic_increasing, missed
    assert missed[CSMS[-1]] > missed[CSMS[0]]
