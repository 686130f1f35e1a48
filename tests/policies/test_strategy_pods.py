"""A strategy into the pod model: pods' pools wait for the change, serve only their pod after
it, hand off with the in-pod friction, and the shared team transfers into the pods only once
free (first hired first, a leaver's backfill instead, the week of the move accounted in the old
pool); bad pod strategies and transfers are rejected clearly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim import parse_scenario, run
from sim.core.calendar import WEEK_DAYS
from sim.core.errors import ScenarioError
from sim.customers.book import ACTIVE
from sim.model import RunResult, build
from sim.org.pools import Person, Pool
from sim.policies import strategy
from sim.policies.run import PolicyRun
from sim.scenario.schema import Scenario
from sim.work import staffing

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "strategies" / "pods_at_400.yaml"
SEEDS = (1, 2)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """The shipped file run for 42 months, so that a pods change at month ~30 has a year after."""
    data = yaml.safe_load(SCENARIO.read_text())
    data["horizon_months"] = 42
    return parse_scenario(data, source=str(SCENARIO))


@pytest.fixture(scope="module", params=SEEDS)
def result(request: pytest.FixtureRequest, scenario: Scenario) -> RunResult:
    return run(scenario, seed=request.param)


def _onboarders_pool(scenario: Scenario, events: pd.DataFrame) -> pd.Series:
    """Pool of the onboarder of each go-live, at the time of the go-live (index: event row).

    Starting staff take ids in pool order; hires and transfers then set a person's pool. A
    transfer at the instant of a go-live follows it (the finished onboarding frees the person).
    """
    start = [(-np.inf, staff, pool.name) for staff, pool in
             enumerate(pool for pool in scenario.pools for _ in range(pool.headcount))]
    moves = events[events["kind"].isin(["hire", "transfer"])]
    timeline = pd.DataFrame(start + list(zip(moves["time"], moves["staff"], moves["pool"],
                                             strict=True)),
                            columns=["time", "staff", "pool"]).sort_values("time")
    lives = events[(events["kind"] == "go_live") & (events["staff"] >= 0)]
    joined = pd.merge_asof(lives[["time", "staff"]].reset_index().sort_values("time"),
                           timeline, on="time", by="staff",
                           allow_exact_matches=False)  # a move at a go-live follows it
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
    # Each waits for the shared queue to drain, which may take past the horizon for the last.
    assert 1 <= len(transfers) <= sum(sum(moves.values()) for moves in rule.transfer.values())
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
        rows = workforce[workforce["pool"] == pool.name].set_index("period")
        before = rows["headcount"].shift(1, fill_value=pool.headcount)
        change = rows["headcount"] - before
        moved = rows["hires"] - rows["departures"] + rows["transfers_in"] - rows["transfers_out"]
        pd.testing.assert_series_equal(change, moved, check_names=False, obj=pool.name)
    transfers = events[events["kind"] == "transfer"]
    assert workforce["transfers_in"].sum() == workforce["transfers_out"].sum() == len(transfers)
    shared = workforce[workforce["pool"] == "implementation"]
    assert shared["headcount"].iloc[-1] == shared["hires"].sum() - shared["departures"].sum() \
        - shared["transfers_out"].sum()


@pytest.mark.parametrize("seed", SEEDS)
def test_each_move_takes_the_first_hired_free_person_and_keeps_their_state(
        scenario: Scenario, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """At each move the old pool's queue is empty and the person, the earliest hired of those
    holding no onboarding, keeps id, ramp, burnout and random stream; the new pool's queue is
    served at once (it holds customers only if every member's slots are full)."""
    moves: list[int] = []

    def checked_transfer(world: PolicyRun, person: Person, target: Pool) -> None:
        source = person.pool
        desk = world.desks.get(source.index)
        assert desk is None or not desk.waiting
        assert person.active and not person.onboardings
        assert person.id == min(member.id for member in source.members if not member.onboardings)
        kept = (person.id, person.hired_day, person.burnout, person.rng)
        staffing.transfer(world, person, target)
        assert person.pool is target and person in target.members
        assert person not in source.members and world.people[person.id] is person
        assert (person.id, person.hired_day, person.burnout, person.rng) == kept
        served = world.desks.get(target.index)
        assert served is None or not served.waiting or all(
            member.free_slots() <= 0 for member in target.members)
        moves.append(person.id)

    monkeypatch.setattr(strategy, "transfer", checked_transfer)
    run(scenario, seed=seed)
    rule = scenario.strategies.rules[1]
    planned = sum(sum(m.values()) for m in rule.transfer.values())
    assert 1 <= len(moves) == len(set(moves)) <= planned


def _idle_pools(base: dict, headcount: int) -> tuple[PolicyRun, Pool, Pool]:
    """A built world with two idle implementation pools, ``impl_a`` (of ``headcount``) and an
    empty ``impl_b`` (the generalist CSMs onboard ``mid``, ``implementation`` onboards ``smb``);
    nobody quits, a leaver is backfilled after 10 days."""
    base["staff"] = {"base_attrition_per_year": 0.0}
    base["hiring"] = {"lead_time_days": 10.0, "backfill": True}
    base["pools"][1]["tiers"] = ["smb"]
    base["pools"] += [
        {"name": name, "role": "implementation", "annual_cost": 110000, "headcount": count,
         **tiers} for name, count, tiers in (("impl_a", headcount, {}),
                                             ("impl_b", 0, {"tiers": ["mid"]}))]
    world = build(parse_scenario(base), seed=1)
    return world, world.pool_named("impl_a"), world.pool_named("impl_b")


def test_a_mid_week_move_is_accounted_in_the_old_pool_until_the_week_ends(
        base_scenario: dict) -> None:
    """Each person is accounted once a week: the week of the move in the old pool, the next
    weeks in the new one."""
    world, old, new = _idle_pools(base_scenario, 1)
    world.env.run(until=1.5 * WEEK_DAYS)
    staffing.transfer(world, old.members[0], new)
    world.env.run(until=3 * WEEK_DAYS + 1e-6)
    accounted = {(week.pool, week.start): len(week.utilisation) for week in world.weeks}
    assert accounted[old.index, WEEK_DAYS] == 1 and accounted[new.index, WEEK_DAYS] == 0
    assert accounted[old.index, 2 * WEEK_DAYS] == 0 and accounted[new.index, 2 * WEEK_DAYS] == 1
    for start in (WEEK_DAYS, 2 * WEEK_DAYS):
        assert sum(count for (_, day), count in accounted.items() if day == start) == len(
            world.people)


def test_free_people_move_first_hired_first_and_a_busy_leaver_is_replaced_by_the_backfill(
        base_scenario: dict) -> None:
    """Three to move out of a pool of three: the two free move at once, the earlier hire first;
    the first hire, busy, stays; when it leaves instead, its backfill (hired into the old pool)
    moves as it arrives."""
    world, old, new = _idle_pools(base_scenario, 3)
    first, second, third = old.members
    first.onboardings.add(-1)  # busy with an onboarding
    world.env.process(strategy._transfer_when_free(world, old, [new, new, new]))
    world.env.run(until=2.5)
    assert new.members == [second, third] and first.pool is old
    staffing.depart(world, first)
    arrival = 2.5 + world.scenario.hiring.lead_time_days
    world.env.run(until=arrival + 1.0)
    moves = [(day, staff) for day, kind, _, staff, *_ in world.events if kind == "transfer"]
    (backfill,) = [person for person in world.people.values() if person.hired_day == arrival]
    assert moves == [(0.0, second.id), (0.0, third.id), (arrival, backfill.id)]
    assert new.members == [second, third, backfill] and not old.members


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


def test_a_customer_moved_during_its_handoff_waits_for_the_csm(scenario: Scenario) -> None:
    """Moving to another profile re-times touches from the end of a handoff under way, so no
    touch falls due before a CSM has taken the account over."""
    world = build(scenario, seed=1)
    book = world.book
    for day in np.arange(300.0, 900.0, 7.0):  # the first week with handoffs under way
        world.env.run(until=day)
        handing = np.flatnonzero((book.state == ACTIVE) & (book.handoff_day > world.now))
        if len(handing) >= 3:
            break
    assert len(handing) >= 3
    for customer in handing:
        strategy.move(world, int(customer), int(book.profile[customer]))
    assert (book.next_touch[handing] >= book.handoff_day[handing]).all()
