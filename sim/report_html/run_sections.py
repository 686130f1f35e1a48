"""Sections of the report of one run: headline cards and monthly trajectories.

Each section is one function of the run (``RunSource -> Section``); ``RUN_SECTIONS`` lists them
in page order (with those of ``run_economics`` and ``run_story``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.core.calendar import MONTH_DAYS
from sim.outputs.formats import count, money, number, percent
from sim.report_html import charts
from sim.report_html.page import Card, Section, cards, grid
from sim.report_html.source import RunSource

BACKLOG_FLAG_WEEKS = 2.0
"""Reporting threshold: an onboarding backlog above this many weeks of work is called out
(a reading aid of the report, not a model parameter)."""
BACKLOG_BREAK_WEEKS = 6.0
"""The §10.1 breaking point of stage 2: an onboarding backlog of more than 6 weeks."""


def total(source: RunSource) -> pd.DataFrame:
    """The ``all``-tier rows of the time series, by period."""
    series = source.tables["timeseries"]
    return series[series["tier"] == "all"].sort_values("period").reset_index(drop=True)


def months(source: RunSource, periods: pd.Series) -> list[str]:
    """Calendar labels of periods."""
    return source.calendar.labels(periods)


def headline(source: RunSource) -> Section:
    """KPI cards: customers, ARR, GRR/NRR, peak backlog, CS cost % of ARR, hires, departures."""
    row = source.tables["summary"].iloc[0]
    items = [
        Card("Customers at the end", count(row["customers_end"]),
             f"from {count(row['customers_start'])}", "customers_end"),
        Card("ARR at the end", money(row["arr_end"], compact=True),
             f"from {money(row['arr_start'], compact=True)}", "arr_end"),
        Card("GRR, last 12 months", percent(row["grr_ttm_last"]), "gross revenue retention",
             "grr_ttm_last"),
        Card("NRR, last 12 months", percent(row["nrr_ttm_last"]), "net revenue retention",
             "nrr_ttm_last"),
        Card("Peak onboarding backlog",
             "∞ weeks" if math.isinf(row["onboarding_backlog_weeks_peak"])
             else f"{number(row['onboarding_backlog_weeks_peak'])} weeks",
             f"{count(row['onboarding_backlog_peak'])} customers waiting at the peak"
             + (" (for a while nobody could onboard them)"
                if math.isinf(row["onboarding_backlog_weeks_peak"]) else ""),
             "onboarding_backlog_weeks_peak"),
        Card("CS cost % of mean ARR, last 12 months",
             percent(row["cs_cost_pct_arr_ttm"], scale=1.0),
             f"{money(row['total_cs_cost'], compact=True)} over the whole run",
             "cs_cost_pct_arr_ttm"),
        Card("Hires", count(row["hires"]), "requisitions filled", "hires"),
        Card("Departures", count(row["departures"]), "people who left", "departures"),
    ]
    span = f"{source.calendar.label(1)} to {source.calendar.label(int(row['periods']))}"
    return Section("headline", "Headline figures", cards(items),
                   f"{source.scenario.get('name', '')}, seed {source.manifest.get('seed')}, "
                   f"{span}.{_priority(row)}")


def _priority(row: pd.Series) -> str:
    """The work priority the run used (`` Work priority: ...``), if the summary has it."""
    touches, support = row.get("touch_priority"), row.get("support_priority")
    if not isinstance(support, str):
        return ""  # a run written before the summary named it
    touches = touches if isinstance(touches, str) and touches else "none"
    return f" Work priority: touches {touches}, support tickets {support}."


def growth(source: RunSource) -> Section:
    """Customers by tier and ARR, per month."""
    series = source.tables["timeseries"]
    everyone = total(source)
    x = months(source, everyone["period"])
    customers = charts.new_chart("Customers by tier (customers)", "Customers", "count")
    revenue = charts.new_chart("ARR by tier (USD per year)", "ARR (USD)", "usd")
    for index, (tier, rows) in enumerate(_tiers(series)):
        rows = rows.sort_values("period")
        charts.add_line(customers, x, rows["customers_total"], tier, index)
        charts.add_line(revenue, x, rows["arr"], tier, index)
    last = len(list(_tiers(series)))
    charts.add_line(customers, x, everyone["customers_total"], "all tiers", last, dash="dash")
    charts.add_line(revenue, x, everyone["arr"], "all tiers", last, dash="dash")
    body = grid([charts.to_div(customers, "chart-customers"),
                 charts.to_div(revenue, "chart-arr")])
    return Section("growth", "Customers and ARR", body,
                   "Customers signed (live, onboarding and waiting) and annual recurring revenue "
                   "at each month end.")


def backlog(source: RunSource) -> Section:
    """The onboarding backlog in weeks of work and in customers waiting."""
    everyone = total(source)
    x = months(source, everyone["period"])
    figure = charts.new_chart("Onboarding backlog (weeks of work; customers waiting)",
                              "Weeks of work", "number")
    charts.add_bars(figure, x, everyone["onboarding_backlog"], "customers waiting", 1,
                    secondary=True, opacity=0.35)
    charts.add_line(figure, x, everyone["onboarding_backlog_weeks"], "weeks of work", 0)
    charts.secondary_axis(figure, "Customers waiting", "count")
    charts.reference_line(figure, BACKLOG_FLAG_WEEKS, f"{BACKLOG_FLAG_WEEKS:g} weeks")
    charts.reference_line(figure, BACKLOG_BREAK_WEEKS,
                          f"{BACKLOG_BREAK_WEEKS:g} weeks: stage-2 breaking point (§10.1)")
    return Section("backlog", "Onboarding backlog", charts.to_div(figure, "chart-backlog"),
                   "Signed customers waiting for onboarding to start, and the weeks the "
                   "onboarding team needs to clear them at its current pace.")


def capacity(source: RunSource) -> Section:
    """Accounts per CSM against the tier targets; headcount against the staffing plan."""
    series = source.tables["timeseries"]
    x_all = months(source, total(source)["period"])
    ratio = charts.new_chart("Accounts per CSM against the tier target (accounts)",
                             "Accounts per CSM", "number")
    for index, (tier, rows) in enumerate(_tiers(series)):
        rows = rows.sort_values("period")
        if rows["accounts_per_csm"].notna().any():
            charts.add_line(ratio, x_all, rows["accounts_per_csm"], tier, index)
            charts.add_line(ratio, x_all, rows["accounts_per_csm_target"], f"{tier} target",
                            index, dash="dot", markers=False)
    return Section("capacity", "Capacity", grid([charts.to_div(ratio, "chart-accounts"),
                                                 charts.to_div(headcount_chart(source),
                                                               "chart-headcount")]),
                   "Signed accounts per CSM of each tier against its target ratio, and the "
                   "headcount of each pool against its staffing plan, with hires and "
                   "departures marked.")


def headcount_chart(source: RunSource) -> charts.go.Figure:
    """Headcount per pool, its staffing plan (dotted), hires (▲) and departures (▼)."""
    workforce = source.tables["workforce"]
    figure = charts.new_chart("Headcount against the staffing plan (people)", "People", "count")
    plans = {pool["name"]: pool for pool in source.scenario.get("pools", [])}
    for index, (pool, rows) in enumerate(workforce.groupby("pool", sort=False)):
        rows = rows.sort_values("period")
        x = months(source, rows["period"])
        charts.add_line(figure, x, rows["headcount"], str(pool), index)
        plan = planned_headcount(plans.get(str(pool), {}), rows["day"].to_numpy())
        if plan is not None:
            charts.add_line(figure, x, plan, f"{pool} plan", index, dash="dot", markers=False)
        for column, symbol in (("hires", "triangle-up"), ("departures", "triangle-down")):
            marked = rows[rows[column] > 0]
            if len(marked):
                charts.add_events(figure, months(source, marked["period"]),
                                  marked["headcount"].tolist(),
                                  f"{pool} {column} ({int(marked[column].sum())})", symbol,
                                  index)
    return figure


def planned_headcount(pool: dict, days: np.ndarray) -> np.ndarray | None:
    """The pool's planned headcount at each period end (None without a staffing plan)."""
    steps = sorted(pool.get("staffing_plan") or [], key=lambda step: step["month"])
    if not steps:
        return None
    plan = np.full(len(days), float(pool.get("headcount", 0)))
    for step in steps:
        plan[days / MONTH_DAYS + 1e-9 >= step["month"]] = float(step["headcount"])
    return plan


