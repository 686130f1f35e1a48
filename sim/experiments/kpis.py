"""What a sweep keeps of each run: the KPI row and a few KPIs of the ``all`` tier per period.

KPIs have short, stable names (the left column below), independent of the engine's column names,
and are stored as float64 so that every batch file of a dataset has the same schema.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.outputs.headline import Headline
from sim.outputs.results import RunResult

KPIS: dict[str, str] = {
    "arr_end": "arr_end",
    "grr": "grr_ttm_last",
    "nrr": "nrr_ttm_last",
    "backlog_weeks_max": "onboarding_backlog_weeks_peak",
    "weeks_backlog_over_6": "weeks_backlog_over_6",
    "burnout_max": "burnout_peak",
    "departures": "departures",
    "cs_cost_pct_arr": "cs_cost_pct_arr_ttm",
    "total_cost": "total_cs_cost",
}
"""The headline KPIs (short name -> ``RunResult.summary`` column); statistics default to these."""

MORE_KPIS: dict[str, str] = {
    "customers_end": "customers_end",
    "churned": "churned_customers",
    "abandoned": "abandoned_customers",
    "backlog_max": "onboarding_backlog_peak",
    "wait_days_mean": "onboarding_wait_days_mean",
    "hires": "hires",
    "missed_renewals": "missed_renewals",
    "touches_missed_share": "touches_missed_share",
    "sla_breach_share": "sla_breach_share",
    "utilisation_max": "utilisation_peak",
}
"""Further summary KPIs recorded for every replicate."""

RECORDED_KPIS: dict[str, str] = {**KPIS, **MORE_KPIS}

PERIOD_KPIS: dict[str, str] = {
    "customers": "customers_total",
    "arr": "arr",
    "backlog_weeks": "onboarding_backlog_weeks",
    "grr": "grr_ttm",
    "nrr": "nrr_ttm",
    "cs_cost": "cs_cost",
    "cs_cost_pct_arr": "cs_cost_pct_arr",
}
"""KPIs of the ``all`` tier per period (short name -> ``RunResult.timeseries`` column)."""

WORKFORCE_KPIS = ("headcount", "burnout_max")
"""Per period, over all staff pools: total headcount and the highest burnout of anyone."""

REPLICATE_SCHEMA = pa.schema(
    [("replicate", pa.int64()), ("seed", pa.int64()), ("status", pa.string()),
     ("error", pa.string()), ("traceback", pa.string())]
    + [(name, pa.float64()) for name in RECORDED_KPIS])
"""One row per replicate; ``status`` is ``ok`` or ``failed`` (then the KPIs are null)."""

PERIOD_SCHEMA = pa.schema(
    [("replicate", pa.int64()), ("period", pa.int64()), ("day", pa.float64())]
    + [(name, pa.float64()) for name in (*PERIOD_KPIS, *WORKFORCE_KPIS)])
"""One row per (replicate, period) of a successful replicate."""


def kpi_values(result: RunResult) -> dict[str, float]:
    """The recorded KPIs of a run, by short name."""
    row = result.summary.iloc[0]
    return {name: float(row[column]) for name, column in RECORDED_KPIS.items()}


def period_frame(result: RunResult, replicate: int) -> pd.DataFrame:
    """The ``all``-tier KPIs of a run per period, with the workforce totals."""
    series = result.timeseries
    everyone = series[series["tier"] == "all"].set_index("period").sort_index()
    frame = pd.DataFrame({"replicate": replicate, "period": everyone.index.astype(np.int64),
                          "day": everyone["day"].astype(float).to_numpy()})
    for name, column in PERIOD_KPIS.items():
        frame[name] = everyone[column].to_numpy(dtype=float)
    staff = result.workforce.groupby("period").agg(headcount=("headcount", "sum"),
                                                   burnout_max=("burnout_max", "max"))
    staff = staff.reindex(everyone.index)
    for name in WORKFORCE_KPIS:
        frame[name] = staff[name].to_numpy(dtype=float)
    return frame


def headline_values(figures: Headline) -> dict[str, float]:
    """The recorded KPIs of a run computed without its tables (``sim.model.run_headline``)."""
    return {name: figures.summary[column] for name, column in RECORDED_KPIS.items()}


def headline_frame(figures: Headline, replicate: int) -> pd.DataFrame:
    """``period_frame`` of a run computed without its tables."""
    periods = figures.periods
    frame = pd.DataFrame({"replicate": replicate, "period": periods["period"],
                          "day": periods["day"]})
    for name, column in PERIOD_KPIS.items():
        frame[name] = periods[column]
    for name in WORKFORCE_KPIS:
        frame[name] = periods[name]
    return frame
