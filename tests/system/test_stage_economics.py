"""The stage scenarios' tech-touch tiers cost what the sources say tech-touch costs.

§2.3 gives $50-$500 per customer a year for tech-touch (business-models; $100-$500 in
choosing-model). The tier's cost over the final year of each run (activity-based staff cost,
per-account tooling, no fixed cost: the programme is built before the run) per average
customer under contract must lie in that range beyond twice the standard error over the seeds.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sim import load_scenario, run

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (1, 2, 3, 4)
TECH_TOUCH_RANGE = (50.0, 500.0)
"""§2.3: CS cost per tech-touch customer a year, USD."""


def final_year_cost_per_customer(path: Path, tier: str, seed: int) -> float:
    series = run(load_scenario(path), seed).timeseries
    rows = series[(series["tier"] == tier) & (series["period"] > series["period"].max() - 12)]
    return float(rows["cs_cost"].sum() / rows["customers_total"].mean())


@pytest.mark.statistical
@pytest.mark.parametrize(("scenario", "tier"), [("stage3_scaled_ops", "tech"),
                                                ("stage4_mature", "self_service")])
def test_tech_touch_tier_costs_fall_in_the_source_range(scenario: str, tier: str) -> None:
    costs = np.array([final_year_cost_per_customer(ROOT / "scenarios" / f"{scenario}.yaml",
                                                   tier, seed) for seed in SEEDS])
    mean, error = costs.mean(), costs.std(ddof=1) / math.sqrt(len(costs))
    low, high = TECH_TOUCH_RANGE
    assert low < mean - 2 * error and mean + 2 * error < high, (
        f"{scenario} {tier}: ${mean:,.0f} ± {2 * error:,.0f} per customer, "
        f"outside ${low:,.0f}-${high:,.0f}")
