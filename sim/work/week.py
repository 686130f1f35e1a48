"""One pool's working week, whole: hours available, the week's work by role, accounting, burnout.

Each pool runs ``weekly_accounting``: at the start of a week every person's hours available are
set (CSMs' raised by the CS Ops gain, ``sim.org.cs_ops``) and the week's work is planned and done
(``week_of_work``); at its end the pool's hours demanded, available and worked are accounted,
burnout moves with the pressure (demanded / available) and each person may quit with a hazard
that rises with burnout (``sim.work.staffing.depart``).
"""

from __future__ import annotations

from collections.abc import Generator

import simpy

from sim.core.calendar import WEEK_DAYS
from sim.core.ledger import PoolWeek
from sim.org.cs_ops import csm_productivity_gain
from sim.org.pools import Hours, Person, Pool, update_burnout, weekly_quit_probability
from sim.work.interventions import trigger_week
from sim.work.renewals import rebalance, work_on_renewals
from sim.work.run import WorkRun
from sim.work.staffing import depart
from sim.work.touches import touches_week


def weekly_accounting(world: WorkRun, pool: Pool) -> Generator[simpy.Event, None, None]:
    """Every week: hours demanded, available and worked per person; burnout; attrition.

    A week's work is planned and done at its start (so work counts for dates within the week);
    support works day by day and is tallied at the week's end. Burnout and quitting follow at
    the end of the week.
    """
    while world.now + WEEK_DAYS <= world.horizon + 1e-9:
        start = world.now
        staff = list(pool.members)
        boost = 1.0 + csm_productivity_gain(world, pool, start)
        available = {person.id: boost * person.hours_available(start, world.scenario.hiring,
                                                               world.scenario.staff)
                     for person in staff}
        if pool.role != "support":
            demanded, worked = week_of_work(world, pool, staff, available, start)
        yield world.env.timeout(WEEK_DAYS)
        # The week's staff who have not left; one who transferred counts here until the week ends.
        members = [person for person in staff if person.active]
        if pool.role == "support":
            demanded, worked = week_of_work(world, pool, members, available, start)
        _account(world, pool, members, available, demanded, worked)
        for person in members:
            _burn_and_maybe_quit(world, person, demanded[person.id], available[person.id])


def _account(world: WorkRun, pool: Pool, members: list[Person], available: dict[int, float],
             demanded: dict[int, float], worked: dict[int, float]) -> None:
    utilisation = tuple(worked[p.id] / available[p.id] if available[p.id] else 0.0
                        for p in members)
    world.weeks.append(PoolWeek(
        pool.index, world.now - WEEK_DAYS, sum(demanded[p.id] for p in members),
        sum(available[p.id] for p in members), sum(worked[p.id] for p in members),
        utilisation))


def _burn_and_maybe_quit(world: WorkRun, person: Person, demanded: float,
                         available: float) -> None:
    dynamics = world.scenario.staff
    pressure = demanded / available if available > 0 else 0.0
    person.burnout = update_burnout(person.burnout, pressure, dynamics)
    if person.rng.uniform() < weekly_quit_probability(person.burnout, dynamics):
        depart(world, person)




def week_of_work(world: WorkRun, pool: Pool, members: list[Person], available: Hours,
                 start: float) -> tuple[Hours, Hours]:
    """Hours demanded and worked per person in the week that began at ``start``.

    A renewals pool first moves work a member cannot do on pace to colleagues with room
    (``sim.work.renewals.rebalance``). Priorities: onboardings in progress, then renewal work at
    the pace its dates need (earliest date first), then trigger tasks (CSMs; see
    ``sim.work.interventions``), then scheduled touches (CSMs; least recently touched account
    first), then renewal work ahead of pace. Hours worked never exceed hours available; what does
    not fit is missed (touches, renewals) or waits (tickets, trigger tasks).
    """
    if pool.role == "support":
        return world.support.week_for(pool, members, available)
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


def _first_duties(world: WorkRun, pool: Pool, person: Person, available: float,
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
