"""Headline figures mean what their names say: a run-rate cost share, bounded shares."""

from __future__ import annotations

import numpy as np
import pytest

from sim import load_scenario, parse_scenario, run
from sim.core.calendar import YEAR_DAYS

STEADY_STAFF = {"burnout_gain_per_week": 0.0, "base_attrition_per_year": 0.0}


def steady_book(arrivals_per_month: float) -> dict:
    """Ten $10K accounts that never churn, one $120K person, no other cost."""
    return {
        "name": "steady", "horizon_months": 24,
        "tiers": [{"name": "book", "acv_min": 0, "acv": {"kind": "fixed", "value": 10000},
                   "touch_model": "tech", "mix": 1.0, "tickets_per_month": 0.0,
                   "human_onboarding_share": 0.0, "tooling_cost_per_account": 0.0,
                   "fixed_cost_per_month": 0.0, "churn": {"alpha": 0.001, "beta": 1000.0},
                   "renewal_change": {"expansion_probability": 0.0,
                                      "contraction_probability": 0.0}}],
        "growth": {"initial_customers": {"book": 10},
                   "arrivals": [{"from_month": 0, "customers_per_month": arrivals_per_month}]},
        "pools": [{"name": "leader", "role": "leader", "annual_cost": 120000, "headcount": 1}],
        "staff": STEADY_STAFF,
    }


def test_cost_share_of_a_constant_book_is_its_cost_over_its_arr() -> None:
    summary = run(parse_scenario(steady_book(0.0)), seed=1).summary.iloc[0]
    assert summary["arr_end"] == 100000
    assert summary["cs_cost_pct_arr_ttm"] == pytest.approx(120.0, rel=1e-9)


def test_cost_share_of_a_growing_book_is_a_run_rate_over_mean_arr() -> None:
    """Last 12 months' cost over the period-weighted mean ARR, not over the ARR at the end."""
    result = run(parse_scenario(steady_book(4.0)), seed=1)
    total = result.timeseries[result.timeseries["tier"] == "all"]
    year = total.tail(12)
    mean_arr = np.average((year["arr_start"] + year["arr"]) / 2, weights=year["period_days"])
    cost = 120000.0 * year["period_days"].sum() / YEAR_DAYS
    summary = result.summary.iloc[0]
    expected = 100.0 * cost * YEAR_DAYS / year["period_days"].sum() / mean_arr
    assert summary["cs_cost_pct_arr_ttm"] == pytest.approx(expected, rel=1e-9)
    assert summary["cs_cost_pct_arr_ttm"] > 100.0 * 120000.0 / summary["arr_end"] * 1.05


@pytest.mark.parametrize("path", ["scenarios/strategies/reactive_hiring.yaml",
                                  "scenarios/org_geographic.yaml"])
def test_shares_never_exceed_one(path: str) -> None:
    result = run(load_scenario(path), seed=1)
    share = result.timeseries["sla_breach_share"].dropna()
    assert len(share) > 0
    assert ((share >= 0) & (share <= 1)).all(), share.max()
    summary = result.summary.iloc[0]
    for name in ("sla_breach_share", "touches_missed_share"):
        assert 0 <= summary[name] <= 1, name


def test_arr_lost_before_golive_is_the_acv_of_the_abandoned() -> None:
    result = run(load_scenario("scenarios/growth_100_to_500.yaml"), seed=1)
    customers = result.customers
    abandoned = customers.loc[customers["abandoned"], "acv"].sum()
    assert abandoned > 0
    assert result.summary.iloc[0]["arr_lost_before_golive"] == abandoned
    total = result.timeseries[result.timeseries["tier"] == "all"]
    assert (total["arr_abandoned"] <= total["arr_churned"]).all()
