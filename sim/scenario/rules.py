"""Cross-field rules of a scenario, checked once when it is validated.

Each rule raises ``ValueError`` with ``path = value: reason`` so that the CLI can print one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.scenario.hiring import check_hiring
from sim.scenario.org_rules import check_organisation, onboarded_by_person
from sim.scenario.parts import check_shares, check_unique
from sim.scenario.schema import TICKET_LEVELS
from sim.scenario.triggers import check_triggers

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario


def check_scenario(scenario: Scenario) -> None:
    """Run every cross-field rule; raise ``ValueError`` on the first broken one."""
    _check_tiers(scenario)
    _check_growth(scenario)
    _check_pools(scenario)
    _check_within_horizon(scenario)
    check_organisation(scenario)
    _check_support(scenario)
    _check_strategies(scenario)
    check_hiring(scenario)
    check_triggers(scenario)


def tier_owners(scenario: Scenario) -> dict[str, str]:
    """Tier name -> name of a CSM pool that owns it (the last listed, with regional pools).

    Each tier has at most one owner per region once ``_check_pools`` has passed; rules that use
    this run after it.
    """
    return {tier: pool.name for pool in scenario.pools if pool.role == "csm" for tier in pool.tiers}


def _check_tiers(scenario: Scenario) -> None:
    check_unique([tier.name for tier in scenario.tiers], "tiers")
    check_shares({tier.name: tier.mix for tier in scenario.tiers}, "tiers[*].mix")
    order = sorted(range(len(scenario.tiers)), key=lambda i: scenario.tiers[i].acv_min)
    for previous, current in zip(order, order[1:], strict=False):
        upper = scenario.tiers[previous].acv_max
        lower = scenario.tiers[current].acv_min
        if upper is None or upper > lower:
            raise ValueError(
                f"tiers[{current}].acv_min = {lower:g}: overlaps the band of tier "
                f"{scenario.tiers[previous].name!r} (acv_max "
                f"{'null' if upper is None else format(upper, 'g')})")
        if upper < lower:
            raise ValueError(
                f"tiers[{current}].acv_min = {lower:g}: leaves a gap after tier "
                f"{scenario.tiers[previous].name!r} (acv_max {upper:g})")
    top = scenario.tiers[order[-1]]
    if top.acv_max is not None:
        raise ValueError(f"tiers[{order[-1]}].acv_max = {top.acv_max:g}: the highest band must "
                         "be open-ended (null)")


def _check_growth(scenario: Scenario) -> None:
    names = {tier.name for tier in scenario.tiers}
    growth = scenario.growth
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
            if pool.role != "csm":
                continue
            if (served, pool.region) in owner:
                raise ValueError(f"pools[{index}].tiers = {list(pool.tiers)}: tier {served!r} "
                                 f"is already served by pool {owner[served, pool.region]!r}")
            owner[served, pool.region] = pool.name
    owned = {served for served, _ in owner}
    for index, tier in enumerate(scenario.tiers):
        needs_owner = (tier.touch_hours or 0) > 0 or (
            scenario.org_model == "generalist" and (tier.renewal_hours or 0) > 0)
        if needs_owner and tier.name not in owned:
            raise ValueError(f"tiers[{index}].name = {tier.name!r}: tier has CSM work "
                             "(touch_hours or renewal_hours > 0) but no csm pool serves it")
    roles = {pool.role for pool in scenario.pools}
    renewal_work = any((tier.renewal_hours or 0) > 0 for tier in scenario.tiers)
    if scenario.org_model != "generalist" and renewal_work and "renewals" not in roles:
        raise ValueError(f"org_model = {scenario.org_model!r}: renewal work needs a pool with "
                         "role 'renewals'")


def _check_support(scenario: Scenario) -> None:
    skills = [pool.skill for pool in scenario.pools if pool.role == "support"]
    places = [(pool.skill, pool.region) for pool in scenario.pools if pool.role == "support"]
    for index, pool in enumerate(scenario.pools):
        if pool.role == "support" and places.count((pool.skill, pool.region)) > 1:
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
            if pools[name].role != "implementation":
                raise ValueError(f"{path}: pool {name!r} has role {pools[name].role!r}; only "
                                 "implementation staff transfer between pools")


def _check_org_change(scenario: Scenario, org_model: str | None, where: str) -> None:
    roles = {pool.role for pool in scenario.pools}
    if org_model not in ("specialist", "pod"):
        return
    if "implementation" not in roles and any(onboarded_by_person(scenario, index)
                                             for index in range(len(scenario.tiers))):
        raise ValueError(f"{where}.org_model = {org_model!r}: human onboarding needs a pool "
                         "with role 'implementation' (it may start with headcount 0 and be "
                         "hired)")
    if "renewals" not in roles and any((tier.renewal_hours or 0) > 0 for tier in scenario.tiers):
        raise ValueError(f"{where}.org_model = {org_model!r}: renewal work needs a pool with "
                         "role 'renewals' (it may start with headcount 0 and be hired)")
