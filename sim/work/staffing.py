"""Hiring, transfers and departures, and the work that moves with each of them.

Requisitions open from the staffing plan, (if backfill is on) on each departure and from a
hiring policy (``sim.policies.hiring``), unless the budget cap blocks them (``sim.org.budget``); a
hire arrives after the lead time and ramps up. Who quits, and when, is decided with each week's
accounting (``sim.work.week``).
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.core.calendar import MONTH_DAYS
from sim.org.budget import within_budget
from sim.org.headcount import add_member, new_person, remove_member
from sim.org.pools import Person, Pool
from sim.scenario.vocabulary import CSM, RENEWALS
from sim.work.desks import desk_for
from sim.work.renewals import adopt_orphan_tasks, hand_task, renewal_holder_for, take_share
from sim.work.run import WorkRun
from sim.work.touches import adopt_orphans, reassign, take_accounts


def staff_up(world: WorkRun) -> None:
    """Put each pool's starting headcount on staff (fully ramped) and start its processes."""
    for pool in world.pools:
        for _ in range(pool.spec.headcount):
            join(world, pool, hired_day=-np.inf, announce=False)
        if pool.spec.staffing_plan:
            world.env.process(staffing_plan(world, pool))


def join(world: WorkRun, pool: Pool, hired_day: float, announce: bool = True) -> Person:
    """A person joins a pool, picks up work nobody holds and a share of the rest.

    A share of the pool's renewal work (renewals specialists) or accounts (CSMs), see
    ``docs/open-work.md``.
    """
    person = new_person(world, pool, hired_day)
    add_member(world, pool, person)
    if announce:
        world.pool_counters.add("hires", pool.index)
        world.record("hire", staff=person.id, pool=pool.index)
    if pool.role == CSM:
        adopt_orphans(world, pool)
        take_accounts(world, person)
    if pool.role == RENEWALS:
        adopt_orphan_tasks(world)
        take_share(world, person)
    _dispatch(world, pool)
    return person


def transfer(world: WorkRun, person: Person, target: Pool) -> None:
    """Move a free implementation specialist to another implementation pool.

    They keep their id, ramp-up, burnout and random stream; the week under way is accounted in
    the old pool (``sim.work.week.weekly_accounting``), and the new pool's queue is served at once.
    """
    source = person.pool
    remove_member(world, source, person)
    person.pool = target
    add_member(world, target, person)
    world.pool_counters.add("transfers_out", source.index)
    world.pool_counters.add("transfers_in", target.index)
    world.record("transfer", staff=person.id, pool=target.index, from_pool=source.index)
    _dispatch(world, target)


def _dispatch(world: WorkRun, pool: Pool) -> None:
    """Let the pool's onboarding queue (if it has one) hand waiting customers to free slots."""
    desk_for(world, pool).dispatch()


def open_requisition(world: WorkRun, pool: Pool, metric: float = 0.0) -> bool:
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


def _hire_after_lead_time(world: WorkRun, pool: Pool) -> Generator[simpy.Event, None, None]:
    yield world.env.timeout(world.scenario.hiring.lead_time_days)
    pool.open_requisitions -= 1
    join(world, pool, hired_day=world.now)


def staffing_plan(world: WorkRun, pool: Pool) -> Generator[simpy.Event, None, None]:
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


def depart(world: WorkRun, person: Person) -> None:
    """A person leaves: their work is handed on at once.

    Accounts go to the least-loaded CSM (a change of CSM each), renewal work to the colleague
    holding the fewest open renewal hours (``renewal_holder_for``), unfinished onboardings back
    to the front of the queue.
    """
    pool = person.pool
    person.active = False
    remove_member(world, pool, person)
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
