"""One week of work for each role: what was demanded of each person and what they did."""

from __future__ import annotations

from sim.core.calendar import WEEK_DAYS
from sim.core.world import World
from sim.org.pools import Hours, Person, Pool
from sim.work.interventions import trigger_week
from sim.work.renewals import rebalance, work_on_renewals
from sim.work.touches import touches_week


def week_of_work(world: World, pool: Pool, members: list[Person], available: Hours,
                 start: float) -> tuple[Hours, Hours]:
    """Hours demanded and worked per person in the week that began at ``start``.

    A renewals pool first moves work a member cannot do on pace to colleagues with room
    (``renewal_work.rebalance``). Priorities: onboardings in progress, then renewal work at the
    pace its dates need (earliest date first), then trigger tasks (CSMs; see ``trigger_work``),
    then scheduled touches (CSMs; least recently touched account first), then renewal work ahead
    of pace. Hours worked never exceed hours available; what does not fit is missed (touches,
    renewals) or waits (tickets, trigger tasks).
    """
    if pool.role == "support":
        return world.support_desk.week_for(pool, members, available)
    if pool.role == "renewals":
        rebalance(world, members, available, start)
    demanded: Hours = {}
    worked: Hours = {}
    for person in members:
        demanded[person.id], worked[person.id] = _first_duties(world, pool, person,
                                                               available[person.id], start)
    if pool.role == "csm":
        task_demand, task_done = trigger_week(world, pool, members, available, worked, start)
        left = {pid: available[pid] - worked[pid] - task_done.get(pid, 0.0) for pid in worked}
        touch_demand, touch_done = touches_week(world, pool, start + WEEK_DAYS, left)
        for pid in worked:
            demanded[pid] += touch_demand.get(pid, 0.0) + task_demand.get(pid, 0.0)
            worked[pid] += touch_done.get(pid, 0.0) + task_done.get(pid, 0.0)
    for person in members:
        spare = available[person.id] - worked[person.id]
        if person.renewal_tasks and spare > 0:
            worked[person.id] += work_on_renewals(world, person, spare, start, paced=False)[1]
    return demanded, worked


def _first_duties(world: World, pool: Pool, person: Person, available: float,
                  start: float) -> tuple[float, float]:
    """Onboardings (or a fixed load for unmodelled roles), then renewal work at pace."""
    if pool.role in ("cs_ops", "leader"):
        first = pool.spec.fixed_load * available
    else:
        first = len(person.onboardings) * world.scenario.onboarding.hours_per_week
    done = min(first, available)
    renewal_demand, renewal_done = work_on_renewals(world, person, available - done, start,
                                                    paced=True)
    return first + renewal_demand, done + renewal_done
