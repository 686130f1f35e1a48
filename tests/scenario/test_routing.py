"""Routing tables of the organisation models, and bad organisation definitions.

Which pool serves each (tier, region) is a pure function of the scenario (``sim.scenario.routes``);
these
tests check it on small generalist, specialist, pod and geographic organisations, that while a
strategy moves customers to pods each customer is routed by its own profile's model
(``sim.org.routing``), and that every malformed pod, region or pool definition is rejected with one
line naming the path and value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sim import parse_scenario
from sim.cli import main
from sim.core.errors import ScenarioError
from sim.customers.book import HANDOFF, NO_HANDOFF, POD_HANDOFF
from sim.model import build
from sim.org.routing import csm_renews, handoff_kind
from sim.scenario.routes import NONE, build_routes, run_org_models, served_tiers
from sim.scenario.schema import Scenario
from sim.work.desks import onboarding_desk_for, onboarding_desks_serving


def _tiers() -> list[dict]:
    return [
        {"name": "tech", "acv_min": 0, "acv_max": 10000,
         "acv": {"kind": "lognormal", "mean": 5000, "cv": 0.4}, "touch_model": "tech",
         "mix": 0.6, "churn": {"alpha": 1.0, "beta": 5.0}, "human_onboarding_share": 0.2},
        {"name": "mid", "acv_min": 10000, "acv_max": 100000,
         "acv": {"kind": "lognormal", "mean": 30000, "cv": 0.5}, "touch_model": "low",
         "mix": 0.3, "churn": {"alpha": 1.0, "beta": 10.0}},
        {"name": "ent", "acv_min": 100000, "acv_max": None,
         "acv": {"kind": "lognormal", "mean": 150000, "cv": 0.3}, "touch_model": "high",
         "mix": 0.1, "churn": {"alpha": 1.0, "beta": 20.0}},
    ]


def _pool(name: str, role: str, **fields: object) -> dict:
    return {"name": name, "role": role, "annual_cost": 100000, "headcount": 1, **fields}


def pod_scenario() -> dict:
    """Two pods (enterprise; mid-market + tech) with shared renewals and support."""
    return {
        "name": "pods", "horizon_months": 6, "org_model": "pod", "tiers": _tiers(),
        "growth": {"initial_customers": {"tech": 20, "mid": 10, "ent": 4}},
        "pools": [
            _pool("csm_ent", "csm", tiers=["ent"]),
            _pool("impl_ent", "implementation"),
            _pool("csm_mid", "csm", tiers=["mid"]),
            _pool("impl_mid", "implementation"),
            _pool("renewals", "renewals"),
            _pool("support", "support", skill="T3"),
        ],
        "org": {"pods": [{"name": "enterprise", "tiers": ["ent"], "pools": ["csm_ent", "impl_ent"]},
                         {"name": "volume", "tiers": ["mid", "tech"],
                          "pools": ["csm_mid", "impl_mid"]}]},
    }


def geo_scenario() -> dict:
    """Home region served by global pools; EMEA with its own CSMs, onboarding and T1 support;
    APAC with nothing of its own."""
    return {
        "name": "geo", "horizon_months": 6, "org_model": "geographic", "tiers": _tiers(),
        "growth": {"initial_customers": {"tech": 20, "mid": 10, "ent": 4}},
        "pools": [
            _pool("csm", "csm", tiers=["mid", "ent"]),
            _pool("csm_emea", "csm", tiers=["mid"], region="emea"),
            _pool("impl", "implementation"),
            _pool("impl_emea", "implementation", tiers=["mid"], region="emea"),
            _pool("support_t3", "support", skill="T3"),
            _pool("support_t1_emea", "support", skill="T1", region="emea"),
            _pool("renewals", "renewals"),
        ],
        "org": {"regions": [{"name": "home", "share": 0.5, "global_hours_overlap": True},
                            {"name": "emea", "share": 0.3}, {"name": "apac", "share": 0.2}]},
    }


def pod_strategy_scenario() -> dict:
    """Generalist CSMs onboarding mid and ent, a shared team onboarding tech; a strategy moves
    to the pods of ``pod_scenario`` (it never fires on its own)."""
    data = pod_scenario()
    data["org_model"] = "generalist"
    data["pools"].insert(4, _pool("impl", "implementation"))
    data["strategies"] = {"rules": [{"name": "pods", "org_model": "pod",
                                     "when": {"metric": "customers", "at_least": 10**6}}]}
    return data


def _index(data: dict, name: str) -> int:
    return [pool["name"] for pool in data["pools"]].index(name)


def test_regional_pools_first_then_the_global_ones() -> None:
    data = geo_scenario()
    routes = build_routes(parse_scenario(data), "geographic")
    tech, mid, ent = 0, 1, 2
    home, emea, apac = 0, 1, 2
    csm, csm_emea = _index(data, "csm"), _index(data, "csm_emea")
    assert list(routes.csm[mid]) == [csm, csm_emea, csm]
    assert list(routes.csm[ent]) == [csm, csm, csm]
    assert list(routes.csm[tech]) == [-1, -1, -1]
    impl, impl_emea = _index(data, "impl"), _index(data, "impl_emea")
    assert list(routes.onboarding[mid]) == [impl, impl_emea, impl]
    assert list(routes.onboarding[tech]) == [impl, impl, impl]  # impl_emea names mid only
    t3, t1_emea = _index(data, "support_t3"), _index(data, "support_t1_emea")
    assert list(routes.support[emea]) == [t1_emea, t3, t3]
    assert list(routes.support[home]) == [t3, t3, t3]
    assert routes.renewals == ((_index(data, "renewals"),),) * 3
    assert not routes.delayed[home, t3] and routes.delayed[emea, t3]
    assert routes.delayed[apac, t3] and not routes.delayed[emea, t1_emea]
    assert not routes.delayed[:, _index(data, "csm")].any()


def test_generalist_csms_onboard_when_they_have_slots() -> None:
    data = geo_scenario()
    data.update(org_model="generalist", org={})
    data["pools"] = [_pool("csm", "csm", tiers=["mid"], onboarding_slots=3),
                     _pool("csm_ent", "csm", tiers=["ent"], onboarding_slots=0),
                     _pool("impl", "implementation"), _pool("support", "support", skill="T3")]
    scenario = parse_scenario(data)
    routes = build_routes(scenario, "generalist")
    assert routes.onboarding[:, 0].tolist() == [2, 0, 2]
    assert build_routes(scenario, "specialist").onboarding[:, 0].tolist() == [2, 2, 2]


def test_pods_own_their_pools_and_tiers() -> None:
    data = pod_scenario()
    scenario = parse_scenario(data)
    routes = build_routes(scenario, "pod")
    assert routes.pod_of_tier.tolist() == [1, 1, 0]
    assert routes.pod_of_pool.tolist() == [0, 0, 1, 1, -1, -1]
    assert served_tiers(scenario, scenario.pools[3]) == ("mid", "tech")
    assert routes.onboarding[:, 0].tolist() == [3, 3, 1]
    assert routes.csm[:, 0].tolist() == [-1, 2, 0]


def test_named_tiers_beat_the_pool_for_every_tier() -> None:
    data = geo_scenario()
    data.update(org_model="specialist", org={})
    data["pools"] = [_pool("csm", "csm", tiers=["mid", "ent"]), _pool("impl", "implementation"),
                     _pool("impl_ent", "implementation", tiers=["ent"]),
                     _pool("support", "support", skill="T3"), _pool("renewals", "renewals")]
    routes = build_routes(parse_scenario(data), "specialist")
    assert routes.onboarding[:, 0].tolist() == [1, 1, 2]


Mutation = Callable[[dict], None]


def _set(path: str, value: object) -> Mutation:
    def change(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return change


def _add_pool(**fields: object) -> Mutation:
    return lambda data: data["pools"].append({"annual_cost": 100000, "headcount": 1, **fields})


# (id, valid scenario, mutation, fragments the one-line error must contain)
BAD = [
    ("pod-unknown-pool", pod_scenario, _set("org.pods.0.pools", ["csm_ent", "ghost"]),
     ["org.pods[0].pools = ['csm_ent', 'ghost']", "unknown pool 'ghost'"]),
    ("pod-unknown-tier", pod_scenario, _set("org.pods.0.tiers", ["ent", "vip"]),
     ["org.pods[0].tiers = ['ent', 'vip']", "unknown tier 'vip'"]),
    ("tier-in-two-pods", pod_scenario, _set("org.pods.1.tiers", ["mid", "tech", "ent"]),
     ["org.pods[1].tiers", "tier 'ent' is already in pod 'enterprise'"]),
    ("pool-in-two-pods", pod_scenario, _set("org.pods.1.pools", ["csm_mid", "impl_mid",
                                                                 "impl_ent"]),
     ["org.pods[1].pools", "pool 'impl_ent' is already in pod 'enterprise'"]),
    ("shared-service-in-pod", pod_scenario, _set("org.pods.0.pools", ["csm_ent", "impl_ent",
                                                                      "support"]),
     ["org.pods[0].pools", "pool 'support' has role 'support'", "shared services"]),
    ("csm-pool-outside-pods", pod_scenario,
     _add_pool(name="csm_extra", role="csm", tiers=["tech"]),
     ["pools[6].name = 'csm_extra'", "belongs to a pod"]),
    ("pod-pool-serving-foreign-tier", pod_scenario, _set("pools.1.tiers", ["ent", "mid"]),
     ["pools[1].tiers = ['ent', 'mid']", "pod 'enterprise', which does not serve tier 'mid'"]),
    ("duplicate-pod-name", pod_scenario, _set("org.pods.1.name", "enterprise"),
     ["org.pods[1].name = 'enterprise'", "duplicate"]),
    ("pod-model-without-pods", pod_scenario, _set("org.pods", []),
     ["org_model = 'pod'", "needs org.pods"]),
    ("pods-in-another-model", pod_scenario, _set("org_model", "specialist"),
     ["org.pods", "pod model only"]),
    ("borrowing-outside-pods", geo_scenario, _set("org.allow_pod_borrowing", True),
     ["org.allow_pod_borrowing = True"]),
    ("region-shares", geo_scenario, _set("org.regions.2.share", 0.3),
     ["org.regions[*].share", "sum to 1.1"]),
    ("support-pool-unknown-region", geo_scenario, _set("pools.5.region", "latam"),
     ["pools[5].region = 'latam'", "unknown region"]),
    ("duplicate-region", geo_scenario, _set("org.regions.2.name", "emea"),
     ["org.regions[2].name = 'emea'", "duplicate"]),
    ("geographic-without-regions", geo_scenario, _set("org.regions", []),
     ["org_model = 'geographic'", "needs org.regions"]),
    ("regions-in-another-model", geo_scenario, _set("org_model", "specialist"),
     ["org.regions", "geographic model only"]),
    ("region-without-csm-pool", geo_scenario, _set("pools.0.region", "home"),
     ["org.regions[1].name = 'emea'", "no csm pool serves tier 'ent'"]),
    ("region-without-support-skill", geo_scenario, _set("pools.4.region", "home"),
     ["org.regions[1].name = 'emea'", "skill T2"]),
    ("region-without-renewals", geo_scenario, _set("pools.6.region", "home"),
     ["org.regions[1].name = 'emea'", "no renewals pool"]),
    ("two-csm-pools-one-region", geo_scenario,
     _add_pool(name="csm_emea2", role="csm", tiers=["mid"], region="emea"),
     ["pools[7].tiers = ['mid']", "already served by pool 'csm_emea'"]),
    ("two-support-pools-one-skill", geo_scenario,
     _add_pool(name="t1_again", role="support", skill="T1", region="emea"),
     ["pools[5].skill = 'T1'", "in region 'emea'"]),
    ("two-implementation-pools-for-every-tier", geo_scenario,
     _add_pool(name="impl2", role="implementation"),
     ["pools[7].role = 'implementation'", "one implementation pool"]),
    ("tier-named-by-two-implementation-pools", geo_scenario,
     _add_pool(name="impl_mid2", role="implementation", tiers=["mid"], region="emea"),
     ["pools[7].tiers = ['mid']", "already onboarded by pool 'impl_emea'"]),
    ("tier-nobody-onboards", geo_scenario, _set("pools.2.tiers", ["ent"]),
     ["tiers[0].human_onboarding_share = 0.2", "nobody onboards tier 'tech'"]),
    ("tiers-on-support-pool", geo_scenario, _set("pools.4.tiers", ["mid"]),
     ["pools[4].tiers = ['mid']", "only csm and implementation pools"]),
    ("pod-without-renewals", pod_scenario, lambda data: data["pools"].pop(4),
     ["org_model = 'pod'", "renewals"]),
]


@pytest.mark.parametrize(("make", "mutate", "fragments"),
                         [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_organisations_are_rejected_in_one_line(make: Callable[[], dict], mutate: Mutation,
                                                    fragments: list[str]) -> None:
    data = copy.deepcopy(make())
    parse_scenario(data)  # valid before the mutation
    mutate(data)
    with pytest.raises(ScenarioError) as error:
        parse_scenario(data, source="org.yaml")
    line = str(error.value)
    assert "\n" not in line and line.startswith("org.yaml: ")
    for fragment in fragments:
        assert fragment in line, line


def test_cli_names_the_file_and_writes_nothing(tmp_path: Path,
                                               write_yaml: Callable[[dict, str], Path]) -> None:
    data = pod_scenario()
    data["org"]["pods"][0]["pools"] = ["csm_ent", "ghost"]
    path = write_yaml(data, "bad_pods.yaml")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {path}: org.pods[0].pools = ['csm_ent', 'ghost']: unknown pool 'ghost'"]
    assert not out.exists()


def test_valid_examples_have_consistent_tables() -> None:
    for make, model in ((pod_scenario, "pod"), (geo_scenario, "geographic")):
        scenario = parse_scenario(make())
        routes = build_routes(scenario, model)
        assert routes.csm.shape[0] == routes.onboarding.shape[0] == 3
        assert (routes.onboarding >= 0).all()
        assert np.isin(routes.csm[1:], np.arange(7)).all()
        _assert_tables_serve_their_cells(scenario, model)


def _assert_tables_serve_their_cells(scenario: Scenario, model: str) -> None:
    """Each (tier, region) cell names a pool of the right role serving that tier and region."""
    routes = build_routes(scenario, model)
    regions = [region.name for region in scenario.org.regions] or [None]
    for (tier, row), index in np.ndenumerate(routes.csm):
        name = scenario.tiers[tier].name
        if index == NONE:
            assert not any(pool.role == "csm" and name in pool.tiers for pool in scenario.pools)
            continue
        pool = scenario.pools[index]
        assert pool.role == "csm" and name in pool.tiers and pool.region in (regions[row], None)
    for (tier, row), index in np.ndenumerate(routes.onboarding):
        pool = scenario.pools[index]
        served = served_tiers(scenario, pool)
        assert pool.region in (regions[row], None)
        if pool.role == "csm":  # generalist CSMs with onboarding slots onboard their tiers
            assert model == "generalist" and pool.slots_per_person > 0
            assert index == routes.csm[tier, row]
        else:
            assert pool.role == "implementation"
            assert not served or scenario.tiers[tier].name in served


def test_only_who_onboards_depends_on_the_org_model() -> None:
    """Routing looks up every table but onboarding once for all customers, whatever their model."""
    for make in (pod_scenario, geo_scenario, pod_strategy_scenario):
        scenario = parse_scenario(make())
        first, *others = (build_routes(scenario, model) for model in
                          ("generalist", "specialist", "pod", "geographic"))
        for routes in others:
            for table in ("csm", "support", "delayed", "pod_of_tier", "pod_of_pool"):
                assert np.array_equal(getattr(routes, table), getattr(first, table)), table
            assert routes.renewals == first.renewals


def test_pod_pools_onboard_only_once_a_strategy_moves_to_pods() -> None:
    data = pod_strategy_scenario()
    scenario = parse_scenario(data)
    assert run_org_models(scenario) == ("generalist", "pod")
    impl, impl_mid, impl_ent = (_index(data, name) for name in ("impl", "impl_mid", "impl_ent"))
    csm_mid, csm_ent = _index(data, "csm_mid"), _index(data, "csm_ent")
    # tiers: tech, mid, ent; tech has no csm pool, so the shared team onboards it
    assert build_routes(scenario, "generalist").onboarding[:, 0].tolist() == [impl, csm_mid,
                                                                              csm_ent]
    assert build_routes(scenario, "pod").onboarding[:, 0].tolist() == [impl_mid, impl_mid,
                                                                       impl_ent]
    for model in run_org_models(scenario):
        _assert_tables_serve_their_cells(scenario, model)


def test_two_profiles_are_routed_by_their_own_org_model() -> None:
    """During a move to pods, each customer is onboarded, renewed and handed off by its model."""
    data = pod_strategy_scenario()
    world = build(parse_scenario(data), 1)
    pods = world.profiles.add("pods", "pod", {})
    book = world.book
    ent_tier = 2
    ent, moved = (int(customer) for customer in np.flatnonzero(book.tier == ent_tier)[:2])
    book.profile[moved] = pods
    pools = {name: world.pools[_index(data, name)] for name in ("csm_ent", "impl_ent", "impl")}
    desk_ent = onboarding_desk_for(world, ent)
    desk_moved = onboarding_desk_for(world, moved)
    assert desk_ent is not None and desk_ent.pool is pools["csm_ent"]
    assert desk_moved is not None and desk_moved.pool is pools["impl_ent"]
    serving = onboarding_desks_serving(world, ent_tier)
    assert {desk.pool.name for desk in serving} == {"csm_ent", "impl_ent"}
    assert csm_renews(world, ent) and not csm_renews(world, moved)
    in_pod, shared = pools["impl_ent"].members[0], pools["impl"].members[0]
    assert handoff_kind(world, ent, pools["csm_ent"].members[0]) == NO_HANDOFF
    assert handoff_kind(world, moved, in_pod) == POD_HANDOFF
    assert handoff_kind(world, moved, shared) == HANDOFF
