"""Output tables: derived ratios, the customer and event tables, and the one-row summary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.core import counters
from sim.core.calendar import MONTH_DAYS, WEEK_DAYS, YEAR_DAYS, month_column, period_month
from sim.core.event_log import EventLog
from sim.core.events import KIND_COLUMN, VALUE_COLUMNS
from sim.core.ledger import PoolWeek
from sim.customers.book import STATE_NAMES, CustomerBook
from sim.outputs.series_columns import TIMESERIES_ORDER
from sim.outputs.stages import breaking_points, stage_series
from sim.scenario.routes import region_names
from sim.scenario.schema import Scenario
from sim.scenario.vocabulary import COMPLEXITIES, CSM

ADDITIVE = counters.names("tier", "count")
"""Whole-number counts and dollar flows per period that add up over tiers."""
SUMS = counters.names("tier", "sum")
"""Per-period sums behind the mean wait and mean response time."""


def spread_weeks(weeks: list[PoolWeek], period_ends: np.ndarray,
                 n_pools: int) -> dict[str, np.ndarray]:
    """Share each accounted week among the output periods it overlaps, by days of overlap.

    Returns (period, pool) arrays: hours demanded, available and worked; the mean utilisation
    of the person-weeks weighted by overlap; and the highest utilisation of any person-week
    overlapping the period (NaN where no week overlaps).
    """
    shape = (len(period_ends), n_pools)
    totals = {name: np.zeros(shape) for name in ("hours_demanded", "hours_available",
                                                 "hours_worked", "weight", "weighted")}
    peak = np.full(shape, np.nan)
    starts = np.r_[0.0, period_ends[:-1]]
    for week in weeks:
        end = week.start + WEEK_DAYS
        overlap = np.clip(np.minimum(end, period_ends) - np.maximum(week.start, starts), 0, None)
        share = overlap / WEEK_DAYS
        for name, value in (("hours_demanded", week.demanded), ("hours_available",
                            week.available), ("hours_worked", week.worked)):
            totals[name][:, week.pool] += share * value
        totals["weight"][:, week.pool] += share * len(week.utilisation)
        totals["weighted"][:, week.pool] += share * sum(week.utilisation)
        if week.utilisation:
            touched = share > 0
            peak[touched, week.pool] = np.fmax(peak[touched, week.pool], max(week.utilisation))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(totals["weight"] > 0, totals["weighted"] / totals["weight"], np.nan)
    return {"hours_demanded": totals["hours_demanded"],
            "hours_available": totals["hours_available"],
            "hours_worked": totals["hours_worked"],
            "utilisation_mean": mean, "utilisation_max": peak}


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return (numerator / denominator.where(denominator > 0)).astype(float)


def derive_timeseries(rows: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Add derived columns (means, ratios, annualised cost) and fix the column order."""
    frame = rows.copy()
    frame["customers_total"] = (frame["customers_active"] + frame["customers_onboarding"]
                                + frame["onboarding_backlog"])
    frame["onboarding_wait_days_mean"] = _ratio(frame["onboarding_wait_sum"],
                                                frame["onboarding_starts"])
    frame["ticket_response_hours_mean"] = _ratio(frame["response_hours_sum"],
                                                 frame["tickets_resolved"])
    frame["arr_migration_net"] = frame["arr_migration_in"] - frame["arr_migration_out"]
    frame["sla_breach_share"] = _ratio(frame["sla_breaches"],
                                       frame["sla_breaches"] + frame["tickets_sla_met"])
    frame["trigger_response_days_mean"] = _ratio(frame["trigger_response_days_sum"],
                                                 frame["outreach_done"])
    human = {tier.name for tier in scenario.tiers if (tier.touch_hours or 0) > 0}
    served = frame["tier"].isin(human) | (frame["tier"] == "all")
    frame["accounts_per_csm"] = _ratio(frame["csm_accounts"].where(served, np.nan),
                                       frame["csm_headcount"])
    targets = {tier.name: tier.accounts_per_csm for tier in scenario.tiers}
    frame["accounts_per_csm_target"] = frame["tier"].map(targets).astype(float)
    annual = frame["cs_cost"] * YEAR_DAYS / frame["period_days"]
    frame["cost_per_customer"] = _ratio(annual, frame["customers_total"].astype(float))
    frame["cs_cost_pct_arr"] = 100.0 * _ratio(annual, frame["arr"])
    for name in (*ADDITIVE, "arr_start", "arr", "arr_migration_net"):
        frame[name] = frame[name].round().astype(np.int64)
    _add_stage(frame)
    return frame[list(TIMESERIES_ORDER)].reset_index(drop=True)


