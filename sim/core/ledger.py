"""What a run writes down as it goes: the event log, counters, level monitors, costs, pool weeks.

The ledger knows no domain types: counters and levels are indexed by tier or pool number, events
are plain tuples, and the tables in ``sim.outputs`` read it all back at the end of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.core.monitors import Counters, LevelMonitor

TIER_COUNTERS = (
    "new_customers", "churned_customers", "abandoned_customers", "go_lives",
    "arr_new", "arr_expansion", "arr_contraction", "arr_churned", "arr_migration_in",
    "arr_migration_out", "touches_due", "touches_missed", "tickets_opened", "tickets_resolved",
    "sla_breaches", "tickets_sla_met", "arr_abandoned", "response_hours_sum", "renewals_due",
    "renewals_missed",
    "onboarding_starts", "onboarding_wait_sum", "migrations_in", "migrations_out",
    "csm_changes", "triggers_usage_drop", "triggers_inactivity", "triggers_dedicated_csm",
    "triggers_expansion", "reengaged_automated", "outreach_done", "outreach_unanswered",
    "trigger_response_days_sum",
)
POOL_COUNTERS = ("hires", "departures", "transfers_in", "transfers_out")


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
    events: list[tuple] = field(default_factory=list)
    """(day, kind, customer, staff, tier, amount, pool), in the order they happened."""
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
                   headcount_level=LevelMonitor(n_pools))
