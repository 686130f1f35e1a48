"""Sections of the report of a sweep or a comparison: KPIs with CIs, fans, forest, scatter.

Each section is one function of the experiment (``ExperimentSource -> Section``). Intervals are
the 95% Student-t intervals the sweep computed (``comparison.parquet``); differences are paired
over common random numbers against the baseline plan.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
from plotly.subplots import make_subplots

from sim.experiments.design import describe
from sim.outputs.formats import count, kpi_change, kpi_spread, kpi_unit, kpi_value, percent, verdict
from sim.report_html import charts
from sim.report_html.page import Card, Section, cards, grid, table
from sim.report_html.source import ExperimentSource

FAN_KPIS = {
    "customers": ("Customers (customers)", "count"),
    "arr": ("ARR (USD per year)", "usd"),
    "backlog_weeks": ("Onboarding backlog (weeks of work)", "number"),
    "grr": ("GRR, trailing 12 months (%)", "share"),
    "cs_cost_pct_arr": ("CS cost % of ARR, annualised (%)", "percent"),
    "headcount": ("Headcount, all pools (people)", "count"),
    "burnout_max": ("Highest burnout of anyone (score 0-1)", "number"),
}
"""Per-period KPIs drawn as fan charts: title with unit, axis format."""
MAX_FAN_PLANS = 6
"""Plans drawn on one fan chart (the baseline and the next ones); more would be unreadable."""
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def overview(source: ExperimentSource) -> Section:
    """What was run: plans, replicates, months, failures; each plan's changes or file."""
    counts = source.counts.set_index("plan")
    done = counts["replicates"] - counts["failed"]
    periods = int(source.timeseries["period"].max()) if len(source.timeseries) else 0
    items = [Card("Plans" if source.kind == "sweep" else "Strategies", count(len(source.plans))),
             Card("Replicates per plan", _range(done), "common random numbers"),
             Card(f"{source.calendar.axis_title}s simulated", count(periods),
                  f"{source.calendar.label(1)} to {source.calendar.label(periods)}"
                  if periods else ""),
             Card("Failed replicates", count(counts["failed"].sum()))]
    rows = [[str(row.plan), str(row.source) if source.kind == "compare"
             else describe(json.loads(str(row.overrides)), 90),
             "baseline" if row.plan == source.baseline else ""]
            for row in source.plans.itertuples()]
    header = "Scenario file" if source.kind == "compare" else "Changes to the base scenario"
    return Section("overview", "What was compared", cards(items)
                   + table(["Plan", header, ""], rows, "table-plans", numeric_from=3),
                   f"Every plan ran on the same {len(done) and int(done.max())} seeds, so the "
                   f"differences against {source.baseline} are paired.")


def kpi_table(source: ExperimentSource) -> Section:
    """Mean ± 95% CI half-width per plan and KPI, and the paired difference with its cue."""
    rows = source.comparison.set_index(["kpi", "plan"])
    plans = source.plan_order
    body_rows = []
    for kpi in dict.fromkeys(source.comparison["kpi"]):
        cells: list[str | tuple[str, str]] = [kpi_unit(kpi).label or kpi]
        for plan in plans:
            row = rows.loc[(kpi, plan)] if (kpi, plan) in rows.index else None
            cells.append(_cell(kpi, row, plan == source.baseline))
        body_rows.append(cells)
    body = table(["KPI", *plans], body_rows, "table-kpis")
    return Section("kpis", "KPIs with 95% confidence intervals", body,
                   f"Mean ± half-width of the 95% CI over the replicates; below it the paired "
                   f"difference against {source.baseline}, marked better or worse when its CI "
                   f"excludes zero. Shares are in %, their differences in percentage points.")


