"""Who serves a customer: its CSM pool, its onboarding desk and the holder of its renewal work.

Every decision "which pool or person serves this customer" is taken here, and every decision
that depends on the organisation model asks ``org_model_of`` (or, for views over a whole tier,
``org_models_in_use``). A customer's model is its service profile's (``sim.customers.profiles``),
so a
strategy can move customers between models during a run. The tables behind the answers are in
``sim.scenario.routes``.
"""

from __future__ import annotations

import numpy as np

from sim.core.calendar import DAY_HOURS
from sim.core.world import World
from sim.org.pools import Person, Pool
from sim.scenario.routes import NONE, Routes, build_routes
from sim.work.onboarding import OnboardingDesk

NO_HANDOFF, HANDOFF, POD_HANDOFF = 0, 1, 2
"""Handoff kinds at go-live: none, from an implementation specialist to a CSM, inside a pod."""


def org_model_of(world: World, customer: int) -> str:
    """The organisation model serving a customer now (its service profile's)."""
    return world.profiles.org_models[world.book.profile[customer]]


def org_models_in_use(world: World) -> frozenset[str]:
    """The organisation models of the run's service profiles (for views over a whole tier).

    One until a strategy changes the org model; then the old and the new
    (``sim.customers.profiles``).
    """
    return frozenset(world.profiles.org_models)


def routes_for(world: World, model: str) -> Routes:
    """The routing tables of the run's pools under one organisation model (built once)."""
    if model not in world.routes:
        world.routes[model] = build_routes(world.scenario, model)
    return world.routes[model]


def _shared_routes(world: World) -> Routes:
    """Routes for the look-ups no organisation model changes.

    Only ``Routes.onboarding`` depends on the organisation model (who onboards); the CSM,
    renewals, support and pod tables and the time-zone delays are the same under every model,
    so the scenario's starting model answers for every customer.
    """
    return routes_for(world, world.scenario.org_model)


def _where(world: World, customer: int) -> tuple[int, int]:
    return int(world.book.tier[customer]), int(world.book.region[customer])


def csm_pool_for(world: World, customer: int) -> Pool | None:
    """The CSM pool whose members may own the customer's account, if any."""
    index = _shared_routes(world).csm[_where(world, customer)]
    return world.pools[index] if index != NONE else None


def csm_pool_indices(world: World, customers: np.ndarray) -> np.ndarray:
    """Index of the CSM pool serving each of ``customers`` (-1 where none)."""
    book = world.book
    return _shared_routes(world).csm[book.tier[customers], book.region[customers]]


def renewals_shares(world: World, pool: Pool) -> np.ndarray:
    """Per customer, the share of its renewal work a renewals pool's members take.

    None in the generalist model (its CSM renews it); otherwise 1 / the number of renewals pools
    serving its region if the pool is one of them, else 0.
    """
    book = world.book
    by_region = _shared_routes(world).renewals
    region_share = np.array([1.0 / len(pools) if pool.index in pools else 0.0
                             for pools in by_region])
    specialist = np.array([model != "generalist" for model in world.profiles.org_models])
    return region_share[book.region] * specialist[book.profile]


def csm_renews(world: World, customer: int) -> bool:
    """Whether the customer's CSM does its renewal work (the generalist model)."""
    return org_model_of(world, customer) == "generalist"


def preferred_csm(world: World, customer: int, onboarder: Person | None) -> Person | None:
    """The CSM a customer should go to at go-live: its onboarder in the generalist model."""
    return onboarder if org_model_of(world, customer) == "generalist" else None


def handoff_kind(world: World, customer: int, onboarder: Person | None) -> int:
    """How the account passes to a CSM at go-live.

    No handoff in the generalist model, after a self-serve onboarding or when no CSM pool
    serves the customer; a handoff inside the pod when the onboarder belongs to the customer's
    pod; otherwise a handoff from a specialist (including a borrowed slot of another pod).
    """
    model = org_model_of(world, customer)
    if model == "generalist" or onboarder is None or csm_pool_for(world, customer) is None:
        return NO_HANDOFF
    routes = _shared_routes(world)
    pod = routes.pod_of_tier[world.book.tier[customer]]
    if model == "pod" and pod != NONE and routes.pod_of_pool[onboarder.pool.index] == pod:
        return POD_HANDOFF
    return HANDOFF


def onboarding_desk_for(world: World, customer: int) -> OnboardingDesk | None:
    """The queue in which a customer waits for a human onboarding (None: nobody onboards)."""
    routes = routes_for(world, org_model_of(world, customer))
    return desk_of(world, routes.onboarding[_where(world, customer)])


def renewal_holder_for(world: World, customer: int) -> Person | None:
    """Who should do a customer's renewal work.

    Its CSM in the generalist model; else the member of the renewals pools serving its region
    who holds the fewest hours of open renewal work (ties: earliest hire).
    """
    if csm_renews(world, customer):
        owner = int(world.book.owner[customer])
        return world.people[owner] if owner >= 0 else None
    pools = _shared_routes(world).renewals[int(world.book.region[customer])]
    staff = [person for index in pools for person in world.pools[index].members]
    return min(staff, key=lambda person: (world.renewal_hours_held(person), person.id),
               default=None)


def csm_pools_serving(world: World, tier: int) -> list[Pool]:
    """The CSM pools that may own a tier's accounts (one per region at most)."""
    indices = {int(index) for index in _shared_routes(world).csm[tier] if index != NONE}
    return [world.pools[index] for index in sorted(indices)]


def onboarding_desks_serving(world: World, tier: int) -> list[OnboardingDesk]:
    """The onboarding queues in which a tier's customers wait."""
    indices = {int(index) for model in org_models_in_use(world)
               for index in routes_for(world, model).onboarding[tier] if index != NONE}
    return [desk_for(world, world.pools[index]) for index in sorted(indices)]


def support_routes(world: World) -> np.ndarray:
    """(regions, ticket levels): the support pool answering each region's tickets."""
    return _shared_routes(world).support


def earliest_answers(world: World, pool: Pool, customers: np.ndarray, opened: np.ndarray,
                     start: np.ndarray) -> np.ndarray:
    """When the first responses of a pool's tickets happen.

    At the start of their work; for tickets from a region whose hours the pool does not cover,
    no earlier than ``org.uncovered_response_delay_hours`` after opening.
    """
    delayed = _shared_routes(world).delayed[:, pool.index]
    if not delayed.any():
        return start
    wait = world.scenario.org.uncovered_response_delay_hours / DAY_HOURS
    floor = opened + wait * delayed[world.book.region[customers]]
    return np.maximum(start, floor)


def desk_of(world: World, pool_index: int) -> OnboardingDesk | None:
    """The onboarding queue in front of a pool given by index; None for no pool (``NONE``)."""
    return None if pool_index == NONE else desk_for(world, world.pools[pool_index])


def desk_for(world: World, pool: Pool) -> OnboardingDesk:
    """The onboarding queue in front of a pool (set up on first use)."""
    if pool.index not in world.desks:
        world.desks[pool.index] = OnboardingDesk(world, pool)
    return world.desks[pool.index]
