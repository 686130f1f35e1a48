"""Staff pools and their members: capacity, ramp-up, burnout and attrition."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.core.calendar import WEEK_DAYS, YEAR_DAYS
from sim.scenario.schema import Scenario
from sim.scenario.staff import Hiring, StaffDynamics, StaffPool
from sim.scenario.vocabulary import Role

Hours = dict[int, float]
"""Hours by staff member id."""


@dataclass(eq=False)
class Person:
    """One member of staff."""

    id: int
    pool: Pool
    hired_day: float
    rng: np.random.Generator
    burnout: float = 0.0
    active: bool = True
    accounts: int = 0
    onboardings: set[int] = field(default_factory=set)
    renewal_tasks: set[int] = field(default_factory=set)

    def ramp(self, day: float, hiring: Hiring) -> float:
        """Ramp-up factor: from `ramp_start_productivity` on the first day to 1 after ramp."""
        tenure = day - self.hired_day
        if hiring.ramp_days <= 0 or tenure >= hiring.ramp_days:
            return 1.0
        start = hiring.ramp_start_productivity
        return start + (1.0 - start) * tenure / hiring.ramp_days

    def productivity(self, day: float, hiring: Hiring, dynamics: StaffDynamics) -> float:
        """Share of a fully ramped, rested person's output this person delivers now."""
        return self.ramp(day, hiring) * (1.0 - dynamics.productivity_loss * self.burnout)

    def hours_available(self, day: float, hiring: Hiring, dynamics: StaffDynamics) -> float:
        """Productive hours available this week (after admin, ramp-up and burnout)."""
        spec = self.pool.spec
        return spec.weekly_hours * (1.0 - spec.admin_share) * self.productivity(
            day, hiring, dynamics)

    def free_slots(self) -> int:
        """Onboarding slots not in use."""
        return self.pool.spec.slots_per_person - len(self.onboardings)


@dataclass(eq=False)
class Pool:
    """A pool of staff in one role."""

    index: int
    spec: StaffPool
    tier_indices: tuple[int, ...]
    members: list[Person] = field(default_factory=list)
    open_requisitions: int = 0
    changes: int = 0
    """Count of joins, departures and transfers (lets derived figures know when to refresh)."""

    @property
    def name(self) -> str:
        """The pool's name."""
        return self.spec.name

    @property
    def role(self) -> Role:
        """The pool's role."""
        return self.spec.role

    def least_loaded(self) -> Person | None:
        """The member with the fewest accounts (ties: earliest hire); None if nobody is on staff."""
        return min(self.members, key=lambda person: (person.accounts, person.id), default=None)


def update_burnout(burnout: float, pressure: float, dynamics: StaffDynamics) -> float:
    """One week of burnout dynamics: builds above the overload threshold, recovers below it."""
    if pressure > dynamics.overload_threshold:
        burnout += dynamics.burnout_gain_per_week * (pressure - dynamics.overload_threshold)
    else:
        burnout -= dynamics.recovery_per_week
    return min(1.0, max(0.0, burnout))


def weekly_quit_probability(burnout: float, dynamics: StaffDynamics) -> float:
    """Probability of quitting in one week: annual hazard base x (1 + multiplier x burnout)."""
    hazard = dynamics.base_attrition_per_year * (
        1.0 + dynamics.burnout_attrition_multiplier * burnout)
    return 1.0 - math.exp(-hazard * WEEK_DAYS / YEAR_DAYS)


def pools_of(scenario: Scenario) -> list[Pool]:
    """The run's staff pools, in the scenario's order, nobody on staff yet."""
    return [Pool(index, spec, tuple(scenario.tier_index(name) for name in spec.tiers))
            for index, spec in enumerate(scenario.pools)]