def service(source: RunSource) -> Section:
    """Touches missed and SLA breaches (% per month), renewals missed (per month)."""
    everyone = total(source)
    x = months(source, everyone["period"])
    shares = charts.new_chart("Service levels (% of touches due, % of tickets whose SLA fell due)",
                              "Share of the month", "share")
    charts.add_line(shares, x, _share(everyone["touches_missed"], everyone["touches_due"]),
                    "touches missed", 3)
    if everyone["tickets_opened"].sum() > 0:  # no tickets: no SLA series to show
        charts.add_line(shares, x, everyone["sla_breach_share"], "tickets breaching SLA", 4)
    renewals = charts.new_chart("Renewals missed (renewals per month)", "Renewals", "count")
    charts.add_bars(renewals, x, everyone["renewals_missed"], "renewals missed", 3)
    charts.add_line(renewals, x, everyone["renewals_due"], "renewals due", 0, dash="dot")
    return Section("service", "Service to customers",
                   grid([charts.to_div(shares, "chart-service"),
                         charts.to_div(renewals, "chart-renewals")]),
                   "Scheduled touches that did not happen, support tickets answered outside "
                   "their SLA, and renewals whose work was not done before the date.")


def staff(source: RunSource) -> Section:
    """Utilisation and burnout per pool."""
    workforce = source.tables["workforce"]
    use = charts.new_chart("Utilisation per pool (% of available hours)", "Utilisation",
                           "share")
    burn = charts.new_chart("Burnout per pool (mean score, 0 = none, 1 = full)", "Burnout",
                            "number")
    for index, (pool, rows) in enumerate(workforce.groupby("pool", sort=False)):
        rows = rows.sort_values("period")
        x = months(source, rows["period"])
        charts.add_line(use, x, rows["utilisation_mean"], str(pool), index)
        charts.add_line(burn, x, rows["burnout_mean"], str(pool), index)
    burn.update_yaxes(range=[0, 1.05])
    return Section("staff", "Staff load", grid([charts.to_div(use, "chart-utilisation"),
                                                charts.to_div(burn, "chart-burnout")]),
                   "Hours worked over hours available, and burnout (which builds while demand "
                   "exceeds capacity and raises attrition), averaged over each pool's people.")


def _tiers(series: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    return [(str(tier), rows) for tier, rows in series.groupby("tier", sort=False)
            if tier != "all"]


def _share(part: pd.Series, whole: pd.Series) -> np.ndarray:
    whole = whole.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part.to_numpy(dtype=float) / whole, np.nan)
