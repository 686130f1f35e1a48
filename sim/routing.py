"""Who serves a customer: its CSM pool, its onboarding desk and the holder of its renewal work.

Every decision "which pool or person serves this customer" is taken here, and every decision
that depends on the organisation model asks ``org_model_of`` (or, for views over a whole tier,
``org_models_in_use``); nothing else in the engine reads ``scenario.org_model``.
"""

from __future__ import annotations

from sim.customers.onboarding import OnboardingDesk
from sim.organisation import Person, Pool
from sim.world import World


def org_model_of(world: World, customer: int) -> str:
    """The organisation model serving a customer now (the scenario's model)."""
    del customer  # one model for the whole book, for now
    return world.scenario.org_model


def org_models_in_use(world: World) -> frozenset[str]:
    """The organisation models serving any customer now (for views over a whole tier)."""
    return frozenset({world.scenario.org_model})


def csm_pool_for(world: World, customer: int) -> Pool | None:
    """The CSM pool whose members may own the customer's account, if any."""
    return _csm_pool_of_tier(world, int(world.book.tier[customer]))


def csm_renews(world: World, customer: int) -> bool:
    """Whether the customer's CSM does its renewal work (the generalist model)."""
    return org_model_of(world, customer) == "generalist"


def preferred_csm(world: World, customer: int, onboarder: Person | None) -> Person | None:
    """The CSM a customer should go to at go-live: its onboarder in the generalist model."""
    return onboarder if org_model_of(world, customer) == "generalist" else None


def onboarding_desk_for(world: World, customer: int) -> OnboardingDesk | None:
    """The queue in which a customer waits for a human onboarding (None: nobody onboards)."""
    model = org_model_of(world, customer)
    return _desk(world, _onboarding_pool_of_tier(world, int(world.book.tier[customer]), model))


def renewal_holder_for(world: World, customer: int) -> Person | None:
    """Who should do a customer's renewal work: its CSM, or the least-loaded renewals person."""
    if csm_renews(world, customer):
        owner = int(world.book.owner[customer])
        return world.people[owner] if owner >= 0 else None
    staff = [person for pool in world.pools_with_role("renewals") for person in pool.members]
    return min(staff, key=lambda person: (len(person.renewal_tasks), person.id), default=None)


def csm_pools_serving(world: World, tier: int) -> list[Pool]:
    """The CSM pools that may own a tier's accounts."""
    pool = _csm_pool_of_tier(world, tier)
    return [] if pool is None else [pool]


def onboarding_desks_serving(world: World, tier: int) -> list[OnboardingDesk]:
    """The onboarding queues in which a tier's customers wait."""
    desks: list[OnboardingDesk] = []
    for model in sorted(org_models_in_use(world)):
        desk = _desk(world, _onboarding_pool_of_tier(world, tier, model))
        if desk is not None and desk not in desks:
            desks.append(desk)
    return desks


def _csm_pool_of_tier(world: World, tier: int) -> Pool | None:
    for pool in world.pools_with_role("csm"):
        if tier in pool.tier_indices:
            return pool
    return None


def _onboarding_pool_of_tier(world: World, tier: int, model: str) -> Pool | None:
    """The tier's CSM pool in the generalist model (if it has slots), else implementation."""
    if model == "generalist":
        csm_pool = _csm_pool_of_tier(world, tier)
        if csm_pool is not None and csm_pool.spec.slots_per_person > 0:
            return csm_pool
    implementation = world.pools_with_role("implementation")
    return implementation[0] if implementation else None


def _desk(world: World, pool: Pool | None) -> OnboardingDesk | None:
    """The onboarding queue in front of a pool (set up on first use)."""
    if pool is None:
        return None
    if pool.index not in world.desks:
        world.desks[pool.index] = OnboardingDesk(world, pool)
    return world.desks[pool.index]