def _add_stage(frame: pd.DataFrame) -> None:
    """The company's §10.1 stage and the breaking points that fire, each period (all rows).

    Breaking points use the period's customers, CSM headcount, onboarding backlog weeks and
    renewals missed in the period; the busiest person's account count is not checked.
    """
    total = frame[frame["tier"] == "all"]
    stages = stage_series(total["customers_total"].to_numpy(), "team-structure")
    flags = [",".join(point.name for point in breaking_points(
        float(row.customers_total), cs_headcount=float(row.csm_headcount),
        onboarding_backlog_weeks=float(row.onboarding_backlog_weeks),
        missed_renewals=float(row.renewals_missed), stage=int(stage)))
        for row, stage in zip(total.itertuples(), stages, strict=True)]
    periods = total["period"].to_numpy()
    frame["stage"] = frame["period"].map(dict(zip(periods, stages, strict=True))).astype(np.int64)
    frame["breaking_points"] = frame["period"].map(dict(zip(periods, flags, strict=True)))


def customers_table(book: CustomerBook, scenario: Scenario) -> pd.DataFrame:
    """One row per customer that signed during the run (or was in the initial book)."""
    names = np.array([tier.name for tier in scenario.tiers])
    signed = np.flatnonzero(book.state > 0)
    columns = {
        "customer": signed, "tier": names[book.tier[signed]],
        "initial_tier": names[book.initial_tier[signed]],
        "state": np.array(STATE_NAMES)[book.state[signed]],
        "complexity": np.array(COMPLEXITIES)[book.complexity[signed]],
        "initial_book": book.initial_live[signed], "acv_initial": book.initial_acv[signed],
        "acv": book.acv[signed], "theta": book.theta[signed],
        "arrival_day": book.arrival_day[signed],
        "onboarding_start_day": book.onboarding_start_day[signed],
        "golive_day": book.golive_day[signed], "churn_day": book.churn_day[signed],
        "abandoned": book.abandoned[signed], "wait_days": book.wait_days[signed],
        "time_to_value_days": np.where(book.initial_live[signed], np.nan,
                                       book.golive_day[signed] - book.arrival_day[signed]),
        "human_onboarding": book.human[signed] & ~book.initial_live[signed],
    }
    for name in ("renewals_done", "touches_due", "touches_missed", "tickets", "breaches",
                 "csm_changes", "renewals_missed", "owner"):
        columns[name] = getattr(book, name)[signed]
    columns["region"] = np.array(region_names(scenario))[book.region[signed]]
    if book.account_id is not None:
        columns = {"customer": signed, "account_id": book.account_id[signed], **columns}
    return pd.DataFrame(columns).rename(columns={"breaches": "sla_breaches",
                                                 "renewals_done": "renewals"})


def events_table(events: EventLog, scenario: Scenario) -> pd.DataFrame:
    """The event log: one row per event, tier and pool names, one column per kind of value.

    Each event's value goes to the column its kind names in ``sim.core.events``; the other
    value columns of the row hold NaN (numbers), −1 (ids) or ``""`` (names).

    Raises:
        ValueError: an event of a kind not in ``sim.core.events``, or whose value is not in
            the one column its kind names.
    """
    names = {"tier": [tier.name for tier in scenario.tiers],
             "pool": [pool.name for pool in scenario.pools]}
    kind = events.names("kind")
    _check_kinds(events)
    values = events.array("value")
    codes = events.array("column")
    rows = {name: codes == code for code, name in enumerate(events.columns)}
    columns: dict[str, object] = {
        "time": events.array("day"), "kind": kind,
        "customer": events.array("customer").astype(np.int64),
        "staff": events.array("staff").astype(np.int64),
        "tier": _names(events.array("tier"), names["tier"]),
        "pool": _names(events.array("pool"), names["pool"])}
    nowhere = np.zeros(len(kind), dtype=bool)
    for column in VALUE_COLUMNS:
        columns[column.name] = _value_column(column.type, values, rows.get(column.name, nowhere),
                                             names)
    text = ["kind", "tier", "pool", *(column.name for column in VALUE_COLUMNS
                                      if column.type in ("tier", "pool"))]
    return pd.DataFrame(columns).astype(dict.fromkeys(text, str))


def _check_kinds(events: EventLog) -> None:
    """Every kind is registered and every event fills exactly its kind's value column."""
    pairs = set(zip(events.kind, events.column, strict=True))
    for kind, column in ((events.kinds[k], events.columns[c]) for k, c in pairs):
        if kind not in KIND_COLUMN:
            raise ValueError(f"event kind {kind!r} is not in sim.core.events")
        if (KIND_COLUMN[kind] or "") != column:
            raise ValueError(f"event {kind!r} recorded with value {column or None!r}; "
                             f"sim.core.events gives it {KIND_COLUMN[kind]!r}")


