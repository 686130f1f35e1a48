"""The per-period counters of a run, in one registry.

A counter adds up during an output period and is taken (then reset) when the period closes
(``sim.core.monitors.Counters``). Each belongs to a scope (one value per tier or per staff pool)
and aggregates one way:

- ``count``: a whole number, or a dollar flow, that adds up over tiers and periods; the tables
  round it to a whole number and show it as a column of the same name (the two migration
  flows are shown netted, as ``arr_migration_net``);
- ``sum``: a per-period sum behind a mean (e.g. waiting days summed over the customers who
  started onboarding); it is no column itself, the table divides it by its count.

The engine (``sim.core.world``), the period recorder and tables (``sim.outputs``), the output
column registry and the invariant tests read these names from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scope = Literal["tier", "pool"]
Aggregation = Literal["count", "sum"]


@dataclass(frozen=True)
class Counter:
    """One per-period counter: its name, scope, how it aggregates, unit and meaning."""

    name: str
    scope: Scope
    aggregation: Aggregation
    unit: str
    meaning: str


def _tier(name: str, unit: str, meaning: str, aggregation: Aggregation = "count") -> Counter:
    return Counter(name, "tier", aggregation, unit, meaning)


def _pool(name: str, unit: str, meaning: str) -> Counter:
    return Counter(name, "pool", "count", unit, meaning)


COUNTERS: tuple[Counter, ...] = (
    _tier("new_customers", "customers",
          "customers signed in the period (the day-0 book and backlog excluded)"),
    _tier("churned_customers", "customers",
          "customers lost in the period: at renewal or by abandoning before go-live"),
    _tier("abandoned_customers", "customers",
          "the part of `churned_customers` lost before go-live"),
    _tier("go_lives", "customers", "customers gone live in the period"),
    _tier("arr_new", "USD/yr", "ARR bridge: ACV of the customers signed in the period"),
    _tier("arr_expansion", "USD/yr", "ARR bridge: ACV added by expansions at renewal"),
    _tier("arr_contraction", "USD/yr", "ARR bridge: ACV removed by contractions at renewal"),
    _tier("arr_churned", "USD/yr",
          "ARR bridge: ACV of the customers lost in the period (abandoned ones included)"),
    _tier("arr_migration_in", "USD/yr", "ACV moved into the tier by tier migration"),
    _tier("arr_migration_out", "USD/yr", "ACV moved out of the tier by tier migration"),
    _tier("touches_due", "touches", "CSM touches due in the period"),
    _tier("touches_missed", "touches", "CSM touches due in the period missed for lack of hours"),
    _tier("tickets_opened", "tickets", "tickets opened in the period"),
    _tier("tickets_resolved", "tickets", "tickets taken into work in the period"),
    _tier("sla_breaches", "tickets",
          "tickets whose first response passed the tier's SLA, counted when it passed"),
    _tier("tickets_sla_met", "tickets",
          "tickets answered within the tier's SLA, counted when answered"),
    _tier("arr_abandoned", "USD/yr",
          "the part of `arr_churned` lost before go-live (customers who abandoned the "
          "onboarding queue)"),
    _tier("response_hours_sum", "hours",
          "first-response hours summed over the tickets taken into work in the period", "sum"),
    _tier("renewals_due", "renewals", "renewal dates in the period"),
    _tier("renewals_missed", "renewals",
          "renewal dates in the period whose renewal work was not done in time"),
    _tier("onboarding_starts", "customers", "onboardings started in the period"),
    _tier("onboarding_wait_sum", "days",
          "days from signature to onboarding start summed over the onboardings started in the "
          "period", "sum"),
    _tier("migrations_in", "customers", "customers moving into the tier at renewal"),
    _tier("migrations_out", "customers", "customers moving out of the tier at renewal"),
    _tier("csm_changes", "changes", "changes of CSM (departures, tier migrations)"),
    _tier("triggers_usage_drop", "triggers",
          "usage-drop triggers raised in the period (0 when `triggers` are off)"),
    _tier("triggers_inactivity", "triggers",
          "inactivity triggers raised in the period (0 when `triggers` are off)"),
    _tier("triggers_dedicated_csm", "triggers",
          "dedicated-CSM triggers raised in the period (0 when `triggers` are off)"),
    _tier("triggers_expansion", "triggers",
          "expansion triggers raised in the period (0 when `triggers` are off)"),
    _tier("reengaged_automated", "triggers",
          "inactivity triggers the automated sequence resolved"),
    _tier("outreach_done", "tasks",
          "human at-risk outreach done (counted in the week it was done, by the period the "
          "week starts in)"),
    _tier("outreach_unanswered", "tasks",
          "at-risk outreach tasks expired unanswered at a renewal"),
    _tier("trigger_response_days_sum", "days",
          "days from a risk trigger to its outreach summed over the outreach done in the period",
          "sum"),
    _pool("hires", "people", "people who joined the pool in the period"),
    _pool("departures", "people", "people who left the pool in the period"),
    _pool("transfers_in", "people",
          "people who moved into the pool by a strategy's `transfer` (0 for derived layers)"),
    _pool("transfers_out", "people",
          "people who moved out of the pool by a strategy's `transfer` (0 for derived layers)"),
)
"""Every counter, tier counters first, each scope in the order the engine declares them."""

BY_NAME = {counter.name: counter for counter in COUNTERS}


def names(scope: Scope, aggregation: Aggregation | None = None) -> tuple[str, ...]:
    """The counter names of a scope (and of one aggregation, if given), in registry order."""
    return tuple(counter.name for counter in COUNTERS if counter.scope == scope
                 and (aggregation is None or counter.aggregation == aggregation))


TIER_COUNTERS = names("tier")
"""Counters kept per tier (``World.tier_counters``)."""
POOL_COUNTERS = names("pool")
"""Counters kept per staff pool (``World.pool_counters``)."""
