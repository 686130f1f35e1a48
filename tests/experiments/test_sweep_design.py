"""Plan expansion as pure functions: field paths, grid, Latin hypercube, plans files, seeds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from sweep_support import fast

from sim.core.errors import ScenarioError
from sim.experiments.api import sweep_plans
from sim.experiments.design import combine, grid_points, lhs_points, load_plans_file, parse_factor
from sim.experiments.paths import PathError, apply_overrides, resolve
from sim.experiments.seeding import design_rng, replicate_seed
from sim.scenario.schema import Scenario, parse_scenario


@pytest.fixture
def base(scenario_factory: Callable[[], dict]) -> Scenario:
    return parse_scenario(fast(scenario_factory()))


@pytest.fixture
def data(base: Scenario) -> dict:
    return base.model_dump(mode="json")


@pytest.mark.parametrize("text", ["pools.implementation.headcount", "pools.1.headcount",
                                  "pools[implementation].headcount", "pools[1].headcount"])
def test_list_items_resolve_by_name_or_index(data: dict, text: str) -> None:
    path = resolve(data, text)
    assert path.keys == ("pools", 1, "headcount")
    assert path.integer


@pytest.mark.parametrize(("text", "integer"), [
    ("hiring.lead_time_days", False), ("horizon_months", True), ("tiers.mid.acv.mean", False),
    ("pools.csm_mid.staffing_plan", False), ("growth.initial_customers.smb", True),
])
def test_integer_fields_are_recognised_from_the_schema(data: dict, text: str,
                                                       integer: bool) -> None:
    assert resolve(data, text).integer is integer


def test_a_new_key_of_a_free_mapping_is_a_valid_path(data: dict) -> None:
    path = resolve(data, "growth.initial_backlog.mid")
    assert path.keys == ("growth", "initial_backlog", "mid")
    changed = apply_overrides(data, {"growth.initial_backlog.mid": 4})
    assert changed["growth"]["initial_backlog"] == {"mid": 4}
    assert data["growth"]["initial_backlog"] == {}  # the input is not modified


@pytest.mark.parametrize(("text", "message"), [
    ("pools.nobody.headcount", "pools has no item named 'nobody' (names: csm_mid, "
                               "implementation, support"),
    ("pools.7.headcount", "pools has 3 items; index 7 is out of range"),
    ("hiring.lead_time", "hiring has no field 'lead_time'"),
    ("hiring.lead_time_days.value", "hiring.lead_time_days is 60.0, which has no field 'value'"),
    ("pools..headcount", "not a field path"),
])
def test_bad_paths_say_what_is_wrong(data: dict, text: str, message: str) -> None:
    with pytest.raises(PathError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve(data, text)


def test_grid_is_every_combination_last_factor_fastest(data: dict) -> None:
    factors = [parse_factor("pools.csm_mid.headcount=1,2,3", data),
               parse_factor("hiring.lead_time_days=30,90", data)]
    points = grid_points(factors)
    assert points == [{"pools.csm_mid.headcount": headcount, "hiring.lead_time_days": lead}
                      for headcount in (1, 2, 3) for lead in (30, 90)]


def test_values_are_read_as_yaml(data: dict) -> None:
    factor = parse_factor("tiers.smb.acv={kind: fixed, value: 5000},{kind: fixed, value: 9000}",
                          data)
    assert factor.values == ({"kind": "fixed", "value": 5000}, {"kind": "fixed", "value": 9000})


def test_latin_hypercube_samples_every_stratum_once(data: dict) -> None:
    samples = 20
    factors = [parse_factor("hiring.lead_time_days=30:90", data),
               parse_factor("staff.base_attrition_per_year=0.05:0.25", data)]
    points = lhs_points(factors, samples, design_rng(7))
    for item in factors:
        assert item.bounds is not None
        low, high = item.bounds
        values = np.array([point[item.path] for point in points])
        assert ((values >= low) & (values < high)).all()
        strata = np.floor((values - low) / (high - low) * samples).astype(int)
        assert sorted(strata) == list(range(samples))


def test_latin_hypercube_gives_integers_to_integer_fields(data: dict) -> None:
    factor = parse_factor("pools.csm_mid.headcount=1:10", data)
    points = lhs_points([factor], 10, design_rng(3))
    values = [point["pools.csm_mid.headcount"] for point in points]
    assert all(isinstance(value, int) for value in values)
    assert sorted(values) == list(range(1, 11))  # 10 strata over 10 integers: each once


def test_latin_hypercube_is_reproducible_from_the_seed(data: dict) -> None:
    factors = [parse_factor("hiring.lead_time_days=30:90", data)]
    assert lhs_points(factors, 5, design_rng(1)) == lhs_points(factors, 5, design_rng(1))
    assert lhs_points(factors, 5, design_rng(1)) != lhs_points(factors, 5, design_rng(2))


def test_plans_file_crossed_with_a_grid(base: Scenario, tmp_path: Path) -> None:
    plans_file = tmp_path / "plans.yaml"
    plans_file.write_text("hire_now:\n  pools.implementation.headcount: 3\n"
                          "hire_later:\n  pools.implementation.staffing_plan:\n"
                          "    - {month: 2, headcount: 3}\n", encoding="utf-8")
    named = load_plans_file(plans_file)
    assert named == [("hire_now", {"pools.implementation.headcount": 3}),
                     ("hire_later", {"pools.implementation.staffing_plan":
                                     [{"month": 2, "headcount": 3}]})]
    entries = combine(named, [{"hiring.lead_time_days": 30}, {"hiring.lead_time_days": 90}])
    assert [plan_id for plan_id, _ in entries] == ["hire_now-p01", "hire_now-p02",
                                                   "hire_later-p01", "hire_later-p02"]
    assert entries[1][1] == {"pools.implementation.headcount": 3, "hiring.lead_time_days": 90}
    plans = sweep_plans(base, ["hiring.lead_time_days=30,90"], plans_file)
    assert plans[3].scenario.pools[1].staffing_plan[0].headcount == 3
    assert plans[3].scenario.hiring.lead_time_days == 90


def test_no_design_is_one_base_plan(base: Scenario) -> None:
    plans = sweep_plans(base)
    assert [(plan.id, dict(plan.overrides)) for plan in plans] == [("base", {})]


@pytest.mark.parametrize(("vary", "message"), [
    (["pools.csm_mid.headcount=-1,2"],
     r"plan p01 \(pools.csm_mid.headcount=-1\): pools\[0\].headcount = -1: Input should be"),
    (["pools.csm_mid.headcount=1.5"], r"headcount = 1.5: Input should be a valid integer"),
    (["pools.csm_mid.headcount=2:4"], "a LOW:HIGH range needs --design lhs"),
    (["pools.csm_mid.headcount"], "expected PATH=V1,V2"),
    (["pools.csm_mid.headcount="], "expected one or more values"),
    (["pools.ghost.headcount=1"], "--vary: pools.ghost.headcount = '1': pools has no item"),
    (["hiring.lead_time_days=1", "hiring.lead_time_days=2"], "varied more than once"),
])
def test_invalid_plans_are_refused_before_running(base: Scenario, vary: list[str],
                                                  message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        sweep_plans(base, vary)


def test_integer_ranges_need_integer_bounds(base: Scenario) -> None:
    with pytest.raises(ScenarioError, match="an integer field needs integer bounds"):
        sweep_plans(base, ["pools.csm_mid.headcount=1.5:4"], design="lhs")


def test_replicate_seeds_depend_on_base_seed_and_replicate_only() -> None:
    seeds = [replicate_seed(0, replicate) for replicate in range(1000)]
    assert len(set(seeds)) == 1000
    assert all(0 <= seed < 2**63 for seed in seeds)
    assert replicate_seed(0, 5) == seeds[5]
    assert replicate_seed(1, 5) not in seeds
