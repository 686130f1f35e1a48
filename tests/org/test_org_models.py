"""The organisation models over whole runs: ownership, onboarders, handoffs, borrowing, regions.

Each model's invariants are checked on the live book every 30 days (a sampling process added
to the run, after everything else due at that instant) and on the event log after the run. The
expected pool of each customer is worked out here from the scenario dict, not by the routing
code under test.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import simpy
from click.testing import CliRunner

from sim import RunResult, parse_scenario, run
from sim.cli import main
from sim.core.clock import LAST, OrderedTimeout
from sim.customers.book import ACTIVE, HANDOFF, POD_HANDOFF
from sim.model import build, simulate, tabulate
from sim.policies.run import PolicyRun
from sim.scenario.service import NEUTRAL_EFFECTS

ROOT = Path(__file__).resolve().parents[2]
NEUTRAL = dict(NEUTRAL_EFFECTS)
TIERS = ("tech", "mid", "ent")


def _tiers() -> list[dict]:
    """Expansions and contractions large enough to move customers across both band edges."""
    change = {"expansion_probability": 0.4, "expansion_mean": 1.5,
              "contraction_probability": 0.2, "contraction_mean": 0.5}
    return [
        {"name": "tech", "acv_min": 0, "acv_max": 10000, "renewal_change": change,
         "acv": {"kind": "lognormal", "mean": 6000, "cv": 0.4}, "touch_model": "tech",
         "mix": 0.5, "churn": {"alpha": 1.0, "beta": 5.0}, "human_onboarding_share": 0.3},
        {"name": "mid", "acv_min": 10000, "acv_max": 100000, "renewal_change": change,
         "acv": {"kind": "lognormal", "mean": 40000, "cv": 0.6}, "touch_model": "low",
         "mix": 0.35, "churn": {"alpha": 1.0, "beta": 8.0}},
        {"name": "ent", "acv_min": 100000, "acv_max": None, "renewal_change": change,
         "acv": {"kind": "lognormal", "mean": 160000, "cv": 0.4}, "touch_model": "high",
         "mix": 0.15, "churn": {"alpha": 1.0, "beta": 12.0}},
    ]


def _pool(name: str, role: str, headcount: int = 1, **fields: object) -> dict:
    return {"name": name, "role": role, "annual_cost": 100000, "headcount": headcount, **fields}


def _common(name: str, model: str, pools: list[dict], org: dict) -> dict:
    """18 months, growing book, attrition and backfill on (owners leave and come back)."""
    return {
        "name": name, "horizon_months": 18, "org_model": model, "tiers": _tiers(),
        "growth": {"initial_customers": {"tech": 80, "mid": 50, "ent": 15},
                   "initial_backlog": {"mid": 4, "ent": 2},
                   "arrivals": [{"from_month": 0, "customers_per_month": 14}]},
        "pools": pools, "org": org,
        "hiring": {"lead_time_days": 30, "ramp_days": 30},
        "staff": {"base_attrition_per_year": 0.6},
    }


def specialist_scenario(**org: object) -> dict:
    return _common("org_specialist", "specialist", [
        _pool("csm_mid", "csm", 2, tiers=["mid"]), _pool("csm_ent", "csm", 2, tiers=["ent"]),
        _pool("impl", "implementation", 2), _pool("renewals", "renewals", 2),
        _pool("support", "support", 2, skill="T3")], dict(org))


def pod_scenario(borrowing: bool) -> dict:
    """The enterprise pod onboards one customer at a time; the volume pod has slots to spare."""
    return _common("org_pods", "pod", [
        _pool("csm_ent", "csm", 2, tiers=["ent"]),
        _pool("impl_ent", "implementation", 1, onboarding_slots=1),
        _pool("csm_mid", "csm", 2, tiers=["mid"]),
        _pool("impl_volume", "implementation", 2, onboarding_slots=8),
        _pool("renewals", "renewals", 2), _pool("support", "support", 2, skill="T3")],
        {"pods": [{"name": "enterprise", "tiers": ["ent"], "pools": ["csm_ent", "impl_ent"]},
                  {"name": "volume", "tiers": ["mid", "tech"],
                   "pools": ["csm_mid", "impl_volume"]}],
         "allow_pod_borrowing": borrowing})


def geographic_scenario() -> dict:
    """Home served by the global pools; EMEA with its own CSMs for mid and ent, onboarding for
    mid and T1 support; APAC with its own enterprise CSM only."""
    return _common("org_geo", "geographic", [
        _pool("csm", "csm", 2, tiers=["mid", "ent"]),
        _pool("csm_emea", "csm", 2, tiers=["mid", "ent"], region="emea"),
        _pool("csm_ent_apac", "csm", 1, tiers=["ent"], region="apac"),
        _pool("impl", "implementation", 2),
        _pool("impl_mid_emea", "implementation", 1, tiers=["mid"], region="emea"),
        _pool("support", "support", 2, skill="T3"),
        _pool("support_emea", "support", 1, skill="T1", region="emea"),
        _pool("renewals", "renewals", 2)],
        {"regions": [{"name": "home", "share": 0.5, "global_hours_overlap": True},
                     {"name": "emea", "share": 0.3}, {"name": "apac", "share": 0.2}]})


# Expected servers, worked out from the scenario dicts above ---------------------------------

def _pool_names(data: dict) -> list[str]:
    return [pool["name"] for pool in data["pools"]]


def expected_csm_pool(data: dict, tier: str, region: str) -> str | None:
    """The csm pool of the tier in the region, else the global one (None: no CSM work)."""
    candidates = [pool for pool in data["pools"] if pool["role"] == "csm"
                  and tier in pool["tiers"]]
    regional = [pool["name"] for pool in candidates if pool.get("region") == region]
    global_ = [pool["name"] for pool in candidates if pool.get("region") is None]
    return (regional or global_ or [None])[0]


def expected_onboarder_pools(data: dict, tier: str, region: str) -> set[str]:
    """Pools allowed to onboard the tier's customers (without borrowing)."""
    if data["org_model"] == "pod":
        pod = next(pod for pod in data["org"]["pods"] if tier in pod["tiers"])
        return {name for name in pod["pools"] if name.startswith("impl")}
    implementation = [pool for pool in data["pools"] if pool["role"] == "implementation"]
    for where in (region, None):
        named = [p["name"] for p in implementation if p.get("region") == where
                 and tier in p.get("tiers", [])]
        every = [p["name"] for p in implementation if p.get("region") == where
                 and not p.get("tiers")]
        if named or every:
            return {(named or every)[0]}
    return set()


