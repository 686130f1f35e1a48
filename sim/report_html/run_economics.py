"""Sections of a run's report about money: the ARR bridge, per-tier unit economics, the table.

The unit economics of a tier are taken over the run's last twelve months: annualised CS cost
allocated to the tier over its mean customers (cost per customer) and over its mean ARR (cost %
of ACV), set against the ranges the sources give for the tier's touch model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.core.calendar import YEAR_DAYS
from sim.outputs.formats import count, money, number, percent
from sim.report_html import charts
from sim.report_html.page import Section, details, grid, table
from sim.report_html.run_sections import months, total
from sim.report_html.source import RunSource


@dataclass(frozen=True)
class SourceRange:
    """What the sources say a touch model costs: per customer (USD/yr) and as % of ACV."""

    cost_low: float
    cost_high: float
    share_low: float
    share_high: float
    cite: str


SOURCE_RANGES: dict[str, SourceRange] = {
    "high": SourceRange(8000, 22000, 10, 20, "§2.1, §3.2: $8K-$22K; revenue 5-10x CS spend"),
    "medium": SourceRange(500, 1000, 5, 15, "§2.6, §3.2: $500-$1K per account; 5-15% overall"),
    "low": SourceRange(1000, 3500, 10, 33, "§2.2, §3.2: $1K-$3.5K; revenue 3-10x CS spend"),
    "tech": SourceRange(50, 500, 5, 50, "§2.3, §3.2: $50-$500; revenue 2-20x CS spend"),
}
"""Cost ranges per touch model from the sources (§2.1-§2.6, §3.2)."""


def bridge(source: RunSource) -> Section:
    """The ARR bridge from the first month to the last as a waterfall."""
    everyone = total(source)
    start, end = float(everyone["arr_start"].iloc[0]), float(everyone["arr"].iloc[-1])
    steps = [("New customers", everyone["arr_new"].sum()),
             ("Expansion", everyone["arr_expansion"].sum()),
             ("Contraction", -everyone["arr_contraction"].sum()),
             ("Churn", -everyone["arr_churned"].sum())]
    migration = float(everyone["arr_migration_net"].sum())
    if migration:
        steps.append(("Tier migration", migration))
    labels = [f"ARR {months(source, everyone['period'].iloc[:1])[0]} start",
              *(label for label, _ in steps),
              f"ARR {months(source, everyone['period'].iloc[-1:])[0]} end"]
    amounts = [start, *(float(amount) for _, amount in steps), end]
    measures = ["absolute", *(["relative"] * len(steps)), "total"]
    figure = charts.waterfall("ARR bridge, start to end of the run (USD per year)", labels,
                              amounts, measures)
    return Section("bridge", "ARR bridge", charts.to_div(figure, "chart-bridge"),
                   "How annual recurring revenue moved from the start of the run to its end: "
                   "new customers and expansion add, contraction and churn take away.")


def economics_rows(source: RunSource) -> pd.DataFrame:
    """Per tier over the last twelve months: cost per customer, cost % of ACV, source range."""
    series = source.tables["timeseries"]
    last_day = float(series["day"].max())
    year = series[series["day"] > last_day - YEAR_DAYS + 1e-6]
    touch = {tier["name"]: tier.get("touch_model", "") for tier in source.scenario.get("tiers",
                                                                                       [])}
    rows = []
    for tier, periods in year.groupby("tier", sort=False):
        annual = periods["cs_cost"].sum() * YEAR_DAYS / periods["period_days"].sum()
        customers, arr = periods["customers_total"].mean(), periods["arr"].mean()
        reference = SOURCE_RANGES.get(touch.get(str(tier), ""))
        rows.append({"tier": str(tier), "touch_model": touch.get(str(tier), "all"),
                     "customers_mean": customers, "arr_mean": arr, "annual_cs_cost": annual,
                     "cost_per_customer": annual / customers if customers else np.nan,
                     "cost_pct_acv": 100 * annual / arr if arr else np.nan,
                     "range": reference})
    return pd.DataFrame(rows)


def economics(source: RunSource) -> Section:
    """Cost per customer and cost % of ACV per tier, against the sources' ranges."""
    rows = economics_rows(source)
    tiers = rows[rows["tier"] != "all"]
    per_customer = _against_range(tiers, "cost_per_customer", "cost_low", "cost_high",
                                  "Cost per customer by tier, last 12 months (USD per year)",
                                  "USD per customer per year", "usd")
    share = _against_range(tiers, "cost_pct_acv", "share_low", "share_high",
                           "CS cost as % of ACV by tier, last 12 months (%)", "% of ACV",
                           "percent")
    body = grid([charts.to_div(per_customer, "chart-unit-cost"),
                 charts.to_div(share, "chart-cost-share")])
    body += table(["Tier", "Touch model", "Customers (mean)", "ARR (mean)", "CS cost per year",
                   "Cost per customer", "Cost % of ACV", "Source range"],
                  [[row.tier, row.touch_model, number(row.customers_mean), money(row.arr_mean),
                    money(row.annual_cs_cost), money(row.cost_per_customer),
                    percent(row.cost_pct_acv, scale=1.0), _range_text(row.range)]
                   for row in rows.itertuples()], "table-economics", numeric_from=2)
    return Section("economics", "Unit economics by tier", body,
                   "Staff and shared costs allocated to each tier, per customer and as a share "
                   "of the tier's ARR, over the last twelve months; grey bars are the ranges "
                   "the sources give for the tier's touch model (§3.2: CS cost should be 5-15% "
                   "of revenue overall).")


