"""A customer's life: signature, onboarding (or self-serve), go-live, renewals, churn.

Each customer runs two SimPy processes: the journey to go-live and the renewal cycle. Both sleep
until the customer's next real event; nothing wakes per customer per day.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.core.calendar import YEAR_DAYS
from sim.customers.book import ACTIVE, CHURNED, ONBOARDING, WAITING
from sim.org.pools import Person
from sim.work.contracts import churn, renew
from sim.work.desks import onboarding_desk_for
from sim.work.handoff import hand_to_csm
from sim.work.onboarding import onboard
from sim.work.renewals import open_task
from sim.work.run import WorkRun
from sim.work.touches import assign_owner


def open_book(world: WorkRun) -> None:
    """Day 0: the initial book goes live and the initial backlog joins the onboarding queues."""
    book = world.book
    for customer in np.flatnonzero(book.arrival_day <= 0):
        if book.initial_live[customer]:
            _start_live(world, int(customer))
        else:
            _sign(world, int(customer))


def arrivals(world: WorkRun) -> Generator[simpy.Event, None, None]:
    """Sign every later customer on its signature day."""
    book = world.book
    for customer in np.flatnonzero(book.arrival_day > 0):
        yield world.env.timeout(book.arrival_day[customer] - world.now)
        book.arrival_day[customer] = world.now  # the clock's sum, to the last bit
        _sign(world, int(customer))


def _start_live(world: WorkRun, customer: int) -> None:
    world.paying_level.change(int(world.book.tier[customer]), +1, world.now)
    _activate(world, customer)
    assign_owner(world, customer)
    world.env.process(renewal_cycle(world, customer))


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
    world.journeys[customer] = world.env.process(journey(world, customer))
    world.env.process(renewal_cycle(world, customer))


def journey(world: WorkRun, customer: int) -> Generator[simpy.Event, object, None]:
    """From signature to go-live: a human onboarding or a self-serve one."""
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
    book = world.book
    book.state[customer] = ACTIVE
    book.golive_day[customer] = world.now
    interval = world.touch_interval(customer)
    book.next_touch[customer] = world.now + interval * book.touch_phase[customer]
    book.last_touch[customer] = world.now


def renewal_cycle(world: WorkRun, customer: int) -> Generator[simpy.Event, None, None]:
    """Open the renewal work ahead of each anniversary and decide the renewal on the date.

    The work of a renewal whose window opens before the horizon is opened even if its date
    falls after it, so the last months of a run carry the renewal work they really would.
    """
    book, env = world.book, world.env
    due = float(book.first_renewal_day[customer])
    window = world.scenario.renewals.window_days
    while due - window < world.horizon:
        if world.renewal_hours(customer) > 0:
            if due - window > env.now:
                yield env.timeout(due - window - env.now)
            if book.state[customer] == CHURNED:
                return
            open_task(world, customer, due)
        if due >= world.horizon:
            return
        yield env.timeout(due - env.now)
        if book.state[customer] == CHURNED or not renew(world, customer):
            return
        due += YEAR_DAYS
