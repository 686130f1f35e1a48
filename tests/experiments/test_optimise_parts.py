"""The parts of an optimisation: levers, staffing calendars, constraints and their judgement."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from sim.core.calendar import MONTH_DAYS
from sim.core.errors import ScenarioError
from sim.experiments.evaluations import assess, frontier
from sim.experiments.goals import (
    MET,
    UNDECIDED,
    VIOLATED,
    Objective,
    judge,
    parse_constraint,
)
from sim.experiments.kpis import RECORDED_KPIS
from sim.experiments.levers import (
    check_levers,
    effective_values,
    hiring_calendar,
    parse_lever,
    plan_overrides,
)
from sim.experiments.optimise_output import yaml_diff
from sim.experiments.search import Candidate, Settings, finalists
from sim.experiments.stats import wilson_interval
from sim.scenario.schema import Scenario, parse_scenario


@pytest.fixture
def scenario(scenario_factory: Callable[[], dict]) -> Scenario:
    data = scenario_factory()
    data["horizon_months"] = 12
    return parse_scenario(data)


def test_a_field_lever_takes_the_fields_type(scenario: Scenario) -> None:
    integer = parse_lever("pools.support.headcount=2..12", scenario)
    real = parse_lever("hiring.lead_time_days=30:90", scenario)
    assert (integer.integer, integer.low, integer.high) == (True, 2, 12)
    assert (real.integer, real.low, real.high) == (False, 30, 90)
    overrides = plan_overrides([integer, real], {"pools.support.headcount": 4.0,
                                                 "hiring.lead_time_days": 45.5}, scenario)
    assert overrides == {"pools.support.headcount": 4, "hiring.lead_time_days": 45.5}
    assert isinstance(overrides["pools.support.headcount"], int)


@pytest.mark.parametrize(("text", "message"), [
    ("pools.support.headcount", "expected PATH=LOW..HIGH"),
    ("pools.support.headcount=5..2", "LOW < HIGH"),
    ("pools.support.headcount=1.5..3", "integer bounds"),
    ("pools.nobody.headcount=1..3", "no item named 'nobody'"),
    ("name=1..3", "is not a number"),
    ("pools.nobody.headcount@quarter=1..3", "no pool named 'nobody'"),
    ("pools.support.headcount@quarter=1..2.5", "integer bounds"),
    ("pools.support.headcount=1..1e999", "finite"),
])
def test_bad_levers_are_refused_with_a_reason(scenario: Scenario, text: str,
                                              message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_lever(text, scenario)


def test_two_levers_on_one_field_are_refused(scenario: Scenario) -> None:
    for texts in (["pools.support.headcount@half=1..3", "pools.support.headcount@quarter=1..3"],
                  ["pools.support.headcount=1..3", "pools.support.headcount=2..4"]):
        with pytest.raises(ScenarioError, match="already set"):
            check_levers([parse_lever(text, scenario) for text in texts])
    check_levers([parse_lever("pools.support.headcount@half=1..3", scenario),
                  parse_lever("pools.support.headcount=1..3", scenario)])


def test_a_phased_lever_opens_requisitions_a_lead_time_before_each_period(
        scenario: Scenario) -> None:
    lever = parse_lever("pools.support.headcount@quarter=0..9", scenario)
    assert lever.periods == 4 and lever.names[0] == "pools.support.headcount@quarter[0]"
    values = dict(zip(lever.names, [3, 2, 5, 5], strict=True))  # starting headcount is 1
    steps = plan_overrides([lever], values, scenario)["pools.support.staffing_plan"]
    lead = scenario.hiring.lead_time_days / MONTH_DAYS
    # Period 0 can only start hiring at month 0; period 1's target (2) is below period 0's (3),
    # so nobody is added; period 2 hires two more a lead time before month 6.
    assert steps == [{"month": 0.0, "headcount": 3}, {"month": round(6 - lead, 2),
                                                      "headcount": 5}]
    assert effective_values([lever], values, scenario) == dict(zip(lever.names, [3, 3, 5, 5],
                                                                   strict=True))
    data = scenario.model_dump(mode="json")
    data["pools"][2]["staffing_plan"] = steps
    calendar = hiring_calendar(parse_scenario(data), ["support"])
    assert calendar["requisitions"].tolist() == [2, 2]
    assert calendar["open_month"].tolist() == [0.0, round(6 - lead, 2)]
    assert np.allclose(calendar["starts_month"], calendar["open_month"] + lead)
    ramp = scenario.hiring.ramp_days / MONTH_DAYS
    assert np.allclose(calendar["productive_month"], calendar["starts_month"] + ramp)


def test_a_lead_time_longer_than_a_period_merges_steps(scenario: Scenario) -> None:
    data = scenario.model_dump(mode="json")
    data["hiring"]["lead_time_days"] = 120  # about four months
    slow = parse_scenario(data)
    lever = parse_lever("pools.support.headcount@quarter=0..9", slow)
    values = dict(zip(lever.names, [2, 4, 6, 6], strict=True))
    steps = plan_overrides([lever], values, slow)["pools.support.staffing_plan"]
    assert steps[0] == {"month": 0.0, "headcount": 4}  # periods 0 and 1 both open at month 0
    assert [step["month"] for step in steps] == sorted({step["month"] for step in steps})


@pytest.mark.parametrize(("text", "message"), [
    ("backlog_weeks_max<=2@1.5", r"in \(0, 1\)"),
    ("backlog<=2@0.9", "unknown KPI"),
    ("backlog_weeks_max=2", "expected KPI<=VALUE@P"),
    ("backlog_weeks_max<=1e999", "not a finite number"),
])
def test_bad_constraints_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_constraint(text)


def test_a_chance_constraint_is_judged_on_the_wilson_bounds() -> None:
    constraint = parse_constraint("backlog_weeks_max<=2@0.9")
    assert constraint.probability == 0.9 and str(constraint) == "backlog_weeks_max<=2@0.9"
    # 10 of 10 runs meet it: the point estimate says 1.0, the lower bound is well below 0.9.
    assert judge(constraint, np.full(10, 1.0)).status == UNDECIDED
    # Enough runs, all meeting it: the lower bound passes 0.9.
    enough = next(n for n in range(1, 100) if wilson_interval(n, n, 0.9)[0] >= 0.9)
    assert judge(constraint, np.full(enough, 1.0)).status == MET
    assert judge(constraint, np.full(enough - 1, 1.0)).status == UNDECIDED
    # 6 of 10: the upper bound is below 0.9.
    values = np.array([1.0] * 6 + [3.0] * 4)
    judgement = judge(constraint, values)
    assert judgement.status == VIOLATED
    assert judgement.estimate == pytest.approx(0.6)
    assert judgement.quantile == 3.0  # 90% of the runs only get below 3
    assert judgement.shortfall == pytest.approx((3.0 - 2.0) / 2.0)


def test_a_mean_constraint_is_judged_on_the_t_bounds() -> None:
    constraint = parse_constraint("grr>=0.8")
    assert constraint.probability is None
    rng = np.random.default_rng(3)
    assert judge(constraint, 0.9 + 0.01 * rng.standard_normal(10)).status == MET
    assert judge(constraint, 0.7 + 0.01 * rng.standard_normal(10)).status == VIOLATED
    assert judge(constraint, 0.8 + 0.1 * rng.standard_normal(10)).status == UNDECIDED
    assert judge(parse_constraint("backlog_weeks_max<=2"),
                 np.array([np.inf, 3.0])).status == VIOLATED


def test_the_frontier_keeps_plans_no_other_beats_on_cost_and_service() -> None:
    plans = pd.DataFrame({"plan": list("abcde"), "objective": [10, 12, 11, 15, 13],
                          "p_all_met": [0.2, 0.9, 0.5, 0.95, 0.4]})
    front = frontier(plans, Objective("total_cost"))
    assert front["plan"].tolist() == ["a", "c", "b", "d"]  # e costs more than b and meets less
    best_service_first = frontier(plans, Objective("grr", maximise=True))
    assert best_service_first["plan"].tolist() == ["d"]


def test_the_diff_names_changed_fields_by_pool_name() -> None:
    before = {"pools": [{"name": "csm", "headcount": 8, "staffing_plan": [{"month": 1}]},
                        {"name": "support", "headcount": 3}], "horizon_months": 24}
    after = {"pools": [{"name": "csm", "headcount": 8, "staffing_plan": []},
                       {"name": "support", "headcount": 5}], "horizon_months": 24}
    assert yaml_diff(before, after) == {
        "pools.csm.staffing_plan": {"was": [{"month": 1}], "now": []},
        "pools.support.headcount": {"was": 3, "now": 5}}


def _plan_rows(backlog: list[float], cost: float) -> pd.DataFrame:
    rows = pd.DataFrame({kpi: 0.0 for kpi in RECORDED_KPIS}, index=range(len(backlog)))
    rows["backlog_weeks_max"], rows["total_cost"] = backlog, cost
    rows["replicate"], rows["status"] = range(len(backlog)), "ok"
    return rows


def test_finalists_rank_met_then_likely_then_close_plans() -> None:
    constraint = parse_constraint("backlog_weeks_max<=2@0.9")
    settings = Settings(levers=(), objective=Objective("total_cost"),
                        constraints=(constraint,), finalists=3)
    plans = {"short": _plan_rows([1.0] * 6 + [3.0] * 2, 100.0),  # undecided, misses the bound
             "likely": _plan_rows([1.0] * 8, 110.0),  # undecided, its estimate meets it
             "shown": _plan_rows([1.0] * 40, 120.0)}  # met
    seen = {}
    for order, (name, rows) in enumerate(plans.items(), start=1):
        assessment = assess(rows, settings.objective, settings.constraints)
        seen[name] = Candidate(None, {}, order, assessment=assessment)
    assert [seen[name].assessment.status for name in plans] == [UNDECIDED, UNDECIDED, MET]
    ranked = [candidate.order for candidate in finalists(seen, settings)]
    assert ranked == [3, 2, 1]
