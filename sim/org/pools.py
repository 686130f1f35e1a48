"""Staff pools and their members: capacity, ramp-up, burnout and attrition."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
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
    held_hours: float | None = None
    """Open renewal hours of ``renewal_tasks`` as last summed (``World.renewal_hours_held``);
    None once a task is handed on, closed or worked on."""

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
        return self.pool.slots - len(self.onboardings)


class LoadIndex:
    """A pool's members by a whole-number load, least loaded first (ties: lowest id).

    Answers in O(log n) instead of a scan of the members (the lowest id is the earliest hire).

    ``moved(person)`` must be called whenever a member's load changes or a person joins the
    pool. Entries of people who left, or whose load changed since, are dropped or re-filed
    when they reach the top; the heap is rebuilt from the members when stale entries pile up.

    Args:
        pool: the pool whose members are indexed.
        load: the load of a person.
    """

    def __init__(self, pool: Pool, load: Callable[[Person], int]) -> None:
        self.pool = pool
        self.load = load
        self.heap: list[tuple[int, int, Person]] = []

    def moved(self, person: Person) -> None:
        """File a person under their current load."""
        heap = self.heap
        if len(heap) > 2 * len(self.pool.members) + 16:
            heap[:] = [(self.load(member), member.id, member) for member in self.pool.members]
            heapq.heapify(heap)
            return
        heapq.heappush(heap, (self.load(person), person.id, person))

    def least(self) -> Person | None:
        """The member with the least load (ties: lowest id); None if nobody is on staff."""
        heap, pool, load = self.heap, self.pool, self.load
        while heap:
            filed, _, person = heap[0]
            if person.pool is not pool or not person.active:
                heapq.heappop(heap)
                continue
            current = load(person)
            if current == filed:
                return person
            heapq.heapreplace(heap, (current, person.id, person))
        return None


def _onboardings_held(person: Person) -> int:
    return len(person.onboardings)


def _accounts_owned(person: Person) -> int:
    return person.accounts


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
    slots: int = field(init=False)
    """Onboarding slots per person (``StaffPool.slots_per_person``)."""
    by_onboardings: LoadIndex = field(init=False, repr=False)
    """Members by onboardings held: the first has the most free slots."""
    by_accounts: LoadIndex = field(init=False, repr=False)
    """Members by accounts owned."""

    def __post_init__(self) -> None:
        self.slots = self.spec.slots_per_person
        self.by_onboardings = LoadIndex(self, _onboardings_held)
        self.by_accounts = LoadIndex(self, _accounts_owned)

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
        return self.by_accounts.least()

    def freest(self) -> Person | None:
        """The member with the most free onboarding slots (ties: earliest hire), or None."""
        return self.by_onboardings.least()

    def track(self, person: Person) -> None:
        """File a person who joined, or whose onboardings or accounts changed, in the indexes."""
        self.by_onboardings.moved(person)
        self.by_accounts.moved(person)


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
