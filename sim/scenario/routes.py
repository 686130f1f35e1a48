"""Routing tables of one organisation model: which pool serves each tier in each region.

Pure functions of the scenario, built once per run and model (``sim.org.routing`` looks them up).
Regions exist in the geographic model only; elsewhere there is one unnamed region and every pool
is global. A regional pool serves its region; a region without a pool for some work falls back
to the global pool for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.scenario.roles import ROLE_FACTS
from sim.scenario.vocabulary import (
    CSM,
    GENERALIST,
    IMPLEMENTATION,
    POD,
    RENEWALS,
    SUPPORT,
    TICKET_LEVELS,
    OrgModel,
    Role,
    TicketLevel,
)

if TYPE_CHECKING:
    from sim.scenario.organisation import Pod
    from sim.scenario.sections import ScenarioFields
    from sim.scenario.staff import StaffPool

NONE = -1


@dataclass(frozen=True)
class Routes:
    """Pool indices serving each (tier, region), and the shared services of each region.

    Attributes:
        csm: (tiers, regions) index of the CSM pool owning the accounts, -1 if none.
        onboarding: (tiers, regions) index of the pool onboarding the customers, -1 if none.
        renewals: per region, the renewals pools whose members take its renewal work.
        support: (regions, ticket levels) index of the support pool answering the tickets.
        delayed: (regions, pools) whether a ticket of the region answered by the pool waits
            for the pool's working hours (the pool neither is of the region nor covers it).
        pod_of_tier: (tiers,) index of the pod serving the tier, -1 if none.
        pod_of_pool: (pools,) index of the pod a pool belongs to, -1 if none.
    """

    csm: np.ndarray
    onboarding: np.ndarray
    renewals: tuple[tuple[int, ...], ...]
    support: np.ndarray
    delayed: np.ndarray
    pod_of_tier: np.ndarray
    pod_of_pool: np.ndarray


def build_routes(scenario: ScenarioFields, model: str) -> Routes:
    """The routing tables of a scenario's pools under one organisation model."""
    scopes = region_scopes(scenario)
    tiers = [tier.name for tier in scenario.tiers]
    return Routes(
        csm=np.array([[csm_pool_index(scenario, tier, scope) for scope in scopes]
                      for tier in tiers], dtype=np.int64),
        onboarding=np.array([[onboarding_pool_index(scenario, model, tier, scope)
                              for scope in scopes] for tier in tiers], dtype=np.int64),
        renewals=tuple(renewals_pool_indices(scenario, scope) for scope in scopes),
        support=np.array([[support_pool_index(scenario, level, scope)
                           for level in TICKET_LEVELS] for scope in scopes], dtype=np.int64),
        delayed=_delayed(scenario),
        pod_of_tier=_pod_indices(tiers, [pod.tiers for pod in scenario.org.pods]),
        pod_of_pool=_pod_indices([pool.name for pool in scenario.pools],
                                 [pod.pools for pod in scenario.org.pods]),
    )


def _pod_indices(names: list[str], pod_members: list[tuple[str, ...]]) -> np.ndarray:
    """Index of the pod whose members include each name, -1 if none."""
    return np.array([next((pod for pod, members in enumerate(pod_members) if name in members),
                          NONE) for name in names], dtype=np.int64)


def _in_scope(scenario: ScenarioFields, role: Role, scope: str | None) -> list[int]:
    return [index for index, pool in enumerate(scenario.pools)
            if pool.role == role and pool.region == scope]


def _regional_first(scope: str | None) -> Sequence[str | None]:
    return (scope, None) if scope is not None else (None,)


def csm_pool_index(scenario: ScenarioFields, tier: str, scope: str | None) -> int:
    """The CSM pool owning a tier's accounts in a region: the region's own, else the global."""
    for where in _regional_first(scope):
        for index in _in_scope(scenario, CSM, where):
            if tier in scenario.pools[index].tiers:
                return index
    return NONE


def implementation_pools(scenario: ScenarioFields, scope: str | None, model: str) -> list[int]:
    """Implementation pools of a region scope that onboard under a model.

    A pod's pools onboard only in the pod model: when a strategy moves to pods, the pods'
    pools wait for the change while the other pools serve.
    """
    return [index for index in _in_scope(scenario, IMPLEMENTATION, scope)
            if model == POD or pod_of_pool(scenario, scenario.pools[index].name) is None]


def implementation_pool_index(scenario: ScenarioFields, tier: str, scope: str | None,
                              model: str) -> int:
    """The implementation pool onboarding a tier in a region under a model.

    Most specific first: the region's pool naming the tier (or whose pod serves it), the
    region's pool for every tier, then the same among global pools.
    """
    for where in _regional_first(scope):
        pools = implementation_pools(scenario, where, model)
        served = {index: served_tiers(scenario, scenario.pools[index]) for index in pools}
        named = [index for index in pools if tier in served[index]]
        every = [index for index in pools if not served[index]]
        if named or every:
            return (named or every)[0]
    return NONE


