"""The columns of the two per-period tables, timeseries and workforce, in table order.

The order here is the order of the tables' columns (``sim.outputs.tables`` reads it).
"""

from __future__ import annotations

from sim.outputs.column_spec import MONTH, Column, counter_column

_C = counter_column

TIMESERIES: tuple[Column, ...] = (
    Column("period", "index", "output period, 1 = the first"),
    Column("day", "day", "day the period ends"),
    MONTH,
    Column("tier", "—", "tier name, or `all`"),
    Column("customers_active", "customers", "live (onboarded) customers at the period end"),
    Column("customers_onboarding", "customers",
           "customers being onboarded at the period end, by a person or (self-serve) by "
           "themselves"),
    Column("onboarding_backlog", "customers",
           "signed customers waiting for a human onboarding slot at the period end (self-serve "
           "customers never wait)"),
    Column("customers_total", "customers", "customers under contract: active + onboarding + "
           "waiting"),
    Column("onboarding_backlog_mean", "customers",
           "time-average of the waiting queue over the period"),
    Column("onboarding_backlog_weeks", "weeks",
           "weeks of onboarding work waiting for the tier's onboarding team at full slots "
           "(`all`: the worst team); `inf` when that team has nobody"),
    Column("onboarding_wait_days_mean", "days",
           "mean wait from signature to start of onboarding of those who started in the period"),
    _C("onboarding_starts"),
    _C("go_lives"),
    _C("new_customers"),
    _C("churned_customers"),
    _C("abandoned_customers"),
    Column("arr_start", "USD/yr", "ARR at the start of the period (= `arr` of the previous "
           "period)"),
    _C("arr_new"),
    _C("arr_expansion"),
    _C("arr_contraction"),
    _C("arr_churned"),
    _C("arr_abandoned"),
    Column("arr_migration_net", "USD/yr",
           "ARR moved into the tier by tier migration minus ARR moved out (0 for `all`)"),
    Column("arr", "USD/yr",
           "ARR under contract at the period end; `arr_start + arr_new + arr_expansion − "
           "arr_contraction − arr_churned + arr_migration_net = arr` exactly"),
    Column("grr_ttm", "ratio",
           "trailing-12-month gross revenue retention of the cohort paying 12 months earlier "
           "(by its tier then), each customer capped at its ARR a year ago; empty for the first "
           "11 months. Customers who signed in the last 12 months are not in the cohort, so a "
           "signing lost before go-live within the year lowers neither GRR nor NRR: see "
           "`arr_abandoned`"),
    Column("nrr_ttm", "ratio",
           "trailing-12-month net revenue retention of the same cohort (no cap); empty for the "
           "first 11 months"),
    Column("csm_headcount", "people",
           "CSMs in the pool serving the tier (`all`: all CSM pools) at the period end"),
    Column("accounts_per_csm", "accounts",
           "live human-touch accounts of the tier's CSM pool (all its tiers) per CSM of that "
           "pool"),
    Column("accounts_per_csm_target", "accounts",
           "the tier's `accounts_per_csm` target (empty for `all`)"),
    _C("touches_due"),
    _C("touches_missed"),
    _C("tickets_opened"),
    _C("tickets_resolved"),
    Column("tickets_open", "tickets", "tickets waiting at the period end"),
    Column("ticket_response_hours_mean", "hours",
           "mean first-response time of tickets taken into work in the period"),
    _C("sla_breaches"),
    _C("tickets_sla_met"),
    Column("sla_breach_share", "ratio",
           "`sla_breaches / (sla_breaches + tickets_sla_met)`: the share of the tickets whose "
           "SLA was decided in the period that breached it (always within 0..1)"),
    _C("renewals_due"),
    _C("renewals_missed"),
    _C("migrations_in"),
    _C("migrations_out"),
    _C("csm_changes"),
    Column("cs_cost", "USD",
           "staff, tooling, shared and fixed automation cost accrued in the period"),
    Column("cost_per_customer", "USD/customer/yr", "`cs_cost` annualised / `customers_total`"),
    Column("cs_cost_pct_arr", "%", "`cs_cost` annualised / `arr` × 100"),
    Column("period_days", "days", "length of the period"),
    Column("strategy", "—", "the newest strategy change at the period end (`base` if none)"),
    Column("strategy_phase", "—",
           "the newest strategy change's phase at the period end: `design`, `pilot`, "
           "`rollout`, `done` (empty if none)"),
    Column("strategy_share", "ratio",
           "share of the tier's customers under contract already served the new way"),
    Column("strategy_cost", "USD",
           "one-off transition cost and new fixed automation cost of strategy changes accrued "
           "in the period (included in `cs_cost`)"),
    Column("stage", "1–4",
           "the company's growth stage at the period end by customers under contract "
           "([§10.1](sources.md#s10-1): 1 startup 0–50, 2 early scale 50–200, 3 scaled 200–500, "
           "4 mature 500+); the same on every row of the period"),
    Column("breaking_points", "—",
           "[§10.1](sources.md#s10-1) \"move on when\" signs of the current stage that fire in "
           "the period, comma-separated (`third_cs_hire` counts CSMs, `customers_150`, "
           "`onboarding_backlog` > 6 weeks, `missed_renewals` in the period, `customers_400`); "
           "the busiest person's account count is not checked"),
    _C("triggers_usage_drop"),
    _C("triggers_inactivity"),
    _C("triggers_dedicated_csm"),
    _C("triggers_expansion"),
    _C("reengaged_automated"),
    _C("outreach_done"),
    _C("outreach_unanswered"),
    Column("outreach_open", "tasks", "at-risk outreach tasks waiting at the period end"),
    Column("trigger_response_days_mean", "days",
           "mean days from a risk trigger to its outreach, over the outreach done in the "
           "period"),
    Column("regions_below_min_scale", "regions",
           "geographic model: regions with a regional team (a pool naming the region) and fewer "
           "than `org.min_customers_per_region` customers under contract at the period end; "
           "org-wide, the same on every row of the period (0 without regions)"),
)
"""The timeseries table: one row per (period, tier), plus tier `all`."""

