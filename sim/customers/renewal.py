"""The renewal decision at each contract anniversary.

On the date the customer churns with probability θF / (1 + θ(F − 1)), where θ ~ Beta(α, β) is its
latent churn probability and F the product of the service-effect factors: with every factor 1,
this is exactly the shifted-beta-geometric model. A customer that stays may expand or contract,
which can move it to another tier. The work before the date is in ``renewal_work``.
"""

from __future__ import annotations

import math

import numpy as np

from sim.core.calendar import MONTH_DAYS
from sim.core.world import World
from sim.customers.book import ACTIVE, WAITING
from sim.customers.churn import churn
from sim.customers.handoff import handoff_churn_odds
from sim.customers.triggers import acv_changed, lifted_expansion, settle_triggers, trigger_odds
from sim.org.routing import csm_pool_for
from sim.work.renewals import close_task
from sim.work.touches import change_owner


def churn_factor(world: World, customer: int, missed_renewal: bool) -> float:
    """Product of the service-effect multipliers on the customer's churn odds."""
    book, effects = world.book, world.scenario.service_effects
    factor = 1.0
    if book.renewals_done[customer] == 0 and not book.initial_live[customer]:
        factor *= effects.onboarding_wait_per_month ** (_wait_experienced(world, customer)
                                                        / MONTH_DAYS)
    due = book.cycle_touches_due[customer]
    if due > 0:
        factor *= effects.missed_touches ** (book.cycle_touches_missed[customer] / due)
    tickets = book.cycle_tickets[customer]
    if tickets > 0:
        # a ticket opened before the last renewal can breach after it: a share is at most 1
        factor *= effects.sla_breaches ** min(1.0, book.cycle_breaches[customer] / tickets)
    factor *= effects.csm_change ** int(book.cycle_csm_changes[customer])
    factor *= handoff_churn_odds(world, customer)
    if missed_renewal:
        factor *= effects.missed_renewal
    return factor * trigger_odds(world, customer)


def _wait_experienced(world: World, customer: int) -> float:
    """Days the customer waited for a human onboarding: 0 if it never queued for one.

    A customer still in the queue at its first renewal has waited since it signed.
    """
    book = world.book
    wait = float(book.wait_days[customer])
    if not np.isnan(wait):
        return wait
    if book.state[customer] == WAITING:
        return world.now - float(book.arrival_day[customer])
    return 0.0


def churn_probability(theta: float, factor: float) -> float:
    """Churn probability when odds θ/(1−θ) are multiplied by ``factor`` (exactly θ at 1)."""
    return theta * factor / (1.0 + theta * (factor - 1.0))


def renew(world: World, customer: int) -> bool:
    """Decide a renewal at its date. Returns whether the customer stays."""
    book = world.book
    tier = int(book.tier[customer])
    task = close_task(world, customer)
    missed = task is not None and task.remaining_hours > 1e-9
    world.tier_counters.add("renewals_due", tier)
    if missed:
        world.tier_counters.add("renewals_missed", tier)
        book.renewals_missed[customer] += 1
        world.record("renewal_missed", customer, tier=tier)
    slot = int(book.renewals_done[customer])
    factor = churn_factor(world, customer, missed)
    lift = settle_triggers(world, customer)
    if book.renewal_u[customer, slot] < churn_probability(float(book.theta[customer]), factor):
        churn(world, customer, "churn")
        return False
    _change_contract(world, customer, slot, lift)
    book.renewals_done[customer] += 1
    book.reset_cycle(customer)
    world.record("renewal", customer, tier=int(book.tier[customer]),
                 acv=float(book.acv[customer]))
    return True


def _change_contract(world: World, customer: int, slot: int, lift: float) -> None:
    book = world.book
    tier = int(book.tier[customer])
    change = world.scenario.tiers[tier].renewal_change
    draw, z = float(book.change_u[customer, slot]), float(book.change_z[customer, slot])
    old = int(book.acv[customer])
    if draw < change.expansion_probability or lifted_expansion(draw, change, lift):
        new = round(old * (1.0 + _lognormal(change.expansion_mean, change.expansion_cv, z)))
        kind, counter = "expansion", "arr_expansion"
    elif draw < change.expansion_probability + change.contraction_probability:
        size = min(_lognormal(change.contraction_mean, change.contraction_cv, z),
                   change.max_contraction)
        new = max(1, round(old * (1.0 - size)))
        kind, counter = "contraction", "arr_contraction"
    else:
        return
    book.acv[customer] = new
    world.tier_counters.add(counter, tier, abs(new - old))
    world.record(kind, customer, tier=tier, acv_change=float(new - old))
    _migrate(world, customer, tier, world.tiers.tier_of(new))
    acv_changed(world, customer, old, new)


def _lognormal(mean: float, cv: float, z: float) -> float:
    sigma = math.sqrt(math.log1p(cv * cv))
    return mean * math.exp(sigma * z - sigma * sigma / 2)


def _migrate(world: World, customer: int, old_tier: int, new_tier: int) -> None:
    """Move a customer whose ACV crossed a band edge to its new tier."""
    if new_tier == old_tier:
        return
    book = world.book
    acv = float(book.acv[customer])
    world.tier_counters.add("arr_migration_out", old_tier, acv)
    world.tier_counters.add("arr_migration_in", new_tier, acv)
    world.tier_counters.add("migrations_out", old_tier)
    world.tier_counters.add("migrations_in", new_tier)
    world.paying_level.change(old_tier, -1, world.now)
    world.paying_level.change(new_tier, +1, world.now)
    if book.state[customer] == WAITING:
        world.waiting_level.change(old_tier, -1, world.now)
        world.waiting_level.change(new_tier, +1, world.now)
    old_pool = csm_pool_for(world, customer)
    book.tier[customer] = new_tier
    world.record("migration", customer, tier=new_tier, from_tier=old_tier)
    if book.state[customer] == ACTIVE:
        interval = world.touch_interval(customer)
        book.next_touch[customer] = world.now + interval * book.touch_phase[customer]
        if csm_pool_for(world, customer) is not old_pool:
            change_owner(world, customer)
