"""The columns of the event, customer and summary tables, in table order."""

from __future__ import annotations

from sim.core.events import VALUE_COLUMNS
from sim.outputs.column_spec import MONTH, Column

EVENTS: tuple[Column, ...] = (
    Column("time", "day", "when the event happened"),
    MONTH,
    Column("kind", "—", "the kind of event (see the list of kinds below)"),
    Column("customer", "id", "the customer concerned, −1 if none"),
    Column("staff", "staff id", "the person concerned, −1 if none (see each kind)"),
    Column("tier", "—", "the customer's tier (name), `\"\"` if none"),
    Column("pool", "—", "the staff pool concerned (name), `\"\"` if none (see each kind)"),
    *(Column(column.name, column.unit,
             column.meaning + {"float": "; NaN", "int": "; −1", "tier": "; `\"\"`",
                               "pool": "; `\"\"`"}[column.type] + " for other kinds")
      for column in VALUE_COLUMNS),
)
"""The events table: one row per event; the value columns after ``pool`` are filled by the
kinds ``sim.core.events`` gives them."""

CUSTOMERS: tuple[Column, ...] = (
    Column("customer", "id", "customer id"),
    Column("account_id", "—", "with `growth.initial_book`: the account's id in the book (`\"\"` "
           "for later signings)", initial_book_only=True),
    Column("tier", "—", "tier at the end of the run"),
    Column("initial_tier", "—", "tier at signature"),
    Column("state", "—", "final state: `waiting`, `onboarding`, `active`, `churned`"),
    Column("complexity", "—", "onboarding complexity (`low`, `medium`, `high`)"),
    Column("initial_book", "bool", "live at day 0 (the initial book; the day-0 backlog excluded)"),
    Column("acv_initial", "USD/yr", "ACV at signature"),
    Column("acv", "USD/yr", "ACV at the end of the run"),
    Column("theta", "probability", "latent churn probability"),
    Column("arrival_day", "day", "day of signature"),
    Column("onboarding_start_day", "day", "day onboarding started (empty if it did not)"),
    Column("golive_day", "day", "day of go-live (empty if none)"),
    Column("churn_day", "day", "day the customer left (empty if it did not)"),
    Column("abandoned", "bool", "left before go-live"),
    Column("wait_days", "days", "days from signature to onboarding start"),
    Column("time_to_value_days", "days", "days from signature to go-live"),
    Column("human_onboarding", "bool",
           "onboarded by a person (false for self-serve and for the day-0 live book)"),
    Column("renewals", "renewals", "renewals survived"),
    Column("touches_due", "touches", "CSM touches due over the run"),
    Column("touches_missed", "touches", "CSM touches missed over the run"),
    Column("tickets", "tickets", "tickets opened over the run"),
    Column("sla_breaches", "tickets", "tickets whose first response passed the SLA"),
    Column("csm_changes", "changes", "changes of CSM over the run"),
    Column("renewals_missed", "renewals", "renewals whose work was not done in time"),
    Column("owner", "staff id", "staff id of the CSM at the end of the run, −1 if none"),
    Column("region", "—", "the customer's region (geographic model), `\"\"` otherwise"),
    Column("triggers", "triggers", "triggers raised for the customer (0 when off)"),
    Column("usage", "ratio",
           "last observed usage, 1 = healthy level (empty when off or never observed)"),
)
"""The customers table: one row per customer who signed, in its final state."""

SUMMARY: tuple[Column, ...] = (
    Column("scenario", "—", "scenario name"),
    Column("seed", "—", "seed of the run"),
    Column("periods", "periods", "output periods"),
    Column("touch_priority", "—",
           "the touch priority of the CSM pools (`workforce.work_priority`), comma-separated "
           "in the order the pools appear when they differ; `\"\"` without a CSM pool"),
    Column("support_priority", "—", "`work_priority.support`: `fcfs` or `tier`"),
    Column("customers_start", "customers", "customers under contract at the start"),
    Column("customers_end", "customers", "customers under contract at the end"),
    Column("arr_start", "USD/yr", "ARR at the start"),
    Column("arr_end", "USD/yr", "ARR at the end"),
    Column("grr_ttm_last", "ratio", "the last trailing-12-month GRR"),
    Column("nrr_ttm_last", "ratio", "the last trailing-12-month NRR"),
    Column("onboarding_backlog_peak", "customers", "the highest onboarding backlog"),
    Column("onboarding_backlog_weeks_peak", "weeks", "the highest onboarding backlog in weeks"),
    Column("weeks_backlog_over_6", "weeks",
           "weeks spent with more than 6 weeks of backlog, the [§10.1](sources.md#s10-1) "
           "stage-2 breaking point"),
    Column("onboarding_wait_days_mean", "days",
           "mean days from signature to onboarding start of the customers onboarded by a "
           "person"),
    Column("utilisation_peak", "ratio", "the highest `utilisation_max`"),
    Column("burnout_peak", "0..1", "the highest `burnout_max`"),
    Column("departures", "people", "people who left over the run"),
    Column("hires", "people", "people who joined over the run"),
    Column("headcount_end", "people", "people on staff at the end (derived leadership layers "
           "included)"),
    Column("churned_customers", "customers", "customers lost over the run"),
    Column("abandoned_customers", "customers", "customers lost before go-live over the run"),
    Column("renewals_due", "renewals", "renewal dates over the run"),
    Column("missed_renewals", "renewals", "renewals whose work was not done in time"),
    Column("touches_missed_share", "ratio", "touches missed / touches due"),
    Column("sla_breach_share", "ratio", "breaches over the tickets whose SLA was decided"),
    Column("arr_lost_before_golive", "USD/yr",
           "the ACV of every customer who abandoned before go-live, whole run; not in GRR"),
    Column("total_cs_cost", "USD", "CS cost over the run"),
    Column("cs_cost_pct_arr_ttm", "%",
           "a run-rate: the CS cost of the last 12 months, or of the whole run if shorter, "
           "annualised, over the mean ARR of those months — each period's mean of its starting "
           "and ending ARR, weighted by its length"),
)
"""The summary table: one row of headline KPIs."""