def _names(indices: list[int] | np.ndarray, names: list[str]) -> np.ndarray:
    """Tier or pool indices as names (``""`` for −1)."""
    return np.array([*names, ""], dtype=object)[np.asarray(indices, dtype=np.int64)]


def _value_column(kind: str, numbers: np.ndarray, rows: np.ndarray,
                  names: dict[str, list[str]]) -> np.ndarray:
    """One value column: the numbers of its rows, missing elsewhere."""
    if kind == "float":
        return np.where(rows, numbers, np.nan)
    indices = np.where(rows, numbers, -1.0).astype(np.int64)
    return indices if kind == "int" else _names(indices, names[kind])


def cost_share_ttm(total: pd.DataFrame) -> float:
    """CS cost as a % of ARR over the last 12 months (the whole run if shorter), a run-rate.

    The cost of those periods, annualised, over their mean ARR: the mean of each period's
    starting and ending ARR, weighted by the period's length. NaN when that mean is 0.
    """
    year = total[total["day"] > total["day"].iloc[-1] - YEAR_DAYS + 1e-6]
    days = year["period_days"].to_numpy(dtype=float)
    mean_arr = float(np.sum((year["arr_start"] + year["arr"]).to_numpy() / 2.0 * days)
                     / days.sum())
    if mean_arr <= 0:
        return float("nan")
    return 100.0 * float(year["cs_cost"].sum()) * YEAR_DAYS / float(days.sum()) / mean_arr


def summary_table(timeseries: pd.DataFrame, workforce: pd.DataFrame, customers: pd.DataFrame,
                  scenario: Scenario, seed: int) -> pd.DataFrame:
    """One row of headline KPIs."""
    total = timeseries[timeseries["tier"] == "all"].reset_index(drop=True)
    last = total.iloc[-1]
    due = total["touches_due"].sum()
    decided = total["sla_breaches"].sum() + total["tickets_sla_met"].sum()
    over_six = total.loc[total["onboarding_backlog_weeks"] > 6, "period_days"].sum()
    row = {
        "scenario": scenario.name, "seed": seed, "periods": len(total),
        "touch_priority": ",".join(
            workforce.loc[workforce["role"] == CSM, "work_priority"].drop_duplicates()),
        "support_priority": scenario.work_priority.support,
        "customers_start": int(total.loc[0, "customers_total"] - total.loc[0, "new_customers"]
                               + total.loc[0, "churned_customers"]),
        "customers_end": int(last["customers_total"]),
        "arr_start": int(total.loc[0, "arr_start"]), "arr_end": int(last["arr"]),
        "grr_ttm_last": float(last["grr_ttm"]), "nrr_ttm_last": float(last["nrr_ttm"]),
        "onboarding_backlog_peak": int(total["onboarding_backlog"].max()),
        "onboarding_backlog_weeks_peak": float(total["onboarding_backlog_weeks"].max()),
        "weeks_backlog_over_6": float(over_six / WEEK_DAYS),
        "onboarding_wait_days_mean": float(
            customers.loc[customers["human_onboarding"], "wait_days"].mean()),
        "utilisation_peak": float(workforce["utilisation_max"].max()),
        "burnout_peak": float(workforce["burnout_max"].max()),
        "departures": int(workforce["departures"].sum()), "hires": int(workforce["hires"].sum()),
        "headcount_end": int(workforce.loc[workforce["period"] == last["period"],
                                           "headcount"].sum()),
        "churned_customers": int(total["churned_customers"].sum()),
        "abandoned_customers": int(total["abandoned_customers"].sum()),
        "renewals_due": int(total["renewals_due"].sum()),
        "missed_renewals": int(total["renewals_missed"].sum()),
        "touches_missed_share": float(total["touches_missed"].sum() / due) if due else np.nan,
        "sla_breach_share": float(total["sla_breaches"].sum() / decided) if decided else np.nan,
        "arr_lost_before_golive": int(total["arr_abandoned"].sum()),
        "total_cs_cost": float(total["cs_cost"].sum()),
        "cs_cost_pct_arr_ttm": cost_share_ttm(total),
    }
    return pd.DataFrame([row])


def with_month(frame: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The table with a ``month`` column (``YYYY-MM``) when the scenario has a ``start_date``.

    A period table gets the month its period starts in, placed after ``day``; the event table
    gets the month of each event's time. Without a start date the table is returned unchanged.
    """
    start = scenario.start_date
    if start is None:
        return frame
    if "period" in frame.columns:
        months = frame["period"].map(lambda period: period_month(int(period),
                                                                 scenario.output_period))
    else:
        months = (frame["time"] // MONTH_DAYS).astype(int)
    labels = months.map(lambda month: month_column(int(month), start)).astype(str)
    position = frame.columns.get_loc("day") + 1 if "day" in frame.columns else 1
    result = frame.copy()
    result.insert(int(position), "month", labels)
    return result
