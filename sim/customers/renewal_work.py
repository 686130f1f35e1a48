"""Renewal work: the hours an account owner must put in before each renewal date.

The holder (the CSM in the generalist model, else a renewals specialist serving the customer's
region, see ``sim.routing.renewal_holder_for``) must put in the tier's ``renewal_hours`` during the
``window_days`` before the date. Work is done in weekly slices at the pace the date needs; whatever
is left on the date makes the renewal missed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.calendar import WEEK_DAYS
from sim.organisation import Person
from sim.routing import renewal_holder_for
from sim.world import World


@dataclass(eq=False)
class RenewalTask:
    """Renewal work owed before a customer's renewal date."""

    customer: int
    due_day: float
    remaining_hours: float
    holder: Person | None = None


def open_task(world: World, customer: int, due_day: float) -> None:
    """Open the renewal work for a customer's next renewal, if its tier needs any."""
    hours = world.renewal_hours(customer)
    if hours <= 0:
        return
    if world.now <= 0 and world.book.initial_live[customer]:
        # The initial book's work before day 0 was done on pace: only the rest remains.
        hours *= min(1.0, due_day / world.scenario.renewals.window_days)
    task = RenewalTask(customer, due_day, hours)
    world.renewal_tasks[customer] = task
    hand_task(world, customer, renewal_holder_for(world, customer))


def hand_task(world: World, customer: int, person: Person | None) -> None:
    """Give a customer's open renewal work to a person (None: nobody holds it)."""
    task = world.renewal_tasks.get(customer)
    if task is None:
        return
    if task.holder is not None:
        task.holder.renewal_tasks.discard(customer)
    task.holder = person
    if person is not None:
        person.renewal_tasks.add(customer)


def close_task(world: World, customer: int) -> RenewalTask | None:
    """Remove a customer's renewal work (done, missed or the customer left)."""
    task = world.renewal_tasks.pop(customer, None)
    if task is not None and task.holder is not None:
        task.holder.renewal_tasks.discard(customer)
    return task


def adopt_orphan_tasks(world: World) -> None:
    """Hand the renewal work nobody holds to whoever should do it now (``renewal_holder_for``)."""
    for customer, task in world.renewal_tasks.items():
        if task.holder is None:
            hand_task(world, customer, renewal_holder_for(world, customer))


def renewal_pace(task: RenewalTask, week_start: float) -> float:
    """Hours this week the task needs to be done by its date (all of it in its last week)."""
    weeks_left = 1 + max(0, math.floor((task.due_day - week_start) / WEEK_DAYS))
    return task.remaining_hours / weeks_left


def work_on_renewals(world: World, person: Person, hours: float, week_start: float,
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
    tasks = sorted((world.renewal_tasks[customer] for customer in person.renewal_tasks),
                   key=lambda task: (task.due_day, task.customer))
    paces = [renewal_pace(task, week_start) for task in tasks]
    worked = 0.0
    for task, pace in zip(tasks, paces, strict=True):
        step = min(pace if paced else task.remaining_hours, hours - worked)
        if step <= 0:
            continue
        task.remaining_hours -= step
        worked += step
    return sum(paces), worked
