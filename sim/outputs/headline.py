"""The headline figures of a run straight from the recorder, without building its tables.

Sweeps, optimisation and sensitivity keep only the summary KPIs and a few figures of the ``all``
tier per period (``sim.experiments.kpis``). ``headline`` computes exactly those, with the same
arithmetic as ``derive_timeseries``, ``summary_table`` and ``spread_weeks`` (whole-number
columns rounded first, sums in the same order), so they equal the figures read from the full
tables; ``tests/outputs/test_headline.py`` checks that on real runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.core.calendar import WEEK_DAYS, YEAR_DAYS
from sim.outputs.recorder import Recorder
from sim.policies.run import PolicyRun

PERIOD_COLUMNS = ("period", "day", "customers_total", "arr", "onboarding_backlog_weeks",
                  "grr_ttm", "nrr_ttm", "cs_cost", "cs_cost_pct_arr")
"""Columns of the ``all`` tier's timeseries rows given per period."""


@dataclass(frozen=True)
class Headline:
    """What a sweep keeps of a run.

    Attributes:
        summary: the KPIs of ``RunResult.summary`` by column name (those a sweep records).
        periods: per period, the ``all`` tier's ``PERIOD_COLUMNS`` and, over all staff rows
            of the workforce table, ``headcount`` (sum) and ``burnout_max`` (highest).
    """

    summary: dict[str, float]
    periods: dict[str, np.ndarray]


def _nan_sum(values: np.ndarray) -> float:
    """A float column's sum as pandas takes it: NaN as 0, numpy's pairwise sum."""
    return float(np.where(np.isnan(values), 0.0, values).sum())


def _nan_max(values: np.ndarray) -> float:
    """The highest value, ignoring NaN; NaN if there is none."""
    kept = values[~np.isnan(values)]
    return float(kept.max()) if len(kept) else float("nan")


def headline(world: PolicyRun, recorder: Recorder) -> Headline:
    """The summary KPIs and per-period figures of a simulated run."""
    size = len(world.scenario.tiers)
    rows = recorder.tier_rows[size::size + 1]

    def column(name: str) -> np.ndarray:
        return np.array([row[name] for row in rows], dtype=float)

    def whole(name: str) -> np.ndarray:
        return np.round(column(name)).astype(np.int64)

    days, length, cost = column("day"), column("period_days"), column("cs_cost")
    arr, arr_start = whole("arr"), whole("arr_start")
    customers = (column("customers_active") + column("customers_onboarding")
                 + column("onboarding_backlog")).astype(np.int64)
    backlog_weeks = column("onboarding_backlog_weeks")
    unrounded = column("arr")  # the cost share is taken before the ARR columns are rounded
    with np.errstate(divide="ignore", invalid="ignore"):
        share = 100.0 * np.where(unrounded > 0, cost * YEAR_DAYS / length / unrounded, np.nan)
    staff = _staff_periods(recorder, len(rows))
    pools = recorder.pool_rows
    due = int(whole("touches_due").sum())
    decided = int(whole("sla_breaches").sum() + whole("tickets_sla_met").sum())
    summary = {
        "customers_end": float(customers[-1]),
        "arr_end": float(arr[-1]),
        "grr_ttm_last": float(rows[-1]["grr_ttm"]), "nrr_ttm_last": float(rows[-1]["nrr_ttm"]),
        "onboarding_backlog_peak": float(whole("onboarding_backlog").max()),
        "onboarding_backlog_weeks_peak": float(backlog_weeks.max()),
        "weeks_backlog_over_6": float(length[backlog_weeks > 6].sum() / WEEK_DAYS),
        "onboarding_wait_days_mean": _mean_wait(world),
        "utilisation_peak": _utilisation_peak(world),
        "burnout_peak": _nan_max(np.array([row["burnout_max"] for row in pools], dtype=float)),
        "departures": float(sum(int(row["departures"]) for row in pools)),
        "hires": float(sum(int(row["hires"]) for row in pools)),
        "churned_customers": float(whole("churned_customers").sum()),
        "abandoned_customers": float(whole("abandoned_customers").sum()),
        "missed_renewals": float(whole("renewals_missed").sum()),
        "touches_missed_share": (float(whole("touches_missed").sum() / due) if due
                                 else float("nan")),
        "sla_breach_share": (float(whole("sla_breaches").sum() / decided) if decided
                             else float("nan")),
        "total_cs_cost": _nan_sum(cost),
        "cs_cost_pct_arr_ttm": _cost_share_ttm(days, length, arr_start, arr, cost),
    }
    periods = {"period": column("period").astype(np.int64), "day": days,
               "customers_total": customers.astype(float), "arr": arr.astype(float),
               "onboarding_backlog_weeks": backlog_weeks, "grr_ttm": column("grr_ttm"),
               "nrr_ttm": column("nrr_ttm"), "cs_cost": cost, "cs_cost_pct_arr": share, **staff}
    return Headline(summary, periods)


def _cost_share_ttm(days: np.ndarray, length: np.ndarray, arr_start: np.ndarray,
                    arr: np.ndarray, cost: np.ndarray) -> float:
    """``tables.cost_share_ttm`` on the ``all`` tier's columns."""
    year = days > days[-1] - YEAR_DAYS + 1e-6
    span = length[year]
    mean_arr = float(np.sum((arr_start[year] + arr[year]) / 2.0 * span) / span.sum())
    if mean_arr <= 0:
        return float("nan")
    return 100.0 * _nan_sum(cost[year]) * YEAR_DAYS / float(span.sum()) / mean_arr


def _mean_wait(world: PolicyRun) -> float:
    """Mean wait of the customers onboarded by a person (``human_onboarding``), as pandas."""
    book = world.book
    chosen = (book.state > 0) & book.human & ~book.initial_live
    waits = book.wait_days[chosen].astype(float)
    counted = int(np.count_nonzero(~np.isnan(waits)))
    return _nan_sum(waits) / counted if counted else float("nan")


def _utilisation_peak(world: PolicyRun) -> float:
    """The highest utilisation of any person-week (every accounted week lies in a period)."""
    peaks = [max(week.utilisation) for week in world.weeks if week.utilisation]
    return float(max(peaks)) if peaks else float("nan")


def _staff_periods(recorder: Recorder, periods: int) -> dict[str, np.ndarray]:
    """Per period over all workforce rows: total headcount and the highest burnout."""
    headcount = np.zeros(periods)
    burnout = np.full(periods, np.nan)
    for row in recorder.pool_rows:
        index = int(row["period"]) - 1
        headcount[index] += row["headcount"]
        burnout[index] = np.fmax(burnout[index], row["burnout_max"])
    return {"headcount": headcount, "burnout_max": burnout}