def forest(source: ExperimentSource) -> Section:
    """Paired differences against the baseline with their CIs, one panel per KPI."""
    others = [plan for plan in source.plan_order if plan != source.baseline]
    kpis = list(dict.fromkeys(source.comparison["kpi"]))
    columns = 3
    rows_needed = math.ceil(len(kpis) / columns)
    titles = [f"{kpi_unit(kpi).label or kpi} ({_delta_unit(kpi)})" for kpi in kpis]
    figure = make_subplots(rows=rows_needed, cols=columns, subplot_titles=titles,
                           horizontal_spacing=0.12, vertical_spacing=0.6 / max(rows_needed, 1))
    table_rows = source.comparison.set_index(["kpi", "plan"])
    for index, kpi in enumerate(kpis):
        picked = [table_rows.loc[(kpi, plan)] for plan in others if (kpi, plan) in table_rows.index]
        trace = _forest_trace(kpi, picked, index)
        figure.add_trace(trace, row=index // columns + 1, col=index % columns + 1)
        if not any(value is not None for value in trace.x):
            axis = "" if index == 0 else str(index + 1)
            figure.add_annotation(xref=f"x{axis} domain", yref=f"y{axis} domain", x=0.5, y=0.5,
                                  text="n/a: a difference is infinite or missing",
                                  showarrow=False, font={"size": 11, "color": "#5b6675"})
        figure.add_vline(x=0, line={"color": "#8a94a3", "dash": "dot"},
                         row=index // columns + 1, col=index % columns + 1)
    figure.update_layout(title={"text": f"Difference against {source.baseline} (each panel in "
                                        "its unit; bars: 95% CI)", "x": 0.01},
                         height=max(320, 90 + rows_needed * (60 + 40 * len(others))),
                         template="plotly_white", margin={"l": 120, "r": 20, "t": 80, "b": 40})
    figure.update_annotations(font_size=12)
    return Section("forest", f"Differences against {source.baseline}",
                   charts.to_div(figure, "chart-forest"),
                   "A plan is clearly different when its bar does not cross the dotted zero "
                   "line.")


def _forest_trace(kpi: str, rows: list[pd.Series], index: int) -> charts.go.Scatter:
    """One panel of the forest: each plan's difference (in points for a share) and its CI."""
    scale = _delta_scale(kpi)
    return charts.go.Scatter(
        x=charts.finite([row["difference"] * scale for row in rows]),
        y=[str(row.name[1]) for row in rows], mode="markers", showlegend=False,
        marker={"size": 9, "color": charts.colour(index)}, name=kpi,
        error_x={"type": "data", "color": charts.colour(index), "thickness": 2,
                 "array": charts.finite([(row["difference_ci_high"] - row["difference"])
                                         * scale for row in rows]),
                 "arrayminus": charts.finite([(row["difference"] - row["difference_ci_low"])
                                              * scale for row in rows])})


def fans(source: ExperimentSource) -> Section:
    """Per KPI: each plan's median over the replicates with its 50% and 90% bands."""
    plans = source.plan_order[:MAX_FAN_PLANS]
    quantiles = _quantiles(source.timeseries[source.timeseries["plan"].isin(plans)])
    blocks = []
    for name, (title, unit) in FAN_KPIS.items():
        figure = charts.new_chart(f"{title}: median, 50% and 90% of replicates", title.split(
            " (")[0], unit)
        for index, plan in enumerate(plans):
            rows = quantiles[name].xs(plan, level="plan") if plan in set(
                quantiles.index.get_level_values("plan")) else None
            if rows is None:
                continue
            x = source.calendar.labels(rows.index.to_series())
            charts.add_band(figure, x, rows[0.05], rows[0.95], plan, index, 0.10)
            charts.add_band(figure, x, rows[0.25], rows[0.75], plan, index, 0.22)
            charts.add_line(figure, x, rows[0.5], plan, index, group=plan)
        if unit == "share":
            figure.update_yaxes(rangemode="normal")
        blocks.append(charts.to_div(figure, f"chart-fan-{name}"))
    more = len(source.plan_order) - len(plans)
    note = f" Only the first {len(plans)} plans are drawn ({more} more in the tables)." if more \
        else ""
    return Section("trajectories", "Trajectories across replicates", grid(blocks),
                   "The line is the median replicate of each month; the darker band holds the "
                   "middle 50% of replicates, the lighter one 90%; click a plan in the legend to "
                   "hide it." + note)


def requirements(source: ExperimentSource) -> Section:
    """P(every requirement met) per plan with its Wilson interval."""
    frame = source.requirements
    if frame is None or frame.empty:
        return Section("requirements", "Probability of meeting the requirements",
                       "<p>No requirement was set for this run (use <code>--require</code>, "
                       "e.g. <code>--require 'backlog_weeks_max&lt;=6'</code>).</p>")
    label = str(frame["requirement"].iloc[0])
    figure = charts.new_chart(f"P({label}) (% of replicates)", "Probability", "share")
    charts.interval_points(figure, frame["plan"].astype(str).tolist(), frame["probability"],
                           frame["ci_low"], frame["ci_high"], 0, horizontal=False)
    figure.update_yaxes(range=[0, 1.02])
    rows = [[str(row.plan), percent(row.probability, 0),
             f"{percent(row.ci_low, 0)} - {percent(row.ci_high, 0)}", f"{row.met} / {row.n}"]
            for row in frame.itertuples()]
    body = charts.to_div(figure, "chart-requirements") + table(
        ["Plan", "P(met)", "95% Wilson CI", "Met / replicates"], rows, "table-requirements")
    return Section("requirements", "Probability of meeting the requirements", body,
                   f"Share of replicates in which {label} held, with its 95% Wilson interval.")


def cost_retention(source: ExperimentSource) -> Section:
    """CS cost % of ARR against GRR, one point per plan with both intervals."""
    stats = source.comparison.set_index(["kpi", "plan"])
    figure = charts.new_chart("Cost against retention (CS cost % of ARR vs GRR, %)",
                              "GRR, last 12 months", "share",
                              "CS cost % of mean ARR, last 12 months")
    figure.update_xaxes(ticksuffix="%")
    figure.update_yaxes(rangemode="normal")
    for index, plan in enumerate(source.plan_order):
        if ("cs_cost_pct_arr", plan) not in stats.index or ("grr", plan) not in stats.index:
            continue
        cost, grr = stats.loc[("cs_cost_pct_arr", plan)], stats.loc[("grr", plan)]
        figure.add_trace(charts.go.Scatter(
            x=charts.finite([cost["mean"]]), y=charts.finite([grr["mean"]]), name=plan,
            mode="markers+text", text=[plan], textposition="top center",
            marker={"size": 12, "color": charts.colour(index)},
            error_x=_error(cost, index), error_y=_error(grr, index)))
    figure.update_layout(hovermode="closest")
    return Section("cost-retention", "Cost against retention",
                   charts.to_div(figure, "chart-cost-retention"),
                   "Each strategy's mean with its 95% CI on both axes: further up keeps more "
                   "revenue, further left costs less.")


def _error(row: pd.Series, index: int) -> dict:
    return {"type": "data", "color": charts.colour(index), "thickness": 1.5,
            "array": charts.finite([row["ci_high"] - row["mean"]]),
            "arrayminus": charts.finite([row["mean"] - row["ci_low"]])}


def _quantiles(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Per plan and period, the quantiles of each fan KPI (columns: kpi, quantile)."""
    values = timeseries[["plan", "period", *FAN_KPIS]].replace([np.inf, -np.inf], np.nan)
    grouped = values.groupby(["plan", "period"], sort=True)[list(FAN_KPIS)]
    return grouped.quantile(list(QUANTILES)).unstack()


def _cell(kpi: str, row: pd.Series | None, baseline: bool) -> str | tuple[str, str]:
    if row is None:
        return "n/a"
    spread = kpi_spread(kpi, (row["ci_high"] - row["ci_low"]) / 2)
    text = f"{kpi_value(kpi, row['mean'])} ± {spread}"
    if baseline:
        return text
    cue = verdict(kpi, row["difference_ci_low"], row["difference_ci_high"])
    half = (row["difference_ci_high"] - row["difference_ci_low"]) / 2
    change = f"Δ {kpi_change(kpi, row['difference'])} ± {kpi_spread(kpi, half)}"
    return (f"{text}\n{change}{f' {cue}' if cue else ''}", cue)


def _delta_scale(kpi: str) -> float:
    return 100.0 if kpi_unit(kpi).unit == "share" else 1.0


def _delta_unit(kpi: str) -> str:
    unit = kpi_unit(kpi).unit
    return {"usd": "USD", "share": "pts", "percent": "pts", "weeks": "weeks", "days": "days",
            "score": "score"}.get(unit, unit)


def _range(done: pd.Series) -> str:
    low, high = int(done.min()), int(done.max())
    return str(low) if low == high else f"{low}-{high}"