WORKFORCE: tuple[Column, ...] = (
    Column("period", "index", "output period, 1 = the first"),
    Column("day", "day", "day the period ends"),
    MONTH,
    Column("pool", "—",
           "pool name (e.g. `csm_enterprise`), or the derived leadership layer (`team_lead`, "
           "`manager`, `director`, `vp`)"),
    Column("role", "—",
           "the pool's role: `csm`, `implementation`, `support`, `renewals`, `cs_ops`, "
           "`leader`; `leadership` for derived layers (their hours, utilisation and burnout are "
           "empty, hires and departures 0)"),
    Column("work_priority", "—",
           "the order the pool works in when it cannot do all its work: a CSM pool's touch "
           "priority (`value`, `risk`, `least_recent`: its own `touch_priority`, else "
           "`work_priority.touches`), a support pool's `work_priority.support` (`fcfs`, "
           "`tier`); `\"\"` for other roles"),
    Column("headcount", "people", "people on staff at the period end"),
    _C("hires"),
    _C("departures"),
    _C("transfers_in"),
    _C("transfers_out"),
    Column("utilisation_mean", "ratio",
           "hours worked / hours available per person-week, the mean over the person-weeks "
           "overlapping the period (weighted by days of overlap)"),
    Column("utilisation_max", "ratio",
           "the highest utilisation of any person-week overlapping the period"),
    Column("burnout_mean", "0..1", "mean burnout of the people on staff at the period end"),
    Column("burnout_max", "0..1", "highest burnout of the people on staff at the period end"),
    Column("hours_demanded", "hours",
           "hours of work falling due in the period (pressure; support counts its "
           "start-of-week backlog spread over `backlog_clear_weeks`)"),
    Column("hours_available", "hours", "productive hours available in those weeks"),
    Column("hours_worked", "hours", "hours worked (never above `hours_available`)"),
    Column("cost", "USD", "fully loaded cost accrued in the period"),
    Column("open_requisitions", "people", "hires under way at the period end"),
    Column("productivity_gain", "ratio",
           "CS Ops gain on the pool's available hours at the period end (`hours_available` "
           "includes it); 0 for all but CSM pools"),
    Column("region", "—", "the pool's region (geographic model), `\"\"` for a global pool"),
)
"""The workforce table: one row per (period, staff pool)."""


def names(columns: tuple[Column, ...]) -> tuple[str, ...]:
    """The column names a table has without a start date (``month`` is added with one)."""
    return tuple(column.name for column in columns if not column.start_date_only)


TIMESERIES_ORDER = names(TIMESERIES)
WORKFORCE_ORDER = names(WORKFORCE)
