"""Cross-field rules of the organisation models: pods, regions and who onboards each tier.

Each rule raises ``ValueError`` with ``path = value: reason``. The rules the other sections
need (a csm pool per tier with CSM work, a renewals pool outside the generalist model, support
skills) are in ``sim.scenario.rules``.
"""

from __future__ import annotations

from itertools import product
from typing import TYPE_CHECKING

from sim.scenario.organisation import region_scopes, run_org_models, served_tiers
from sim.scenario.parts import check_shares, check_unique
from sim.scenario.routes import (
    NONE,
    csm_pool_index,
    implementation_pools,
    onboarding_pool_index,
    renewals_pool_indices,
    support_pool_index,
)
from sim.scenario.schema import TICKET_LEVELS

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

POD_ROLES = ("csm", "implementation")


def check_organisation(scenario: Scenario) -> None:
    """Run every organisation rule; raise ``ValueError`` on the first broken one."""
    _check_sections(scenario)
    _check_regions(scenario)
    _check_pods(scenario)
    _check_implementation_pools(scenario)
    _check_onboarding_cover(scenario)
    _check_regional_cover(scenario)


def _check_sections(scenario: Scenario) -> None:
    """Pods belong to the pod model and regions to the geographic model, and they need them.

    The pod model may be the scenario's or one a strategy changes to; regions exist only in a
    scenario whose model is geographic.
    """
    model, org = scenario.org_model, scenario.org
    models = run_org_models(scenario)
    if "pod" in models and not org.pods:
        where = ("org_model" if model == "pod" else
                 next(f"strategies.rules[{index}].org_model"
                      for index, rule in enumerate(scenario.strategies.rules)
                      if rule.org_model == "pod"))
        raise ValueError(f"{where} = 'pod': needs org.pods")
    if org.pods and "pod" not in models:
        raise ValueError(f"org.pods: used by the pod model only (org_model = {model!r} and no "
                         "strategy changes to 'pod')")
    if model == "geographic" and not org.regions:
        raise ValueError("org_model = 'geographic': needs org.regions")
    if org.regions and model != "geographic":
        raise ValueError(f"org.regions: used by the geographic model only (org_model = "
                         f"{model!r})")
    if org.allow_pod_borrowing and "pod" not in models:
        raise ValueError(f"org.allow_pod_borrowing = True: only the pod model has pods "
                         f"(org_model = {model!r})")


def _check_regions(scenario: Scenario) -> None:
    regions = scenario.org.regions
    names = [region.name for region in regions]
    check_unique(names, "org.regions")
    if regions:
        check_shares({region.name: region.share for region in regions}, "org.regions[*].share")
    for index, pool in enumerate(scenario.pools):
        if pool.region is not None and pool.region not in names:
            known = f"regions: {names}" if names else "no org.regions"
            raise ValueError(f"pools[{index}].region = {pool.region!r}: unknown region ({known})")


def _check_pods(scenario: Scenario) -> None:
    pods = scenario.org.pods
    tiers = {tier.name for tier in scenario.tiers}
    pools = {pool.name: pool for pool in scenario.pools}
    tier_pod: dict[str, str] = {}
    pool_pod: dict[str, str] = {}
    check_unique([pod.name for pod in pods], "org.pods")
    for index, pod in enumerate(pods):
        _claim(pod.tiers, tiers, tier_pod, pod.name, f"org.pods[{index}].tiers", "tier")
        _claim(pod.pools, set(pools), pool_pod, pod.name, f"org.pods[{index}].pools", "pool")
        for name in pod.pools:
            if pools[name].role not in POD_ROLES:
                raise ValueError(
                    f"org.pods[{index}].pools = {list(pod.pools)}: pool {name!r} has role "
                    f"{pools[name].role!r}; a pod holds csm and implementation pools (renewals, "
                    "support, CS Ops and leaders are shared services outside pods)")
    for index, pool in enumerate(scenario.pools):
        _check_pod_member(scenario, index, pool_pod.get(pool.name), tier_pod)


def _claim(names: tuple[str, ...], known: set[str], owner: dict[str, str], pod: str, path: str,
           what: str) -> None:
    """Give each named tier or pool to a pod: it must exist and belong to no other pod."""
    for name in names:
        if name not in known:
            raise ValueError(f"{path} = {list(names)}: unknown {what} {name!r}")
        if name in owner:
            raise ValueError(f"{path} = {list(names)}: {what} {name!r} is already in pod "
                             f"{owner[name]!r}")
        owner[name] = pod