def monthly_table(source: RunSource) -> Section:
    """The monthly figures of all tiers as a table (folded)."""
    everyone = total(source)
    headcount = source.tables["workforce"].groupby("period")["headcount"].sum()
    rows = [[label, count(row.customers_total), money(row.arr),
             number(row.onboarding_backlog_weeks), count(row.onboarding_backlog),
             count(headcount.get(row.period)), number(row.accounts_per_csm),
             percent(row.touches_missed / row.touches_due if row.touches_due else np.nan),
             count(row.renewals_missed), money(row.cs_cost),
             percent(row.cs_cost_pct_arr, scale=1.0)]
            for label, row in zip(months(source, everyone["period"]), everyone.itertuples(),
                                  strict=True)]
    headers = [source.calendar.axis_title, "Customers", "ARR", "Backlog (weeks)",
               "Backlog (customers)", "Headcount", "Accounts per CSM", "Touches missed",
               "Renewals missed", "CS cost (month)", "CS cost % of ARR"]
    return Section("monthly", "Month by month",
                   details(f"Show the {len(rows)} rows",
                           table(headers, rows, "table-monthly")),
                   "The figures behind the charts, all tiers together (annualised cost share).")


def _against_range(tiers: pd.DataFrame, column: str, low: str, high: str, title: str,
                   y_title: str, unit: str) -> go.Figure:
    figure = charts.new_chart(title, y_title, unit)
    names = tiers["tier"].tolist()
    ranges = tiers["range"].tolist()
    lows = [getattr(item, low) if item else None for item in ranges]
    highs = [getattr(item, high) if item else None for item in ranges]
    figure.add_trace(go.Bar(x=names, y=[None if a is None else b - a
                                        for a, b in zip(lows, highs, strict=True)],
                            base=lows, name="source range", marker={"color": "#d5dae1"},
                            width=0.6, hoverinfo="skip"))
    figure.add_trace(go.Scatter(x=names, y=charts.finite(tiers[column]), name="this run",
                                mode="markers", marker={"size": 14, "symbol": "diamond",
                                                        "color": charts.colour(0)}))
    figure.update_layout(hovermode="closest")
    return figure


def _range_text(reference: SourceRange | None) -> str:
    if reference is None:
        return ""
    return (f"{money(reference.cost_low)}-{money(reference.cost_high)}; "
            f"{reference.share_low:g}-{reference.share_high:g}% ({reference.cite.split(':')[0]})")
