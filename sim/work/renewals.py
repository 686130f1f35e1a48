"""Renewal work: the hours an account owner must put in before each renewal date.

The holder (the CSM in the generalist model, else a renewals specialist serving the customer's
region, see ``renewal_holder_for``) must put in the tier's ``renewal_hours`` during the
``window_days`` before the date. Work is done in weekly slices at the pace the date needs; whatever
is left on the date makes the renewal missed.

Renewals specialists share their pool's work (``docs/open-work.md``): a new task goes to the
one holding the fewest open hours, a leaver's tasks go the same way, a new hire takes over a
share of the pool's open work (``renewals.new_hire_share``), and each week a specialist who
cannot keep the pace hands tasks to a colleague with room (``renewals.rebalance_threshold``).
"""

from __future__ import annotations

import math
from operator import attrgetter

from sim.core.calendar import WEEK_DAYS
from sim.org.pools import Hours, Person
from sim.org.routing import csm_renews, renewal_pools_for
from sim.work.activity import log_one_customer_hours
from sim.work.run import RenewalTask, WorkRun

__all__ = ["RenewalTask", "adopt_orphan_tasks", "close_task", "hand_task", "open_task",
           "open_tasks", "rebalance", "renewal_holder_for", "renewal_pace", "take_share",
           "work_on_renewals"]


def renewal_holder_for(world: WorkRun, customer: int) -> Person | None:
    """Who should do a customer's renewal work.

    Its CSM in the generalist model; else the member of the renewals pools serving its region
    who holds the fewest hours of open renewal work (ties: earliest hire).
    """
    if csm_renews(world, customer):
        owner = int(world.book.owner[customer])
        return world.people[owner] if owner >= 0 else None
    staff = [person for pool in renewal_pools_for(world, customer) for person in pool.members]
    return min(staff, key=lambda person: (world.renewal_hours_held(person), person.id),
               default=None)


def open_task(world: WorkRun, customer: int, due_day: float) -> None:
    """Open the renewal work for a customer's next renewal, if its tier needs any."""
    hours = world.renewal_hours(customer)
    if hours <= 0:
        return
    if world.now <= 0 and world.book.initial_live[customer]:
        # The initial book's work before day 0 was done on pace: only the rest remains.
        hours *= min(1.0, due_day / world.scenario.renewals.window_days)
    task = RenewalTask(customer, due_day, hours)
    previous = world.renewal_tasks.get(customer)
    if previous is not None and previous.holder is not None:
        previous.holder.held_hours = None
    world.renewal_tasks[customer] = task
    hand_task(world, customer, renewal_holder_for(world, customer))


def hand_task(world: WorkRun, customer: int, person: Person | None) -> None:
    """Give a customer's open renewal work to a person (None: nobody holds it)."""
    task = world.renewal_tasks.get(customer)
    if task is None:
        return
    if task.holder is not None:
        task.holder.renewal_tasks.discard(customer)
        task.holder.held_hours = None
    task.holder = person
    if person is not None:
        person.renewal_tasks.add(customer)
        person.held_hours = None


def close_task(world: WorkRun, customer: int) -> RenewalTask | None:
    """Remove a customer's renewal work (done, missed or the customer left)."""
    task = world.renewal_tasks.pop(customer, None)
    if task is not None and task.holder is not None:
        task.holder.renewal_tasks.discard(customer)
        task.holder.held_hours = None
    return task


def adopt_orphan_tasks(world: WorkRun) -> None:
    """Hand the renewal work nobody holds to whoever should do it now (``renewal_holder_for``)."""
    for customer, task in world.renewal_tasks.items():
        if task.holder is None:
            hand_task(world, customer, renewal_holder_for(world, customer))


def open_tasks(world: WorkRun, person: Person) -> list[RenewalTask]:
    """A person's renewal tasks with hours still to do, latest date first."""
    tasks = (world.renewal_tasks[customer] for customer in person.renewal_tasks)
    return sorted((task for task in tasks if task.remaining_hours > 1e-9),
                  key=lambda task: (task.due_day, task.customer), reverse=True)


