"""Service coverage, its effects at renewal and the touch priority: the functions themselves.

The benefit of coverage must be 0 without service, 1 at full coverage, rising with diminishing
returns and bounded; neutral effects must leave churn odds and the contract change exactly as the
tier states them (so the model reduces to shifted-beta-geometric); value-first and risk-first
priority must give the touch to the more valuable or the riskier account (less covered, or
whose usage fell, by the weight the scenario gives the fall), and
least-recently-touched to the account touched longest ago whatever the ACVs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import parse_scenario
from sim.customers.coverage import (
    Coverage,
    benefit,
    coverage_deficit,
    coverage_odds,
    served_change,
    touch_risk,
)
from sim.model import build
from sim.scenario.service import NEUTRAL_EFFECTS, RenewalChange, ServiceEffects, default_need
from sim.work.renewals import RenewalTask, close_task, hand_task, work_on_renewals
from sim.work.touches import touch_order, touches_week

TOUCH_HOURS = 2.0


@pytest.mark.parametrize("curvature", [0.5, 3.0, 6.0])
def test_the_benefit_is_zero_without_service_one_at_need_concave_and_bounded(
        curvature: float) -> None:
    grid = np.linspace(0.0, 5.0, 501)
    values = np.array([benefit(c, curvature) for c in grid])
    assert benefit(0.0, curvature) == 0.0
    assert benefit(1.0, curvature) == pytest.approx(1.0, abs=1e-15)
    assert np.all(np.diff(values) > 0)
    assert np.all(np.diff(values, 2) < 1e-12)  # diminishing returns
    assert values[-1] < 1.0 / (1.0 - math.exp(-curvature))


def test_churn_odds_rise_with_under_service_and_barely_fall_beyond_the_need() -> None:
    effects = ServiceEffects()
    odds = [coverage_odds(effects, Coverage(human=c, automated=0.0)) for c in
            (0.0, 0.25, 0.5, 1.0, 2.0, 10.0)]
    assert odds[0] == pytest.approx(effects.under_service)
    assert odds == sorted(odds, reverse=True)
    assert odds[3] == pytest.approx(1.0)
    # beyond the need: never below under_service ** (1 - b(inf))
    floor = effects.under_service ** (1 - 1 / -math.expm1(-effects.coverage_curvature))
    assert odds[-1] >= floor - 1e-12 and odds[-1] > 0.9


def test_neutral_effects_leave_the_odds_and_the_contract_change_exactly_as_stated() -> None:
    effects = ServiceEffects(**NEUTRAL_EFFECTS)
    change = RenewalChange()
    for coverage in (Coverage(0.0, 0.0), Coverage(0.3, 0.2, 0.8), Coverage(3.0, 0.0)):
        assert coverage_odds(effects, coverage) == 1.0
        assert served_change(effects, change, coverage) is change


def test_under_service_lowers_expansion_and_raises_contraction() -> None:
    effects, change = ServiceEffects(), RenewalChange()
    full = served_change(effects, change, Coverage(1.0, 0.0, 1.0))
    none = served_change(effects, change, Coverage(0.0, 0.2, 0.8))  # tech-touch enterprise
    assert full == change
    assert none.expansion_probability < change.expansion_probability
    assert none.expansion_mean < change.expansion_mean
    assert none.contraction_probability > change.contraction_probability


def test_the_default_need_follows_the_acv_not_the_touch_model() -> None:
    assert default_need(5_000).automatable_share == 1.0
    assert default_need(150_000).human_hours_per_year > default_need(30_000).human_hours_per_year
    assert default_need(150_000).automatable_share < 0.5


def two_accounts(priority: str) -> dict:
    """One CSM and two live low-touch accounts of different ACV (hours for one touch)."""
    return {
        "name": "two_accounts", "horizon_months": 3,
        "tiers": [{"name": "mid", "acv_min": 0, "acv": {"kind": "uniform", "low": 20000,
                                                        "high": 90000},
                   "touch_model": "low", "touch_hours": TOUCH_HOURS, "mix": 1.0,
                   "tickets_per_month": 0.0, "churn": {"alpha": 1.0, "beta": 9.0}}],
        "growth": {"initial_customers": {"mid": 2}},
        "pools": [{"name": "csm", "role": "csm", "tiers": ["mid"], "annual_cost": 120000,
                   "headcount": 1}],
        "work_priority": {"touches": priority},
    }


@pytest.mark.parametrize(("priority", "winner"), [("value", "richer"), ("risk", "less_covered"),
                                                  ("least_recent", "longest_ago")])
def test_the_touch_goes_to_the_account_the_priority_names(priority: str, winner: str) -> None:
    world = build(parse_scenario(two_accounts(priority)), seed=1)
    book, pool = world.book, world.pools[0]
    (csm,) = pool.members
    week_end = 120.0
    world.env.run(until=week_end - 7.0)
    accounts = np.array([0, 1])
    richer = int(np.argmax(book.acv[accounts]))
    # the richer account was touched most recently and has had more hours this cycle
    book.last_touch[accounts] = np.where(accounts == richer, 100.0, 20.0)
    book.cycle_human_hours[accounts] = np.where(accounts == richer, 10.0, 1.0)
    book.next_touch[accounts] = week_end - 1.0
    touches_week(world, pool, week_end, {csm.id: TOUCH_HOURS})
    served = int(np.flatnonzero(book.last_touch[accounts] == week_end)[0])
    expected = richer if winner == "richer" else 1 - richer
    assert served == expected


@pytest.mark.parametrize(("weight", "winner"), [(1.0, 0), (0.0, 1)])
def test_risk_adds_the_weighted_usage_drop_to_the_coverage_deficit(weight: float,
                                                                    winner: int) -> None:
    """Account 0 is better covered but its usage fell 90%; account 1 uses more than healthy."""
    data = two_accounts("risk")
    data["work_priority"]["usage_drop_weight"] = weight
    data["triggers"] = {"enabled": True}
    world = build(parse_scenario(data), seed=1)
    book, pool = world.book, world.pools[0]
    (csm,) = pool.members
    week_end = 120.0
    world.env.run(until=week_end - 7.0)
    accounts = np.array([0, 1])
    book.last_touch[accounts] = 20.0
    book.cycle_human_hours[accounts] = [6.0, 3.0]
    book.next_touch[accounts] = week_end - 1.0
    world.triggers.walk.log_usage[accounts] = [math.log(0.1), 0.3]
    deficit = coverage_deficit(world, accounts)
    assert deficit[0] < deficit[1] < deficit[0] + 0.9
    assert touch_risk(world, accounts) == pytest.approx(deficit + weight * np.array([0.9, 0.0]))
    touches_week(world, pool, week_end, {csm.id: TOUCH_HOURS})
    assert np.flatnonzero(book.last_touch[accounts] == week_end).tolist() == [winner]


def test_without_the_usage_signal_risk_is_the_coverage_deficit() -> None:
    world = build(parse_scenario(two_accounts("risk")), seed=1)
    world.env.run(until=60.0)
    accounts = np.array([0, 1])
    assert np.array_equal(touch_risk(world, accounts), coverage_deficit(world, accounts))


def test_a_pool_can_override_the_scenario_priority() -> None:
    data = two_accounts("value")
    data["pools"][0]["touch_priority"] = "least_recent"
    world = build(parse_scenario(data), seed=1)
    assert touch_order(world, world.pools[0], np.array([0, 1])) is None


def specialist_book() -> dict:
    data = two_accounts("value")
    data["org_model"] = "specialist"
    data["pools"] += [{"name": "implementation", "role": "implementation",
                       "annual_cost": 100000, "headcount": 1},
                      {"name": "renewals", "role": "renewals", "annual_cost": 100000,
                       "headcount": 1}]
    data["renewals"] = {"specialist_hours_share": 0.75}
    return data


@pytest.mark.parametrize(("role", "left"), [("renewals", 0.0), ("csm", 2.0)])
def test_a_renewals_specialist_needs_fewer_hours_for_a_renewal_than_a_csm(
        role: str, left: float) -> None:
    """8 hours of a CSM's renewal work take a specialist 6 (share 0.75)."""
    world = build(parse_scenario(specialist_book()), seed=1)
    person = world.pool_named("renewals" if role == "renewals" else "csm").members[0]
    for customer in list(person.renewal_tasks):
        close_task(world, customer)
    world.renewal_tasks[0] = RenewalTask(customer=0, due_day=200.0, remaining_hours=8.0)
    hand_task(world, 0, person)
    demanded, worked = work_on_renewals(world, person, 6.0, 0.0, paced=False)
    assert worked == pytest.approx(6.0)
    assert world.renewal_tasks[0].remaining_hours == pytest.approx(left, abs=1e-9)
