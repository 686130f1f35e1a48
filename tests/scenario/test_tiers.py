"""Tier bands: the boundary convention of §15.5 for both source schemes."""

from __future__ import annotations

import pytest

from sim import parse_scenario
from sim.customers.profiles import TierTable

THREE_TIERS = [("tech", 0, 10_000), ("low", 10_000, 100_000), ("high", 100_000, None)]
FOUR_TIERS = [("self_service", 0, 10_000), ("pooled", 10_000, 50_000),
              ("dedicated", 50_000, 100_000), ("high_touch", 100_000, None)]


def scheme(bands: list[tuple]) -> dict:
    share = 1 / len(bands)
    return {
        "name": "bands", "horizon_months": 1,
        "tiers": [{"name": name, "acv_min": low, "acv_max": high, "touch_model": "tech",
                   "acv": {"kind": "fixed", "value": low + 1}, "mix": share,
                   "tickets_per_month": 0.0, "human_onboarding_share": 0.0,
                   "churn": {"alpha": 1.0, "beta": 9.0}} for name, low, high in bands],
        "growth": {},
        "pools": [{"name": "leader", "role": "leader", "annual_cost": 200000, "headcount": 1}],
    }


@pytest.mark.parametrize(("bands", "acv", "expected"), [
    (THREE_TIERS, 9_999, "tech"), (THREE_TIERS, 10_000, "low"), (THREE_TIERS, 49_999, "low"),
    (THREE_TIERS, 50_000, "low"), (THREE_TIERS, 99_999, "low"), (THREE_TIERS, 100_000, "high"),
    (FOUR_TIERS, 9_999, "self_service"), (FOUR_TIERS, 10_000, "pooled"),
    (FOUR_TIERS, 49_999, "pooled"), (FOUR_TIERS, 50_000, "dedicated"),
    (FOUR_TIERS, 99_999, "dedicated"), (FOUR_TIERS, 100_000, "high_touch"),
])
def test_an_acv_on_a_band_edge_belongs_to_the_band_above(bands: list[tuple], acv: int,
                                                          expected: str) -> None:
    scenario = parse_scenario(scheme(bands))
    table = TierTable.of(scenario)
    names = [tier.name for tier in scenario.tiers]
    assert names[table.tier_of(acv)] == expected
    assert [tier.name for tier in scenario.tiers if tier.contains(acv)] == [expected]


def test_bands_may_be_listed_in_any_order() -> None:
    scenario = parse_scenario(scheme(list(reversed(FOUR_TIERS))))
    table = TierTable.of(scenario)
    assert scenario.tiers[table.tier_of(75_000)].name == "dedicated"
    assert scenario.tiers[table.tier_of(0)].name == "self_service"
