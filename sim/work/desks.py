"""The onboarding desks of a run: which desk a customer queues at and how long the queues are."""

from __future__ import annotations

import numpy as np

from sim.core.calendar import WEEK_DAYS
from sim.org.pools import Pool
from sim.org.routing import onboarding_pool_for, onboarding_pools_serving
from sim.work.onboarding import OnboardingDesk
from sim.work.run import WorkRun


def desk_for(world: WorkRun, pool: Pool) -> OnboardingDesk:
    """The onboarding queue in front of a pool."""
    return world.desks[pool.index]


def onboarding_desk_for(world: WorkRun, customer: int) -> OnboardingDesk | None:
    """The queue in which a customer waits for a human onboarding (None: nobody onboards)."""
    pool = onboarding_pool_for(world, customer)
    return None if pool is None else desk_for(world, pool)


def onboarding_desks_serving(world: WorkRun, tier: int) -> list[OnboardingDesk]:
    """The onboarding queues in which a tier's customers wait."""
    return [desk_for(world, pool) for pool in onboarding_pools_serving(world, tier)]


def onboarding_backlog_weeks(world: WorkRun) -> np.ndarray:
    """Weeks the current queue of each tier's onboarding team would take with all its slots.

    A tier can be onboarded by several teams (one per region, or two while a strategy change
    is under way); the longest queue counts.
    """
    weeks = np.zeros(len(world.scenario.tiers))
    of_desk: dict[int, float] = {}
    for tier in range(len(weeks)):
        for desk in onboarding_desks_serving(world, tier):
            if not desk.waiting:
                continue
            if desk.pool.index not in of_desk:
                slots = desk.total_slots()
                of_desk[desk.pool.index] = (desk.queued_work() / slots / WEEK_DAYS if slots
                                            else np.inf)
            weeks[tier] = max(weeks[tier], of_desk[desk.pool.index])
    return weeks
