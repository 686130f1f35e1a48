"""Who serves a customer: its CSM pool, its onboarding pool, its renewals and support pools.

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
from sim.customers.book import HANDOFF, NO_HANDOFF, POD_HANDOFF
from sim.org.pools import Person, Pool
from sim.org.run import OrgRun
from sim.scenario.routes import NONE, Routes, build_routes
from sim.scenario.schema import Scenario
from sim.scenario.vocabulary import GENERALIST, POD


def routes_by_model(scenario: Scenario) -> dict[str, Routes]:
    """The routing tables of every organisation model a run can use, built before it starts.

    The scenario's model, the model of each strategy rule that changes it, and the pod model
    when pods may borrow slots (``sim.work.borrowing``).
    """
    models = [scenario.org_model, *(rule.org_model for rule in scenario.strategies.rules
                                    if rule.org_model is not None)]
    if scenario.org.allow_pod_borrowing:
        models.append(POD)
    return {model: build_routes(scenario, model) for model in dict.fromkeys(models)}


def org_model_of(world: OrgRun, customer: int) -> str:
    """The organisation model serving a customer now (its service profile's)."""
    return world.profiles.org_models[world.book.profile[customer]]


def org_models_in_use(world: OrgRun) -> frozenset[str]:
    """The organisation models of the run's service profiles (for views over a whole tier).

    One until a strategy changes the org model; then the old and the new
    (``sim.customers.profiles``).
    """
    return frozenset(world.profiles.org_models)


def routes_for(world: OrgRun, model: str) -> Routes:
    """The routing tables of the run's pools under one organisation model."""
    return world.routes[model]


def _shared_routes(world: OrgRun) -> Routes:
    """Routes for the look-ups no organisation model changes.

    Only ``Routes.onboarding`` depends on the organisation model (who onboards); the CSM,
    renewals, support and pod tables and the time-zone delays are the same under every model,
    so the scenario's starting model answers for every customer.
    """
    return routes_for(world, world.scenario.org_model)


def _where(world: OrgRun, customer: int) -> tuple[int, int]:
    return int(world.book.tier[customer]), int(world.book.region[customer])


def csm_pool_for(world: OrgRun, customer: int) -> Pool | None:
    """The CSM pool whose members may own the customer's account, if any."""
    index = _shared_routes(world).csm[_where(world, customer)]
    return world.pools[index] if index != NONE else None


def csm_pool_indices(world: OrgRun, customers: np.ndarray) -> np.ndarray:
    """Index of the CSM pool serving each of ``customers`` (-1 where none)."""
    book = world.book
    return _shared_routes(world).csm[book.tier[customers], book.region[customers]]


def renewals_shares(world: OrgRun, pool: Pool) -> np.ndarray:
    """Per customer, the share of its renewal work a renewals pool's members take.

    None in the generalist model (its CSM renews it); otherwise 1 / the number of renewals pools
    serving its region if the pool is one of them, else 0.
    """
    book = world.book
    by_region = _shared_routes(world).renewals
    region_share = np.array([1.0 / len(pools) if pool.index in pools else 0.0
                             for pools in by_region])
    specialist = np.array([model != GENERALIST for model in world.profiles.org_models])
    return region_share[book.region] * specialist[book.profile]


def csm_renews(world: OrgRun, customer: int) -> bool:
    """Whether the customer's CSM does its renewal work (the generalist model)."""
    return org_model_of(world, customer) == GENERALIST


def preferred_csm(world: OrgRun, customer: int, onboarder: Person | None) -> Person | None:
    """The CSM a customer should go to at go-live: its onboarder in the generalist model."""
    return onboarder if org_model_of(world, customer) == GENERALIST else None


def handoff_kind(world: OrgRun, customer: int, onboarder: Person | None) -> int:
    """How the account passes to a CSM at go-live.

    No handoff in the generalist model, after a self-serve onboarding or when no CSM pool
    serves the customer; a handoff inside the pod when the onboarder belongs to the customer's
    pod; otherwise a handoff from a specialist (including a borrowed slot of another pod).
    """
    model = org_model_of(world, customer)
    if model == GENERALIST or onboarder is None or csm_pool_for(world, customer) is None:
        return NO_HANDOFF
    routes = _shared_routes(world)
    pod = routes.pod_of_tier[world.book.tier[customer]]
    if model == POD and pod != NONE and routes.pod_of_pool[onboarder.pool.index] == pod:
        return POD_HANDOFF
    return HANDOFF


def csm_pools_serving(world: OrgRun, tier: int) -> list[Pool]:
    """The CSM pools that may own a tier's accounts (one per region at most)."""
    indices = {int(index) for index in _shared_routes(world).csm[tier] if index != NONE}
    return [world.pools[index] for index in sorted(indices)]


def onboarding_pool_for(world: OrgRun, customer: int) -> Pool | None:
    """The pool that onboards a customer by hand now (None: nobody onboards it)."""
    index = routes_for(world, org_model_of(world, customer)).onboarding[_where(world, customer)]
    return None if index == NONE else world.pools[index]


def onboarding_pools_serving(world: OrgRun, tier: int) -> list[Pool]:
    """The pools in whose onboarding queues a tier's customers wait, under every model in use."""
    indices = {int(index) for model in org_models_in_use(world)
               for index in routes_for(world, model).onboarding[tier] if index != NONE}
    return [world.pools[index] for index in sorted(indices)]


def renewal_pools_for(world: OrgRun, customer: int) -> list[Pool]:
    """The renewals pools serving a customer's region."""
    return [world.pools[index]
            for index in _shared_routes(world).renewals[int(world.book.region[customer])]]


def support_routes(world: OrgRun) -> np.ndarray:
    """(regions, ticket levels): the support pool answering each region's tickets."""
    return _shared_routes(world).support


def earliest_answers(world: OrgRun, pool: Pool, customers: np.ndarray, opened: np.ndarray,
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
