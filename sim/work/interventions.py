"""CSM work on trigger tasks: who holds each task and how a CSM's week gets through them.

A task goes to the account's owning CSM; a risk task of an account without one goes to the
overflow CSM pool of its tier (``overflow_tiers``), to the member holding the fewest of its
tasks (and stays with them while they are on staff); one its holder has no hours for in a week
is done by the colleague with the most hours left, if it fits (``share_overflow_tasks``).
Nobody to take it: it waits, and expires unanswered at the renewal. In a CSM's week trigger
tasks come after onboardings and paced renewal work and before scheduled touches; risk tasks
first, oldest first, then handoffs to sales. A task is done whole or waits for next week. The
person works at an even pace through the week, so a task is done on the day its hours end in
the week's order of work; the response time is the days from the trigger to that day.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from sim.core.calendar import WEEK_DAYS
from sim.customers.triggers import Intervention, TriggerEngine, work_order
from sim.org.pools import Hours, Person, Pool
from sim.org.run import OrgRun
from sim.work.activity import log_one_customer_hours


def trigger_week(world: OrgRun, pool: Pool, members: list[Person], available: Hours,
                 worked: Hours, start: float) -> tuple[Hours, Hours]:
    """Hours of trigger tasks demanded of and done by each member of a CSM pool this week.

    Demanded: the hours of the tasks the member holds spread over ``task_pace_weeks``; done:
    as many whole tasks as fit in the hours left (more than the pace when there is time).

    Args:
        world: the run.
        pool: the CSM pool.
        members: its members this week.
        available: each member's hours available this week.
        worked: hours each member has already put into higher-priority work.
        start: the first day of the week.
    """
    engine = world.triggers
    if not engine.enabled:
        return {}, {}
    held = held_tasks(world, pool)
    done: Hours = {}
    for person in members:
        done[person.id] = _work_through(engine, person, held.get(person.id, []),
                                        worked[person.id], available[person.id], start)
    if engine.spec.share_overflow_tasks:
        _share_overflow(engine, members, held, available, worked, done, start)
    demanded = {person.id: sum(item.hours for item in held.get(person.id, []))
                / engine.spec.task_pace_weeks for person in members}
    return demanded, done


def _work_through(engine: TriggerEngine, person: Person, items: list[Intervention],
                  used: float, capacity: float, start: float) -> float:
    done = 0.0
    for item in items:
        if used + done + item.hours > capacity + 1e-9:
            break
        done += item.hours
        complete(engine, item, person, start + WEEK_DAYS * (used + done) / capacity)
    return done


def _share_overflow(engine: TriggerEngine, members: list[Person],
                    held: dict[int, list[Intervention]], available: Hours, worked: Hours,
                    done: Hours, start: float) -> None:
    """Give overflow tasks their holders had no hours for to the colleague with most hours left.

    In work order, each goes to the member with the most hours left this week if it fits there,
    and is done and counted in that member's demand.
    """
    owner = engine.book.owner
    left = sorted((item for person in members for item in held.get(person.id, [])
                   if item.waiting and owner[item.customer] < 0), key=work_order)
    free = {person.id: available[person.id] - worked[person.id] - done[person.id]
            for person in members}
    for item in left:
        taker = max(members, key=lambda person: (free[person.id], -person.id))
        if free[taker.id] < item.hours - 1e-9:
            continue
        held[item.holder].remove(item)
        held[taker.id] = [*held.get(taker.id, []), item]
        item.holder = taker.id
        free[taker.id] -= item.hours
        done[taker.id] += item.hours
        used = available[taker.id] - free[taker.id]
        complete(engine, item, taker, start + WEEK_DAYS * used / available[taker.id])


def held_tasks(world: OrgRun, pool: Pool) -> dict[int, list[Intervention]]:
    """Waiting tasks this pool's members hold, by member id, in the order they are worked.

    The engine keeps its tasks in that order (risk first, then by trigger day and customer).
    Only this pool's tasks are visited: those of accounts its members own, and the risk tasks
    of accounts without an owner in the tiers that overflow to it.
    """
    tasks = world.triggers.tasks
    if not tasks or not pool.members:
        return {}
    book = world.book
    customers = np.fromiter((item.customer for item in tasks), np.int64, len(tasks))
    owners = book.owner[customers]
    members = {person.id: person for person in pool.members}
    overflow = overflow_pools(world)
    overflows = np.array([overflow.get(tier) is pool for tier in range(len(world.scenario.tiers))])
    mine = np.isin(owners, list(members)) | ((owners < 0) & overflows[book.tier[customers]])
    load: Counter[int] = Counter()
    held: dict[int, list[Intervention]] = defaultdict(list)
    for index in np.flatnonzero(mine).tolist():
        item, owner = tasks[index], int(owners[index])
        if owner >= 0:
            held[owner].append(item)
        elif item.risk:
            person = members.get(item.holder) or _next_overflow_holder(item, pool, load)
            held[person.id].append(item)
            load[person.id] += 1
    return held


def overflow_pools(world: OrgRun) -> dict[int, Pool]:
    """The CSM pool taking the risk tasks of each tier's accounts without an owner."""
    return {world.scenario.tier_index(name): pool for pool in world.pools
            for name in pool.spec.overflow_tiers}


def _next_overflow_holder(item: Intervention, pool: Pool, load: Counter[int]) -> Person:
    """Give an overflow task nobody on staff holds to the member holding the fewest so far.

    Tasks are visited in work order, so ``load`` counts the overflow tasks already placed
    this week (kept holders included). The pool has members.
    """
    person = min(pool.members, key=lambda member: (load[member.id], member.id))
    item.holder = person.id
    return person


def complete(engine: TriggerEngine, item: Intervention, person: Person, day: float) -> None:
    """A CSM has done a task, on ``day``: count the outreach (or the handoff to sales)."""
    world = engine.world
    item.answered = day
    engine.remove_task(item)
    customer = item.customer
    tier = int(engine.book.tier[customer])
    days = day - item.raised
    engine.book.cycle_human_hours[customer] += item.hours
    log_one_customer_hours(world.ledger, engine.book, person.pool.index, customer, item.hours)
    if item.risk:
        world.tier_counters.add("outreach_done", tier)
        world.tier_counters.add("trigger_response_days_sum", tier, days)
    world.record("outreach" if item.risk else "expansion_handoff", customer, person.id, tier,
                 person.pool.index, wait_days=days)
