"""Activity-based cost: each pool's staff cost shared over tiers by the hours it worked for them.

A CSM, implementation, support or renewals pool's cost of a period goes to the tiers in
proportion to the hours of work it did for their customers that period (``sim.work.activity``):
onboarding, renewal work, touches, trigger tasks, tickets. CS Ops follows the hours of the CSM
teams it supports, leaders (and the derived leadership layers) the hours of all teams. A pool
that did no work for any customer in a period shares its cost by the hours it has worked since
the run started; one that never worked for a customer, by customer-days of the tiers it serves
(``allocate_staff_cost``). The shares of each amount sum to it, so the tiers' costs add up to
the total cost of every period, and a tier a pool never worked for gets none of that pool's
cost.
"""

from __future__ import annotations

import numpy as np

from sim.core.calendar import YEAR_DAYS
from sim.outputs.economics import allocate_staff_cost, allocate_to_tiers
from sim.scenario.schema import Scenario

DIRECT_ROLES = ("csm", "implementation", "support", "renewals")
"""Roles whose hours are logged against customers."""


def driver_hours(scenario: Scenario, hours: np.ndarray, index: int) -> np.ndarray:
    """Hours by tier that drive the cost of pool ``index``.

    A direct role: its own hours; CS Ops: the CSM pools' hours; a leader: every pool's hours.
    """
    role = scenario.pools[index].role
    if role in DIRECT_ROLES:
        return hours[index]
    if role == "cs_ops":
        rows = [index for index, pool in enumerate(scenario.pools) if pool.role == "csm"]
        return hours[rows].sum(axis=0) if rows else np.zeros(hours.shape[1])
    return hours.sum(axis=0)


def allocate_by_activity(scenario: Scenario, person_days: np.ndarray, customer_days: np.ndarray,
                         hours: np.ndarray, hours_to_date: np.ndarray) -> np.ndarray:
    """Staff cost of a period by tier, each pool's by the hours of work that drive it.

    Args:
        scenario: the run's scenario.
        person_days: each pool's person-days in the period.
        customer_days: each tier's customer-days under contract in the period.
        hours: hours by pool and tier in the period.
        hours_to_date: the same since the run started (this period included).
    """
    cost = np.zeros(len(scenario.tiers))
    for index, pool in enumerate(scenario.pools):
        weights = (driver_hours(scenario, hours, index),
                   driver_hours(scenario, hours_to_date, index))
        driver = next((weight for weight in weights if weight.sum() > 0), None)
        if driver is None:
            alone = np.where(np.arange(len(person_days)) == index, person_days, 0.0)
            cost += allocate_staff_cost(scenario, alone, customer_days)
        else:
            cost += allocate_to_tiers(person_days[index] * pool.annual_cost / YEAR_DAYS, driver)
    return cost


def leadership_weights(hours: np.ndarray, hours_to_date: np.ndarray,
                       customer_days: np.ndarray) -> np.ndarray:
    """What the derived leadership layers' cost follows: all teams' hours by tier."""
    for weight in (hours.sum(axis=0), hours_to_date.sum(axis=0)):
        if weight.sum() > 0:
            return weight
    return customer_days
