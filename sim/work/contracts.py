"""The renewal date and the end of a contract: the decision, contract changes, migrations, churn.

On the date the customer churns with the probability of ``sim.customers.renewal`` (its churn odds
and the service-effect factors, coverage of its need first); a customer that stays may expand or
contract, as its coverage allows (``sim.customers.coverage``), which can move it to another tier
(and CSM pool). A customer also leaves before go-live when it abandons the
onboarding queue.
"""

from __future__ import annotations

from sim.customers.book import ACTIVE, CHURNED, WAITING
from sim.customers.coverage import Coverage, customer_coverage, served_change
from sim.customers.renewal import churn_factor, churn_probability, lognormal
from sim.customers.triggers import lifted_expansion
from sim.org.routing import csm_pool_for
from sim.work.renewals import close_task
from sim.work.run import WorkRun
from sim.work.touches import assign_owner, change_owner, release_owner


def churn(world: WorkRun, customer: int, kind: str) -> None:
    """The customer leaves: before go-live (``abandon``) or at a renewal (``churn``)."""
    book = world.book
    tier = int(book.tier[customer])
    book.state[customer] = CHURNED
    book.churn_day[customer] = world.now
    book.abandoned[customer] = kind == "abandon"
    world.tier_counters.add("churned_customers", tier)
    world.tier_counters.add("arr_churned", tier, float(book.acv[customer]))
    if kind == "abandon":
        world.tier_counters.add("abandoned_customers", tier)
        world.tier_counters.add("arr_abandoned", tier, float(book.acv[customer]))
    world.paying_level.change(tier, -1, world.now)
    world.record(kind, customer, int(book.owner[customer]), tier, acv=float(book.acv[customer]))
    close_task(world, customer)
    release_owner(world, customer)
    process = world.journeys.pop(customer, None)
    if process is not None and process.is_alive:
        process.interrupt("churned")


def renew(world: WorkRun, customer: int) -> bool:
    """Decide a renewal at its date. Returns whether the customer stays."""
    book = world.book
    missed = renewal_missed(world, customer)
    slot = int(book.renewals_done[customer])
    coverage = customer_coverage(world, customer)
    factor = churn_factor(world, customer, missed, coverage)
    churns = book.renewal_u[customer, slot] < churn_probability(float(book.theta[customer]),
                                                                 factor)
    return conclude_renewal(world, customer, missed, bool(churns), coverage)


def renewal_missed(world: WorkRun, customer: int) -> bool:
    """Whether the customer's renewal work has hours left undone (its date is now)."""
    task = world.renewal_tasks.get(customer)
    return task is not None and task.remaining_hours > 1e-9


def conclude_renewal(world: WorkRun, customer: int, missed: bool, churns: bool,
                     coverage: Coverage) -> bool:
    """Carry out a renewal decided at its date (``renew``, or a batch of them).

    The work closes, the renewal is counted (and its miss), the triggers of the cycle settle,
    then the customer churns, or stays and its contract may change. Returns whether it stays.
    """
    book, counters = world.book, world.tier_counters
    tier = int(book.tier[customer])
    close_task(world, customer)
    counters.add("renewals_due", tier)
    if missed:
        counters.add("renewals_missed", tier)
        book.renewals_missed[customer] += 1
        world.record("renewal_missed", customer, tier=tier)
    slot = int(book.renewals_done[customer])
    lift = world.triggers.settle(customer)
    if churns:
        churn(world, customer, "churn")
        return False
    _change_contract(world, customer, slot, lift, coverage)
    book.renewals_done[customer] += 1
    book.reset_cycle(customer)
    world.record("renewal", customer, tier=int(book.tier[customer]),
                 acv=float(book.acv[customer]))
    return True


def _change_contract(world: WorkRun, customer: int, slot: int, lift: float,
                     coverage: Coverage) -> None:
    book = world.book
    tier = int(book.tier[customer])
    change = served_change(world.scenario.service_effects, world.tiers.changes[tier], coverage)
    draw, z = float(book.change_u[customer, slot]), float(book.change_z[customer, slot])
    old = int(book.acv[customer])
    if draw < change.expansion_probability or lifted_expansion(draw, change, lift):
        new = round(old * (1.0 + lognormal(change.expansion_mean, change.expansion_cv, z)))
        kind, counter = "expansion", "arr_expansion"
    elif draw < change.expansion_probability + change.contraction_probability:
        size = min(lognormal(change.contraction_mean, change.contraction_cv, z),
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


def _migrate(world: WorkRun, customer: int, old_tier: int, new_tier: int) -> None:
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


def acv_changed(world: WorkRun, customer: int, old: int, new: int) -> None:
    """Dedicated-CSM trigger: an ACV crossing the threshold upward at a renewal (§6.1)."""
    engine = world.triggers
    if not engine.enabled or not engine.spec.dedicated_csm.enabled:
        return
    if not old < engine.spec.dedicated_csm.acv_threshold <= new:
        return
    book = world.book
    if book.owner[customer] < 0 and book.state[customer] == ACTIVE:
        assign_owner(world, customer)
    engine.fire(customer, "dedicated_csm", "acv", float(new), int(book.owner[customer]))
