"""The churn odds at each contract anniversary, and the size of a contract change.

On the date the customer churns with probability θF / (1 + θ(F − 1)), where θ ~ Beta(α, β) is its
latent churn probability and F the product of the service-effect factors, the first of them its
coverage against its tier's need (``sim.customers.coverage``): with every factor 1, this is
exactly the shifted-beta-geometric model. A customer that stays may expand or contract (more
likely and larger with coverage and CSM engagement), which can move it to another tier; the
decision itself is taken in ``sim.work.contracts``. The work before the date is in
``sim.work.renewals``.
"""

from __future__ import annotations

import math
from typing import TypeVar

import numpy as np

from sim.core.calendar import MONTH_DAYS
from sim.customers.book import HANDOFF, POD_HANDOFF, WAITING
from sim.customers.coverage import Coverage, coverage_odds, customer_coverage
from sim.customers.run import CustomerRun


def churn_factor(world: CustomerRun, customer: int, missed_renewal: bool,
                 coverage: Coverage | None = None) -> float:
    """Product of the service-effect multipliers on the customer's churn odds."""
    book, effects = world.book, world.scenario.service_effects
    if coverage is None:
        coverage = customer_coverage(world, customer)
    factor = coverage_odds(effects, coverage)
    # A factor of exactly 1 is skipped below: multiplying by it would not change the product.
    first_cycle = book.renewals_done[customer] == 0
    if first_cycle and not book.initial_live[customer]:
        factor *= effects.onboarding_wait_per_month ** (_wait_experienced(world, customer)
                                                        / MONTH_DAYS)
    tickets = book.cycle_tickets[customer]
    if tickets > 0:
        # a ticket opened before the last renewal can breach after it: a share is at most 1
        factor *= effects.sla_breaches ** min(1.0, book.cycle_breaches[customer] / tickets)
    changes = int(book.cycle_csm_changes[customer])
    if changes:
        factor *= effects.csm_change ** changes
    if first_cycle:
        factor *= handoff_churn_odds(world, customer)
    if missed_renewal:
        factor *= effects.missed_renewal
    return factor * world.triggers.odds_factor(customer)


def _wait_experienced(world: CustomerRun, customer: int) -> float:
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


Odds = TypeVar("Odds", float, np.ndarray)


def churn_probability(theta: Odds, factor: Odds) -> Odds:
    """Churn probability when odds θ/(1−θ) are multiplied by ``factor`` (exactly θ at 1).

    Of one customer (floats) or of many element by element (arrays, ``renewal_batch``).
    """
    return theta * factor / (1.0 + theta * (factor - 1.0))


def handoff_churn_odds(world: CustomerRun, customer: int) -> float:
    """The handoff's friction factor on the churn odds at the customer's first renewal."""
    book, org = world.book, world.scenario.org
    if book.renewals_done[customer] > 0:
        return 1.0
    kind = book.handoff_kind[customer]
    if kind == HANDOFF:
        return org.handoff_churn_factor
    if kind == POD_HANDOFF:
        return org.pod_handoff_churn_factor
    return 1.0


def lognormal(mean: float, cv: float, z: float) -> float:
    """A lognormal draw of a mean and coefficient of variation from a standard normal ``z``."""
    sigma = math.sqrt(math.log1p(cv * cv))
    return mean * math.exp(sigma * z - sigma * sigma / 2)
