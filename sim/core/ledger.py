"""What a run writes down as it goes: events, counters, level monitors, costs, pool weeks, hours.

The ledger knows no domain types: counters and levels are indexed by tier or pool number, events
are kept column-wise (``sim.core.event_log``; ``sim.core.events`` names their kinds and value
columns), and the tables in
``sim.outputs`` read it all back at the end of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.core.counters import POOL_COUNTERS, TIER_COUNTERS
from sim.core.event_log import NO_COLUMN, EventLog
from sim.core.monitors import Counters, LevelMonitor

NO_VALUE = (NO_COLUMN, float("nan"))
"""The value column and value of an event whose kind carries none."""


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


@dataclass(eq=False)
class Ledger:
    """The run's records, by tier and pool number."""

    tier_counters: Counters
    pool_counters: Counters
    waiting_level: LevelMonitor
    """Customers waiting for an onboarding, by tier."""
    paying_level: LevelMonitor
    """Customers under contract, by tier."""
    headcount_level: LevelMonitor
    """People on staff, by pool."""
    work_hours: np.ndarray
    """Hours each pool (row) worked for each tier's customers (column) in the current output
    period (``sim.work.activity``)."""
    events: EventLog = field(default_factory=EventLog)
    """(day, kind, customer, staff, tier, pool, value column, value), in the order they
    happened; ``NO_VALUE`` fills the last two for a kind without a value."""
    costs_over_time: list[tuple[float, float, float, int]] = field(default_factory=list)
    """Costs outside staff and per-account costs: (from day, to day, USD per day, tier or -1
    for all tiers), e.g. a strategy change's one-off cost and new fixed automation cost."""
    weeks: list[PoolWeek] = field(default_factory=list)

    @classmethod
    def of(cls, n_tiers: int, n_pools: int) -> Ledger:
        """An empty ledger for a run with so many tiers and pools."""
        return cls(tier_counters=Counters(TIER_COUNTERS, n_tiers),
                   pool_counters=Counters(POOL_COUNTERS, n_pools),
                   waiting_level=LevelMonitor(n_tiers), paying_level=LevelMonitor(n_tiers),
                   headcount_level=LevelMonitor(n_pools),
                   work_hours=np.zeros((n_pools, n_tiers)))
