"""A change of a tier's touch model re-derives what follows it, wherever the change comes from.

The fields that follow the touch model (touch interval and hours, renewal hours, accounts per
CSM, the share of human onboarding) take the new model's values unless the change itself sets
them: in a scenario file, a sweep's ``--vary`` or plans file, or a strategy's touch change. An
override that asks for a change the validated scenario does not get is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sweep_support import fast, write_scenario

from sim import load_scenario, parse_scenario, run
from sim.cli import main
from sim.core.errors import ScenarioError
from sim.customers.profiles import ServiceProfiles
from sim.experiments import read_replicates
from sim.experiments.api import sweep_plans
from sim.scenario.strategies import TouchChange
from sim.scenario.tiers import TOUCH_DEFAULTS

TECH = TOUCH_DEFAULTS["tech"]


def _tier(touch_model: str, **fields: object) -> dict:
    return {"name": "only", "acv_min": 0, "acv": {"kind": "fixed", "value": 5000},
            "touch_model": touch_model, "mix": 1.0, "churn": {"alpha": 1.0, "beta": 9.0},
            **fields}


@pytest.mark.parametrize(("touch_model", "fields", "share"), [
    ("tech", {}, 0.0),
    ("low", {}, 1.0),
    ("high", {}, 1.0),
    ("tech", {"human_onboarding_share": 0.1}, 0.1),
    ("tech", {"human_onboarding_share": None}, 0.0),
])
def test_a_tiers_onboarding_follows_its_touch_model_unless_written(
        base_scenario: dict, touch_model: str, fields: dict, share: float) -> None:
    """§2.3 / §5.3: tech-touch customers onboard through automated sequences, by default."""
    base_scenario["tiers"][0] = {**base_scenario["tiers"][0], "touch_model": touch_model}
    base_scenario["tiers"][0].pop("human_onboarding_share")
    base_scenario["tiers"][0].update(fields)
    base_scenario["pools"][0]["tiers"] = ["smb", "mid"]  # a CSM pool for a human-touch smb
    assert parse_scenario(base_scenario).tiers[0].human_onboarding_share == share


# --- sweeps and plans files ------------------------------------------------------------------


def _written_for_low(base: dict) -> dict:
    """The mid tier with values its author wrote for low-touch, as the shipped scenarios do."""
    base["tiers"][1].update(touch_hours=3.0, renewal_hours=6.0, touch_interval_days=21.0,
                            accounts_per_csm=30.0, human_onboarding_share=1.0)
    return base


def test_varying_the_touch_model_re_derives_every_field_that_follows_it(
        base_scenario: dict) -> None:
    base = parse_scenario(_written_for_low(base_scenario))
    plans = sweep_plans(base, vary=["tiers.mid.touch_model=low,tech"])
    assert plans[0].scenario == base  # the baseline point is the base scenario
    mid = plans[1].scenario.tiers[1]
    assert mid.touch_model == "tech"
    assert {name: getattr(mid, name) for name in TECH} == TECH
    assert plans[1].scenario.tiers[0] == base.tiers[0]  # the other tier is left alone


def test_fields_a_plan_writes_with_the_new_touch_model_are_kept(base_scenario: dict) -> None:
    base = parse_scenario(_written_for_low(base_scenario))
    plans = sweep_plans(base, plans={"tech_with_calls": {"tiers.mid.touch_model": "tech",
                                                         "tiers.mid.touch_hours": 1.0,
                                                         "tiers.mid.human_onboarding_share": 0.3}})
    mid = plans[0].scenario.tiers[1]
    assert (mid.touch_hours, mid.human_onboarding_share) == (1.0, 0.3)
    assert (mid.renewal_hours, mid.accounts_per_csm) == (TECH["renewal_hours"],
                                                         TECH["accounts_per_csm"])


def test_a_whole_tier_written_by_a_plan_is_taken_as_written(base_scenario: dict) -> None:
    base = parse_scenario(base_scenario)
    tier = {**base_scenario["tiers"][1], "touch_model": "tech", "touch_hours": 2.5}
    plans = sweep_plans(base, plans={"whole": {"tiers.mid": tier}})
    assert plans[0].scenario.tiers[1].touch_hours == 2.5


@pytest.fixture
def scenario_file(scenario_factory: Callable[[], dict], tmp_path: Path) -> Path:
    return write_scenario(fast(scenario_factory()), tmp_path / "fast.yaml")


def _sweep(*arguments: str) -> object:
    return CliRunner().invoke(main, ["sweep", "--jobs", "1", *arguments])


def test_sweeping_a_tier_to_tech_touch_changes_its_touches_and_the_kpis(
        scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    result = _sweep(str(scenario_file), "--vary", "tiers.mid.touch_model=low,tech",
                    "--replications", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    kpis = read_replicates(out).set_index(["plan", "replicate"])
    numbers = kpis.select_dtypes("number").drop(columns="seed")
    low, tech = numbers.loc["p01"], numbers.loc["p02"]
    assert (low != tech).any().any(), "every KPI is the same under low- and tech-touch"
    # The plans as run, on the same seed: the tech-touch mid tier has no scheduled touch.
    touches = {}
    for plan in sweep_plans(load_scenario(scenario_file),
                            vary=["tiers.mid.touch_model=low,tech"]):
        series = run(plan.scenario, seed=1).timeseries
        touches[plan.id] = series.loc[series["tier"] == "mid", "touches_due"].sum()
    assert touches["p01"] > 0
    assert touches["p02"] == 0


@pytest.mark.parametrize(("arguments", "message"), [
    (["--vary", "tiers.mid.touch_hours=null"],
     "error: --vary: plan p01: tiers.mid.touch_hours = null: changes nothing (the scenario "
     "keeps 2.0 there; nothing else differs from the base)"),
    (["--vary", "tiers.mid.accounts_per_csm=null", "--vary", "pools.csm_mid.headcount=2"],
     "error: --vary: plan p01: tiers.mid.accounts_per_csm = null: changes nothing (the "
     "scenario keeps 50.0 there)"),
])
def test_an_override_that_changes_nothing_is_an_error_naming_its_path(
        scenario_file: Path, tmp_path: Path, arguments: list[str], message: str) -> None:
    out = tmp_path / "never"
    result = _sweep(str(scenario_file), "--out", str(out), *arguments)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [message]
    assert not out.exists()


def test_a_baseline_value_in_a_grid_is_not_an_error(base_scenario: dict) -> None:
    base = parse_scenario(base_scenario)
    plans = sweep_plans(base, vary=["tiers.mid.touch_hours=2.0,3.0"])
    assert plans[0].scenario == base
    assert plans[1].scenario.tiers[1].touch_hours == 3.0


# --- strategies ------------------------------------------------------------------------------


@pytest.mark.parametrize(("share", "change", "expected"), [
    (1.0, {"touch_model": "tech"}, 0.0),
    (1.0, {"touch_model": "tech", "human_onboarding_share": 0.4}, 0.4),
    (0.2, {"touch_model": "low"}, 1.0),
    (0.2, {"coverage": "pooled"}, 0.2),
    (0.2, {"touch_hours": 1.0}, 0.2),
])
def test_a_profiles_onboarding_share_follows_the_new_touch_model(
        base_scenario: dict, share: float, change: dict, expected: float) -> None:
    base_scenario["tiers"][1]["human_onboarding_share"] = share
    profiles = ServiceProfiles.of(parse_scenario(base_scenario))
    profiles.add("change", None, {1: TouchChange(**change)})
    assert profiles.human_share[-1].tolist() == [0.2, expected]


def _tech_switch(base: dict, **change: object) -> dict:
    """mid (low-touch, every customer onboarded by a person) moves to tech-touch at month 1."""
    base["horizon_months"] = 12
    base["growth"]["arrivals"] = [{"from_month": 0, "customers_per_month": 20,
                                   "mix": {"smb": 0.0, "mid": 1.0}}]
    base["strategies"] = {"rules": [{
        "name": "tech_mid", "when": {"metric": "customers", "at_least": 0},
        "touch_models": {"mid": {"touch_model": "tech", **change}},
        "transition": {"design_days": 0, "pilot_days": 0, "rollout_days": 0}}]}
    return base


def _split_at_the_switch(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    events = result.events
    done = float(events.loc[events["kind"] == "strategy_done", "time"].iloc[0])
    customers = result.customers
    arrivals = customers[(customers["initial_tier"] == "mid") & ~customers["initial_book"]]
    return arrivals[arrivals["arrival_day"] < done], arrivals[arrivals["arrival_day"] > done]


def test_a_strategys_tech_touch_switch_puts_later_arrivals_on_self_serve_onboarding(
        base_scenario: dict) -> None:
    scenario = parse_scenario(_tech_switch(base_scenario))
    before, after = _split_at_the_switch(run(scenario, seed=2))
    assert len(before) > 5 and len(after) > 50
    assert before["human_onboarding"].all()
    assert not after["human_onboarding"].any()
    assert (after["wait_days"] == 0).all()  # nobody queued for a person
    self_serve = scenario.tiers[1].self_serve_onboarding_days.value  # type: ignore[union-attr]
    live = after[after["golive_day"].notna()]
    assert len(live) > 0.8 * len(after)
    assert live["time_to_value_days"].to_numpy() == pytest.approx(self_serve)


def test_a_touch_change_can_keep_human_onboarding(base_scenario: dict) -> None:
    scenario = parse_scenario(_tech_switch(base_scenario, human_onboarding_share=1.0))
    before, after = _split_at_the_switch(run(scenario, seed=2))
    assert before["human_onboarding"].all()
    assert after["human_onboarding"].all()


def test_a_strategy_that_gives_human_onboarding_needs_somebody_to_onboard(
        base_scenario: dict) -> None:
    """smb self-serves (tech default) and nobody could onboard it; a move to low-touch would."""
    del base_scenario["tiers"][0]["human_onboarding_share"]
    base_scenario["pools"] = [pool for pool in base_scenario["pools"]
                              if pool["role"] != "implementation"]  # csm_mid onboards mid
    parse_scenario(base_scenario)  # valid as it is
    change = {"touch_model": "low", "touch_hours": 0.0}  # no CSM touches, so no csm pool needed
    base_scenario["strategies"] = {"rules": [{
        "name": "humans", "when": {"metric": "customers", "at_least": 100},
        "touch_models": {"smb": change}}]}
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(base_scenario, source="s.yaml")
    assert str(caught.value) == (
        "s.yaml: strategies.rules[0].touch_models.smb.human_onboarding_share = 1: nobody "
        "onboards tier 'smb' (no implementation pool serves it, no csm pool with onboarding "
        "slots)")
    change["human_onboarding_share"] = 0.0  # told otherwise: smb keeps self-serving
    parse_scenario(base_scenario)
