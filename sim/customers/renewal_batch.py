"""The churn decisions of many renewals at once, equal to the last bit to one-by-one decisions.

``decide_batch`` gives, for customers whose renewal dates come one after another with nothing
else happening in between (``sim.work.renewal_calendar``), what ``sim.customers.coverage.
customer_coverage``, ``sim.customers.renewal.churn_factor`` and ``churn_probability`` give each
of them at its own date: the coverage, the churn probability and whether the customer churns
(its pre-drawn ``renewal_u`` below the probability). The arithmetic is numpy's over the batch in
the same order of operations as the scalar code, so every sum, product and quotient is the same
IEEE operation; the powers and ``expm1`` are taken by the same scalar functions as the scalar
code (Python's or numpy's scalar power, ``math.expm1``), element by element, so that no
vectorised transcendental function can differ in the last bit. ``tests/customers/
test_renewal_batch.py`` checks the two paths give the same values and decisions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.calendar import MONTH_DAYS, YEAR_DAYS
from sim.customers.book import HANDOFF, POD_HANDOFF, WAITING
from sim.customers.coverage import Coverage
from sim.customers.renewal import churn_probability
from sim.customers.run import CustomerRun


@dataclass(frozen=True)
class BatchDecision:
    """The decisions of a batch of renewals, in the batch's order."""

    human: np.ndarray
    """``Coverage.human`` of each customer."""
    automated: np.ndarray
    """``Coverage.automated``."""
    human_only: np.ndarray
    """``Coverage.human_only``."""
    probability: np.ndarray
    """Churn probability at the date."""
    churns: np.ndarray
    """Whether the customer churns."""

    def coverage(self, index: int) -> Coverage:
        """The ``Coverage`` of the batch's ``index``-th customer."""
        return Coverage(human=float(self.human[index]), automated=float(self.automated[index]),
                        human_only=float(self.human_only[index]))


def decide_batch(world: CustomerRun, customers: np.ndarray, instants: np.ndarray,
                 missed: np.ndarray) -> BatchDecision:
    """Coverage, churn probability and decision of each customer at its renewal instant.

    Args:
        world: the run, in the state every customer of the batch meets at its date.
        customers: the customers, in the order their dates are handled.
        instants: each one's renewal instant.
        missed: whether each one's renewal work was left undone.
    """
    human, automated, human_only = _coverage(world, customers, instants)
    factor = _churn_factor(world, customers, instants, missed, human + automated)
    probability = churn_probability(world.book.theta[customers], factor)
    slots = world.book.renewals_done[customers]
    churns = world.book.renewal_u[customers, slots] < probability
    return BatchDecision(human, automated, human_only, probability, churns)


def _coverage(world: CustomerRun, customers: np.ndarray,
              instants: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``customer_coverage`` of each customer at its instant: human, automated, human-only."""
    book = world.book
    tier = book.tier[customers]
    needs = world.tiers.needs
    hours = np.array([need.human_hours_per_year for need in needs])[tier]
    share = np.array([need.automatable_share for need in needs])[tier]
    efficacy = np.array([need.automation_efficacy for need in needs])[tier]
    automated = np.where(world.profiles.hours[book.profile[customers], tier] <= 0,
                         share * efficacy, 0.0)
    start = instants - YEAR_DAYS
    live = book.golive_day[customers]
    with np.errstate(invalid="ignore"):
        served = (hours <= 0) | np.isnan(live) | (live >= instants)
    unseen = np.maximum(0.0, -start)
    window = instants - np.maximum(start, live) + unseen
    rate = hours / YEAR_DAYS
    delivered = book.cycle_human_hours[customers] + rate * unseen
    with np.errstate(divide="ignore", invalid="ignore"):
        human = np.where(window > 0, delivered / (rate * window), 1.0)
        automated = np.where(unseen > 0, automated * ((window - unseen) / window), automated)
    return (np.where(served, 1.0, human), np.where(served, 0.0, automated),
            np.where(served, 1.0, 1.0 - share))


def _churn_factor(world: CustomerRun, customers: np.ndarray, instants: np.ndarray,
                  missed: np.ndarray, total: np.ndarray) -> np.ndarray:
    """``churn_factor`` of each customer at its instant, its coverage totalling ``total``."""
    book, effects, org = world.book, world.scenario.service_effects, world.scenario.org
    curvature = effects.coverage_curvature
    gained = np.array([-math.expm1(-curvature * value) for value in total.tolist()])
    factor = _powers(effects.under_service, 1.0 - gained / -math.expm1(-curvature))
    first = book.renewals_done[customers] == 0
    wait = book.wait_days[customers]
    queued = np.where(book.state[customers] == WAITING,
                      instants - book.arrival_day[customers], 0.0)
    wait = np.where(np.isnan(wait), queued, wait)
    exponent = np.where(first & ~book.initial_live[customers], wait / MONTH_DAYS, 0.0)
    factor = factor * _powers(effects.onboarding_wait_per_month, exponent)
    tickets = book.cycle_tickets[customers]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(tickets > 0, np.minimum(1.0, book.cycle_breaches[customers] / tickets),
                         0.0)
    factor = factor * _powers(effects.sla_breaches, share, numpy_scalars=True)
    factor = factor * _powers(effects.csm_change, book.cycle_csm_changes[customers])
    kind = book.handoff_kind[customers]
    handoff = np.where(kind == HANDOFF, org.handoff_churn_factor,
                       np.where(kind == POD_HANDOFF, org.pod_handoff_churn_factor, 1.0))
    factor = factor * np.where(first, handoff, 1.0)
    factor = factor * np.where(missed, effects.missed_renewal, 1.0)
    engine = world.triggers
    if engine.cycle:
        factor = factor * np.array([engine.odds_factor(customer, now) for customer, now
                                    in zip(customers.tolist(), instants.tolist(), strict=True)])
    return factor


def _powers(base: float, exponents: np.ndarray, numpy_scalars: bool = False) -> np.ndarray:
    """``base ** e`` for each exponent, by the scalar power the scalar code uses (1 at e = 0).

    Python's power of floats, or numpy's scalar power where the scalar code raises to a numpy
    scalar (``numpy_scalars``). A zero exponent gives exactly 1 either way and is not computed.
    """
    result = np.ones(len(exponents))
    where = np.flatnonzero(exponents != 0)
    if len(where):
        values = exponents[where]
        items = list(values) if numpy_scalars else values.tolist()
        result[where] = [base ** value for value in items]
    return result