def _region_name(world: PolicyRun, customer: int) -> str:
    regions = world.scenario.org.regions
    return regions[world.book.region[customer]].name if regions else ""


# Sampling the live book ------------------------------------------------------------------

Check = Callable[[PolicyRun], None]


def run_sampled(data: dict, seed: int, check: Check) -> tuple[PolicyRun, RunResult, int]:
    """Run a scenario, calling ``check`` on the world every 30 days; returns the samples."""
    world = build(parse_scenario(data), seed)
    samples = [0]

    def sampler() -> Generator[simpy.Event, None, None]:
        while world.now + 30 < world.horizon:
            yield OrderedTimeout(world.env, 30, LAST)
            check(world)
            samples[0] += 1

    world.env.process(sampler())
    result = tabulate(world, simulate(world), seed)
    return world, result, samples[0]


def owners_of_the_right_kind(data: dict) -> Check:
    """Every live customer is owned by a CSM of its pool, or by nobody only when its tier has
    no CSM pool, during the handoff delay, or when its pool has nobody on staff."""
    names = _pool_names(data)

    def check(world: PolicyRun) -> None:
        book = world.book
        for customer in np.flatnonzero(book.state == ACTIVE):
            tier = TIERS[book.tier[customer]]
            expected = expected_csm_pool(data, tier, _region_name(world, customer))
            owner = int(book.owner[customer])
            if owner >= 0:
                person = world.people[owner]
                assert person.active and person.pool.name == expected, customer
                continue
            handing_off = book.handoff_day[customer] > world.now
            assert (expected is None or handing_off
                    or not world.pools[names.index(expected)].members), customer
            if handing_off:
                assert book.next_touch[customer] >= book.handoff_day[customer]

    return check


@pytest.mark.parametrize("build_data", [
    lambda: specialist_scenario(), lambda: pod_scenario(borrowing=True),
    geographic_scenario], ids=["specialist", "pod", "geographic"])
