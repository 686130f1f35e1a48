"""The handoff at go-live: the account passes from its onboarder to a CSM (§9.2).

In the generalist model the onboarding CSM keeps the account. In the specialist and geographic
models the implementation specialist hands it to a CSM after ``org.handoff_delay_days``; in the
pod model a handoff inside the pod takes ``org.pod_handoff_delay_days``. Until then nobody owns
the account and its touch schedule has not started. At its first renewal a handed-off customer's
churn odds are multiplied by the handoff's friction factor.
"""

from __future__ import annotations

from collections.abc import Generator

import simpy

from sim.customers.book import ACTIVE, NO_HANDOFF, POD_HANDOFF
from sim.org.pools import Person
from sim.org.routing import csm_pool_for, handoff_kind, preferred_csm
from sim.work.run import WorkRun
from sim.work.touches import assign_owner


def hand_to_csm(world: WorkRun, customer: int, onboarder: Person | None) -> None:
    """Give a customer that just went live its CSM: at once, or after the handoff delay."""
    kind = handoff_kind(world, customer, onboarder)
    if kind == NO_HANDOFF or onboarder is None:
        assign_owner(world, customer, preferred_csm(world, customer, onboarder))
        return
    book, org = world.book, world.scenario.org
    delay = org.pod_handoff_delay_days if kind == POD_HANDOFF else org.handoff_delay_days
    book.handoff_kind[customer] = kind
    book.handoff_day[customer] = world.now + delay
    book.next_touch[customer] += delay
    if delay > 0:
        world.env.process(_after_delay(world, customer, onboarder, delay))
    else:
        _take_over(world, customer, onboarder)


def _after_delay(world: WorkRun, customer: int, onboarder: Person,
                 delay: float) -> Generator[simpy.Event, None, None]:
    yield world.env.timeout(delay)  # now == handoff_day, set at go-live
    if world.book.state[customer] == ACTIVE:
        _take_over(world, customer, onboarder)


def _take_over(world: WorkRun, customer: int, onboarder: Person) -> None:
    """A CSM of the customer's pool takes the account (none if the pool is empty)."""
    assign_owner(world, customer)
    pool = csm_pool_for(world, customer)
    world.record("handoff", customer, int(world.book.owner[customer]),
                 int(world.book.tier[customer]), pool.index if pool is not None else -1,
                 onboarder=onboarder.id)
