"""A strategy into the pod model: pods' pools wait for the change, serve only their pod after
it, hand off with the in-pod friction, and the shared team transfers into the pods only once
free; bad pod strategies and transfers are rejected clearly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario, parse_scenario, run
from sim.errors import ScenarioError
from sim.model import RunResult
from sim.scenario import Scenario

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "strategies" / "pods_at_400.yaml"
SEEDS = (1, 2)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module", params=SEEDS)
def result(request: pytest.FixtureRequest, scenario: Scenario) -> RunResult:
    return run(scenario, seed=request.param)


def _onboarders_pool(scenario: Scenario, events: pd.DataFrame) -> pd.Series:
    """Pool of the onboarder of each go-live, at the time of the go-live (index: event row).

    Starting staff take ids in pool order; hires and transfers then set a person's pool.
    """
    start = [(-np.inf, staff, pool.name) for staff, pool in
             enumerate(pool for pool in scenario.pools for _ in range(pool.headcount))]
    moves = events[events["kind"].isin(["hire", "transfer"])]
    timeline = pd.DataFrame(start + list(zip(moves["time"], moves["staff"], moves["pool"],
                                             strict=True)),
                            columns=["time", "staff", "pool"]).sort_values("time")
    lives = events[(events["kind"] == "go_live") & (events["staff"] >= 0)]
    joined = pd.merge_asof(lives[["time", "staff"]].reset_index().sort_values("time"),
                           timeline, on="time", by="staff")
    return joined.set_index("index")["pool"].reindex(lives.index)


def _pods_change(events: pd.DataFrame) -> tuple[float, float]:
    """(pilot day, done day) of the second strategy change, the pods."""
    pilot = events.loc[events["kind"] == "strategy_pilot", "time"].to_numpy()
    done = events.loc[events["kind"] == "strategy_done", "time"].to_numpy()
    assert len(pilot) == 2 and len(done) == 2
    return float(pilot[1]), float(done[1])


def _pod_pools(scenario: Scenario) -> dict[str, set[str]]:
    """Implementation pool of each pod -> the pod's tiers."""
    return {name: set(pod.tiers) for pod in scenario.org.pods for name in pod.pools
            if name.startswith("impl_")}


def test_pod_pools_onboard_only_their_pods_customers_from_the_pilot(
        scenario: Scenario, result: RunResult) -> None:
    events = result.events
    pilot, _ = _pods_change(events)
    pools = _onboarders_pool(scenario, events)
    pod_pools = _pod_pools(scenario)
    lives = events.loc[pools.index]
    by_pods = lives[pools.isin(pod_pools)]
    assert len(by_pods) > 20
    assert (by_pods["time"] >= pilot).all()
    for (_, row), pool in zip(by_pods.iterrows(), pools[by_pods.index], strict=True):
        assert row["tier"] in pod_pools[pool], row


def test_handoffs_take_the_pod_delay_inside_a_pod_and_the_specialist_delay_before(
        scenario: Scenario, result: RunResult) -> None:
    events = result.events
    pools = _onboarders_pool(scenario, events)
    lives = events.loc[pools.index].assign(pool=pools).set_index("customer")
    handoffs = events[events["kind"] == "handoff"].set_index("customer")
    delay = handoffs["time"] - lives.loc[handoffs.index, "time"]
    in_pod = lives.loc[handoffs.index, "pool"].isin(_pod_pools(scenario))
    org = scenario.org
    assert in_pod.sum() > 20 and (~in_pod).sum() > 20
    assert np.allclose(delay[in_pod], org.pod_handoff_delay_days)
    assert np.allclose(delay[~in_pod], org.handoff_delay_days)


def test_the_shared_team_transfers_after_the_rollout_once_free(
        scenario: Scenario, result: RunResult) -> None:
    events = result.events
    _, done = _pods_change(events)
    transfers = events[events["kind"] == "transfer"]
    rule = scenario.strategies.rules[1]
    assert len(transfers) == sum(sum(moves.values()) for moves in rule.transfer.values())
    assert (transfers["time"] >= done).all()
    pod_pools = _pod_pools(scenario)
    lives = events[events["kind"] == "go_live"]
    for move in transfers.itertuples():
        # Whatever the person onboarded after the move was of the new pod's tiers: no shared
        # onboarding was carried across.
        later = lives[(lives["staff"] == move.staff) & (lives["time"] > move.time)]
        assert set(later["tier"]) <= pod_pools[move.pool], move


def test_transfers_move_headcount_between_pools(scenario: Scenario, result: RunResult) -> None:
    workforce, events = result.workforce, result.events
    for pool in scenario.pools:
        rows = workforce[workforce["role"] == pool.name].set_index("period")
        before = rows["headcount"].shift(1, fill_value=pool.headcount)
        change = rows["headcount"] - before
        moved = rows["hires"] - rows["departures"] + rows["transfers_in"] - rows["transfers_out"]
        pd.testing.assert_series_equal(change, moved, check_names=False, obj=pool.name)
    transfers = events[events["kind"] == "transfer"]
    assert workforce["transfers_in"].sum() == workforce["transfers_out"].sum() == len(transfers)
    shared = workforce[workforce["role"] == "implementation"]
    assert shared["headcount"].iloc[-1] == shared["hires"].sum() - shared["departures"].sum() \
        - shared["transfers_out"].sum()


def _pod_base(base: dict) -> dict:
    base["pools"] += [{"name": "renewals", "role": "renewals", "annual_cost": 95000,
                       "headcount": 1}]
    return base


BAD = [
    ({"org_model": "pod"}, None, "strategies.rules[0].org_model = 'pod': needs org.pods"),
    ({"org_model": "specialist", "transfer": {"nobody": {"implementation": 1}}}, None,
     "transfer.nobody: unknown pool 'nobody'"),
    ({"org_model": "specialist", "transfer": {"implementation": {"csm_mid": 1}}}, None,
     "pool 'csm_mid' has role 'csm'"),
    ({"org_model": "specialist", "transfer": {"implementation": {"implementation": 1}}}, None,
     "cannot transfer to itself"),
    ({"org_model": "specialist", "transfer": {"implementation": {"renewals": -1}}}, None,
     "must be >= 0"),
    ({"org_model": "specialist"}, {"pods": [{"name": "p", "tiers": ["mid"],
                                            "pools": ["csm_mid"]}]},
     "org.pods: used by the pod model only"),
]


@pytest.mark.parametrize(("change", "org", "fragment"), BAD)
def test_bad_pod_strategies_are_rejected_with_the_path(base_scenario: dict, change: dict,
                                                       org: dict | None, fragment: str) -> None:
    data = _pod_base(base_scenario)
    if org is not None:
        data["org"] = org
    data["strategies"] = {"rules": [{"name": "x", "when": {"metric": "customers",
                                                           "at_least": 1}, **change}]}
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, source="s.yaml")
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_pod_strategy_validates_with_pods_defined(base_scenario: dict) -> None:
    data = _pod_base(base_scenario)
    data["org"] = {"pods": [{"name": "p", "tiers": ["mid"], "pools": ["csm_mid"]}]}
    data["strategies"] = {"rules": [{"name": "x", "when": {"metric": "customers",
                                                           "at_least": 1},
                                     "org_model": "pod"}]}
    assert parse_scenario(data).strategies.rules[0].org_model == "pod"
