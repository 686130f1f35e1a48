"""CS Ops productivity gain (its curve and its effect on CSM work) and the leadership layers
derived from spans of control (counts at the span boundaries, rows and cost)."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from sim import parse_scenario, run
from sim.core.calendar import MONTH_DAYS, YEAR_DAYS
from sim.scenario.hiring import LAYERS, CsOps, Leadership


def test_gain_is_thirty_percent_at_one_person_per_ten_csms() -> None:
    assert CsOps().gain(1.0) == pytest.approx(0.30, abs=1e-12)
    assert CsOps().gain(0.0) == 0.0


def test_gain_rises_with_diminishing_returns_towards_the_ceiling() -> None:
    spec = CsOps()
    coverage = np.linspace(0.0, 10.0, 201)
    gains = np.array([spec.gain(value) for value in coverage])
    steps = np.diff(gains)
    assert (steps > 0).all()
    assert (np.diff(steps) < 0).all()
    assert gains.max() < spec.max_gain
    assert spec.gain(50.0) == pytest.approx(spec.max_gain)


def test_gain_follows_the_documented_curve() -> None:
    spec = CsOps(gain_at_full_coverage=0.2, max_gain=0.5)
    rate = -math.log(1 - 0.2 / 0.5)
    for coverage in (0.3, 1.0, 2.5):
        assert spec.gain(coverage) == pytest.approx(0.5 * (1 - math.exp(-rate * coverage)))


def test_no_gain_when_switched_off() -> None:
    assert CsOps(gain_at_full_coverage=0.0).gain(3.0) == 0.0


def overloaded(ops_headcount: int, **changes: object) -> dict:
    """10 high-touch CSMs with 15 accounts each (above the 12 they can touch) and a CS Ops pool."""
    scenario = {
        "name": "ops", "horizon_months": 4, "org_model": "specialist",
        "tiers": [{"name": "enterprise", "acv_min": 0, "acv": {"kind": "fixed", "value": 150000},
                   "touch_model": "high", "mix": 1.0, "tickets_per_month": 0.0,
                   "renewal_hours": 0, "churn": {"alpha": 1e-6, "beta": 1.0}}],
        "growth": {"initial_customers": {"enterprise": 150}},
        "pools": [
            {"name": "csm", "role": "csm", "tiers": ["enterprise"], "annual_cost": 150000,
             "headcount": 10},
            {"name": "implementation", "role": "implementation", "annual_cost": 100000,
             "headcount": 1},
            {"name": "cs_ops", "role": "cs_ops", "annual_cost": 110000,
             "headcount": ops_headcount},
        ],
        # Neither quits nor burnout change the hours, so only the CS Ops gain differs.
        "staff": {"base_attrition_per_year": 0.0, "productivity_loss": 0.0},
    }
    scenario.update(changes)
    return scenario


def test_a_cs_ops_person_gives_ten_csms_thirty_percent_more_hours_and_fewer_missed_touches(
) -> None:
    without = run(parse_scenario(overloaded(0)), seed=2)
    with_ops = run(parse_scenario(overloaded(1)), seed=2)
    csm = with_ops.workforce.query("pool == 'csm'")
    np.testing.assert_allclose(csm.productivity_gain, 0.30)
    assert (with_ops.workforce.query("pool != 'csm'").productivity_gain == 0).all()
    assert (without.workforce.productivity_gain == 0).all()
    # The same people and weeks: each CSM week has 1.3 times the hours.
    np.testing.assert_allclose(csm.hours_available.to_numpy(),
                               1.3 * without.workforce.query("pool == 'csm'").hours_available)
    missed = [result.timeseries.query("tier == 'all'").touches_missed.sum()
              for result in (without, with_ops)]
    assert missed[0] > 0
    assert missed[1] < missed[0]


def test_a_cs_ops_hire_counts_by_their_ramp() -> None:
    data = overloaded(0, hiring={"lead_time_days": 0.0, "ramp_days": 90.0,
                                 "ramp_start_productivity": 0.3})
    data["pools"][2]["staffing_plan"] = [{"month": 0.5, "headcount": 1}]
    workforce = run(parse_scenario(data), seed=2).workforce.query("pool == 'csm'")
    gain = workforce.set_index("period").productivity_gain
    for period, tenure in ((1, 0.5 * MONTH_DAYS), (2, 1.5 * MONTH_DAYS)):
        ramp = 0.3 + 0.7 * tenure / 90.0  # one person for the ten CSMs, not yet at full pace
        assert gain[period] == pytest.approx(CsOps().gain(ramp))
    assert gain[4] == pytest.approx(0.30)


# Default spans (§7.3): a team lead per 4 CSMs, a manager per 8, a director per 4 managers from
# 15 CSMs, a VP from 30; each row sits on one side of one of those edges.
@pytest.mark.parametrize(("csms", "expected"), [
    (0, (0, 0, 0, 0)),
    (1, (1, 1, 0, 0)),
    (4, (1, 1, 0, 0)),
    (5, (2, 1, 0, 0)),
    (8, (2, 1, 0, 0)),
    (9, (3, 2, 0, 0)),
    (14, (4, 2, 0, 0)),
    (15, (4, 2, 1, 0)),
    (29, (8, 4, 1, 0)),
    (30, (8, 4, 1, 1)),
    (32, (8, 4, 1, 1)),
    (33, (9, 5, 2, 1)),
])
def test_layer_counts_at_span_boundaries(csms: int, expected: tuple[int, ...]) -> None:
    assert Leadership().counts(csms) == expected


def test_without_team_leads_and_with_other_spans() -> None:
    spec = Leadership(team_lead_span=None, manager_span=5, director_span=2,
                      director_from_csms=10, vp_from_csms=50)
    assert spec.counts(10) == (0, 2, 1, 0)
    assert spec.counts(11) == (0, 3, 2, 0)
    assert spec.counts(50) == (0, 10, 5, 1)


def test_layer_cost_is_zero_unless_derived() -> None:
    assert Leadership().annual_cost(40) == 0.0
    spec = Leadership(derive=True)
    assert spec.annual_cost(9) == 3 * 140000 + 2 * 170000


def test_derived_layers_appear_in_the_workforce_table_and_in_cs_cost(
        base_scenario: dict) -> None:
    base_scenario["staff"] = {"base_attrition_per_year": 0.0}
    base_scenario["pools"][0]["headcount"] = 9
    derived = copy.deepcopy(base_scenario)
    derived["leadership"] = {"derive": True}
    plain = run(parse_scenario(base_scenario), seed=5)
    result = run(parse_scenario(derived), seed=5)
    rows = result.workforce.query("role == 'leadership'")
    assert all(tuple(roles) == LAYERS for _, roles in rows.groupby("period").pool)
    # Only the measures a derived layer does not have are empty (docs/outputs.md: workforce table).
    unmeasured = {"utilisation_mean", "utilisation_max", "burnout_mean", "burnout_max",
                  "hours_demanded", "hours_available", "hours_worked"}
    assert set(rows.columns[rows.isna().any()]) == unmeasured
    assert (rows.region == "").all()
    # 9 CSMs all run long: 3 team leads and 2 managers, accruing their cost per day.
    counts = rows.pivot(index="period", columns="pool", values="headcount")
    assert (counts[list(LAYERS)] == [3, 2, 0, 0]).all().all()
    days = result.timeseries.query("tier == 'all'").set_index("period").period_days
    expected = (3 * 140000 + 2 * 170000) * days / YEAR_DAYS
    np.testing.assert_allclose(rows.groupby("period").cost.sum(), expected)
    # Nothing else changes: the cost is added to CS cost, shared over the tiers.
    added = (result.timeseries.set_index(["period", "tier"]).cs_cost
             - plain.timeseries.set_index(["period", "tier"]).cs_cost)
    np.testing.assert_allclose(added.xs("all", level="tier"), expected)
    assert (added.drop("all", level="tier") > 0).all()
    pd.testing.assert_frame_equal(result.events, plain.events)
    staff = result.workforce.query("role != 'leadership'").reset_index(drop=True)
    pd.testing.assert_frame_equal(staff, plain.workforce)


def test_layers_follow_the_csm_headcount(base_scenario: dict) -> None:
    base_scenario.update(leadership={"derive": True}, staff={"base_attrition_per_year": 0.0},
                         hiring={"lead_time_days": 0.0})
    base_scenario["pools"][0].update(headcount=14,
                                     staffing_plan=[{"month": 1.5, "headcount": 15}])
    rows = run(parse_scenario(base_scenario), seed=1).workforce
    directors = rows.query("pool == 'director'").set_index("period")
    # The director layer starts with the 15th CSM, half-way through month 2.
    assert directors.headcount[1] == 0 and directors.headcount[2] == 1
    assert directors.cost[1] == 0.0
    assert directors.cost[2] == pytest.approx(210000 * 0.5 * MONTH_DAYS / YEAR_DAYS)
    assert directors.cost[3] == pytest.approx(210000 * MONTH_DAYS / YEAR_DAYS)


BAD_CASES = [
    ("leader-pool-with-derive",
     {"leadership": {"derive": True}, "extra_pool": {"name": "head", "role": "leader",
                                                     "annual_cost": 200000, "headcount": 1}},
     ["pools[3].role = 'leader'", "count them twice"]),
    ("pool-named-like-a-layer",
     {"leadership": {"derive": True}, "extra_pool": {"name": "manager", "role": "cs_ops",
                                                     "annual_cost": 100000, "headcount": 1}},
     ["pools[3].name = 'manager'", "leadership layer"]),
    ("zero-span", {"leadership": {"manager_span": 0}}, ["leadership.manager_span = 0"]),
    ("negative-layer-cost", {"leadership": {"vp_cost": -1}}, ["leadership.vp_cost = -1"]),
    ("gain-above-ceiling", {"cs_ops": {"gain_at_full_coverage": 0.5, "max_gain": 0.4}},
     ["cs_ops.max_gain = 0.4", "must exceed gain_at_full_coverage (0.5)"]),
    ("negative-gain", {"cs_ops": {"gain_at_full_coverage": -0.1}},
     ["cs_ops.gain_at_full_coverage = -0.1"]),
    ("zero-csms-per-person", {"cs_ops": {"csms_per_person": 0}},
     ["cs_ops.csms_per_person = 0"]),
]


@pytest.mark.parametrize(("changes", "fragments"), [pytest.param(c, f, id=i)
                                                    for i, c, f in BAD_CASES])
def test_bad_cs_ops_and_leadership_definitions_give_one_clear_line(
        base_scenario: dict, changes: dict, fragments: list[str], one_line_error) -> None:
    changes = dict(changes)
    extra = changes.pop("extra_pool", None)
    if extra is not None:
        base_scenario["pools"].append(extra)
    base_scenario.update(changes)
    line = one_line_error(base_scenario)
    assert all(fragment in line for fragment in fragments), line
