"""The hiring budget cap: no requisition that would take CS cost above a share of ARR.

With ``hiring.budget_cap_pct_arr`` set, every requisition (staffing plan, backfill or hiring
policy) is checked when it would open: the annualised CS cost with it -- everybody on staff and
under way at their annual cost, plus the new person, the derived leadership layers for the CSM
headcount that results, the tooling, shared and fixed costs of today's customers, and the
strategy costs running today -- as a percentage of today's ARR. Above the cap the requisition
is not opened and a ``hire_blocked`` event records the percentage it would have reached.
"""

from __future__ import annotations

from sim.core.world import World
from sim.org.pools import Pool
from sim.outputs.economics import headcount_cost_pct_arr


def within_budget(world: World, pool: Pool) -> bool:
    """Whether one more requisition for a pool fits under the cap (records ``hire_blocked``)."""
    cap = world.scenario.hiring.budget_cap_pct_arr
    if cap is None:
        return True
    share = cost_pct_arr_with_hire(world, pool)
    if share <= cap:
        return True
    world.record("hire_blocked", pool=pool.index, cost_pct_arr=share)
    return False


def cost_pct_arr_with_hire(world: World, pool: Pool) -> float:
    """Annualised CS cost with one more person in a pool, as a percentage of current ARR."""
    return headcount_cost_pct_arr(world, [
        len(other.members) + other.open_requisitions + int(other is pool)
        for other in world.pools])
