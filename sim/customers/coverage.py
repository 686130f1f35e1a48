"""Service coverage: what a customer received over its renewal cycle against what its tier needs.

Human coverage is the CSM hours of touches and answered interventions delivered since the last
renewal over the tier's need for the same days (``ServiceNeed.human_hours_per_year``); a customer
served by automated touches adds the share of the need automation stands in for
(``automatable_share · automation_efficacy``). The need runs from go-live (or the last renewal);
days of the cycle before the run started count as fully served, so a customer of the initial
book is not charged for service the run did not see. Coverage c moves the renewal through its
benefit b(c) (``ServiceEffects``): churn odds x ``under_service ** (1 − b(c))``; the expansion
probability and size fall below the tier's (those of a fully served customer) with
under-service and without CSM engagement, and contraction rises with under-service.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.calendar import YEAR_DAYS
from sim.customers.run import CustomerRun
from sim.scenario.service import RenewalChange, ServiceEffects


@dataclass(frozen=True)
class Coverage:
    """A customer's service over its cycle, as shares of its need."""

    human: float
    """Human hours delivered over hours needed (1 when nothing is needed)."""
    automated: float
    """Share of the need met by automated touches (0 on a human-touch profile)."""
    human_only: float = 1.0
    """Share of the need automation cannot stand in for (1 − ``automatable_share``)."""

    @property
    def total(self) -> float:
        """Coverage c: human plus automated."""
        return self.human + self.automated

    @property
    def engagement(self) -> float:
        """Share of the human-only part of the need met by CSM hours, at most 1.

        1 when all of the need can be automated. Drives CS-led expansion.
        """
        return 1.0 if self.human_only <= 0 else min(1.0, self.human / self.human_only)


def customer_coverage(world: CustomerRun, customer: int) -> Coverage:
    """The customer's coverage over the cycle that ends now (at its renewal date)."""
    book, now = world.book, world.now
    tier = int(book.tier[customer])
    need = world.tiers.needs[tier]
    automated_profile = world.profiles.hours[book.profile[customer], tier] <= 0
    automated = need.automatable_share * need.automation_efficacy if automated_profile else 0.0
    human_only = 1.0 - need.automatable_share
    if need.human_hours_per_year <= 0:
        return Coverage(human=1.0, automated=0.0)
    start = now - YEAR_DAYS
    live = float(book.golive_day[customer])
    if math.isnan(live) or live >= now:
        return Coverage(human=1.0, automated=0.0)  # never live: the wait speaks for the cycle
    unseen = max(0.0, -start)  # days of the cycle before the run started
    window = now - max(start, live) + unseen
    rate = need.human_hours_per_year / YEAR_DAYS
    delivered = float(book.cycle_human_hours[customer]) + rate * unseen
    human = delivered / (rate * window) if window > 0 else 1.0
    if unseen > 0:
        automated *= (window - unseen) / window
    return Coverage(human=human, automated=automated, human_only=human_only)


def benefit(coverage: float, curvature: float) -> float:
    """b(c) = (1 − e^(−λc)) / (1 − e^(−λ)): 0 at c = 0, 1 at c = 1, concave, bounded."""
    return -math.expm1(-curvature * coverage) / -math.expm1(-curvature)


def coverage_odds(effects: ServiceEffects, coverage: Coverage) -> float:
    """Churn-odds multiplier of a coverage: ``under_service ** (1 − b(c))`` (1 at c = 1)."""
    return effects.under_service ** (1.0 - benefit(coverage.total, effects.coverage_curvature))


def served_change(effects: ServiceEffects, change: RenewalChange,
                  coverage: Coverage) -> RenewalChange:
    """The tier's expansion and contraction (those of a fully served customer) at this coverage.

    Expansion probability x (floor + (1 − floor) · min(b, 1)) x (1 − csm_led_expansion · (1 − e)),
    its mean size x (1 − csm_led_size · (1 − e)), contraction probability
    x contraction_under_service ** (1 − min(b, 1)), kept within [0, 1] with the expansion band
    first. At full coverage, or with neutral effects, ``change`` itself.
    """
    gain = min(1.0, benefit(coverage.total, effects.coverage_curvature))
    missing = 1.0 - coverage.engagement
    expand = ((effects.expansion_floor + (1.0 - effects.expansion_floor) * gain)
              * (1.0 - effects.csm_led_expansion * missing))
    size = 1.0 - effects.csm_led_size * missing
    contract = effects.contraction_under_service ** (1.0 - gain)
    if expand == 1.0 and size == 1.0 and contract == 1.0:
        return change
    expansion = change.expansion_probability * expand
    contraction = min(1.0 - expansion, change.contraction_probability * contract)
    return change.model_copy(update={"expansion_probability": expansion,
                                     "contraction_probability": contraction,
                                     "expansion_mean": change.expansion_mean * size})


def coverage_deficit(world: CustomerRun, customers: np.ndarray) -> np.ndarray:
    """1 − human coverage so far in the current cycle (need prorated to today), per customer.

    0 for a tier that needs no human hours; negative for a customer served beyond its need.
    """
    book = world.book
    rate = np.array([need.human_hours_per_year for need in world.tiers.needs])[
        book.tier[customers]] / YEAR_DAYS
    cycle_start = (book.first_renewal_day[customers]
                   + YEAR_DAYS * (book.renewals_done[customers] - 1))
    since = np.maximum(np.maximum(cycle_start, book.golive_day[customers]), 0.0)
    needed = rate * np.maximum(world.now - since, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        covered = np.where(needed > 0, book.cycle_human_hours[customers] / needed, 1.0)
    return 1.0 - covered


def touch_risk(world: CustomerRun, customers: np.ndarray) -> np.ndarray:
    """Risk of each customer for the ``risk`` touch priority, the largest first.

    Coverage deficit + ``work_priority.usage_drop_weight`` x usage drop (``UsageWalk.drop``;
    0 with triggers off, where usage is not modelled).
    """
    deficit = coverage_deficit(world, customers)
    if not world.triggers.enabled:
        return deficit
    weight = world.scenario.work_priority.usage_drop_weight
    return deficit + weight * world.triggers.walk.drop(customers)
