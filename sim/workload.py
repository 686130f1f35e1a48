"""One week of work for each role: what was demanded of each person and what they did."""

from __future__ import annotations

from sim.calendar import WEEK_DAYS
from sim.customers.engagement import touches_week
from sim.customers.renewal import work_on_renewals
from sim.organisation import Person, Pool
from sim.world import World

Hours = dict[int, float]


def week_of_work(world: World, pool: Pool, members: list[Person], available: Hours,
                 start: float) -> tuple[Hours, Hours]:
    """Hours demanded and worked per person in the week that began at ``start``.

    Priorities for a CSM: onboardings in progress, then renewal work (earliest date first), then
    scheduled touches (least recently touched account first). Hours worked never exceed hours
    available; what does not fit is missed (touches, renewals) or waits (tickets).
    """
    role = pool.role
    if role == "support":
        return world.support.week_for(pool, members, available)
    demanded: Hours = {}
    worked: Hours = {}
    left: Hours = {}
    for person in members:
        onboarding = len(person.onboardings) * world.scenario.onboarding.hours_per_week
        if role in ("cs_ops", "leader"):
            onboarding = pool.spec.fixed_load * available[person.id]
        done = min(onboarding, available[person.id])
        renewal_demand, renewal_done = work_on_renewals(world, person,
                                                        available[person.id] - done)
        demanded[person.id] = onboarding + renewal_demand
        worked[person.id] = done + renewal_done
        left[person.id] = available[person.id] - worked[person.id]
    if role == "csm":
        touch_demand, touch_done = touches_week(world, pool, start + WEEK_DAYS, left)
        for person in members:
            demanded[person.id] += touch_demand.get(person.id, 0.0)
            worked[person.id] += touch_done.get(person.id, 0.0)
    return demanded, worked
