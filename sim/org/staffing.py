"""Hiring, transfers, departures and the weekly workload accounting of every staff pool.

Requisitions open from the staffing plan, (if backfill is on) on each departure and from a
hiring policy (``sim.policies.hiring``), unless the budget cap blocks them (``sim.org.budget``); a
hire
arrives after the lead time and ramps up. Each week every person's hours demanded, available and
worked are accounted (CSMs' available hours raised by the CS Ops gain, ``sim.org.cs_ops``), burnout
moves with the pressure (demanded / available) and each person may quit with a hazard that rises
with burnout.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.core.calendar import MONTH_DAYS, WEEK_DAYS
from sim.core.world import PoolWeek, World
from sim.org.budget import within_budget
from sim.org.cs_ops import csm_productivity_gain
from sim.org.leadership import follow_csm_headcount
from sim.org.pools import Person, Pool, update_burnout, weekly_quit_probability
from sim.org.routing import renewal_holder_for
from sim.work.renewals import adopt_orphan_tasks, hand_task, take_share
from sim.work.touches import adopt_orphans, reassign, take_accounts
from sim.work.week import week_of_work


def staff_up(world: World) -> None:
    """Put each pool's starting headcount on staff (fully ramped) and start its processes."""
    for pool in world.pools:
        for _ in range(pool.spec.headcount):
            join(world, pool, hired_day=-np.inf, announce=False)
        if pool.spec.staffing_plan:
            world.env.process(staffing_plan(world, pool))


def join(world: World, pool: Pool, hired_day: float, announce: bool = True) -> Person:
    """A person joins a pool, picks up work nobody holds and a share of the rest.

    A share of the pool's renewal work (renewals specialists) or accounts (CSMs), see
    ``docs/open-work.md``.
    """
    person = Person(world.next_person_id, pool, hired_day,
                    world.streams.for_person(world.next_person_id))
    world.next_person_id += 1
    world.people[person.id] = person
    _add_member(world, pool, person)
    if announce:
        world.pool_counters.add("hires", pool.index)
        world.record("hire", staff=person.id, pool=pool.index)
    if pool.role == "csm":
        adopt_orphans(world, pool)
        take_accounts(world, person)
    if pool.role == "renewals":
        adopt_orphan_tasks(world)
        take_share(world, person)
    _dispatch(world, pool)
    return person


def transfer(world: World, person: Person, target: Pool) -> None:
    """Move a free implementation specialist to another implementation pool.

    They keep their id, ramp-up, burnout and random stream; the week under way is accounted in
    the old pool (``weekly_accounting``), and the new pool's queue is served at once.
    """
    source = person.pool
    _remove_member(world, source, person)
    person.pool = target
    _add_member(world, target, person)
    world.pool_counters.add("transfers_out", source.index)
    world.pool_counters.add("transfers_in", target.index)
    world.record("transfer", staff=person.id, pool=target.index, from_pool=source.index)
    _dispatch(world, target)


def _add_member(world: World, pool: Pool, person: Person) -> None:
    """Put a person on a pool's staff: members, headcount level and the derived leaders."""
    pool.members.append(person)
    pool.changes += 1
    world.headcount_level.change(pool.index, +1, world.now)
    if pool.role == "csm":
        follow_csm_headcount(world)


def _remove_member(world: World, pool: Pool, person: Person) -> None:
    """Take a person off a pool's staff: members, headcount level and the derived leaders."""
    pool.members.remove(person)
    pool.changes += 1
    world.headcount_level.change(pool.index, -1, world.now)
    if pool.role == "csm":
        follow_csm_headcount(world)


def _dispatch(world: World, pool: Pool) -> None:
    """Let the pool's onboarding queue (if it has one) hand waiting customers to free slots."""
    desk = world.desks.get(pool.index)
    if desk is not None:
        desk.dispatch()


def open_requisition(world: World, pool: Pool, metric: float = 0.0) -> bool:
    """Start hiring one person into a pool; they arrive after the lead time.

    Args:
        world: the run.
        pool: the pool to hire into.
        metric: what triggered it, recorded as the event's ``metric`` (0: plan or backfill).

    Returns:
        Whether the requisition opened (the budget cap may block it).
    """
    if not within_budget(world, pool):
        return False
    pool.open_requisitions += 1
    world.record("requisition", pool=pool.index, metric=metric)
    world.env.process(_hire_after_lead_time(world, pool))
    return True


def _hire_after_lead_time(world: World, pool: Pool) -> Generator[simpy.Event, None, None]:
    yield world.env.timeout(world.scenario.hiring.lead_time_days)
    pool.open_requisitions -= 1
    join(world, pool, hired_day=world.now)


def staffing_plan(world: World, pool: Pool) -> Generator[simpy.Event, None, None]:
    """Open requisitions so that headcount plus open requisitions reach each plan step."""
    for step in pool.spec.staffing_plan:
        day = step.month * MONTH_DAYS
        if day >= world.horizon:
            return
        if day > world.now:
            yield world.env.timeout(day - world.now)
        shortfall = step.headcount - len(pool.members) - pool.open_requisitions
        for _ in range(max(0, shortfall)):
            if not open_requisition(world, pool):
                break


def depart(world: World, person: Person) -> None:
    """A person leaves: their work is handed on at once.

    Accounts go to the least-loaded CSM (a change of CSM each), renewal work to the colleague
    holding the fewest open renewal hours (``renewal_holder_for``), unfinished onboardings back
    to the front of the queue.
    """
    pool = person.pool
    person.active = False
    _remove_member(world, pool, person)
    world.pool_counters.add("departures", pool.index)
    world.record("departure", staff=person.id, pool=pool.index, burnout=person.burnout)
    for account in np.flatnonzero(world.book.owner == person.id):
        reassign(world, int(account))
    for customer in sorted(person.renewal_tasks):
        hand_task(world, customer, renewal_holder_for(world, customer))
    for customer in sorted(person.onboardings):
        process = world.journeys.get(customer)
        if process is not None and process.is_alive:
            process.interrupt("handover")
    if world.scenario.hiring.backfill:
        open_requisition(world, pool)


def weekly_accounting(world: World, pool: Pool) -> Generator[simpy.Event, None, None]:
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


def _account(world: World, pool: Pool, members: list[Person], available: dict[int, float],
             demanded: dict[int, float], worked: dict[int, float]) -> None:
    utilisation = tuple(worked[p.id] / available[p.id] if available[p.id] else 0.0
                        for p in members)
    world.weeks.append(PoolWeek(
        pool.index, world.now - WEEK_DAYS, sum(demanded[p.id] for p in members),
        sum(available[p.id] for p in members), sum(worked[p.id] for p in members),
        utilisation))


def _burn_and_maybe_quit(world: World, person: Person, demanded: float,
                         available: float) -> None:
    dynamics = world.scenario.staff
    pressure = demanded / available if available > 0 else 0.0
    person.burnout = update_burnout(person.burnout, pressure, dynamics)
    if person.rng.uniform() < weekly_quit_probability(person.burnout, dynamics):
        depart(world, person)
