"""The hiring budget cap: no requisition that would take CS cost above a share of ARR.

With ``hiring.budget_cap_pct_arr`` set, every requisition (staffing plan, backfill or hiring
policy) is checked when it would open: the annualised CS cost with it -- everybody on staff and
under way at their annual cost, plus the new person, the derived leadership layers for the CSM
headcount that results, the tooling, shared and fixed costs of today's customers, and the
strategy costs running today -- as a percentage of today's ARR. Above the cap the requisition
is not opened and a ``hire_blocked`` event records the percentage it would have reached.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from sim.core.calendar import YEAR_DAYS
from sim.org.costs import other_costs
from sim.org.pools import Pool
from sim.org.run import OrgRun
from sim.scenario.vocabulary import CSM


def within_budget(world: OrgRun, pool: Pool) -> bool:
    """Whether one more requisition for a pool fits under the cap (records ``hire_blocked``)."""
    cap = world.scenario.hiring.budget_cap_pct_arr
    if cap is None:
        return True
    share = cost_pct_arr_with_hire(world, pool)
    if share <= cap:
        return True
    world.record("hire_blocked", pool=pool.index, cost_pct_arr=share)
    return False


def cost_pct_arr_with_hire(world: OrgRun, pool: Pool) -> float:
    """Annualised CS cost with one more person in a pool, as a percentage of current ARR."""
    return headcount_cost_pct_arr(world, [
        len(other.members) + other.open_requisitions + int(other is pool)
        for other in world.pools])


def annual_cost_pct_arr(world: OrgRun, staff_cost: float) -> float:
    """An annual staff cost plus a year of today's non-staff costs, as a percentage of ARR.

    The non-staff costs are the tooling and shared costs of the customers paying today, every
    tier's fixed automation cost and a year of the strategy costs running today (the one-off
    cost of a change in progress at its daily rate, and the fixed costs a change added). ARR is
    today's; without ARR the percentage is infinite.
    """
    scenario, book = world.scenario, world.book
    paying = book.paying()
    customers = np.bincount(book.tier[paying], minlength=len(scenario.tiers))
    non_staff = float(other_costs(scenario, customers * YEAR_DAYS, YEAR_DAYS).sum())
    strategy = YEAR_DAYS * sum(rate for start, end, rate, _ in world.costs_over_time
                               if start <= world.now < end)
    arr = float(book.acv[paying].sum())
    total = staff_cost + non_staff + strategy
    return 100.0 * total / arr if arr > 0 else math.inf


def headcount_cost_pct_arr(world: OrgRun, headcounts: Sequence[int]) -> float:
    """A year of CS cost with the given headcount in each pool, as a percentage of ARR.

    Each pool's headcount at its annual cost, the derived leadership layers of the CSM
    headcount among them, and a year of today's non-staff costs (``annual_cost_pct_arr``).

    Args:
        world: the run.
        headcounts: people counted in each pool, in the order of ``world.pools``.
    """
    counted = list(zip(headcounts, world.pools, strict=True))
    staff = sum(count * pool.spec.annual_cost for count, pool in counted)
    csms = sum(count for count, pool in counted if pool.role == CSM)
    return annual_cost_pct_arr(world, staff + world.scenario.leadership.annual_cost(csms))
