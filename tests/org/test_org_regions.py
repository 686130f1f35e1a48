"""Geographic regions: drawn by their shares from their own stream, time-zone coverage of
support, the minimum-scale flag and the region columns of the outputs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from test_org_models import _pool, specialist_scenario

from sim import parse_scenario, run


def _regions_only(headcount: int, delay: float, min_customers: int = 50) -> dict:
    """A tech-touch book spread over three regions: home (covered by the global hours), emea
    (its own support pool) and apac (neither); a 4-hour SLA and idle support pools."""
    tier = {"name": "book", "acv_min": 0, "acv": {"kind": "fixed", "value": 5000},
            "touch_model": "tech", "mix": 1.0, "churn": {"alpha": 1.0, "beta": 20.0},
            "human_onboarding_share": 0.0, "tickets_per_month": 1.0, "sla_response_hours": 4.0}
    return {
        "name": "regions", "horizon_months": 3, "org_model": "geographic", "tiers": [tier],
        "growth": {"initial_customers": {"book": headcount}},
        "pools": [_pool("support", "support", 20, skill="T3"),
                  _pool("support_emea", "support", 20, skill="T3", region="emea")],
        "org": {"regions": [{"name": "home", "share": 0.5, "global_hours_overlap": True},
                            {"name": "emea", "share": 0.3}, {"name": "apac", "share": 0.2}],
                "uncovered_response_delay_hours": delay,
                "min_customers_per_region": min_customers},
        "staff": {"base_attrition_per_year": 0.0},
    }


def test_regions_are_drawn_by_their_shares() -> None:
    size = 20000
    customers = run(parse_scenario(_regions_only(size, 8.0)), 9).customers
    counts = customers.region.value_counts()
    for region, share in (("home", 0.5), ("emea", 0.3), ("apac", 0.2)):
        error = math.sqrt(size * share * (1 - share))
        assert abs(counts[region] - size * share) <= 4 * error, (region, counts[region])


def test_regions_come_from_their_own_stream() -> None:
    """Adding regions changes no other draw: the same customers with the same attributes."""
    data = _regions_only(300, 8.0)
    plain = {**data, "org_model": "specialist", "org": {},
             "pools": [_pool("support", "support", 20, skill="T3")]}
    columns = ["customer", "tier", "acv", "theta", "arrival_day", "tickets", "churn_day"]
    regional = run(parse_scenario(data), 10).customers
    pd.testing.assert_frame_equal(regional[columns], run(parse_scenario(plain), 10).customers[
        columns])
    assert set(regional.region) == {"home", "emea", "apac"}


def test_tickets_from_uncovered_regions_wait_for_the_head_office() -> None:
    shares = {}
    responses = {}
    for delay in (0.0, 8.0):
        result = run(parse_scenario(_regions_only(1000, delay)), 11)
        by_region = result.customers.groupby("region")[["tickets", "sla_breaches"]].sum()
        shares[delay] = by_region.sla_breaches / by_region.tickets
        everyone = result.timeseries[result.timeseries.tier == "all"]
        responses[delay] = np.average(everyone.ticket_response_hours_mean,
                                      weights=everyone.tickets_resolved)
    assert shares[0.0].max() < 0.01  # idle pools answer at once everywhere
    assert shares[8.0]["home"] < 0.01 and shares[8.0]["emea"] < 0.01
    assert shares[8.0]["apac"] > 0.99  # every apac ticket waits 8 h against a 4 h SLA
    assert responses[8.0] >= responses[0.0] + 0.15 * 8.0


def test_regions_with_a_regional_team_below_the_minimum_are_flagged() -> None:
    """emea has a regional (support) team, apac none: only emea can count."""
    for minimum, flagged in ((0, 0), (10**6, 1)):
        series = run(parse_scenario(_regions_only(200, 8.0, minimum)), 12).timeseries
        assert (series.regions_below_min_scale == flagged).all()


def test_outputs_name_regions() -> None:
    result = run(parse_scenario(_regions_only(200, 8.0)), 13)
    assert dict(zip(result.workforce.pool, result.workforce.region, strict=True)) == {
        "support": "", "support_emea": "emea"}
    plain = run(parse_scenario(specialist_scenario()), 13)
    assert (plain.customers.region == "").all()
    assert (plain.timeseries.regions_below_min_scale == 0).all()
