"""Strategies: rules fire once, at their condition, respect the commitment period and move
customers through pilot and rollout; pooled coverage; bad rules are rejected clearly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import parse_scenario, run
from sim.core.calendar import MONTH_DAYS
from sim.core.errors import ScenarioError


def _with_rules(base: dict, rules: list[dict], **strategies: object) -> dict:
    base["horizon_months"] = 24
    base["pools"] += [{"name": "renewals", "role": "renewals", "annual_cost": 95000,
                       "headcount": 0}]
    base["strategies"] = {"rules": rules, **strategies}
    return base


def _paying_at(customers, day: float) -> int:
    churned_before = customers["churn_day"].notna() & (customers["churn_day"] <= day)
    return int(((customers["arrival_day"] <= day) & ~churned_before).sum())


def _decisions(result) -> np.ndarray:
    events = result.events
    return events.loc[events["kind"] == "strategy_decision", "time"].to_numpy()


def test_a_rule_fires_once_at_the_first_review_its_condition_holds(base_scenario: dict) -> None:
    threshold = 70
    scenario = parse_scenario(_with_rules(base_scenario, [
        {"name": "specialise", "when": {"metric": "customers", "at_least": threshold},
         "org_model": "specialist", "hire": {"renewals": 1}}]))
    result = run(scenario, seed=3)
    review = scenario.strategies.review_days
    reviews = review * np.arange(1, int(scenario.horizon_months * MONTH_DAYS / review))
    counts = [_paying_at(result.customers, day) for day in reviews]
    expected = reviews[next(i for i, count in enumerate(counts) if count >= threshold)]
    assert _decisions(result) == pytest.approx([expected])


def test_commitment_period_separates_changes(base_scenario: dict) -> None:
    rules = [{"name": "first", "when": {"metric": "customers", "at_least": 0},
              "touch_models": {"mid": {"touch_model": "medium"}}},
             {"name": "second", "when": {"metric": "customers", "at_least": 0},
              "touch_models": {"mid": {"touch_model": "low"}}}]
    scenario = parse_scenario(_with_rules(base_scenario, rules, commitment_months=6))
    decisions = _decisions(run(scenario, seed=1))
    review = scenario.strategies.review_days
    done = review + scenario.strategies.rules[0].transition.total_days
    earliest = done + 6 * MONTH_DAYS
    assert len(decisions) == 2
    assert decisions[0] == pytest.approx(review)
    assert decisions[1] == pytest.approx(review * math.ceil(earliest / review - 1e-9))


def test_pilot_then_rollout_move_every_customer(base_scenario: dict) -> None:
    base_scenario["growth"]["initial_customers"] = {"smb": 400, "mid": 400}
    share = 0.3
    rule = {"name": "medium", "when": {"metric": "customers", "at_least": 0},
            "touch_models": {"mid": {"touch_model": "medium"}},
            "transition": {"design_days": 0, "pilot_days": 91.3125, "rollout_days": 91.3125,
                           "pilot_share": share, "cost": 120000}}
    result = run(parse_scenario(_with_rules(base_scenario, [rule])), seed=2)
    total = result.timeseries[result.timeseries["tier"] == "all"].set_index("period")
    # Decided at the first review (end of month 1): months 2-3 are pilot, 4-6 rollout.
    pilot = total.loc[3, "strategy_share"]
    customers = total.loc[3, "customers_total"]
    standard_error = math.sqrt(share * (1 - share) / customers)
    assert abs(pilot - share) < 4 * standard_error
    assert total.loc[8:, "strategy_share"].eq(1.0).all()
    assert total["strategy_cost"].sum() == pytest.approx(120000, rel=1e-9)
    assert set(total.loc[8:, "strategy_phase"]) == {"done"}


def test_a_tier_moved_to_tech_touch_gets_no_scheduled_touches(base_scenario: dict) -> None:
    rule = {"name": "tech_tail", "when": {"metric": "customers", "at_least": 0},
            "touch_models": {"mid": {"touch_model": "tech", "fixed_cost_per_month": 5000}},
            "transition": {"design_days": 0, "pilot_days": 0, "rollout_days": 0}}
    result = run(parse_scenario(_with_rules(base_scenario, [rule])), seed=4)
    mid = result.timeseries[result.timeseries["tier"] == "mid"].set_index("period")
    assert mid.loc[1, "touches_due"] > 0
    assert mid.loc[3:, "touches_due"].eq(0).all()
    assert mid.loc[3:, "strategy_cost"].sum() == pytest.approx(
        5000 * mid.loc[3:, "period_days"].sum() / MONTH_DAYS, rel=1e-9)


def _departure_scenario(base: dict, coverage: str) -> dict:
    base["horizon_months"] = 12
    base["tiers"][1]["coverage"] = coverage
    base["pools"][0]["headcount"] = 3
    base["staff"] = {"base_attrition_per_year": 2.0}
    for tier in base["tiers"]:  # no tier migrations, whose change of pool is a change of CSM
        tier["renewal_change"] = {"expansion_probability": 0, "contraction_probability": 0}
    return base


def test_pooled_coverage_counts_no_csm_change_when_a_csm_leaves(scenario_factory) -> None:
    pooled = run(parse_scenario(_departure_scenario(scenario_factory(), "pooled")), seed=5)
    dedicated = run(parse_scenario(_departure_scenario(scenario_factory(), "dedicated")), seed=5)
    assert dedicated.summary.loc[0, "departures"] > 0
    assert pooled.summary.loc[0, "departures"] > 0
    assert (dedicated.events["kind"] == "csm_change").sum() > 0
    assert (pooled.events["kind"] == "csm_change").sum() == 0


def _lopsided_book(base: dict, coverage: str) -> dict:
    """60 accounts on one CSM; a second CSM joins at about day 90 with none of them.

    The book needs ~42 h of touches a week: more than one CSM's ~34 productive hours, far less
    than two. Burnout and attrition are off so that nothing else moves the accounts.
    """
    base["horizon_months"] = 12
    base["growth"] = {"initial_customers": {"smb": 0, "mid": 60}, "arrivals": []}
    base["tiers"][1].update(coverage=coverage, touch_hours=3.0, renewal_hours=0.0)
    base["pools"][0].update(headcount=1, staffing_plan=[{"month": 1, "headcount": 2}])
    base["staff"] = {"burnout_gain_per_week": 0.0, "base_attrition_per_year": 0.0}
    return base


def test_pooled_coverage_shares_hours_across_the_pool(scenario_factory) -> None:
    """Pooled touches use every member's hours; dedicated ones only the owner's."""
    missed = {}
    for coverage in ("pooled", "dedicated"):
        result = run(parse_scenario(_lopsided_book(scenario_factory(), coverage)), seed=1)
        mid = result.timeseries[result.timeseries["tier"] == "mid"].set_index("period")
        assert mid.loc[1:3, "touches_missed"].sum() > 0  # one CSM alone cannot keep up
        missed[coverage] = int(mid.loc[7:, "touches_missed"].sum())  # both CSMs at full pace
    assert missed["pooled"] == 0
    assert missed["dedicated"] > 0


BAD_RULES = [
    ({"name": "x", "when": {"metric": "customers"}, "org_model": "specialist"},
     "exactly one of at_least or at_most"),
    ({"name": "x", "when": {"metric": "customers", "at_least": 1, "at_most": 2},
      "org_model": "specialist"}, "exactly one of at_least or at_most"),
    ({"name": "x", "when": {"metric": "revenue", "at_least": 1}, "org_model": "specialist"},
     "metric = 'revenue'"),
    ({"name": "x", "when": {"metric": "customers", "at_least": 1}}, "changes nothing"),
    ({"name": "x", "when": {"metric": "customers", "at_least": 1},
      "touch_models": {"huge": {"touch_model": "tech"}}}, "unknown tier 'huge'"),
    ({"name": "x", "when": {"metric": "customers", "at_least": 1}, "hire": {"nobody": 2}},
     "unknown pool 'nobody'"),
    ({"name": "x", "when": {"metric": "customers", "at_least": 1},
      "touch_models": {"smb": {"touch_model": "low"}}}, "no csm pool serves tier 'smb'"),
    ({"name": "x", "when": {"metric": "customers", "at_least": 1},
      "transition": {"pilot_share": 1.5}, "org_model": "specialist"}, "pilot_share = 1.5"),
    ({"name": "x", "when": {"metric": "customers", "at_least": 1}, "org_model": "pods"},
     "org_model = 'pods'"),
]


@pytest.mark.parametrize(("rule", "fragment"), BAD_RULES)
def test_bad_rules_are_rejected_with_the_path(base_scenario: dict, rule: dict,
                                              fragment: str) -> None:
    base_scenario["strategies"] = {"rules": [rule]}
    with pytest.raises(ScenarioError, match="strategies") as caught:
        parse_scenario(base_scenario, source="s.yaml")
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_specialist_change_needs_a_renewals_pool(base_scenario: dict) -> None:
    base_scenario["strategies"] = {"rules": [
        {"name": "x", "when": {"metric": "customers", "at_least": 1},
         "org_model": "specialist"}]}
    with pytest.raises(ScenarioError, match="role 'renewals'"):
        parse_scenario(base_scenario)


def test_duplicate_rule_names_are_rejected(base_scenario: dict) -> None:
    rule = {"name": "x", "when": {"metric": "customers", "at_least": 1},
            "touch_models": {"mid": {"touch_model": "medium"}}}
    base_scenario["strategies"] = {"rules": [rule, rule]}
    with pytest.raises(ScenarioError, match="duplicate name"):
        parse_scenario(base_scenario)


def test_run_rate_cost_is_a_year_of_todays_costs_over_arr(base_scenario: dict) -> None:
    """The cs_cost_pct_arr metric at day 0: staff at annual cost, tooling per customer under
    contract and a year of fixed cost, over the ARR under contract."""
    from sim.model import build
    from sim.policies.strategy import run_rate_cost_pct_arr

    base_scenario["tiers"][0]["fixed_cost_per_month"] = 1000.0
    scenario = parse_scenario(base_scenario)
    world = build(scenario, seed=1)
    world.env.run(until=1e-9)
    paying = world.book.paying()
    staff = sum(pool.headcount * pool.annual_cost for pool in scenario.pools)
    tooling = sum(tier.tooling_cost_per_account * int((world.book.tier[paying] == index).sum())
                  for index, tier in enumerate(scenario.tiers))
    expected = 100.0 * (staff + tooling + 12 * 1000.0) / world.book.acv[paying].sum()
    assert run_rate_cost_pct_arr(world) == pytest.approx(expected, rel=1e-12)


def test_run_rate_cost_counts_leadership_and_running_strategy_costs(base_scenario: dict) -> None:
    """After a decision the metric adds the derived leadership layers of today's CSMs and a year
    of the change's one-off cost at its daily rate (here $365,000 over 365 days)."""
    from sim.model import build
    from sim.policies.strategy import run_rate_cost_pct_arr

    base_scenario["leadership"] = {"derive": True}
    rule = {"name": "x", "when": {"metric": "customers", "at_least": 0},
            "touch_models": {"mid": {"touch_model": "medium"}},
            "transition": {"design_days": 0, "pilot_days": 365, "rollout_days": 0,
                           "cost": 365000}}
    scenario = parse_scenario(_with_rules(base_scenario, [rule]))
    world = build(scenario, seed=1)
    world.env.run(until=scenario.strategies.review_days + 1e-6)
    assert len(world.changes) == 1
    paying = world.book.paying()
    staff = sum(len(pool.members) * pool.spec.annual_cost for pool in world.pools)
    csms = sum(len(pool.members) for pool in world.pools if pool.role == "csm")
    leaders = scenario.leadership.annual_cost(csms)
    assert leaders > 0
    tooling = sum(tier.tooling_cost_per_account * int((world.book.tier[paying] == index).sum())
                  for index, tier in enumerate(scenario.tiers))
    expected = 100.0 * (staff + leaders + tooling + 365000) / world.book.acv[paying].sum()
    assert run_rate_cost_pct_arr(world) == pytest.approx(expected, rel=1e-12)
