"""The usage signal against its theory: a log-usage random walk with a θ-loaded drift.

Each month every live customer's log usage moves by drift − risk_loading·θ + volatility·z with
z ~ N(0, 1) drawn fresh, so the standardised change has mean 0 and variance 1 whoever is still
live, and the share of months with a drop past the threshold is Φ((log(1 − threshold) − μ)/σ)
for a customer with drift μ. Tolerances are 4 standard errors from the number of
customer-months observed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim import parse_scenario, run
from sim.customers.usage import UsageWalk, detect
from sim.model import build, simulate
from sim.policies.run import PolicyRun
from sim.scenario.triggers import Triggers, UsageSignal

USAGE = {"volatility": 0.25, "drift": 0.03, "risk_loading": 1.2}


def tech_book(customers: int = 3000, months: int = 12, **triggers: object) -> dict:
    """A tech-touch book (no CSMs, no tickets, no arrivals) with the trigger engine on."""
    return {
        "name": "usage_book", "horizon_months": months, "org_model": "specialist",
        "tiers": [{"name": "tech", "acv_min": 0, "acv_max": 10000,
                   "acv": {"kind": "lognormal", "mean": 4000, "cv": 0.5},
                   "touch_model": "tech", "mix": 1.0, "tickets_per_month": 0.0,
                   "human_onboarding_share": 0.0, "churn": {"alpha": 1.0, "beta": 3.0}},
                  {"name": "big", "acv_min": 10000, "acv": {"kind": "fixed", "value": 20000},
                   "touch_model": "low", "mix": 0.0, "tickets_per_month": 0.0,
                   "human_onboarding_share": 0.0, "churn": {"alpha": 1.0, "beta": 3.0}}],
        "growth": {"initial_customers": {"tech": customers}},
        "pools": [{"name": "csm_big", "role": "csm", "tiers": ["big"], "annual_cost": 100000,
                   "headcount": 1},
                  {"name": "renewals", "role": "renewals", "annual_cost": 100000,
                   "headcount": 1}],
        "triggers": {"enabled": True, "usage": USAGE, **triggers},
    }


def simulated_with_history(data: dict, seed: int) -> PolicyRun:
    world = build(parse_scenario(data), seed)
    world.triggers.walk.history = [(0.0, world.triggers.walk.log_usage.copy())]
    simulate(world)
    return world


def monthly_changes(world: PolicyRun) -> tuple[np.ndarray, np.ndarray]:
    """(customer, change in log usage) for every customer live over a whole month."""
    history = world.triggers.walk.history
    assert history is not None
    book = world.book
    customers, changes = [], []
    for (_, before), (day, after) in zip(history, history[1:], strict=False):
        live = (book.golive_day <= day) & ~(book.churn_day <= day)
        moved = np.flatnonzero(live & ~np.isnan(before))
        customers.append(moved)
        changes.append(after[moved] - before[moved])
    return np.concatenate(customers), np.concatenate(changes)


@pytest.fixture(scope="module")
def usage_world() -> PolicyRun:
    return simulated_with_history(tech_book(), seed=11)


def test_log_usage_change_has_the_walks_mean_and_variance(usage_world: PolicyRun) -> None:
    customers, change = monthly_changes(usage_world)
    n = len(change)
    assert n > 20000
    theta = usage_world.book.theta[customers]
    mean = USAGE["drift"] - USAGE["risk_loading"] * theta
    standardised = (change - mean) / USAGE["volatility"]
    assert abs(standardised.mean()) < 4 / math.sqrt(n)
    # Variance of a sample variance of normals: 2 / (n − 1).
    assert abs(standardised.var(ddof=1) - 1) < 4 * math.sqrt(2 / (n - 1))


def test_the_drift_falls_with_the_latent_churn_probability(usage_world: PolicyRun) -> None:
    customers, change = monthly_changes(usage_world)
    theta = usage_world.book.theta[customers]
    fit = stats.linregress(theta, change)
    assert abs(fit.slope + USAGE["risk_loading"]) < 4 * fit.stderr
    assert abs(fit.intercept - USAGE["drift"]) < 4 * fit.intercept_stderr


def test_usage_drops_occur_at_the_rate_the_walk_implies(usage_world: PolicyRun) -> None:
    """Expected drops: Σ Φ((log 0.5 − μ_i)/σ) over customer-months; Poisson-binomial SD."""
    customers, change = monthly_changes(usage_world)
    theta = usage_world.book.theta[customers]
    mean = USAGE["drift"] - USAGE["risk_loading"] * theta
    chance = stats.norm.cdf((math.log(0.5) - mean) / USAGE["volatility"])
    expected, spread = chance.sum(), math.sqrt((chance * (1 - chance)).sum())
    observed = np.count_nonzero(change <= math.log(0.5))
    assert abs(observed - expected) < 4 * spread
    # Informative: the riskiest quarter drops far more often than the safest quarter.
    high, low = theta >= np.quantile(theta, 0.75), theta <= np.quantile(theta, 0.25)
    assert (change[high] <= math.log(0.5)).mean() > 5 * (change[low] <= math.log(0.5)).mean()


def test_first_observation_is_the_healthy_level_and_the_dead_do_not_move() -> None:
    walk = UsageWalk.of(UsageSignal(volatility=1.0, drift=0.5, risk_loading=0.0),
                        np.zeros(4))
    walk.log_usage[0] = 0.0
    live = np.array([True, True, False, False])
    walk.step(live, np.array([1.0, 5.0, 5.0, 5.0]), day=30.0)
    np.testing.assert_array_equal(walk.log_usage[:2], [1.5, 0.0])
    assert np.isnan(walk.log_usage[2:]).all()
    walk.step(np.array([False, True, False, False]), np.full(4, -1.0), day=60.0)
    np.testing.assert_array_equal(walk.log_usage[:2], [1.5, -0.5])


def test_detect_reads_the_thresholds_inclusively() -> None:
    spec = Triggers(enabled=True)
    previous = np.log(np.array([1.0, 1.0, 1.0, 1.0, 0.2, 0.1, 0.05, np.nan]))
    current = np.log(np.array([0.5, 0.5000001, 1.5, 1.4999999, 0.0999, 0.09, 0.04, 0.01]))
    signals = detect(previous, current, spec)
    np.testing.assert_array_equal(signals.drop, [0, 4])
    np.testing.assert_array_equal(signals.growth, [2])
    # Inactivity fires on the way down through the level (from at or above it), once.
    np.testing.assert_array_equal(signals.inactive, [4, 5])
    assert np.isnan(signals.ratio[7])
    quiet = detect(previous, current, Triggers(enabled=True, usage_drop={"enabled": False},
                                               inactivity={"enabled": False},
                                               expansion={"enabled": False}))
    assert len(quiet.drop) == len(quiet.growth) == len(quiet.inactive) == 0


def test_shocks_are_common_random_numbers_across_staffing_variants() -> None:
    """The draws do not depend on who is live: customers live in both runs move alike."""
    data = tech_book(customers=400, months=8)
    data["pools"].append({"name": "overflow", "role": "csm", "overflow_tiers": ["tech"],
                          "annual_cost": 100000, "headcount": 0})
    lean = simulated_with_history(data, seed=3)
    data["pools"][-1]["headcount"] = 3
    staffed = simulated_with_history(data, seed=3)
    assert lean.triggers is not None and staffed.triggers is not None
    both = (lean.book.state == staffed.book.state) & (lean.book.state == 3)
    assert both.sum() > 100
    np.testing.assert_array_equal(lean.triggers.walk.log_usage[both],
                                  staffed.triggers.walk.log_usage[both])


def test_the_engine_draws_nothing_from_other_streams() -> None:
    data = tech_book(customers=300, months=6)
    on = run(parse_scenario(data), seed=5).customers
    data["triggers"] = {"enabled": False}
    off = run(parse_scenario(data), seed=5).customers
    for column in ("customer", "acv_initial", "theta", "arrival_day", "complexity"):
        np.testing.assert_array_equal(on[column].to_numpy(), off[column].to_numpy())
    assert on.usage.notna().all() and off.usage.isna().all()
