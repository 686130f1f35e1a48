"""Unit economics and retention: cost to serve, its allocation to tiers, GRR and NRR.

GRR and NRR use the standard cohort definitions (§0 glossary): the cohort is the
customers paying a year ago; NRR = their ARR now / their ARR then; GRR is the same with each
customer's ARR capped at its value a year ago (expansion excluded, churn at zero).
"""

from __future__ import annotations

import numpy as np

from sim.core.calendar import YEAR_DAYS
from sim.org.costs import allocate_to_tiers
from sim.scenario.routes import served_tiers
from sim.scenario.schema import Scenario


def cost_per_customer(csm_annual_cost: float, accounts_per_csm: float,
                      shared_cost: float, tooling_cost: float) -> float:
    """Annual CS cost per customer (§3.1): CSM cost / accounts + shared + tooling."""
    return csm_annual_cost / accounts_per_csm + shared_cost + tooling_cost


def cost_share_of_revenue(annual_cost_per_customer: float, acv: float) -> float:
    """CS cost as a share of the customer's annual revenue."""
    return annual_cost_per_customer / acv


def retention(base_arr: np.ndarray, base_tier: np.ndarray, now_arr: np.ndarray,
              n_tiers: int) -> tuple[np.ndarray, np.ndarray]:
    """Cohort GRR and NRR per tier (by tier a year ago) and overall (last element).

    Args:
        base_arr: every customer's ARR a year ago (0 if not paying then).
        base_tier: every customer's tier a year ago.
        now_arr: every customer's ARR now (0 if churned).
        n_tiers: number of tiers.

    Returns:
        Two arrays of length ``n_tiers + 1``: GRR and NRR (NaN where the cohort is empty).
    """
    cohort = base_arr > 0
    base = base_arr[cohort].astype(float)
    now = now_arr[cohort].astype(float)
    tier = base_tier[cohort]
    denominator = np.append(np.bincount(tier, base, n_tiers), base.sum())
    kept = np.minimum(now, base)
    gross = np.append(np.bincount(tier, kept, n_tiers), kept.sum())
    net = np.append(np.bincount(tier, now, n_tiers), now.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return gross / denominator, net / denominator


def allocate_staff_cost(scenario: Scenario, person_days: np.ndarray,
                        customer_days: np.ndarray) -> np.ndarray:
    """Staff cost of a period by tier.

    A CSM pool's cost goes to the tiers it serves, an implementation pool's to the tiers it
    onboards (named, or its pod's), other pools' cost to all tiers, in proportion to
    customer-days under contract (equal shares when there were none).
    """
    n_tiers = len(scenario.tiers)
    cost = np.zeros(n_tiers)
    for index, pool in enumerate(scenario.pools):
        amount = person_days[index] * pool.annual_cost / YEAR_DAYS
        tiers = (*served_tiers(scenario, pool), *pool.overflow_tiers)
        served = [scenario.tier_index(name) for name in tiers] or list(range(n_tiers))
        cost[served] += allocate_to_tiers(amount, customer_days[served])
    return cost


def costs_over_time(entries: list[tuple[float, float, float, int]], start: float, end: float,
                    customer_days: np.ndarray) -> np.ndarray:
    """Cost by tier in [start, end) of entries (from day, to day, USD per day, tier or -1).

    An entry for all tiers (-1) is shared in proportion to customer-days under contract.
    """
    cost = np.zeros(len(customer_days))
    for begin, finish, rate, tier in entries:
        amount = rate * max(0.0, min(end, finish) - max(start, begin))
        if tier < 0:
            cost += allocate_to_tiers(amount, customer_days)
        else:
            cost[tier] += amount
    return cost