def take_share(world: WorkRun, newcomer: Person) -> None:
    """A renewals specialist who joins takes over a share of the pool's open renewal work.

    From the colleague holding the most open hours, their latest-dated task, until the
    newcomer holds ``renewals.new_hire_share`` of the pool's open hours per person; a move
    that would leave the colleague holding less than the newcomer is not made.
    """
    members = newcomer.pool.members
    held = {person.id: world.renewal_hours_held(person) for person in members}
    target = world.scenario.renewals.new_hire_share * sum(held.values()) / len(members)
    while held[newcomer.id] < target - 1e-9:
        giver = max((person for person in members if person is not newcomer),
                    key=lambda person: (held[person.id], -person.id), default=None)
        tasks = open_tasks(world, giver) if giver is not None else []
        if giver is None or not tasks:
            return
        hours = tasks[0].remaining_hours
        if held[giver.id] - hours < held[newcomer.id] + hours:
            return
        hand_task(world, tasks[0].customer, newcomer)
        held[giver.id] -= hours
        held[newcomer.id] += hours


def rebalance(world: WorkRun, members: list[Person], available: Hours, week_start: float) -> None:
    """Hand renewal work a specialist cannot do on pace this week to colleagues with room.

    A member whose paced renewal hours exceed ``renewals.rebalance_threshold`` x their hours
    available gives their latest-dated tasks, one at a time, to the colleague with the most
    room below that same limit, while the task's pace fits in that room.
    """
    threshold = world.scenario.renewals.rebalance_threshold
    if threshold is None or len(members) < 2:
        return
    pace = {person.id: sum(renewal_pace(world.renewal_tasks[customer], week_start)
                           for customer in person.renewal_tasks) for person in members}
    room = {person.id: threshold * available[person.id] - pace[person.id] for person in members}
    for giver in members:
        for task in open_tasks(world, giver):
            if room[giver.id] >= -1e-9:
                break
            step = renewal_pace(task, week_start)
            taker = max((person for person in members if person is not giver),
                        key=lambda person: (room[person.id], -person.id))
            if room[taker.id] < step - 1e-9:
                continue
            hand_task(world, task.customer, taker)
            room[giver.id] += step
            room[taker.id] -= step


def renewal_pace(task: RenewalTask, week_start: float) -> float:
    """Hours this week the task needs to be done by its date (all of it in its last week)."""
    weeks_left = 1 + max(0, math.floor((task.due_day - week_start) / WEEK_DAYS))
    return task.remaining_hours / weeks_left


def specialist_share(world: WorkRun, person: Person) -> float:
    """Hours this person needs per hour of renewal work as a CSM does it.

    ``renewals.specialist_hours_share`` for a renewals specialist, 1 for anyone else. A task's
    hours are counted as a CSM would need them.
    """
    if person.pool.role == "renewals":
        return world.scenario.renewals.specialist_hours_share
    return 1.0


_BY_DATE = attrgetter("due_day", "customer")


def work_on_renewals(world: WorkRun, person: Person, hours: float, week_start: float,
                     paced: bool) -> tuple[float, float]:
    """Spend up to ``hours`` on a person's renewal work, earliest date first.

    Args:
        world: the run.
        person: who does the work.
        hours: hours available for it.
        week_start: first day of the week being accounted.
        paced: only do each task's weekly pace (else work ahead with what is left).

    Returns:
        Hours demanded (the weekly pace of all open renewal work) and hours worked.
    """
    if not person.renewal_tasks:
        return 0.0, 0.0
    tasks = sorted(map(world.renewal_tasks.__getitem__, person.renewal_tasks), key=_BY_DATE)
    share = specialist_share(world, person)
    ledger, book, pool = world.ledger, world.book, person.pool.index
    demanded = worked = 0.0
    for task in tasks:
        # renewal_pace inlined: this runs for every person holding renewal work, every week
        remaining = task.remaining_hours
        if remaining == 0.0:  # done ahead of its date: no pace, nothing to do
            continue
        pace = remaining / (1 + max(0, math.floor((task.due_day - week_start) / WEEK_DAYS))) * share
        demanded += pace
        step = min(pace if paced else remaining * share, hours - worked)
        if step <= 0:
            continue
        task.remaining_hours -= step / share
        worked += step
        log_one_customer_hours(ledger, book, pool, task.customer, step)
    if worked:
        person.held_hours = None
    return demanded, worked
