"""Every cross-field rule of a scenario, checked once when it is validated.

A rule that reads more than one field of a section, or more than one section, is here; checks
of one field stay on the field. Each rule raises ``ValueError`` with ``path = value: reason`` so
that the CLI can print one line. What each role may hold is read from ``sim.scenario.roles``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import product
from typing import TYPE_CHECKING

from sim.scenario.base import check_shares, check_unique
from sim.scenario.book_file import check_book_fields
from sim.scenario.hiring import LAYERS
from sim.scenario.roles import ROLE_FACTS
from sim.scenario.routes import (
    NONE,
    csm_pool_index,
    implementation_pools,
    levels_opened,
    onboarded_by_person,
    onboarding_pool_index,
    region_scopes,
    renewals_pool_indices,
    run_org_models,
    served_tiers,
    support_pool_index,
    tier_owners,
)
from sim.scenario.sections import check_tier_bands
from sim.scenario.vocabulary import (
    CSM,
    GENERALIST,
    GEOGRAPHIC,
    IMPLEMENTATION,
    LEADER,
    POD,
    RENEWALS,
    SPECIALIST,
    SUPPORT,
    TICKET_LEVELS,
)

if TYPE_CHECKING:
    from sim.scenario.sections import ScenarioFields as Scenario


def rule_groups(scenario: Scenario) -> tuple[Callable[[], None], ...]:
    """Every group of cross-field rules in order; each raises ``ValueError`` on its first."""
    return (partial(check_tier_bands, scenario.tiers), *(partial(group, scenario) for group in (
        _check_growth, _check_pools, _check_within_horizon, check_organisation, _check_support,
        _check_strategies, _check_leadership, check_triggers)))


def _check_growth(scenario: Scenario) -> None:
    names = {tier.name for tier in scenario.tiers}
    growth = scenario.growth
    check_book_fields(scenario)
    for where, counts in (("initial_customers", growth.initial_customers),
                          ("initial_backlog", growth.initial_backlog)):
        for tier in counts:
            if tier not in names:
                raise ValueError(f"growth.{where}.{tier}: unknown tier {tier!r}")
    for index, step in enumerate(growth.arrivals):
        if step.mix is None:
            continue
        for tier in step.mix:
            if tier not in names:
                raise ValueError(f"growth.arrivals[{index}].mix.{tier}: unknown tier {tier!r}")
        check_shares(step.mix, f"growth.arrivals[{index}].mix")


def _check_within_horizon(scenario: Scenario) -> None:
    """Refuse an arrival or staffing-plan step that would start after the run has ended."""
    horizon = scenario.horizon_months
    for index, step in enumerate(scenario.growth.arrivals):
        if step.from_month >= horizon:
            raise ValueError(f"growth.arrivals[{index}].from_month = {step.from_month:g}: at or "
                             f"after the end of the run (horizon_months = {horizon})")
    for pool_index, pool in enumerate(scenario.pools):
        for index, plan_step in enumerate(pool.staffing_plan):
            if plan_step.month >= horizon:
                raise ValueError(
                    f"pools[{pool_index}].staffing_plan[{index}].month = {plan_step.month:g}: "
                    f"at or after the end of the run (horizon_months = {horizon})")


def _check_pools(scenario: Scenario) -> None:
    check_unique([pool.name for pool in scenario.pools], "pools")
    names = {tier.name for tier in scenario.tiers}
    owner: dict[tuple[str, str | None], str] = {}
    for index, pool in enumerate(scenario.pools):
        for served in pool.tiers:
            if served not in names:
                raise ValueError(f"pools[{index}].tiers = {list(pool.tiers)}: unknown tier "
                                 f"{served!r}")
            if pool.role != CSM:
                continue
            if (served, pool.region) in owner:
                raise ValueError(f"pools[{index}].tiers = {list(pool.tiers)}: tier {served!r} "
                                 f"is already served by pool {owner[served, pool.region]!r}")
            owner[served, pool.region] = pool.name
    owned = {served for served, _ in owner}
    for index, tier in enumerate(scenario.tiers):
        needs_owner = (tier.touch_hours or 0) > 0 or (
            scenario.org_model == GENERALIST and (tier.renewal_hours or 0) > 0)
        if needs_owner and tier.name not in owned:
            raise ValueError(f"tiers[{index}].name = {tier.name!r}: tier has CSM work "
                             "(touch_hours or renewal_hours > 0) but no csm pool serves it")
    roles = {pool.role for pool in scenario.pools}
    renewal_work = any((tier.renewal_hours or 0) > 0 for tier in scenario.tiers)
    if scenario.org_model != GENERALIST and renewal_work and RENEWALS not in roles:
        raise ValueError(f"org_model = {scenario.org_model!r}: renewal work needs a pool with "
                         f"role {RENEWALS!r}")


def _check_support(scenario: Scenario) -> None:
    skills = [pool.skill for pool in scenario.pools if pool.role == SUPPORT]
    places = [(pool.skill, pool.region) for pool in scenario.pools if pool.role == SUPPORT]
    for index, pool in enumerate(scenario.pools):
        if pool.role == SUPPORT and places.count((pool.skill, pool.region)) > 1:
            raise ValueError(f"pools[{index}].skill = {pool.skill!r}: one support pool per skill"
                             + (f" in region {pool.region!r}" if pool.region else ""))
    best = max((TICKET_LEVELS.index(skill) for skill in skills if skill), default=-1)
    for index, tier in enumerate(scenario.tiers):
        if tier.tickets_per_month == 0:
            continue
        for level, share in tier.ticket_mix.model_dump().items():
            if share > 0 and TICKET_LEVELS.index(level) > best:
                raise ValueError(f"tiers[{index}].ticket_mix.{level} = {share:g}: no support "
                                 f"pool has skill {level} or higher")


def _check_strategies(scenario: Scenario) -> None:
    """Strategy rules name real tiers and pools, and leave every tier served after the change."""
    rules = scenario.strategies.rules
    check_unique([rule.name for rule in rules], "strategies.rules")
    tiers = {tier.name: tier for tier in scenario.tiers}
    pools = {pool.name: pool for pool in scenario.pools}
    csm_tiers = tier_owners(scenario)
    for index, rule in enumerate(rules):
        where = f"strategies.rules[{index}]"
        for name in rule.touch_models:
            if name not in tiers:
                raise ValueError(f"{where}.touch_models.{name}: unknown tier {name!r}")
        for name in rule.hire:
            if name not in pools:
                raise ValueError(f"{where}.hire.{name}: unknown pool {name!r}")
        _check_transfers(scenario, rule.transfer, where)
        for name, change in rule.touch_models.items():
            human = (change.touch_hours or 0) > 0 or (
                change.touch_hours is None and change.touch_model not in (None, "tech"))
            if human and name not in csm_tiers:
                raise ValueError(f"{where}.touch_models.{name}: the new touch model needs CSM "
                                 f"touches but no csm pool serves tier {name!r}")
        _check_org_change(scenario, rule.org_model, where)


def _check_transfers(scenario: Scenario, transfer: dict[str, dict[str, int]],
                     where: str) -> None:
    pools = {pool.name: pool for pool in scenario.pools}
    for source, moves in transfer.items():
        for name in (source, *moves):
            path = f"{where}.transfer.{source}" + (f".{name}" if name != source else "")
            if name not in pools:
                raise ValueError(f"{path}: unknown pool {name!r}")
            if pools[name].role != IMPLEMENTATION:
                raise ValueError(f"{path}: pool {name!r} has role {pools[name].role!r}; only "
                                 "implementation staff transfer between pools")


def _check_org_change(scenario: Scenario, org_model: str | None, where: str) -> None:
    roles = {pool.role for pool in scenario.pools}
    if org_model not in (SPECIALIST, POD):
        return
    if IMPLEMENTATION not in roles and any(onboarded_by_person(scenario, index)
                                             for index in range(len(scenario.tiers))):
        raise ValueError(f"{where}.org_model = {org_model!r}: human onboarding needs a pool "
                         f"with role {IMPLEMENTATION!r} (it may start with headcount 0 and be "
                         "hired)")
    if RENEWALS not in roles and any((tier.renewal_hours or 0) > 0 for tier in scenario.tiers):
        raise ValueError(f"{where}.org_model = {org_model!r}: renewal work needs a pool with "
                         f"role {RENEWALS!r} (it may start with headcount 0 and be hired)")


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
    if POD in models and not org.pods:
        where = ("org_model" if model == POD else
                 next(f"strategies.rules[{index}].org_model"
                      for index, rule in enumerate(scenario.strategies.rules)
                      if rule.org_model == POD))
        raise ValueError(f"{where} = {POD!r}: needs org.pods")
    if org.pods and POD not in models:
        raise ValueError(f"org.pods: used by the pod model only (org_model = {model!r} and no "
                         f"strategy changes to {POD!r})")
    if model == GEOGRAPHIC and not org.regions:
        raise ValueError(f"org_model = {GEOGRAPHIC!r}: needs org.regions")
    if org.regions and model != GEOGRAPHIC:
        raise ValueError(f"org.regions: used by the geographic model only (org_model = "
                         f"{model!r})")
    if org.allow_pod_borrowing and POD not in models:
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
            if not ROLE_FACTS[pools[name].role].in_pods:
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
    if not ROLE_FACTS[pool.role].in_pods:
        return
    if pod is None:
        if scenario.org_model == POD:
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
                    f"pools[{index}].role = {IMPLEMENTATION!r}: only one implementation pool "
                    f"without `tiers` per region onboards every tier (pool {every!r} already "
                    "does); name the tiers each pool onboards")
            every = every if served else pool.name
            for tier in served:
                if tier in named:
                    raise ValueError(f"pools[{index}].tiers = {list(served)}: tier {tier!r} is "
                                     f"already onboarded by pool {named[tier]!r}")
                named[tier] = pool.name


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
                "pool serves it" + (", no csm pool with onboarding slots" if model == GENERALIST
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
        for level in levels_opened(scenario):
            if support_pool_index(scenario, level, scope) == NONE:
                raise ValueError(f"{path}: no support pool of this region or global has skill "
                                 f"{level} or higher")


def _check_leadership(scenario: Scenario) -> None:
    """Derived leadership layers and leader pools exclude each other."""
    if not scenario.leadership.derive:
        return
    for index, pool in enumerate(scenario.pools):
        if pool.role == LEADER:
            raise ValueError(f"pools[{index}].role = {LEADER!r}: with leadership.derive the "
                             "leadership layers are derived; a leader pool would count them "
                             "twice (remove it or set leadership.derive: false)")
        if pool.name in LAYERS:
            raise ValueError(f"pools[{index}].name = {pool.name!r}: the name of a derived "
                             "leadership layer (workforce pool)")


def check_triggers(scenario: Scenario) -> None:
    """Cross-field rules of overflow pools and the dedicated-CSM trigger."""
    owner = tier_owners(scenario)
    _check_overflow(scenario, owner)
    triggers = scenario.triggers
    if not (triggers.enabled and triggers.dedicated_csm.enabled):
        return
    threshold = triggers.dedicated_csm.acv_threshold
    for tier in scenario.tiers:
        reaches = tier.acv_max is None or tier.acv_max > threshold
        if reaches and tier.name not in owner:
            raise ValueError(
                f"triggers.dedicated_csm.acv_threshold = {threshold:g}: tier {tier.name!r} "
                "holds ACVs at or above it but no csm pool owns it, so nobody can be its "
                f"dedicated CSM (list it in a csm pool's tiers, or raise the threshold)")


def _check_overflow(scenario: Scenario, owner: dict[str, str]) -> None:
    """Overflow tiers: of csm pools, known, without an owning pool, one pool each."""
    names = {tier.name for tier in scenario.tiers}
    overflow: dict[str, str] = {}
    for index, pool in enumerate(scenario.pools):
        where = f"pools[{index}].overflow_tiers = {list(pool.overflow_tiers)}"
        if pool.overflow_tiers and pool.role != CSM:
            raise ValueError(f"{where}: only csm pools take overflow work")
        for tier in pool.overflow_tiers:
            if tier not in names:
                raise ValueError(f"{where}: unknown tier {tier!r}")
            if tier in owner:
                raise ValueError(f"{where}: tier {tier!r} is owned by pool {owner[tier]!r}; "
                                 "overflow pools serve tiers without an owning csm pool")
            if tier in overflow:
                raise ValueError(f"{where}: tier {tier!r} already overflows to pool "
                                 f"{overflow[tier]!r}")
            overflow[tier] = pool.name
