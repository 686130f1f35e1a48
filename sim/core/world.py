"""The state of one run, passed explicitly to every process."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.core.calendar import MONTH_DAYS
from sim.core.counters import POOL_COUNTERS, TIER_COUNTERS
from sim.core.monitors import Counters, LevelMonitor
from sim.core.streams import Streams
from sim.customers.book import CustomerBook
from sim.customers.profiles import ServiceProfiles
from sim.org.pools import Person, Pool
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.customers.triggers import TriggerEngine
    from sim.org.leadership import LeadershipLevels
    from sim.policies.strategy import Change
    from sim.scenario.routes import Routes
    from sim.work.onboarding import OnboardingDesk
    from sim.work.renewals import RenewalTask
    from sim.work.support import SupportDesk



@dataclass(frozen=True)
class PoolWeek:
    """One pool's accounted week.

    Hours demanded, available and worked by the pool, and each person's utilisation (hours
    worked / hours available).
    """

    pool: int
    start: float
    demanded: float
    available: float
    worked: float
    utilisation: tuple[float, ...]


@dataclass(frozen=True)
class TierTable:
    """Per-tier parameters as arrays indexed by tier, for vectorised work.

    Touch and renewal parameters live in the service profiles (``sim.customers.profiles``), which a
    strategy can change during the run.
    """

    sla_hours: np.ndarray
    band_edges: list[float]
    band_tiers: list[int]

    @classmethod
    def of(cls, scenario: Scenario) -> TierTable:
        """Build the table from a scenario."""
        tiers = scenario.tiers
        return cls(
            sla_hours=np.array([tier.sla_response_hours for tier in tiers]),
            band_edges=sorted(tier.acv_min for tier in tiers),
            band_tiers=sorted(range(len(tiers)), key=lambda index: tiers[index].acv_min),
        )

    def tier_of(self, acv: float) -> int:
        """The tier whose band holds ``acv`` (bands are [acv_min, acv_max))."""
        position = bisect.bisect_right(self.band_edges, acv) - 1
        return self.band_tiers[max(position, 0)]


@dataclass(eq=False)
class World:
    """Everything one run knows: clock, scenario, customers, staff and recorder."""

    env: simpy.Environment
    scenario: Scenario
    streams: Streams
    book: CustomerBook
    pools: list[Pool]
    tiers: TierTable
    horizon: float
    tier_counters: Counters
    pool_counters: Counters
    waiting_level: LevelMonitor
    paying_level: LevelMonitor
    headcount_level: LevelMonitor
    profiles: ServiceProfiles
    events: list[tuple] = field(default_factory=list)
    """(time, kind, customer, staff, tier, pool, {value column: value}) per event."""
    costs_over_time: list[tuple[float, float, float, int]] = field(default_factory=list)
    """Costs outside staff and per-account costs: (from day, to day, USD per day, tier or -1
    for all tiers), e.g. a strategy change's one-off cost and new fixed automation cost."""
    weeks: list[PoolWeek] = field(default_factory=list)
    people: dict[int, Person] = field(default_factory=dict)
    journeys: dict[int, simpy.Process] = field(default_factory=dict)
    desks: dict[int, OnboardingDesk] = field(default_factory=dict)
    """Onboarding queues by pool index, set up on first use (``sim.org.routing.desk_for``)."""
    renewal_tasks: dict[int, RenewalTask] = field(default_factory=dict)
    support: SupportDesk | None = None
    changes: list[Change] = field(default_factory=list)
    """Strategy changes started so far, in order."""
    triggers: TriggerEngine | None = None
    routes: dict[str, Routes] = field(default_factory=dict)
    """Routing tables by organisation model, built on first use (``sim.org.routing.routes_for``)."""
    next_person_id: int = 0
    leadership: LeadershipLevels | None = None

    @classmethod
    def create(cls, scenario: Scenario, streams: Streams, book: CustomerBook) -> World:
        """Set up the world at day 0 (no staff yet; see ``sim.org.staffing.staff_up``)."""
        pools = [
            Pool(index, spec, tuple(scenario.tier_index(name) for name in spec.tiers))
            for index, spec in enumerate(scenario.pools)
        ]
        n_tiers, n_pools = len(scenario.tiers), len(pools)
        return cls(
            env=simpy.Environment(), scenario=scenario, streams=streams, book=book,
            pools=pools, tiers=TierTable.of(scenario),
            horizon=scenario.horizon_months * MONTH_DAYS,
            tier_counters=Counters(TIER_COUNTERS, n_tiers),
            pool_counters=Counters(POOL_COUNTERS, n_pools),
            waiting_level=LevelMonitor(n_tiers), paying_level=LevelMonitor(n_tiers),
            headcount_level=LevelMonitor(n_pools), profiles=ServiceProfiles.of(scenario),
        )

    @property
    def now(self) -> float:
        """Current simulated day."""
        return self.env.now

    def record(self, kind: str, customer: int = -1, staff: int = -1, tier: int = -1,
               pool: int = -1, **value: float) -> None:
        """Append one event: its kind (``sim.core.events``), who it concerns and its value.

        The value, if the kind carries one, is given by its column's name, e.g.
        ``world.record("arrival", customer, tier=tier, acv=acv)``.
        """
        self.events.append((self.env.now, kind, customer, staff, tier, pool, value))

    @property
    def support_desk(self) -> SupportDesk:
        """The run's support desk (set up by ``sim.model.build``)."""
        if self.support is None:
            raise RuntimeError("the support desk is set up by sim.model.build")
        return self.support

    def touch_interval(self, customer: int) -> float:
        """Days between a customer's scheduled touches on its service profile."""
        return float(self.profiles.interval[self.book.profile[customer], self.book.tier[customer]])

    def renewal_hours(self, customer: int) -> float:
        """Owner hours a customer's renewal needs on its service profile."""
        return float(self.profiles.renewal_hours[self.book.profile[customer],
                                                 self.book.tier[customer]])

    def renewal_hours_held(self, person: Person) -> float:
        """Hours of renewal work a person holds and has still to do (their renewal load)."""
        return sum(self.renewal_tasks[customer].remaining_hours
                   for customer in person.renewal_tasks)

    def pools_with_role(self, role: str) -> list[Pool]:
        """Pools of one role."""
        return [pool for pool in self.pools if pool.role == role]

    def pool_named(self, name: str) -> Pool:
        """The pool of a name (the scenario rules check that named pools exist)."""
        return next(pool for pool in self.pools if pool.name == name)
