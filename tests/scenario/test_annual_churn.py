"""``annual_churn``: the α, β it converts to give that churn in the engine's own cohorts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from retention_support import cohort_scenario

from sim.model import run
from sim.scenario.schema import parse_scenario


def _first_two_renewals(churn: dict, customers: float, seed: int) -> tuple[int, int, int, int]:
    """(reached 1st renewal, lost there, reached 2nd, lost there) of one engine cohort."""
    scenario = cohort_scenario(1.0, 1.0, customers, 1.0, 26)
    scenario["tiers"][0]["churn"] = churn
    result = run(parse_scenario(scenario), seed)
    table = result.customers
    years = (table["churn_day"] - table["arrival_day"]) / 365.0
    lost_first = int(np.isclose(years, 1.0).sum())
    lost_second = int(np.isclose(years, 2.0).sum())
    assert all(result.manifest["scenario"]["tiers"][0]["churn"][key] > 0
               for key in ("alpha", "beta"))
    return len(table), lost_first, len(table) - lost_first, lost_second


def _binomial_ok(lost: int, trials: int, rate: float) -> bool:
    return abs(lost / trials - rate) < 4 * math.sqrt(rate * (1 - rate) / trials)


@pytest.mark.parametrize("churn", [
    {"annual_churn": 0.12},
    {"annual_churn": 0.30, "heterogeneity": 0.1},
    {"annual_churn": 0.20, "second_year_churn": 0.08},
])
def test_a_large_cohort_churns_at_the_stated_annual_rate(churn: dict) -> None:
    reached, lost, reached_second, lost_second = _first_two_renewals(churn, 6000.0, 3)
    assert reached > 5000
    assert _binomial_ok(lost, reached, churn["annual_churn"]), (lost, reached)
    second = churn.get("second_year_churn",
                       churn["annual_churn"] * (1 - churn.get("heterogeneity", 0.25)))
    assert _binomial_ok(lost_second, reached_second, second), (lost_second, reached_second)


def test_the_manifest_records_the_alpha_and_beta_used() -> None:
    scenario = cohort_scenario(1.0, 1.0, 10.0, 1.0, 2)
    scenario["tiers"][0]["churn"] = {"annual_churn": 0.2, "heterogeneity": 0.2}
    churn = run(parse_scenario(scenario), 0).manifest["scenario"]["tiers"][0]["churn"]
    assert churn["alpha"] == pytest.approx(0.8) and churn["beta"] == pytest.approx(3.2)
    assert churn["annual_churn"] == 0.2