def _check_pod_member(scenario: Scenario, index: int, pod: str | None,
                      tier_pod: dict[str, str]) -> None:
    """A pod's pools serve its tiers; in the pod model every csm and implementation pool has a pod.

    When a strategy changes to pods, pools outside them serve until the change.
    """
    pool = scenario.pools[index]
    if pool.role not in POD_ROLES:
        return
    if pod is None:
        if scenario.org_model == "pod":
            raise ValueError(f"pools[{index}].name = {pool.name!r}: in the pod model every csm "
                             "and implementation pool belongs to a pod (org.pods[*].pools)")
        return
    for tier in pool.tiers:
        if tier_pod.get(tier) != pod:
            raise ValueError(f"pools[{index}].tiers = {list(pool.tiers)}: pool {pool.name!r} is "
                             f"in pod {pod!r}, which does not serve tier {tier!r}")


def _check_implementation_pools(scenario: Scenario) -> None:
    """Per region and model, one implementation pool names a tier and one serves all others."""
    scopes = region_scopes(scenario) + ([None] if scenario.org.regions else [])
    for model, scope in product(run_org_models(scenario), scopes):
        named: dict[str, str] = {}
        every: str | None = None
        for index in implementation_pools(scenario, scope, model):
            pool = scenario.pools[index]
            served = served_tiers(scenario, pool)
            if not served and every is not None:
                raise ValueError(
                    f"pools[{index}].role = 'implementation': only one implementation pool "
                    f"without `tiers` per region onboards every tier (pool {every!r} already "
                    "does); name the tiers each pool onboards")
            every = every if served else pool.name
            for tier in served:
                if tier in named:
                    raise ValueError(f"pools[{index}].tiers = {list(served)}: tier {tier!r} is "
                                     f"already onboarded by pool {named[tier]!r}")
                named[tier] = pool.name


def onboarded_by_person(scenario: Scenario, index: int) -> str | None:
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


def _check_onboarding_cover(scenario: Scenario) -> None:
    """Every tier with human onboarding has an onboarding pool in every region."""
    for index, tier in enumerate(scenario.tiers):
        source = onboarded_by_person(scenario, index)
        if source is None:
            continue
        for model, scope in product(run_org_models(scenario), region_scopes(scenario)):
            if onboarding_pool_index(scenario, model, tier.name, scope) != NONE:
                continue
            where = f" in region {scope!r}" if scope else ""
            under = f" under the {model} model" if model != scenario.org_model else ""
            raise ValueError(
                f"{source}: nobody onboards tier {tier.name!r}{where}{under} (no implementation "
                "pool serves it" + (", no csm pool with onboarding slots" if model == "generalist"
                                    else "") + ")")


def _check_regional_cover(scenario: Scenario) -> None:
    """Every region has a csm pool per tier with CSM work, renewals staff and support skills."""
    renewal_work = any((tier.renewal_hours or 0) > 0 for tier in scenario.tiers)
    for row, region in enumerate(scenario.org.regions):
        scope = region.name
        path = f"org.regions[{row}].name = {scope!r}"
        for tier in scenario.tiers:
            if (tier.touch_hours or 0) > 0 and csm_pool_index(scenario, tier.name, scope) == NONE:
                raise ValueError(f"{path}: no csm pool serves tier {tier.name!r} in this region "
                                 "(add one with this region, or a global one)")
        if renewal_work and not renewals_pool_indices(scenario, scope):
            raise ValueError(f"{path}: no renewals pool serves this region (add one with this "
                             "region, or a global one)")
        for level in _levels_opened(scenario):
            if support_pool_index(scenario, level, scope) == NONE:
                raise ValueError(f"{path}: no support pool of this region or global has skill "
                                 f"{level} or higher")


def _levels_opened(scenario: Scenario) -> list[str]:
    """Ticket levels some tier opens."""
    return [level for level in TICKET_LEVELS
            if any(tier.tickets_per_month > 0 and getattr(tier.ticket_mix, level) > 0
                   for tier in scenario.tiers)]
