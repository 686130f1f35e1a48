"""Pods lending free implementation slots to each other (``org.allow_pod_borrowing``, §9.2).

Without borrowing a pod onboards only with its own implementation staff. With it, whenever the
queue of a pod's implementation pool holds customers and none of that pool's slots is free, a
free slot of another pod's implementation pool whose own queue is empty takes the customer that
has waited longest across such queues; a ``borrowed`` event records it. The customer still
belongs to its pod: its CSM comes from its own pod, and its handoff crosses pods (the specialist
handoff delay and churn factor apply).
"""

from __future__ import annotations

from functools import partial
from typing import cast

from sim.org.pools import Person
from sim.org.routing import routes_for
from sim.scenario.routes import NONE
from sim.scenario.vocabulary import IMPLEMENTATION, POD
from sim.work.desks import desk_for
from sim.work.onboarding import OnboardingDesk
from sim.work.run import WorkRun


def enable_borrowing(world: WorkRun) -> None:
    """Let the pods' onboarding queues lend free slots, if the scenario allows it."""
    if not world.scenario.org.allow_pod_borrowing:
        return
    pod_of_pool = routes_for(world, POD).pod_of_pool
    desks = [desk_for(world, pool) for pool in world.pools_with_role(IMPLEMENTATION)
             if pod_of_pool[pool.index] != NONE]
    for desk in desks:
        desk.after_dispatch = partial(lend_slots, world, desks)


def lend_slots(world: WorkRun, desks: list[OnboardingDesk]) -> None:
    """Give free slots of idle pods to the longest-waiting customers of full pods."""
    while _lend_one(world, desks):
        pass


def _lend_one(world: WorkRun, desks: list[OnboardingDesk]) -> bool:
    """Lend one free slot, if some full queue and some idle queue of another pod exist."""
    pod_of_pool = routes_for(world, POD).pod_of_pool
    freest = {desk: desk.freest() for desk in desks}
    free = {desk: person.free_slots() if person is not None else 0
            for desk, person in freest.items()}
    full = sorted((desk for desk in desks if desk.waiting and free[desk] <= 0),
                  key=lambda desk: (world.book.arrival_day[desk.waiting[0][0]], desk.pool.index))
    idle = [desk for desk in desks if not desk.waiting and free[desk] > 0]
    for borrower in full:
        pod = pod_of_pool[borrower.pool.index]
        lenders = [desk for desk in idle if pod_of_pool[desk.pool.index] != pod]
        if lenders:
            lender = max(lenders, key=lambda desk: (free[desk], -desk.pool.index))
            _lend(world, borrower, lender, cast(Person, freest[lender]))  # it has free slots
            return True
    return False


def _lend(world: WorkRun, borrower: OnboardingDesk, lender: OnboardingDesk,
          person: Person) -> None:
    """Give the borrower's first waiting customer to a lender's free slot; record it."""
    customer = borrower.grant_next(person)
    if customer is not None:  # None: it churned this instant
        world.record("borrowed", customer, person.id, int(world.book.tier[customer]),
                     lender.pool.index, from_pool=borrower.pool.index)
