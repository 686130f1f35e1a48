"""A run is a pure function of (scenario, seed), and variants share their random numbers.

The same scenario and seed give identical tables, in this process or another one with a
different string-hash seed; another seed gives another run; and two scenarios that differ only
in staffing see exactly the same customers (common random numbers), so that their difference is
the effect of the staffing alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim import RunResult, parse_scenario, run

REPO = Path(__file__).resolve().parents[2]
CUSTOMER_DRAWS = ["customer", "arrival_day", "initial_book", "initial_tier", "acv_initial",
                  "theta", "complexity", "human_onboarding"]


def scenario_data(**headcounts: int) -> dict:
    """Three tiers, a generalist team with attrition, tickets and renewals that move tiers."""
    heads = {"csm_low": 2, "csm_high": 2, "implementation": 1, "support": 1} | headcounts
    change = {"expansion_probability": 0.4, "expansion_mean": 1.2,
              "contraction_probability": 0.2, "contraction_mean": 0.4}
    return {
        "name": "reproducibility", "horizon_months": 12, "org_model": "generalist",
        "tiers": [
            {"name": "tech", "acv_min": 0, "acv_max": 10000,
             "acv": {"kind": "lognormal", "mean": 6000, "cv": 0.4}, "touch_model": "tech",
             "mix": 0.5, "churn": {"alpha": 1.0, "beta": 4.0}, "human_onboarding_share": 0.3,
             "renewal_change": change},
            {"name": "low", "acv_min": 10000, "acv_max": 100000,
             "acv": {"kind": "lognormal", "mean": 40000, "cv": 0.6}, "touch_model": "low",
             "mix": 0.35, "churn": {"alpha": 1.0, "beta": 6.0}, "renewal_change": change},
            {"name": "high", "acv_min": 100000, "acv_max": None,
             "acv": {"kind": "lognormal", "mean": 160000, "cv": 0.4}, "touch_model": "high",
             "mix": 0.15, "churn": {"alpha": 1.0, "beta": 9.0}, "renewal_change": change},
        ],
        "growth": {"initial_customers": {"tech": 100, "low": 60, "high": 15},
                   "initial_backlog": {"low": 5, "high": 2},
                   "arrivals": [{"from_month": 0, "customers_per_month": 15}]},
        "pools": [
            {"name": "csm_low", "role": "csm", "tiers": ["low"], "annual_cost": 110000,
             "headcount": heads["csm_low"]},
            {"name": "csm_high", "role": "csm", "tiers": ["high"], "annual_cost": 150000,
             "headcount": heads["csm_high"]},
            {"name": "implementation", "role": "implementation", "annual_cost": 100000,
             "headcount": heads["implementation"], "onboarding_slots": 4},
            {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
             "headcount": heads["support"]},
        ],
        "hiring": {"lead_time_days": 30},
        "staff": {"base_attrition_per_year": 0.5},
    }


def assert_same_run(first: RunResult, second: RunResult) -> None:
    for name, table in first.tables().items():
        pd.testing.assert_frame_equal(table, second.tables()[name], check_exact=True, obj=name)
    assert first.manifest == second.manifest


def test_same_scenario_and_seed_give_identical_tables() -> None:
    scenario = parse_scenario(scenario_data())
    first = run(scenario, seed=11)
    run(parse_scenario(scenario_data(csm_low=4)), seed=12)  # nothing carries over between runs
    second = run(parse_scenario(scenario_data()), seed=11)
    assert_same_run(first, second)


def test_manifest_records_the_scenario_and_the_seed() -> None:
    scenario = parse_scenario(scenario_data())
    manifest = run(scenario, seed=5).manifest
    assert manifest["seed"] == 5
    assert parse_scenario(manifest["scenario"]) == scenario
    assert manifest["version"]


_CHILD = """
import json, sys
import pandas as pd
from sim import parse_scenario, run
data, seed, out = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
result = run(parse_scenario(data), seed)
pd.to_pickle((result.tables(), result.manifest), out)
"""


def test_another_process_reproduces_the_run(tmp_path: Path) -> None:
    """String hashing differs between processes; the tables must not depend on it."""
    data, seed, out = scenario_data(), 3, tmp_path / "run.pkl"
    environment = os.environ | {"PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", _CHILD, json.dumps(data), str(seed), str(out)],
                   check=True, cwd=REPO, env=environment, timeout=120)
    tables, manifest = pd.read_pickle(out)
    here = run(parse_scenario(data), seed)
    for name, table in here.tables().items():
        pd.testing.assert_frame_equal(table, tables[name], check_exact=True, obj=name)
    assert here.manifest == manifest


def test_different_seeds_give_different_runs() -> None:
    scenario = parse_scenario(scenario_data())
    first, second = run(scenario, seed=1), run(scenario, seed=2)
    assert not first.timeseries.equals(second.timeseries)
    assert not first.customers["arrival_day"].equals(second.customers["arrival_day"])


@pytest.mark.parametrize("pool", ["csm_low", "csm_high", "implementation", "support"])
def test_staffing_variants_see_the_same_customers(pool: str) -> None:
    """Common random numbers: changing one pool's headcount leaves every customer draw alone."""
    lean = run(parse_scenario(scenario_data()), seed=8)
    staffed = run(parse_scenario(scenario_data(**{pool: 5})), seed=8)
    assert not lean.timeseries.equals(staffed.timeseries), "the variant changed nothing"
    pd.testing.assert_frame_equal(lean.customers[CUSTOMER_DRAWS],
                                  staffed.customers[CUSTOMER_DRAWS], check_exact=True)
    arrivals = [result.events.query("kind == 'arrival'")[["time", "customer", "acv"]]
                .reset_index(drop=True) for result in (lean, staffed)]
    pd.testing.assert_frame_equal(*arrivals, check_exact=True)