def onboarding_pool_index(scenario: ScenarioFields, model: str, tier: str,
                          scope: str | None) -> int:
    """Who onboards a tier in a region under one organisation model.

    Its CSMs in the generalist model (if they have onboarding slots), else its implementation
    pool.
    """
    if model == GENERALIST:
        csm = csm_pool_index(scenario, tier, scope)
        if csm != NONE and scenario.pools[csm].slots_per_person > 0:
            return csm
    return implementation_pool_index(scenario, tier, scope, model)


def renewals_pool_indices(scenario: ScenarioFields, scope: str | None) -> tuple[int, ...]:
    """The renewals pools serving a region: its own, else the global ones."""
    for where in _regional_first(scope):
        pools = _in_scope(scenario, RENEWALS, where)
        if pools:
            return tuple(pools)
    return ()


def support_pool_index(scenario: ScenarioFields, level: str, scope: str | None) -> int:
    """The least-skilled support pool able to answer a ticket level, the region's own first."""
    rank = TICKET_LEVELS.index(level)
    for where in _regional_first(scope):
        able = [index for index in _in_scope(scenario, SUPPORT, where)
                if TICKET_LEVELS.index(scenario.pools[index].skill) >= rank]
        if able:
            return min(able, key=lambda index: TICKET_LEVELS.index(scenario.pools[index].skill))
    return NONE


def _delayed(scenario: ScenarioFields) -> np.ndarray:
    """(regions, pools): tickets of the region answered by the pool wait for its hours."""
    regions = scenario.org.regions
    delayed = np.zeros((max(1, len(regions)), len(scenario.pools)), dtype=bool)
    for row, region in enumerate(regions):
        for column, pool in enumerate(scenario.pools):
            covered = pool.region == region.name or (pool.region is None
                                                     and region.global_hours_overlap)
            delayed[row, column] = pool.role == SUPPORT and not covered
    return delayed


def run_org_models(scenario: ScenarioFields) -> tuple[OrgModel, ...]:
    """The org models a run can use: the scenario's, then those its strategies change to."""
    models: list[OrgModel] = [scenario.org_model]
    for rule in scenario.strategies.rules:
        if rule.org_model is not None and rule.org_model not in models:
            models.append(rule.org_model)
    return tuple(models)


def pod_of_pool(scenario: ScenarioFields, pool_name: str) -> Pod | None:
    """The pod a pool belongs to, if any."""
    return next((pod for pod in scenario.org.pods if pool_name in pod.pools), None)


def served_tiers(scenario: ScenarioFields, pool: StaffPool) -> tuple[str, ...]:
    """Tiers a pool serves, by name.

    A csm pool's tiers; an implementation pool's own `tiers`, else its pod's; () for every other
    pool and for an implementation pool serving every tier. A pod's implementation pools onboard
    only in the pod model (see ``sim.scenario.routes.implementation_pools``).
    """
    share = ROLE_FACTS[pool.role].cost_share
    if share == "own_tiers" or pool.tiers:
        return pool.tiers
    pod = pod_of_pool(scenario, pool.name) if share == "own_or_pod_tiers" else None
    return pod.tiers if pod is not None else ()


def region_scopes(scenario: ScenarioFields) -> list[str | None]:
    """The region of each region index: names, or one unnamed region (None) when there are none."""
    return [region.name for region in scenario.org.regions] or [None]


def region_names(scenario: ScenarioFields) -> list[str]:
    """Region names by region index, '' for the unnamed region (for output tables)."""
    return [scope or "" for scope in region_scopes(scenario)]


def tier_owners(scenario: ScenarioFields) -> dict[str, str]:
    """Tier name -> name of a CSM pool that owns it (the last listed, with regional pools).

    Each tier has at most one owner per region once ``_check_pools`` has passed; rules that use
    this run after it.
    """
    return {tier: pool.name for pool in scenario.pools if pool.role == CSM for tier in pool.tiers}


def onboarded_by_person(scenario: ScenarioFields, index: int) -> str | None:
    """Why tier ``index`` may need a person to onboard it (``path = share``), or None.

    Its own share, or the share a strategy's touch change gives the customers who sign after it
    (a new touch model brings its own, ``TouchChange.human_onboarding_share``).
    """
    tier = scenario.tiers[index]
    share = tier.human_onboarding_share or 0.0
    if share > 0:
        return f"tiers[{index}].human_onboarding_share = {share:g}"
    for number, rule in enumerate(scenario.strategies.rules):
        change = rule.touch_models.get(tier.name)
        if change is not None and change.applied("human_onboarding_share", share) > 0:
            return (f"strategies.rules[{number}].touch_models.{tier.name}.human_onboarding_share"
                    f" = {change.applied('human_onboarding_share', share):g}")
    return None


def levels_opened(scenario: ScenarioFields) -> list[TicketLevel]:
    """Ticket levels some tier opens."""
    return [level for level in TICKET_LEVELS
            if any(tier.tickets_per_month > 0 and getattr(tier.ticket_mix, level) > 0
                   for tier in scenario.tiers)]
