"""The kinds of event a run records, and the named columns of the event table.

Every event has a time, a kind, and the customer, staff member, tier and pool it concerns (−1
where none applies). A kind may carry one more value, held in a column named for what it is
(``acv``, ``wait_days``, ``from_tier``, ...); the other value columns of its row are missing
(NaN for numbers, −1 for ids, ``""`` for names). This module is the one list of kinds, of the
column each one fills and of what that column means; ``World.record`` takes the value by the
column's name (``world.record("arrival", customer, tier=tier, acv=acv)``) and the event table
(``sim.outputs.tables.events_table``) checks every recorded pair against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ValueType = Literal["float", "int", "tier", "pool"]
"""How a value column is stored: a float (NaN if missing), a whole number (−1 if missing), or
a tier or pool index written out as its name (``""`` if missing)."""


@dataclass(frozen=True)
class EventColumn:
    """A value column of the event table."""

    name: str
    type: ValueType
    unit: str
    meaning: str


@dataclass(frozen=True)
class EventKind:
    """A kind of event: its name, the value column it fills (None: none) and its meaning."""

    name: str
    column: str | None
    meaning: str


VALUE_COLUMNS: tuple[EventColumn, ...] = (
    EventColumn("acv", "float", "USD/yr", "the customer's ACV (see each kind)"),
    EventColumn("acv_change", "float", "USD/yr", "change of ACV at a renewal (new − old)"),
    EventColumn("wait_days", "float", "days",
                "days from the start of what the event ends (signature or trigger) to the event"),
    EventColumn("from_tier", "tier", "—", "the tier the customer left"),
    EventColumn("from_pool", "pool", "—", "the pool a person or a customer's work came from"),
    EventColumn("onboarder", "int", "staff id", "staff id of the customer's onboarder"),
    EventColumn("burnout", "float", "0..1", "the person's burnout when leaving"),
    EventColumn("metric", "float", "—", "the value of the metric that decided it"),
    EventColumn("cost_pct_arr", "float", "%",
                "CS cost as % of ARR the requisition would have reached"),
    EventColumn("customers_drawn", "int", "customers", "customers drawn for a pilot"),
    EventColumn("profile", "int", "index", "index of a service profile (0: the scenario's own)"),
    EventColumn("usage_ratio", "float", "ratio", "usage this month / usage last month"),
    EventColumn("usage", "float", "ratio", "usage, 1 = the healthy level"),
)

_WEEK = "time = the start of the week the CSM did it; staff and pool = the CSM"

KINDS: tuple[EventKind, ...] = (
    EventKind("arrival", "acv", "a customer signs (acv = its ACV)"),
    EventKind("onboarding_start", "wait_days",
              "onboarding starts (wait_days = days from signature)"),
    EventKind("go_live", "wait_days",
              "the customer goes live (wait_days = days from signature; staff = the onboarder)"),
    EventKind("renewal", "acv", "a renewal is survived (acv = ACV after renewal)"),
    EventKind("expansion", "acv_change", "the ACV grows at a renewal"),
    EventKind("contraction", "acv_change", "the ACV shrinks at a renewal"),
    EventKind("migration", "from_tier",
              "the new ACV moves the customer to another tier (tier = the new one)"),
    EventKind("renewal_missed", None, "the renewal work was not done in time"),
    EventKind("churn", "acv", "the customer leaves at renewal (acv = ACV lost)"),
    EventKind("abandon", "acv", "the customer leaves before go-live (acv = ACV lost)"),
    EventKind("csm_change", None, "the account moves to another CSM (staff = the previous CSM)"),
    EventKind("requisition", "metric",
              "a requisition opens (metric = the hiring policy's trigger metric, 0 for plan "
              "and backfill)"),
    EventKind("hire_blocked", "cost_pct_arr", "the budget cap blocks a requisition"),
    EventKind("hire", None, "a person joins"),
    EventKind("departure", "burnout", "a person leaves"),
    EventKind("transfer", "from_pool",
              "a strategy moves a person (staff = the person, pool = the new pool)"),
    EventKind("handoff", "onboarder",
              "a CSM takes the account from its onboarder after go-live (staff = the CSM, −1 "
              "if the pool had nobody; pool = the CSM pool)"),
    EventKind("borrowed", "from_pool",
              "pod model: a customer's onboarding starts in a free slot of another pod (staff = "
              "the lending person, pool = the lending implementation pool, from_pool = the "
              "customer's own implementation pool)"),
    EventKind("strategy_decision", "metric",
              "a strategy rule fires (metric = the value of the rule's metric)"),
    EventKind("strategy_pilot", "customers_drawn", "a strategy change's pilot starts"),
    EventKind("strategy_done", "profile",
              "a strategy change is rolled out (profile = the new service profile)"),
    EventKind("trigger_usage_drop", "usage_ratio", "with `triggers`: usage dropped"),
    EventKind("trigger_expansion", "usage_ratio", "with `triggers`: usage grew"),
    EventKind("trigger_inactivity", "usage", "with `triggers`: the account went inactive"),
    EventKind("trigger_dedicated_csm", "acv",
              "with `triggers`: the ACV crossed the dedicated-CSM threshold (acv = the new ACV; "
              "staff = the owner afterwards)"),
    EventKind("reengaged", "wait_days",
              "with `triggers`: the automated re-engagement worked (wait_days = days from the "
              "trigger)"),
    EventKind("expansion_routed_in_app", "acv", "with `triggers`: an expansion goes in-app"),
    EventKind("expansion_routed_inside_sales", "acv",
              "with `triggers`: an expansion goes to inside sales"),
    EventKind("expansion_routed_ae", "acv",
              "with `triggers`: an expansion goes to an account executive"),
    EventKind("outreach", "wait_days",
              f"with `triggers`: at-risk outreach is done ({_WEEK}; wait_days = days from the "
              "trigger)"),
    EventKind("expansion_handoff", "wait_days",
              f"with `triggers`: an expansion is handed over ({_WEEK}; wait_days = days from the "
              "trigger)"),
    EventKind("outreach_unanswered", "wait_days",
              "with `triggers`: an outreach task expires unanswered at the renewal (wait_days = "
              "days waited)"),
)
"""Every kind of event, in the order the documentation lists them."""

KIND_COLUMN = {kind.name: kind.column for kind in KINDS}
"""The value column of each kind (None: the kind carries no value)."""
COLUMN_TYPE = {column.name: column.type for column in VALUE_COLUMNS}
"""How each value column is stored."""
