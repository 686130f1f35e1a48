"""A customer's life: signature, onboarding (or self-serve), go-live, renewals, churn.

Only the journey to go-live of a customer needing a human onboarding is a SimPy process of its
own: it queues for a contended desk. A customer that onboards itself has its journey's start
and go-live as two entries of the run's one calendar (``sim.work.renewal_calendar``), where its
renewal cycle is too, keyed as the process's start and timeout would have been; the calendar is
walked in the order the events of the run come, and nothing wakes per customer per day.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy
from simpy.core import NORMAL, URGENT

from sim.customers.book import ACTIVE, CHURNED, ONBOARDING, WAITING
from sim.org.pools import Person
from sim.org.routing import csm_pool_for
from sim.work.contracts import churn
from sim.work.desks import onboarding_desk_for
from sim.work.handoff import hand_to_csm
from sim.work.onboarding import onboard
from sim.work.renewal_calendar import (
    SELF_SERVE_LIVE,
    SELF_SERVE_START,
    renewal_cycle,
    start_calendar,
)
from sim.work.run import WorkRun
from sim.work.touches import assign_owner


def open_book(world: WorkRun) -> None:
    """Day 0: the initial book goes live and the initial backlog joins the onboarding queues."""
    book = world.book
    start_calendar(world, self_serve_step)
    owners = _named_owners(world)
    for customer in np.flatnonzero(book.arrival_day <= 0):
        if book.initial_live[customer]:
            _start_live(world, int(customer), owners.get(int(customer)))
        else:
            _sign(world, int(customer))


def _named_owners(world: WorkRun) -> dict[int, Person]:
    """The CSM each live account of a real initial book names, where that person exists.

    The k-th name seen among the accounts of a CSM pool is the pool's k-th person; names
    beyond the pool's headcount, and accounts without an owner, go to the least-loaded CSM.
    """
    book = world.book
    if book.owner_name is None:
        return {}
    people: dict[int, Person] = {}
    slots: dict[tuple[int, str], int] = {}
    taken: dict[int, int] = {}
    for customer in np.flatnonzero(book.initial_live & (book.owner_name != "")):
        pool = csm_pool_for(world, int(customer))
        if pool is None:
            continue
        key = (pool.index, str(book.owner_name[customer]))
        if key not in slots:
            slots[key] = taken.get(pool.index, 0)
            taken[pool.index] = slots[key] + 1
        if slots[key] < len(pool.members):
            people[int(customer)] = pool.members[slots[key]]
    return people


def arrivals(world: WorkRun) -> Generator[simpy.Event, None, None]:
    """Sign every later customer on its signature day."""
    book = world.book
    for customer in np.flatnonzero(book.arrival_day > 0):
        yield world.env.timeout(book.arrival_day[customer] - world.now)
        book.arrival_day[customer] = world.now  # the clock's sum, to the last bit
        _sign(world, int(customer))


def _start_live(world: WorkRun, customer: int, owner: Person | None) -> None:
    world.paying_level.change(int(world.book.tier[customer]), +1, world.now)
    _activate(world, customer)
    assign_owner(world, customer, owner)
    renewal_cycle(world, customer)


def _sign(world: WorkRun, customer: int) -> None:
    book = world.book
    tier = int(book.tier[customer])
    book.state[customer] = WAITING
    profile = book.profile[customer] = world.profiles.for_new
    book.human[customer] = book.onboarding_u[customer] < world.profiles.human_share[profile, tier]
    world.paying_level.change(tier, +1, world.now)
    if book.arrival_day[customer] > 0:
        world.tier_counters.add("new_customers", tier)
        world.tier_counters.add("arr_new", tier, float(book.acv[customer]))
        world.record("arrival", customer, tier=tier, acv=float(book.acv[customer]))
    if book.human[customer]:
        world.journeys[customer] = world.env.process(journey(world, customer))
    else:
        world.calendar.add(0.0, URGENT, customer, SELF_SERVE_START)
    renewal_cycle(world, customer)


def self_serve_step(world: WorkRun, customer: int, step: int) -> None:
    """A step of a journey that needs no person: its start, then its go-live.

    As the self-serve branch of ``journey``, from the calendar: a customer that churned before
    its go-live date does not go live.
    """
    book = world.book
    if step == SELF_SERVE_START:
        book.state[customer] = ONBOARDING  # onboards itself: never in a queue, never waits
        book.onboarding_start_day[customer] = world.now
        book.wait_days[customer] = 0.0
        world.calendar.add(float(book.self_serve_days[customer]), NORMAL, customer,
                           SELF_SERVE_LIVE)
    elif book.state[customer] != CHURNED:
        go_live(world, customer, None)


def journey(world: WorkRun, customer: int) -> Generator[simpy.Event, object, None]:
    """From signature to go-live of a customer needing a human onboarding.

    With no desk to serve it, it onboards itself (as ``self_serve_step``).
    """
    book = world.book
    desk = onboarding_desk_for(world, customer) if book.human[customer] else None
    onboarder: Person | None = None
    if desk is None:
        book.state[customer] = ONBOARDING  # onboards itself: never in a queue, never waits
        book.onboarding_start_day[customer] = world.now
        book.wait_days[customer] = 0.0
        try:
            yield world.env.timeout(float(book.self_serve_days[customer]))
        except simpy.Interrupt:
            return  # churned at a renewal; churn() already took it off the journeys
        live = True
    else:
        live, onboarder = yield from onboard(world, desk, customer)
    world.journeys.pop(customer, None)
    if live:
        go_live(world, customer, onboarder)
    elif book.state[customer] != CHURNED:
        churn(world, customer, "abandon")


def go_live(world: WorkRun, customer: int, onboarder: Person | None) -> None:
    """The customer is live: it joins a CSM's book and its touches start."""
    tier = int(world.book.tier[customer])
    world.tier_counters.add("go_lives", tier)
    world.record("go_live", customer, onboarder.id if onboarder else -1, tier,
                 wait_days=world.now - world.book.arrival_day[customer])
    _activate(world, customer)
    hand_to_csm(world, customer, onboarder)


def _activate(world: WorkRun, customer: int) -> None:
    """Make a customer live now: touches scheduled (its CSM comes separately)."""
    book, now = world.book, world.now
    book.state[customer] = ACTIVE
    book.golive_day[customer] = now
    interval = world.touch_interval(customer)
    book.next_touch[customer] = now + interval * book.touch_phase[customer]
    book.last_touch[customer] = now
