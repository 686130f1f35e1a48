"""Renewals: the renewal work before each contract anniversary, and the customer's decision.

The account owner (the CSM in the generalist model, a renewals specialist in the specialist
model) must put in the tier's ``renewal_hours`` during the ``window_days`` before the date; if the
hours were not done by the date the renewal is missed. At the date the customer churns with
probability θF / (1 + θ(F − 1)), where θ ~ Beta(α, β) is its latent churn probability and F the
product of the service-effect factors: with every factor 1, this is exactly the
shifted-beta-geometric model. A customer that stays may expand or contract, which can move it to
another tier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.calendar import MONTH_DAYS, WEEK_DAYS
from sim.customers.book import ACTIVE, WAITING
from sim.organisation import Person
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
    hours = float(world.tiers.renewal_hours[world.book.tier[customer]])
    if hours <= 0:
        return
    if world.now <= 0 and world.book.initial_live[customer]:
        # The initial book's work before day 0 was done on pace: only the rest remains.
        hours *= min(1.0, due_day / world.scenario.renewals.window_days)
    task = RenewalTask(customer, due_day, hours)
    world.renewal_tasks[customer] = task
    holder = task_holder(world, customer)
    if holder is not None:
        hand_task(world, customer, holder)


def task_holder(world: World, customer: int) -> Person | None:
    """Who should do a customer's renewal work: its CSM, or the least-loaded renewals person."""
    if world.scenario.org_model == "generalist":
        owner = int(world.book.owner[customer])
        return world.people[owner] if owner >= 0 else None
    pools = world.pools_with_role("renewals")
    candidates = [pool.least_loaded("renewals") for pool in pools]
    candidates = [person for person in candidates if person is not None]
    return min(candidates, key=lambda p: (len(p.renewal_tasks), p.id), default=None)


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


def adopt_orphan_tasks(world: World, person: Person) -> None:
    """A new renewals specialist takes the renewal work nobody holds."""
    for customer, task in world.renewal_tasks.items():
        if task.holder is None:
            hand_task(world, customer, person)


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
    tasks = sorted((world.renewal_tasks[c] for c in person.renewal_tasks),
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


def churn_factor(world: World, customer: int, missed_renewal: bool) -> float:
    """Product of the service-effect multipliers on the customer's churn odds."""
    book, effects = world.book, world.scenario.service_effects
    factor = 1.0
    if book.renewals_done[customer] == 0 and not book.initial_live[customer]:
        wait = book.wait_days[customer]
        if np.isnan(wait):
            wait = world.now - book.arrival_day[customer]
        factor *= effects.onboarding_wait_per_month ** (wait / MONTH_DAYS)
    due = book.cycle_touches_due[customer]
    if due > 0:
        factor *= effects.missed_touches ** (book.cycle_touches_missed[customer] / due)
    tickets = book.cycle_tickets[customer]
    if tickets > 0:
        factor *= effects.sla_breaches ** (book.cycle_breaches[customer] / tickets)
    factor *= effects.csm_change ** int(book.cycle_csm_changes[customer])
    if missed_renewal:
        factor *= effects.missed_renewal
    return factor


def churn_probability(theta: float, factor: float) -> float:
    """Churn probability when odds θ/(1−θ) are multiplied by ``factor`` (exactly θ at 1)."""
    return theta * factor / (1.0 + theta * (factor - 1.0))


def renew(world: World, customer: int) -> bool:
    """Decide a renewal at its date. Returns whether the customer stays."""
    from sim.customers.journey import churn

    book = world.book
    tier = int(book.tier[customer])
    task = close_task(world, customer)
    missed = task is not None and task.remaining_hours > 1e-9
    world.tier_counters.add("renewals_due", tier)
    if missed:
        world.tier_counters.add("renewals_missed", tier)
        book.renewals_missed[customer] += 1
        world.record("renewal_missed", customer, tier=tier)
    slot = int(book.renewals_done[customer])
    factor = churn_factor(world, customer, missed)
    if book.renewal_u[customer, slot] < churn_probability(float(book.theta[customer]), factor):
        churn(world, customer, "churn")
        return False
    _change_contract(world, customer, slot)
    book.renewals_done[customer] += 1
    book.reset_cycle(customer)
    world.record("renewal", customer, tier=int(book.tier[customer]),
                 amount=float(book.acv[customer]))
    return True


def _change_contract(world: World, customer: int, slot: int) -> None:
    book = world.book
    tier = int(book.tier[customer])
    change = world.scenario.tiers[tier].renewal_change
    draw, z = float(book.change_u[customer, slot]), float(book.change_z[customer, slot])
    old = int(book.acv[customer])
    if draw < change.expansion_probability:
        new = round(old * (1.0 + _lognormal(change.expansion_mean, change.expansion_cv, z)))
        kind, counter = "expansion", "arr_expansion"
    elif draw < change.expansion_probability + change.contraction_probability:
        size = min(_lognormal(change.contraction_mean, change.contraction_cv, z),
                   change.max_contraction)
        new = max(1, round(old * (1.0 - size)))
        kind, counter = "contraction", "arr_contraction"
    else:
        return
    book.acv[customer] = new
    world.tier_counters.add(counter, tier, abs(new - old))
    world.record(kind, customer, tier=tier, amount=float(new - old))
    _migrate(world, customer, tier, world.tiers.tier_of(new))


def _lognormal(mean: float, cv: float, z: float) -> float:
    sigma = math.sqrt(math.log1p(cv * cv))
    return mean * math.exp(sigma * z - sigma * sigma / 2)


def _migrate(world: World, customer: int, old_tier: int, new_tier: int) -> None:
    """Move a customer whose ACV crossed a band edge to its new tier."""
    from sim.customers.engagement import change_owner

    if new_tier == old_tier:
        return
    book = world.book
    acv = float(book.acv[customer])
    world.tier_counters.add("arr_migration_out", old_tier, acv)
    world.tier_counters.add("arr_migration_in", new_tier, acv)
    world.tier_counters.add("migrations_out", old_tier)
    world.tier_counters.add("migrations_in", new_tier)
    world.paying_level.change(old_tier, -1, world.now)
    world.paying_level.change(new_tier, +1, world.now)
    if book.state[customer] == WAITING:
        world.waiting_level.change(old_tier, -1, world.now)
        world.waiting_level.change(new_tier, +1, world.now)
    book.tier[customer] = new_tier
    world.record("migration", customer, tier=new_tier, amount=float(old_tier))
    if book.state[customer] == ACTIVE:
        interval = world.tiers.touch_interval[new_tier]
        book.next_touch[customer] = world.now + interval * book.touch_phase[customer]
        if world.csm_pool(old_tier) is not world.csm_pool(new_tier):
            change_owner(world, customer)