def test_every_live_customer_has_an_owner_of_the_right_kind(
        build_data: Callable[[], dict]) -> None:
    data = build_data()
    world, result, samples = run_sampled(data, 3, owners_of_the_right_kind(data))
    assert samples == int(world.horizon // 30)
    assert (result.events.kind == "departure").any()  # owners did leave and get replaced
    assert (result.events.kind == "migration").any()  # customers did change tier


def test_each_regional_pool_touches_its_own_customers() -> None:
    """CSM pools with hours to spare and nobody leaving miss no touch: a pool never takes up
    (and misses) the due touches of another region's customers in the same tier."""
    data = geographic_scenario()
    data["staff"] = {"base_attrition_per_year": 0.0}
    for pool in data["pools"]:
        if pool["role"] == "csm":
            pool["headcount"] = 8
    result = run(parse_scenario(data), 7)
    csm = result.workforce[result.workforce.role.str.startswith("csm")]
    assert csm.utilisation_max.max() < 1.0  # the premise: hours to spare every week
    series = result.timeseries
    everyone = series[series.tier == "all"]
    assert everyone.touches_due.sum() > 1000
    assert everyone.touches_missed.sum() == 0


def test_tier_headcounts_and_books_add_the_regional_pools() -> None:
    result = run(parse_scenario(geographic_scenario()), 7)
    heads = result.workforce.pivot(index="period", columns="pool", values="headcount")
    series = result.timeseries.pivot(index="period", columns="tier", values="csm_headcount")
    assert (series["mid"] == heads.csm + heads.csm_emea).all()
    assert (series["ent"] == heads.csm + heads.csm_emea + heads.csm_ent_apac).all()
    assert (series["all"] == series["ent"]).all()
    everyone = result.timeseries[result.timeseries.tier == "all"].set_index("period")
    live = result.timeseries[result.timeseries.tier.isin(["mid", "ent"])].groupby(
        "period").customers_active.sum()
    assert np.allclose(everyone.accounts_per_csm * everyone.csm_headcount, live)


def _onboarders(world: PolicyRun, result: RunResult) -> pd.DataFrame:
    """One row per go-live by a person: the customer, its initial tier, region, onboarder's pool
    (their pool at the end of the run: nobody transfers in these scenarios)."""
    events = result.events
    lives = events[(events.kind == "go_live") & (events.staff >= 0)]
    customers = result.customers.set_index("customer")
    return pd.DataFrame({
        "customer": lives.customer.to_numpy(),
        "tier": customers.loc[lives.customer, "initial_tier"].to_numpy(),
        "region": customers.loc[lives.customer, "region"].to_numpy(),
        "pool": [world.people[staff].pool.name for staff in lives.staff],
    })


@pytest.mark.parametrize("build_data", [
    lambda: specialist_scenario(), lambda: pod_scenario(borrowing=False),
    geographic_scenario], ids=["specialist", "pod", "geographic"])
def test_onboarders_come_from_the_customers_pod_or_region(
        build_data: Callable[[], dict]) -> None:
    data = build_data()
    world = build(parse_scenario(data), 4)
    result = tabulate(world, simulate(world), 4)
    onboarders = _onboarders(world, result)
    assert len(onboarders) > 50
    for row in onboarders.itertuples():
        assert row.pool in expected_onboarder_pools(data, row.tier, row.region), row
    if data["org_model"] == "geographic":
        assert set(onboarders.pool) == {"impl", "impl_mid_emea"}
    assert not (result.events.kind == "borrowed").any()


def test_borrowing_lends_idle_slots_of_another_pod_and_records_it() -> None:
    runs = {}
    for borrowing in (False, True):
        data = pod_scenario(borrowing)
        world = build(parse_scenario(data), 5)
        result = tabulate(world, simulate(world), 5)
        runs[borrowing] = (data, world, result)
    data, world, result = runs[True]
    borrowed = result.events[result.events.kind == "borrowed"]
    assert (borrowed.tier == "ent").sum() > 5  # the enterprise pod's one slot is not enough
    onboarders = _onboarders(world, result).set_index("customer")
    lent_and_live = 0
    for customer, lent in borrowed.groupby("customer"):
        own = expected_onboarder_pools(data, lent.tier.iloc[0], "")
        assert not set(lent.pool) & own  # lent by another pod
        if customer not in onboarders.index:
            continue  # not live yet at the horizon
        pool = onboarders.loc[customer, "pool"]  # the lender, unless its person left meanwhile
        assert pool in own | set(lent.pool)
        lent_and_live += pool not in own
        kind = POD_HANDOFF if pool in own else HANDOFF  # the handoff crosses pods
        assert world.book.handoff_kind[customer] == kind
    assert lent_and_live > 5
    others = onboarders.drop(index=borrowed.customer.unique(), errors="ignore")
    for row in others.reset_index().itertuples():
        assert row.pool in expected_onboarder_pools(data, row.tier, row.region), row
    in_pod = others.index[others.tier == "ent"]
    assert (world.book.handoff_kind[in_pod] == POD_HANDOFF).all()
    backlog = {flag: _enterprise_backlog(runs[flag][2]) for flag in runs}
    assert backlog[True] < backlog[False]


def _enterprise_backlog(result: RunResult) -> float:
    series = result.timeseries
    return float(series.loc[series.tier == "ent", "onboarding_backlog_mean"].mean())


def test_handoff_waits_the_delay_then_a_csm_of_the_pool_takes_over() -> None:
    data = specialist_scenario(handoff_delay_days=10)
    world, result, _ = run_sampled(data, 6, owners_of_the_right_kind(data))
    events = result.events
    lives = events[(events.kind == "go_live") & (events.tier != "tech") & (events.staff >= 0)]
    handoffs = events[events.kind == "handoff"].set_index("customer")
    assert len(handoffs) > 50
    assert not handoffs.tier.eq("tech").any()  # no CSM pool: nobody to hand to
    late = lives[lives.time + 10 < world.horizon]
    joined = late.merge(handoffs.reset_index(), on="customer", suffixes=("", "_handoff"))
    churn_day = world.book.churn_day[late.customer]
    gone_before = (churn_day <= late.time.to_numpy() + 10).sum()  # NaN: never churned
    assert len(joined) == len(late) - gone_before
    assert np.allclose(joined.time_handoff - joined.time, 10)
    # The handoff day set at go-live is the day the CSM took over, to the last bit.
    assert (world.book.handoff_day[joined.customer.to_numpy()] == joined.time_handoff).all()
    assert (joined.onboarder_handoff == joined.staff).all()  # from the onboarder...
    for row in joined.itertuples():  # ...to a CSM of the customer's pool
        if row.staff_handoff >= 0:
            pool = world.people[row.staff_handoff].pool.name
            assert pool == row.pool_handoff == expected_csm_pool(data, row.tier_handoff, "")


def test_generalist_has_no_handoff() -> None:
    data = specialist_scenario()
    data["org_model"] = "generalist"
    assert not (run(parse_scenario(data), 2).events.kind == "handoff").any()


def _churn_runs(factor: float) -> pd.DataFrame:
    data = specialist_scenario(handoff_churn_factor=factor)
    data.update(horizon_months=24, service_effects=NEUTRAL,
                staff={"base_attrition_per_year": 0.0})
    return run(parse_scenario(data), 8).customers


def test_a_larger_handoff_factor_churns_more_of_the_same_customers() -> None:
    """Service effects neutral and nobody leaving: the factor changes only the first-renewal
    churn odds of handed-off customers, so under common random numbers every customer lost with
    the factor 1 is also lost with a larger one."""
    neutral, harsh = _churn_runs(1.0), _churn_runs(4.0)
    churned = {name: set(frame.customer[frame.state == "churned"])
               for name, frame in (("neutral", neutral), ("harsh", harsh))}
    assert churned["neutral"] <= churned["harsh"]
    extra = churned["harsh"] - churned["neutral"]
    assert len(extra) >= 5
    frame = harsh.set_index("customer").loc[sorted(extra)]
    assert (~frame.initial_book).all() and (frame.renewals == 0).all()


@pytest.mark.parametrize("name", ["org_pods", "org_geographic"])
def test_example_scenarios_run_from_the_cli(name: str, tmp_path: Path) -> None:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["run", str(ROOT / "scenarios" / f"{name}.yaml"),
                                       "--seed", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    customers = pd.read_parquet(out / "customers.parquet")
    events = pd.read_parquet(out / "events.parquet")
    assert (events.kind == "handoff").any()
    if name == "org_geographic":
        assert set(customers.region) == {"americas", "emea", "apac"}
