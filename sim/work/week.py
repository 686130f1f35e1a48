"""One pool's working week, whole: hours available, the week's work by role, accounting, burnout.

Each pool runs ``weekly_accounting``: at the start of a week every person's hours available are
set (CSMs' raised by the CS Ops gain, ``sim.org.cs_ops``) and the week's work is planned and done
(the role's week of work, ``sim.work.roles``); at its end the pool's hours demanded, available
and worked are accounted, burnout moves with the pressure (demanded / available) and each person
may quit with a hazard that rises with burnout (``sim.work.staffing.depart``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import simpy

from sim.core.calendar import WEEK_DAYS
from sim.core.ledger import PoolWeek
from sim.org.cs_ops import csm_productivity_gain
from sim.org.pools import Hours, Person, Pool, update_burnout, weekly_quit_probability
from sim.work.activity import log_customer_hours
from sim.work.interventions import trigger_week
from sim.work.renewals import rebalance, work_on_renewals
from sim.work.run import WorkRun
from sim.work.staffing import depart
from sim.work.touches import touches_week

WeekOfWork = Callable[[WorkRun, Pool, list[Person], Hours, float], tuple[Hours, Hours]]
"""(run, pool, members, hours available per person, start) -> hours demanded, worked per person.
Priorities: onboardings in progress (or a fixed load for roles whose work is not modelled), then
renewal work at the pace its dates need (earliest date first), then trigger tasks and scheduled
touches (CSMs; least recently touched account first), then renewal work ahead of pace. Hours
worked never exceed hours available; what does not fit is missed (touches, renewals) or waits
(tickets, trigger tasks)."""


def weekly_accounting(world: WorkRun, pool: Pool, week_of_work: WeekOfWork,
                      at_end: bool) -> Generator[simpy.Event, None, None]:
    """Every week: hours demanded, available and worked per person; burnout; attrition.

    A week's work (``week_of_work``, the role's) is planned and done at its start (so work counts
    for dates within the week), or, ``at_end`` (support, which works day by day), tallied at the
    week's end. Burnout and quitting follow at the end of the week.
    """
    while world.now + WEEK_DAYS <= world.horizon + 1e-9:
        start = world.now
        staff = list(pool.members)
        boost = 1.0 + csm_productivity_gain(world, pool, start)
        available = {person.id: boost * person.hours_available(start, world.scenario.hiring,
                                                               world.scenario.staff)
                     for person in staff}
        if not at_end:
            demanded, worked = week_of_work(world, pool, staff, available, start)
        yield world.env.timeout(WEEK_DAYS)
        # The week's staff who have not left; one who transferred counts here until the week ends.
        members = [person for person in staff if person.active]
        if at_end:
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
    # random() is uniform() on [0, 1) without its argument handling: the same draw, faster
    if person.rng.random() < weekly_quit_probability(person.burnout, dynamics):
        depart(world, person)


def support_week(world: WorkRun, pool: Pool, members: list[Person], available: Hours,
                 start: float) -> tuple[Hours, Hours]:
    """Support engineers: the tickets they answered day by day (tallied at the week's end)."""
    return world.support.week_for(pool, members, available)


def onboarding_week(world: WorkRun, pool: Pool, members: list[Person], available: Hours,
                    start: float) -> tuple[Hours, Hours]:
    """Onboardings in progress, then any renewal work held."""
    return _week(world, pool, members, available, start, _onboarding_load)


def renewals_week(world: WorkRun, pool: Pool, members: list[Person], available: Hours,
                  start: float) -> tuple[Hours, Hours]:
    """Renewal work, after moving what a member cannot do on pace to colleagues with room."""
    rebalance(world, members, available, start)
    return _week(world, pool, members, available, start, _onboarding_load)


def csm_week(world: WorkRun, pool: Pool, members: list[Person], available: Hours,
             start: float) -> tuple[Hours, Hours]:
    """Onboardings, renewal work at pace, trigger tasks, touches, renewal work ahead of pace."""
    return _week(world, pool, members, available, start, _onboarding_load, _account_work)


def fixed_load_week(world: WorkRun, pool: Pool, members: list[Person], available: Hours,
                    start: float) -> tuple[Hours, Hours]:
    """A fixed share of the hours on work not modelled here (`fixed_load`)."""
    return _week(world, pool, members, available, start, _fixed_load)


def _onboarding_load(world: WorkRun, pool: Pool, person: Person, available: float) -> float:
    return len(person.onboardings) * world.scenario.onboarding.hours_per_week


def _fixed_load(world: WorkRun, pool: Pool, person: Person, available: float) -> float:
    return pool.spec.fixed_load * available


FirstDuty = Callable[[WorkRun, Pool, Person, float], float]
AccountWork = Callable[[WorkRun, Pool, list[Person], Hours, Hours, float], tuple[Hours, Hours]]


def _week(world: WorkRun, pool: Pool, members: list[Person], available: Hours, start: float,
          first_duty: FirstDuty, account_work: AccountWork | None = None) -> tuple[Hours, Hours]:
    """First duties and paced renewal work, the account work, then renewal work ahead of pace."""
    demanded: Hours = {}
    worked: Hours = {}
    for person in members:
        demanded[person.id], worked[person.id] = _first_duties(
            world, person, available[person.id], start, first_duty(world, pool, person,
                                                                   available[person.id]))
    if account_work is not None:
        more_demanded, more_worked = account_work(world, pool, members, available, worked, start)
        for pid in worked:
            demanded[pid] += more_demanded.get(pid, 0.0)
            worked[pid] += more_worked.get(pid, 0.0)
    for person in members:
        spare = available[person.id] - worked[person.id]
        if person.renewal_tasks and spare > 0:
            worked[person.id] += work_on_renewals(world, person, spare, start, paced=False)[1]
    return demanded, worked


def _account_work(world: WorkRun, pool: Pool, members: list[Person], available: Hours,
                  worked: Hours, start: float) -> tuple[Hours, Hours]:
    """CSMs: trigger tasks, then scheduled touches in the hours left."""
    task_demand, task_done = trigger_week(world, pool, members, available, worked, start)
    left = {pid: available[pid] - worked[pid] - task_done.get(pid, 0.0) for pid in worked}
    touch_demand, touch_done = touches_week(world, pool, start + WEEK_DAYS, left)
    demanded = {pid: touch_demand.get(pid, 0.0) + task_demand.get(pid, 0.0) for pid in worked}
    done = {pid: touch_done.get(pid, 0.0) + task_done.get(pid, 0.0) for pid in worked}
    return demanded, done


def _first_duties(world: WorkRun, person: Person, available: float, start: float,
                  first: float) -> tuple[float, float]:
    """A first duty of ``first`` hours, then renewal work at pace."""
    done = min(first, available)
    if person.onboardings:
        log_customer_hours(world.ledger, world.book, person.pool.index,
                           sorted(person.onboardings), done)
    renewal_demand, renewal_done = work_on_renewals(world, person, available - done, start,
                                                    paced=True)
    return first + renewal_demand, done + renewal_done
