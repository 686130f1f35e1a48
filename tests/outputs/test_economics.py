"""Unit economics against the worked examples of §3.1 and §15.5."""

from __future__ import annotations

import numpy as np
import pytest

from sim import parse_scenario, run
from sim.outputs.economics import cost_per_customer, cost_share_of_revenue, retention


def test_mid_market_worked_example() -> None:
    cost = cost_per_customer(120_000, 50, shared_cost=600, tooling_cost=200)
    assert cost == 3_200
    assert cost_share_of_revenue(cost, 30_000) == pytest.approx(0.106667, abs=5e-7)
    assert cost_share_of_revenue(cost, 15_000) == pytest.approx(0.213333, abs=5e-7)
    assert cost_share_of_revenue(cost, 60_000) == pytest.approx(0.053333, abs=5e-7)


def test_high_touch_worked_examples() -> None:
    assert cost_per_customer(150_000, 12, 0, 0) == 12_500
    assert cost_share_of_revenue(12_500, 100_000) == 0.125
    assert cost_per_customer(120_000, 40, 0, 0) == 3_000
    assert cost_share_of_revenue(3_000, 30_000) == pytest.approx(0.10)
    assert cost_per_customer(100_000, 100, 0, 0) == 1_000
    assert cost_per_customer(140_000, 40, 0, 0) == 3_500
    assert cost_per_customer(120_000, 15, 0, 0) == 8_000
    assert cost_per_customer(180_000, 8, 0, 0) == 22_500


def steady_book(csm_cost: float, accounts: int, acv: float, shared: float,
                tooling: float) -> dict:
    """One CSM, a fixed book that neither churns nor changes, no other staff."""
    return {
        "name": "unit_economics", "horizon_months": 12,
        "tiers": [{"name": "book", "acv_min": 0, "acv": {"kind": "fixed", "value": acv},
                   "touch_model": "low", "mix": 1.0, "tickets_per_month": 0.0,
                   "tooling_cost_per_account": tooling,
                   "churn": {"alpha": 1e-6, "beta": 1e6},
                   "renewal_change": {"expansion_probability": 0.0,
                                      "contraction_probability": 0.0}}],
        "growth": {"initial_customers": {"book": accounts}},
        "pools": [{"name": "csm", "role": "csm", "tiers": ["book"], "annual_cost": csm_cost,
                   "headcount": 1}],
        "staff": {"base_attrition_per_year": 0.0},
        "costs": {"shared_cost_per_account": shared},
    }


@pytest.mark.parametrize(("csm_cost", "accounts", "acv", "shared", "tooling", "per_customer",
                          "share"), [
    (120_000, 50, 30_000, 600, 200, 3_200, 3_200 / 30_000),
    (150_000, 12, 100_000, 0, 0, 12_500, 0.125),
])
def test_simulated_cost_to_serve_matches_the_formula(csm_cost: float, accounts: int, acv: float,
                                                     shared: float, tooling: float,
                                                     per_customer: float, share: float) -> None:
    result = run(parse_scenario(steady_book(csm_cost, accounts, acv, shared, tooling)), seed=3)
    series = result.timeseries[result.timeseries.tier == "all"]
    assert (series.customers_total == accounts).all()
    np.testing.assert_allclose(series.cost_per_customer, per_customer, rtol=1e-12)
    np.testing.assert_allclose(series.cs_cost_pct_arr, 100 * share, rtol=1e-12)
    assert series.cs_cost.sum() == pytest.approx(csm_cost + accounts * (shared + tooling),
                                                 rel=1e-12)


def test_retention_cohort_definitions() -> None:
    base = np.array([100, 200, 0, 50])
    tiers = np.array([0, 0, 1, 1])
    now = np.array([150, 0, 80, 40])  # expand, churn, new (not in cohort), contract
    grr, nrr = retention(base, tiers, now, 2)
    assert grr[0] == pytest.approx(100 / 300)
    assert nrr[0] == pytest.approx(150 / 300)
    assert grr[1] == pytest.approx(40 / 50)
    assert grr[2] == pytest.approx(140 / 350)
    assert nrr[2] == pytest.approx(190 / 350)
