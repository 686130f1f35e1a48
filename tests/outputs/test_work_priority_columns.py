"""The work priority a run used shows in its tables: per pool in the workforce table, for the
whole run in the summary (the CSM pools' touch priority after each pool's own override, and the
support desks' order), and the column is the order the engine used (``touch_order``)."""

from __future__ import annotations

import numpy as np
import pytest

from sim import parse_scenario, run
from sim.model import build
from sim.work.touches import touch_order


def two_pools(touches: str, override: str | None, support: str = "fcfs") -> dict:
    """Two low-touch tiers, each on its own CSM pool (``csm_a`` may override), one support desk."""
    tiers = [{"name": name, "acv_min": low, "acv_max": None if name == "b" else high,
              "acv": {"kind": "uniform", "low": low + 1000, "high": high - 1000},
              "touch_model": "low", "mix": 0.5, "tickets_per_month": 0.5,
              "churn": {"alpha": 1.0, "beta": 9.0}}
             for name, low, high in (("a", 10000, 30000), ("b", 30000, 60000))]
    csm_a = {"name": "csm_a", "role": "csm", "tiers": ["a"], "annual_cost": 120000,
             "headcount": 1}
    if override is not None:
        csm_a["touch_priority"] = override
    return {
        "name": "two_pools", "horizon_months": 3, "tiers": tiers,
        "growth": {"initial_customers": {"a": 20, "b": 20}},
        "pools": [csm_a,
                  {"name": "csm_b", "role": "csm", "tiers": ["b"], "annual_cost": 120000,
                   "headcount": 1},
                  {"name": "support", "role": "support", "skill": "T3", "annual_cost": 90000,
                   "headcount": 1},
                  {"name": "cs_ops", "role": "cs_ops", "annual_cost": 110000, "headcount": 1}],
        "work_priority": {"touches": touches, "support": support},
    }


@pytest.mark.parametrize(("touches", "override", "support"), [
    ("value", None, "fcfs"), ("risk", None, "tier"), ("least_recent", None, "fcfs"),
    ("value", "risk", "tier"), ("least_recent", "value", "fcfs"), ("risk", "least_recent", "tier"),
])
def test_the_tables_show_the_priority_each_pool_used(touches: str, override: str | None,
                                                     support: str) -> None:
    result = run(parse_scenario(two_pools(touches, override, support)), seed=1)
    workforce, summary = result.workforce, result.summary.iloc[0]
    used = {"csm_a": override or touches, "csm_b": touches, "support": support, "cs_ops": ""}
    for pool, expected in used.items():
        assert set(workforce.loc[workforce["pool"] == pool, "work_priority"]) == {expected}
    assert summary["touch_priority"] == ",".join(dict.fromkeys([override or touches, touches]))
    assert summary["support_priority"] == support


@pytest.mark.parametrize("override", [None, "value", "risk", "least_recent"])
def test_the_column_is_the_order_the_engine_used(override: str | None) -> None:
    """``touch_order`` sorts by nothing but recency exactly when the column says least_recent,
    by ACV when it says value."""
    scenario = parse_scenario(two_pools("risk", override))
    world = build(scenario, seed=1)
    world.env.run(until=30.0)
    pool = world.pools[0]
    due = np.arange(world.book.size)[world.book.tier == 0]
    order = touch_order(world, pool, due)
    shown = run(scenario, seed=1).workforce.loc[0, "work_priority"]
    assert (order is None) == (shown == "least_recent")
    if shown == "value":
        assert np.array_equal(order, -world.book.acv[due].astype(float))


def test_a_run_without_a_csm_pool_names_no_touch_priority() -> None:
    data = two_pools("value", None)
    data["tiers"] = [dict(tier, touch_model="tech") for tier in data["tiers"]]
    data["pools"] = data["pools"][2:]
    summary = run(parse_scenario(data), seed=1).summary.iloc[0]
    assert summary["touch_priority"] == ""
    assert summary["support_priority"] == "fcfs"
